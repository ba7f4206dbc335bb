"""What an htmx swap did, said in one short sentence to screen-reader users.

A swapped table is not a live region (a screen reader would read the whole of it, or
nothing): the view names what changed ("12 jeunes affichés, page 2 sur 5") and the
page's one polite live region (#portal-announcer in base.html) reads it, through
static/js/portal.js. The sentence travels in the HX-Trigger-After-Settle header as the
"portal:announce" event, so it is read once the new content is in place."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_htmx.http import trigger_client_event

EVENT = "portal:announce"


def announce(response: HttpResponse, message: str) -> HttpResponse:
    """Attach `message` to an htmx response. The header is JSON with non-ASCII letters
    escaped (\\u00e9), as HTTP headers must be: the browser's JSON.parse restores them."""
    return trigger_client_event(response, EVENT, {"message": str(message)}, after="settle")


def page_summary(page, found) -> str:
    """ "12 jeunes affichés, page 2 sur 5": how many things the filters found and which
    page shows. `found` is an `ngettext_lazy(singular, plural, "count")`."""
    paginator = page.paginator
    exactly = getattr(paginator, "counted_exactly", False)
    found = found % {"count": paginator.total if exactly else paginator.count}
    if getattr(paginator, "is_capped", False) and not exactly:
        # A capped count (`accounts.pagination.CappedPaginator`): there are more.
        found = _("Plus de %(found)s") % {"found": found}
    if page.paginator.num_pages <= 1:
        return found
    return _("%(found)s, page %(number)d sur %(total)d") % {
        "found": found,
        "number": page.number,
        "total": page.paginator.num_pages,
    }
