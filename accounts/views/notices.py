"""The information notices (*mentions d'information*), public: anyone may read what the
portal does with personal data before signing in, and an advisor prints a notice to
hand to a youth. Linked from every page's footer."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from reporting.pdf import render_pdf

from ..enums import CONSENT_BASED_NOTICES, MISSION_LOCALE_NOTICES, NOTICE_SLUGS, NoticePurpose
from ..markdown import render_markdown
from ..models import InformationNotice
from ..uploads import stored_file_response

_PURPOSE_BY_SLUG = {slug: purpose for purpose, slug in NOTICE_SLUGS.items()}
_ORDER = {purpose: position for position, purpose in enumerate(NoticePurpose.values)}
# A published version never changes (its text's fingerprint is in the key anyway), so
# its PDF is rendered once and served from the shared cache: a public URL costs no
# rendering after the first visit. A week, so the cache is not filled for good.
PDF_CACHE_SECONDS = 7 * 24 * 3600


def _purpose(slug: str) -> str:
    try:
        return _PURPOSE_BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


@login_not_required
def notice_list(request):
    notices = sorted(InformationNotice.objects.current(), key=lambda n: _ORDER[n.purpose])
    language = get_language()
    rows = [(notice, notice.text_in(language)[0]) for notice in notices]
    return render(request, "accounts/notice_list.html", {"rows": rows})


@login_not_required
def notice_detail(request, slug: str, version: int | None = None):
    """A notice in the reader's language (English is a translation for information),
    the version in force unless the URL names an earlier one, with every version."""
    versions = list(InformationNotice.objects.filter(purpose=_purpose(slug)).order_by("-version"))
    notice = next((v for v in versions if version is None or v.version == version), None)
    if notice is None:
        raise Http404
    title, body, translated = notice.text_in(get_language())
    return render(
        request,
        "accounts/notice_detail.html",
        {
            "notice": notice,
            "title": title,
            "body_html": render_markdown(body),
            "translated": translated,
            "versions": versions,
            "current": versions[0],
        },
    )


def notice_pdf_bytes(notice: InformationNotice) -> bytes:
    """The notice on one A4 page, in French (the text handed to the youth): the page's
    title, version and date, the text, a box for the mission locale's contact details
    and, for a notice asking consent, the slip the youth signs."""
    key = f"notice-pdf:{notice.purpose}:{notice.version}:{notice.text_sha256}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(
            "accounts/notice_pdf.html",
            {
                "notice": notice,
                "body_html": render_markdown(notice.body),
                "controller_box": notice.purpose in MISSION_LOCALE_NOTICES,
                "consent_slip": notice.purpose in CONSENT_BASED_NOTICES,
            },
            language="fr",
        )
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


@login_not_required
def notice_pdf(request, slug: str, version: int):
    notice = get_object_or_404(InformationNotice, purpose=_purpose(slug), version=version)
    return stored_file_response(
        io.BytesIO(notice_pdf_bytes(notice)),
        filename=f"mention-information-{slug}-v{version}.pdf",
        content_type="application/pdf",
    )
