"""Send the monthly digest of a given month on demand (Art. 18)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.mail import deliver_email
from reporting import services
from reporting.periods import last_complete_month, parse_month


class Command(BaseCommand):
    help = (
        "Sends the monthly indicator digest of --month YYYY-MM (the last complete month by "
        "default) to every subscribed user who has not had it yet. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="AAAA-MM, par exemple 2026-10")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue one Celery task per delivery instead of sending here.",
        )

    def handle(self, *args, month=None, queue=False, **options):
        try:
            period = parse_month(month) if month else last_complete_month(timezone.localdate())
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if period.start > timezone.localdate():
            raise CommandError("Ce mois n'est pas encore commencé.")
        ids = services.create_digest_deliveries(month=period)
        if queue:
            from accounts.tasks import send_email

            for email_id in ids:
                send_email.delay(email_id)
            self.stdout.write(f"{period.key}: {len(ids)} envois mis en file.")
            return
        # Sent here, one after the other, each within EMAIL_TIMEOUT: a refusal is
        # recorded on its row (failed at once when final) and shows to admins.
        outcomes: dict[str, int] = {}
        for email_id in ids:
            outcome = deliver_email(email_id=email_id, final_attempt=False)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        self.stdout.write(
            f"{period.key}: {outcomes.get('sent', 0)} synthèses envoyées, "
            f"{outcomes.get('retry', 0)} refusées pour l'instant (restées à envoyer), "
            f"{outcomes.get('failed', 0)} refusées définitivement, "
            f"{outcomes.get('skipped', 0)} ignorées."
        )
