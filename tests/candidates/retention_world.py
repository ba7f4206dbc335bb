"""The world of the retention tests: a mission locale whose youths were last seen on
10 January 2024, and the days the rules act on them (candidates.retention)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.enums import Role
from tests.accounts.factories import make_member

from .factories import YouthFactory

PARIS = ZoneInfo("Europe/Paris")
d = datetime.date


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), PARIS), tick=False
    )


# Everything happened on 10 January 2024. The notice goes on 12 December 2025, the
# first day with no activity in the last 24 months less 30 days; the anonymisation 30
# days later, on 11 January 2026, the first day with none in the last 24 months.
LAST_ACTIVITY = d(2024, 1, 10)
NOTICE_DAY = d(2025, 12, 12)
ANONYMISATION_DAY = d(2026, 1, 11)


def make_team() -> dict:
    """Three youths last seen on LAST_ACTIVITY (two of Claire's, one of her
    colleague's), one followed since July 2024, and the mission locale's manager."""
    with at(LAST_ACTIVITY):
        advisor = make_member(Role.ADVISOR, first_name="Claire", last_name="Conseil")
        ml = advisor.memberships.get().organisation
        manager = make_member(Role.ML_MANAGER, organisation=ml)
        other_advisor = make_member(Role.ADVISOR, organisation=ml)
        quiet = YouthFactory(
            mission_locale=ml,
            advisor=advisor,
            first_name="Zéphyrine",
            last_name="Oudinot",
            registered_on=LAST_ACTIVITY,
        )
        returning = YouthFactory(
            mission_locale=ml,
            advisor=advisor,
            first_name="Mathis",
            last_name="Revenu",
            registered_on=LAST_ACTIVITY,
        )
        colleague_s = YouthFactory(
            mission_locale=ml, advisor=other_advisor, registered_on=LAST_ACTIVITY
        )
    with at(d(2024, 7, 10)):
        followed = YouthFactory(mission_locale=ml, advisor=advisor, registered_on=d(2024, 7, 10))
    return {
        "advisor": advisor,
        "manager": manager,
        "other_advisor": other_advisor,
        "ml": ml,
        "quiet": quiet,
        "returning": returning,
        "colleague_s": colleague_s,
        "followed": followed,
    }
