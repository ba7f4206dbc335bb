"""The home page's "what do I do today?": each app says, in its own `today.py`, which
counters a user sees (`today_items(user, scope) -> list[TodayItem]`), found through
`discovery.app_modules` like the navigation. The home view stays generic: it sorts and
shows what the apps return.

The rule a counter counts lives once, in the list it links to: an app builds the list's
query string (`params`), hands the same parameters to the list's own queryset function
and counts that. Following the link shows as many rows as the counter says; a second
copy of the rule would drift from the list the first time one of them changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import ngettext

from .discovery import app_modules
from .permissions import can_invite_anyone, can_review_access_requests
from .scope import get_scope


@dataclass(frozen=True)
class TodayRow:
    """One line of a small table (a manager's team workload): a label, a number, a link."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class TodayItem:
    """A counter of the home page. `label` already carries the count (ngettext), `url`
    the list's query string; `detail` adds a second figure ("12 places restantes");
    `rows` turns the item into a small table. A zero task counter reads "Rien à faire"
    on the page: shown calmly, never hidden."""

    label: str
    count: int
    url: str
    order: int = 100
    detail: str = ""
    rows: tuple[TodayRow, ...] = field(default=())
    # A key figure (national staff's hires of the month), not a task: zero is a value
    # to read, not "Rien à faire".
    is_figure: bool = False

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def list_url(url_name: str, params: dict | None = None, args: tuple = ()) -> str:
    """The list's URL with its filters as a query string."""
    url = reverse(url_name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def as_query(params: dict) -> QueryDict:
    """The same parameters as the list receives them (request.GET), for its queryset."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    return query


def today_items(user, scope) -> list[TodayItem]:
    """The accounts' own counters: invitations still pending and companies' requests
    waiting for a decision, for whoever handles them."""
    # Imported here: the views import this module's neighbours at start-up.
    from .views.accounts import access_requests_listed, invitations_listed

    items = []
    if can_invite_anyone(user):
        n = invitations_listed(user, {"pending": "1"}).count()
        items.append(
            TodayItem(
                ngettext("%(n)s invitation en attente", "%(n)s invitations en attente", n)
                % {"n": n},
                n,
                list_url("accounts:invitations", {"pending": "1"}),
                85,
            )
        )
    if can_review_access_requests(user):
        n = access_requests_listed(user, {"pending": "1"}).count()
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s demande d'entreprise à examiner",
                    "%(n)s demandes d'entreprises à examiner",
                    n,
                )
                % {"n": n},
                n,
                list_url("accounts:access_requests", {"pending": "1"}),
                86,
            )
        )
    return items


def build_today(user) -> list[TodayItem]:
    """Every app's counters for `user`, in their order."""
    if not user.is_authenticated:
        return []
    scope = get_scope(user)
    items = [item for module in app_modules("today") for item in module.today_items(user, scope)]
    return sorted(items, key=lambda item: item.order)
