"""The email of the reporting app: the monthly digest (Art. 18), built when it leaves
(see `accounts.mail`). Key: the month summed up, `YYYY-MM`; one per user and month."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.mail import Email, email_kind

from .digest import digest_context, digest_recipients
from .periods import parse_month

MONTHLY_DIGEST = "reporting.monthly_digest"


@email_kind(MONTHLY_DIGEST, _("Synthèse mensuelle des indicateurs"))
def monthly_digest_email(email) -> Email | None:
    """The key figures of each of the user's scopes for the month. Nothing when the
    user unsubscribed or lost their dashboard role since the row was made."""
    user = email.recipient
    if not digest_recipients().filter(pk=user.pk).exists():
        return None
    context = digest_context(user, parse_month(email.key))
    if not context["sections"]:
        return None
    return Email(
        to=user.email,
        template="reporting/email/monthly_digest",
        context=context,
        language=user.language,
    )
