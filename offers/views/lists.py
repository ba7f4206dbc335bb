"""The lists of the offers app and their spreadsheets: a recruiter's offers, a project
lead's region, the offers advisors browse, the mission locale's proposals, the "new
offers" notices. Each list's queryset is built by one function, read by the page and by
its export alike (same scope, same filters), and the export goes through the portal's
one writer (`reporting.exports.list_export`)."""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from accounts import pagination
from accounts.announce import announce, page_summary
from accounts.compiled_shapes import KeptStatements
from accounts.enums import Role
from accounts.list_markup import export_links_markup
from accounts.page_rows import choice_labels, url_for_each
from accounts.pagination import CountedRowsPaginator, filters_query, kept_page, number_of_page
from accounts.scope import get_scope
from candidates.access_log import only_mission_locale_id
from reporting.exports import EXPORT_CHUNK, export_links, list_export

from ..enums import ContractType, NoticeKind, OfferStatus, ProposalStatus
from ..exporting import (
    BROWSE_OFFERS_COLUMNS,
    REGION_OFFERS_COLUMNS,
    my_offers_columns,
    proposal_list_columns,
    with_stage_counts,
)
from ..forms import OfferFilterForm, OfferStatusFilterForm, ProposalFilterForm
from ..models import (
    Offer,
    OfferNotice,
    Proposal,
    attach_stage_counts,
    is_full_time_week,
    needs_accompaniment_for,
    place_of,
    stage_counts_of,
)
from ..permissions import (
    can_browse_offers,
    can_follow_proposals,
    can_post_offer,
    can_validate_offers,
    has_youths_to_propose,
)
from ..sharing import proposal_youth_as_seen
from .common import PAGE_SIZE, paginate

# What an htmx swap of the list says to screen readers (accounts/announce.py).
OFFERS_FOUND = ngettext_lazy("%(count)d offre trouvée", "%(count)d offres trouvées", "count")

# The oldest submitted offers first; past this many the lead filters on "submitted".
TO_VALIDATE_SHOWN = 50


def list_export_links(viewname: str, label: str, query: str) -> str:
    """The export links (`accounts.list_markup.export_links_markup`) of the list's export
    view `viewname`, named `label`, with the list's filters (`query`)."""
    return export_links_markup(export_links(viewname, query=query), label)


def my_offers_listed(user, data):
    """(form, offers) of "Mes offres" for the query string `data`: a state, or
    `sent_back=1` for the drafts the project lead sent back (the home page counts these).
    The page and its export alike."""
    form = OfferStatusFilterForm(data or None)
    return form, _my_offers(user, form, data)


def _my_offers(user, form: OfferStatusFilterForm, data):
    qs = Offer.objects.of_user_companies(user).for_list()
    if form.is_valid() and form.cleaned_data["status"]:
        qs = qs.filter(status=form.cleaned_data["status"])
    if data.get("sent_back") == "1":
        qs = qs.sent_back()
    return qs.order_by("-created_at", "-pk")


def _my_offers_paginator(offers) -> CountedRowsPaginator:
    # The page's rows as tuples and their count, capped, in one query.
    return CountedRowsPaginator(offers, PAGE_SIZE, read=_my_offers_columns)


#: "Mes offres"' page statements by shape (`_my_offers_shape`), as the published
#: offers' (`_BROWSE_STATEMENTS`).
_MY_OFFERS_STATEMENTS = KeptStatements(size=256)


def _my_offers_shape(user, form: OfferStatusFilterForm, data, number) -> tuple:
    """What the SQL of "Mes offres"' page depends on: the user's companies (their sorted
    ids), the state chosen, `sent_back`, the page and the paginator's settings."""
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return (
        tuple(sorted(get_scope(user).company_ids)),
        status,
        data.get("sent_back") == "1",
        number_of_page(number),
        PAGE_SIZE,
        pagination.COUNT_CAP,
        DEFAULT_DB_ALIAS,
    )


def _check_recruiter(user) -> None:
    if not can_post_offer(user):
        raise PermissionDenied(_("Cette page est réservée aux recruteurs."))


# A row of "Mes offres": the offer and its contract and place, its state (BADGES), the
# positions filled, a cell per stage, the closing day.
MY_OFFERS_ROW = (
    '<tr><th scope="row"><a href="{}">{}</a>'
    '<div class="small text-body-secondary">{} · {}</div></th>'
    "<td>{}</td><td>{} / {}</td>{}<td>{}</td></tr>"
)
# The markup of `offers/_offer_badges.html` (the offer's page and the region's list).
STATUS_BADGE = '<span class="badge offer-status offer-status-{}">{}</span>\n'
ACCOMPANIMENT_BADGE = '<span class="badge text-bg-warning" title="{}">{}{}</span>'
DASH = "—"


def _my_offers_rows(offers) -> SafeString:
    """The rows of "Mes offres", written here once per page: through the template (a
    link, the badges' include, six counts and a date a row) they took most of the
    page's time. The stages' counts of the page's offers come from one grouped query.
    The translations are written as the catalogue has them (as `{% translate %}`
    did); every value is escaped as Django's `escape` does (`html.escape`)."""
    offers = list(offers)
    counts = stage_counts_of(offer[0] for offer in offers)
    detail_url = url_for_each("offers:offer_detail")
    contracts = choice_labels(ContractType)
    statuses = choice_labels(OfferStatus)
    accompaniment = ACCOMPANIMENT_BADGE.format(
        _("Plus de 10 postes : accompagnement du CEPL (article 4)"),
        _("Accompagnement CEPL"),
        "{}",
    )
    rows = []
    for (
        pk,
        job_role,
        contract_type,
        postcode,
        city,
        status,
        positions,
        positions_filled,
        closing_date,
        lead_first_name,
        lead_last_name,
        lead_email,
    ) in offers:
        badges = STATUS_BADGE.format(escape(status), escape(statuses.get(status, status)))
        if needs_accompaniment_for(positions):
            lead = ""
            if lead_email is not None:
                name = f"{lead_first_name} {lead_last_name}".strip() or lead_email
                lead = f" · {escape(name)}"
            badges += accompaniment.format(lead)
        rows.append(
            MY_OFFERS_ROW.format(
                escape(detail_url(pk)),
                escape(job_role),
                escape(contracts.get(contract_type, contract_type)),
                escape(place_of(postcode, city) or DASH),
                badges,
                positions_filled,
                positions,
                "".join(f"<td>{count}</td>" for count in counts[pk]),
                f"{closing_date:%d/%m/%Y}" if closing_date else DASH,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308


def _my_offers_columns(offers):
    return offers.as_my_offers_rows()


def my_offers(request):
    """The recruiter's offers, with the count of proposals at each stage."""
    _check_recruiter(request.user)
    user, data, number = request.user, request.GET, request.GET.get("page")
    form = OfferStatusFilterForm(data or None)
    page = kept_page(
        _MY_OFFERS_STATEMENTS,
        _my_offers_shape(user, form, data, number),
        _my_offers_paginator,
        lambda: _my_offers(user, form, data),
        number,
    )
    context = {
        "page": page,
        "rows": _my_offers_rows(page.object_list),
        "form": form,
        "query": filters_query(request),
        "stages": ProposalStatus.choices,
        "sent_back": request.GET.get("sent_back") == "1",
        "export_links": list_export_links(
            "offers:my_offers_export", _("Mes offres"), filters_query(request)
        ),
    }
    return render(request, "offers/my_offers.html", context)


def my_offers_export(request, fmt: str):
    """ "Mes offres" as a spreadsheet: counts only, no youth."""
    _check_recruiter(request.user)
    _form, offers = my_offers_listed(request.user, request.GET)
    return list_export(
        request,
        fmt=fmt,
        columns=my_offers_columns(),
        objects=with_stage_counts(offers).iterator(chunk_size=EXPORT_CHUNK),
        stem="mes-offres",
        sheet_title=_("Mes offres"),
    )


def _check_lead(user) -> None:
    if not can_validate_offers(user):
        raise PermissionDenied(_("Cette page est réservée aux chargés de projet."))


def region_offers_listed(user, data):
    """(form, waiting, others, filtered) of the project lead's region page for the query
    string `data`: the offers of the lead's regions that left the drafts, those waiting
    for validation apart. Without a filter `others` holds the offers not waiting; with a
    state (even "submitted", past the first ones shown above) that state's; with
    `accompaniment=1` the recruitments of more than ten people under way (Art. 4, the
    home page counts these)."""
    form = OfferStatusFilterForm(data or None)
    qs = Offer.objects.visible_to(user).of_led_regions(user).registered().for_list()
    waiting = qs.filter(status=OfferStatus.SUBMITTED).order_by("submitted_at", "pk")
    status = form.cleaned_data["status"] if form.is_valid() else ""
    accompaniment = data.get("accompaniment") == "1"
    if accompaniment:
        others = qs.needing_accompaniment()
        if status:
            others = others.filter(status=status)
    elif status:
        others = qs.filter(status=status)
    else:
        others = qs.exclude(status=OfferStatus.SUBMITTED)
    return form, waiting, others.order_by("-submitted_at", "-pk"), bool(status or accompaniment)


def region_offers(request):
    """The project lead's offers of their region: those to validate first, then the
    rest; offers needing accompaniment are flagged."""
    _check_lead(request.user)
    form, waiting, others, filtered = region_offers_listed(request.user, request.GET)
    # A filtered page lists that state's offers only: "À valider" would repeat them.
    to_validate = [] if filtered else list(waiting[:TO_VALIDATE_SHOWN])
    page = paginate(request, others)
    page.object_list = attach_stage_counts(page.object_list)
    return render(
        request,
        "offers/region_offers.html",
        {
            "to_validate": to_validate,
            "more_to_validate": len(to_validate) == TO_VALIDATE_SHOWN and waiting.count(),
            "page": page,
            "form": form,
            "filtered": filtered,
            "accompaniment": request.GET.get("accompaniment") == "1",
            "query": filters_query(request),
            "export_links": export_links(
                "offers:region_offers_export", query=filters_query(request)
            ),
        },
    )


def region_offers_export(request, fmt: str):
    """The region's offers as a spreadsheet: without a filter, those to validate and the
    others in one list (newest submission first); with one, the page's list. No youth."""
    _check_lead(request.user)
    _form, waiting, others, filtered = region_offers_listed(request.user, request.GET)
    offers = others if filtered else (waiting | others).order_by("-submitted_at", "-pk")
    return list_export(
        request,
        fmt=fmt,
        columns=REGION_OFFERS_COLUMNS,
        objects=with_stage_counts(offers).iterator(chunk_size=EXPORT_CHUNK),
        stem="offres-de-la-region",
        sheet_title=_("Offres de la région"),
    )


def _browse_form(request) -> OfferFilterForm:
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    return OfferFilterForm(request.GET or None)


def _browsed(user, form: OfferFilterForm):
    return form.filter(
        Offer.objects.published_for_missions_locales(user)
        .select_related("company", "job_role")
        .order_by("-published_at", "-pk")
    )


def _browsed_offers(request):
    form = _browse_form(request)
    return form, _browsed(request.user, form)


def _browse_paginator(offers) -> CountedRowsPaginator:
    # The page's rows as tuples and their count, capped, in one query: a region's
    # published offers were counted whole on every page (20,000 at 100,000 youths).
    return CountedRowsPaginator(offers, PAGE_SIZE, read=_browse_columns)


#: The published offers' page statements by shape (`_browse_shape`): building the
#: filtered queryset and compiling its statement took 0.77 ms of each request
#: (`bench/profile_pages.py`); the ORM compiles each shape once per process.
_BROWSE_STATEMENTS = KeptStatements(size=256)


def _browse_shape(user, form: OfferFilterForm, number) -> tuple | None:
    """What the SQL of the published offers' page depends on: the user's scope as
    `published_for_missions_locales` reads it (admin, or the sorted ids of the regions
    of their missions locales), every filter's cleaned value, the page and the
    paginator's settings. None where the ORM builds it for the request: a place typed
    (its text a parameter the shape does not hold)."""
    scope = get_scope(user)
    if scope.is_admin:
        seen = "admin"
    else:
        seen = tuple(sorted(scope.region_ids(Role.ADVISOR, Role.ML_MANAGER)))
    if not form.is_bound:
        filters = ("unbound",)
    elif not form.is_valid():
        filters = ("invalid",)  # `filter` then filters nothing
    elif form.cleaned_data["place"].strip():
        return None
    else:
        filters = tuple(
            (name, getattr(value, "pk", value)) for name, value in sorted(form.cleaned_data.items())
        )
    return (
        seen,
        filters,
        number_of_page(number),
        PAGE_SIZE,
        pagination.COUNT_CAP,
        DEFAULT_DB_ALIAS,
    )


# A row of the published offers; FULL_TIME follows the hours of a full-time offer.
BROWSE_ROW = (
    '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{} h{}</td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>"
)
FULL_TIME = ' <span class="badge text-bg-success">{}</span>'


def _browse_columns(offers):
    return offers.as_browse_rows()


def _browse_rows(offers) -> SafeString:
    """The rows of the published offers, written here once per page: through the
    template (a link, a label, a date and a test a row) they took most of the page's
    time. The translations are written as the catalogue has them (as `{% translate %}`
    did); every value is escaped as Django's `escape` does (`html.escape`)."""
    detail_url = url_for_each("offers:offer_detail")
    contracts = choice_labels(ContractType)
    full_time = FULL_TIME.format(_("temps plein"))
    rows = []
    for (
        pk,
        job_role,
        company,
        contract_type,
        weekly_hours,
        postcode,
        city,
        start_date,
        positions,
        positions_filled,
    ) in offers:
        values = (
            detail_url(pk),
            job_role,
            company,
            contracts.get(contract_type, contract_type),
            weekly_hours,
        )
        cells = [escape(str(value)) for value in values]
        cells.append(full_time if is_full_time_week(weekly_hours) else "")
        cells += (
            escape(place_of(postcode, city)),
            f"{start_date:%d/%m/%Y}" if start_date else "",
            positions - positions_filled,
        )
        rows.append(BROWSE_ROW.format(*cells))
    return mark_safe("".join(rows))  # noqa: S308


def browse_offers(request):
    """Advisors browse the published offers of their region, filtered with htmx."""
    user, form, number = request.user, _browse_form(request), request.GET.get("page")
    page = kept_page(
        _BROWSE_STATEMENTS,
        _browse_shape(user, form, number),
        _browse_paginator,
        lambda: _browsed(user, form),
        number,
    )
    context = {
        "page": page,
        "rows": _browse_rows(page.object_list),
        "form": form,
        "query": filters_query(request),
        "export_links": list_export_links(
            "offers:browse_offers_export", _("Offres d'emploi publiées"), filters_query(request)
        ),
    }
    if request.htmx:
        response = render(request, "offers/_browse_results.html", context)
        return announce(response, page_summary(context["page"], OFFERS_FOUND))
    return render(request, "offers/browse_offers.html", context)


def browse_offers_export(request, fmt: str):
    """The published offers as browsed (filters applied), as a spreadsheet. No youth."""
    _form, offers = _browsed_offers(request)
    return list_export(
        request,
        fmt=fmt,
        columns=BROWSE_OFFERS_COLUMNS,
        objects=offers.iterator(chunk_size=EXPORT_CHUNK),
        stem="offres-publiees",
        sheet_title=_("Offres d'emploi"),
    )


def _check_follows_proposals(user) -> None:
    if not can_follow_proposals(user):
        raise PermissionDenied(_("Cette page est réservée aux recruteurs et aux missions locales."))


def proposals_listed(user, data):
    """(form, proposals) of "Candidatures" for the query string `data`: the proposals the
    user may see (a recruiter's company's, an advisor's mission locale's; every one for
    an admin), the filters applied, newest first. The page, its export and the home
    page's counters ("to review", "interviews", "news") all read it."""
    form = ProposalFilterForm(data or None)
    qs = form.filter(Proposal.objects.visible_to(user), user=user).for_mission_locale_list()
    return form, qs


def proposal_list(request):
    """Recruiters follow the proposals to their company's offers, advisors those of
    their youths, across offers (or one offer's, from its page); each youth is named as
    `offers.sharing.proposal_youth_as_seen` allows."""
    _check_follows_proposals(request.user)
    form, proposals = proposals_listed(request.user, request.GET)
    offer = None
    if form.offer_id:
        offer = (
            Offer.objects.visible_to(request.user)
            .select_related("company", "job_role")
            .filter(pk=form.offer_id)
            .first()
        )
    page = paginate(request, proposals)
    context = {
        "page": page,
        "rows": [(proposal, proposal_youth_as_seen(request.user, proposal)) for proposal in page],
        "form": form,
        "offer": offer,
        "query": filters_query(request),
        "user_follows_youths": has_youths_to_propose(request.user),
        "export_links": export_links("offers:proposal_list_export", query=filters_query(request)),
    }
    return render(request, "offers/proposal_list.html", context)


def proposal_list_export(request, fmt: str):
    """ "Candidatures" as a spreadsheet, youths named as on the page: it names youths,
    so the access log records it with its number of rows."""
    _check_follows_proposals(request.user)
    _form, proposals = proposals_listed(request.user, request.GET)
    return list_export(
        request,
        fmt=fmt,
        columns=proposal_list_columns(request.user),
        objects=proposals.iterator(chunk_size=EXPORT_CHUNK),
        stem="candidatures",
        sheet_title=_("Candidatures"),
        names_youths=True,
        mission_locale_id=only_mission_locale_id(request.user),
    )


def new_offer_notices(user, data):
    """The "new offers" the advisor was told about, still published in their region,
    unread first; only the unread ones with `unread=1` (the home page counts these)."""
    notices = (
        OfferNotice.objects.filter(recipient=user, kind=NoticeKind.PUBLISHED)
        .filter(offer__in=Offer.objects.published_for_missions_locales(user))
        .select_related("offer", "offer__company", "offer__job_role")
        .order_by("read_at", "-created_at", "-pk")
    )
    if data.get("unread") == "1":
        notices = notices.filter(read_at__isnull=True)
    return notices


def new_offers(request):
    """The advisor's "new offers" list: the publications of their region they were told
    about, unread first."""
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    notices = new_offer_notices(request.user, request.GET)
    return render(
        request,
        "offers/new_offers.html",
        {
            "page": paginate(request, notices),
            "unread_only": request.GET.get("unread") == "1",
            "query": filters_query(request),
        },
    )


@require_POST
def new_offers_read(request):
    if not can_browse_offers(request.user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))
    OfferNotice.objects.filter(
        recipient=request.user, kind=NoticeKind.PUBLISHED, read_at__isnull=True
    ).update(read_at=timezone.now())
    messages.success(request, _("Toutes les nouvelles offres sont marquées comme lues."))
    return redirect("offers:new_offers")
