"""The youth's space on the advisor's home (accounts/today.py): the answers youths gave
to their sessions since yesterday, counted through the list the counter links to."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from accounts.today import TodayItem, list_url

from .models import SessionAnswer


def since_yesterday() -> datetime:
    """Yesterday at midnight, Europe/Paris."""
    yesterday = timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(yesterday, time.min))


def answers_since_yesterday(user):
    """The answers of the youths of the user's missions locales since yesterday (the
    list `views.answers` shows); None for a user who follows no youth."""
    from accounts.scope import get_scope

    scope = get_scope(user)
    if not (scope.is_admin or scope.mission_locale_ids):
        return None
    return SessionAnswer.objects.of_mission_locales(user).since(since_yesterday())


def today_items(user, scope) -> list[TodayItem]:
    if not scope.mission_locale_ids:
        return []
    n = answers_since_yesterday(user).count()
    return [
        TodayItem(
            ngettext(
                "%(n)s réponse de jeune depuis hier",
                "%(n)s réponses de jeunes depuis hier",
                n,
            )
            % {"n": n},
            n,
            list_url("youthspace:answers"),
            15,
        )
    ]
