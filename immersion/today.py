"""The sessions' counters on the home page (accounts/today.py): an advisor's sessions of
this week where their youths hold a seat, with how many; a project lead's sessions of
this week in the region, with the seats left. Both count the session list's own rows
(`period=week`)."""

from __future__ import annotations

from django.db.models import Count, F, Sum
from django.utils.translation import ngettext

from accounts.enums import Role
from accounts.today import TodayItem, as_query, list_url

from .enums import EnrolmentStatus
from .models import Enrolment
from .views.sessions import sessions_listed


def today_items(user, scope) -> list[TodayItem]:
    items = []
    if scope.mission_locale_ids:
        params = {"period": "week", "mine": "1"}
        _form, sessions = sessions_listed(user, as_query(params))
        n = sessions.count()
        youths = (
            Enrolment.objects.filter(
                session__in=sessions.order_by().values("pk"),
                youth__advisor=user,
                status=EnrolmentStatus.CONFIRMED,
            )
            .values("youth_id")
            .distinct()
            .count()
        )
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s session cette semaine avec vos jeunes",
                    "%(n)s sessions cette semaine avec vos jeunes",
                    n,
                )
                % {"n": n},
                n,
                list_url("immersion:session_list", params),
                30,
                detail=ngettext("%(n)s jeune inscrit", "%(n)s jeunes inscrits", youths)
                % {"n": youths}
                if n
                else "",
            )
        )
    if scope.region_ids(Role.PROJECT_LEAD):
        params = {"period": "week"}
        _form, sessions = sessions_listed(user, as_query(params))
        totals = sessions.order_by().aggregate(
            n=Count("pk"), left=Sum(F("capacity") - F("confirmed_count"))
        )
        n, left = totals["n"] or 0, max(totals["left"] or 0, 0)
        items.append(
            TodayItem(
                ngettext(
                    "%(n)s session cette semaine dans la région",
                    "%(n)s sessions cette semaine dans la région",
                    n,
                )
                % {"n": n},
                n,
                list_url("immersion:session_list", params),
                30,
                detail=ngettext("%(n)s place restante", "%(n)s places restantes", left)
                % {"n": left}
                if n
                else "",
            )
        )
    return items
