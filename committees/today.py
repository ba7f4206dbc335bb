"""The committees' counters on the home page (accounts/today.py): the user's overdue
action items, and for a project lead the committees of the region with no meeting this
quarter (Art. 18: one a quarter). Each counts through the list's own function."""

from __future__ import annotations

from django.utils.translation import ngettext

from accounts.today import TodayItem, list_url

from .views.meetings import action_items_listed, committees_listed


def today_items(user, scope) -> list[TodayItem]:
    items = []
    if scope.lead_region_ids:
        overdue = action_items_listed(user, {"overdue": "1"}).count()
        items.append(
            TodayItem(
                ngettext("%(n)s action en retard", "%(n)s actions en retard", overdue)
                % {"n": overdue},
                overdue,
                list_url("committees:my_action_items", {"overdue": "1"}),
                60,
            )
        )
        quiet = committees_listed(user, {"quiet": "1"}).count()
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s comité sans réunion ce trimestre",
                    "%(n)s comités sans réunion ce trimestre",
                    quiet,
                )
                % {"n": quiet},
                quiet,
                list_url("committees:committee_list", {"quiet": "1"}),
                61,
            )
        )
    return items
