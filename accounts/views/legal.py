"""The legal pages linked from every page's footer, public (read before signing in):
the accessibility statement (RGAA: conformity level, audit date and results, how to
report a problem), the legal notice (publisher, publication director, host) and the
contact page. What varies per deployment comes from the settings (LEGAL_*,
CONTACT_EMAIL); the audit's facts are dated here and change with the next audit."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

# The last automated audit: axe-core (WCAG 2.0 and 2.1, levels A and AA) in Chromium,
# over every role's home and main pages, forms shown with their errors, at 1280 and
# 320 px wide (tests/accessibility). A manual RGAA audit has not been made: the portal
# says "partiellement conforme", never more than it can prove.
AUDIT_DATE = datetime.date(2026, 12, 5)
AUDIT_TOOL = "axe-core"
AUDIT_STANDARD = "WCAG 2.1 AA"
AUDIT_VIOLATIONS = 0


def contact_email() -> str:
    """CONTACT_EMAIL, or contact@ the portal's host name when it is not set."""
    if settings.CONTACT_EMAIL:
        return settings.CONTACT_EMAIL
    return f"contact@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


@login_not_required
@require_safe
def accessibility(request):
    return render(
        request,
        "accounts/legal_accessibility.html",
        {
            "audit_date": AUDIT_DATE,
            "audit_tool": AUDIT_TOOL,
            "audit_standard": AUDIT_STANDARD,
            "audit_violations": AUDIT_VIOLATIONS,
            "contact_email": contact_email(),
        },
    )


@login_not_required
@require_safe
def legal_notice(request):
    return render(
        request,
        "accounts/legal_notice.html",
        {
            "publisher": settings.LEGAL_PUBLISHER,
            "director": settings.LEGAL_PUBLICATION_DIRECTOR,
            "host": settings.LEGAL_HOST,
            "contact_email": contact_email(),
            "site_url": settings.SITE_URL,
        },
    )


@login_not_required
@require_safe
def contact(request):
    return render(request, "accounts/legal_contact.html", {"contact_email": contact_email()})
