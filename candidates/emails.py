"""The emails of the candidate pool (see `accounts.mail`): the notice that files are
about to be anonymised for want of activity (`retention`). Its key is
"<mission locale id>:<day of the notice>"; it is built when it leaves, from the files
still waiting then (one with activity since is no longer listed)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.mail import Email, absolute_url, email_kind, email_to_recipient
from accounts.models import Membership

RETENTION_NOTICE = "candidates.retention_notice"


@email_kind(RETENTION_NOTICE, _("Dossiers bientôt anonymisés faute d'activité"))
def retention_notice_email(email) -> Email | None:
    """Tell an advisor the files of theirs, and a manager every file of the mission
    locale, noticed that day and still without activity: each will be anonymised 30
    days after the notice unless something is recorded on it before."""
    from .retention import NOTICE_DAYS, notice_cutoff, youths_inactive_since

    mission_locale_id, day = email.key.split(":")
    day = datetime.date.fromisoformat(day)
    youths = (
        youths_inactive_since(notice_cutoff(day))
        .filter(mission_locale_id=int(mission_locale_id), retention_notice_on=day)
        .select_related("advisor")
        .order_by("last_name", "first_name", "pk")
    )
    is_manager = Membership.objects.filter(
        user=email.recipient,
        organisation_id=int(mission_locale_id),
        role=Role.ML_MANAGER,
        is_active=True,
    ).exists()
    if not is_manager:
        youths = youths.filter(advisor=email.recipient)
    files = [
        {"youth": youth, "url": absolute_url(reverse("candidates:youth_detail", args=[youth.pk]))}
        for youth in youths
    ]
    if not files:
        return None
    return email_to_recipient(
        email,
        template="candidates/email/retention_notice",
        context={
            "files": files,
            "notice_on": day,
            "anonymise_on": day + datetime.timedelta(days=NOTICE_DAYS),
            "is_manager": is_manager,
        },
    )
