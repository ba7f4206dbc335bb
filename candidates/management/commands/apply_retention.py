"""`manage.py apply_retention`: the retention rules (docs/rgpd.md), by hand."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from candidates import retention


class Command(BaseCommand):
    help = (
        "Applies the retention rules of docs/rgpd.md (candidates.retention.RULES), as the "
        "daily job does. With --dry-run, changes nothing and lists what each rule would do "
        "today: its count and the ids concerned (never a name). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what each rule would do, change nothing"
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="the day the rules run for (default: today, Europe/Paris)",
        )
        parser.add_argument(
            "--ids",
            type=int,
            default=100,
            metavar="N",
            help="dry run: list at most N ids per rule (default 100; 0 for all)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=retention.BATCH_SIZE,
            metavar="N",
            help=f"rows per transaction (default {retention.BATCH_SIZE})",
        )

    def handle(self, *args, dry_run, today, ids, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if ids < 0:
            raise CommandError("--ids must be 0 or more.")
        today = today or timezone.localdate()
        if dry_run:
            self.stdout.write(f"Dry run for {today.isoformat()}: nothing is changed.")
            for item in retention.preview(today=today, limit=ids or None):
                shown = ", ".join(str(pk) for pk in item.ids)
                more = item.count - len(item.ids)
                if more > 0:
                    shown += f" (+{more})"
                self.stdout.write(
                    f"{item.rule.key}: {item.count} — {item.rule.action}"
                    + (f"\n  ids: {shown}" if item.ids else "")
                )
            return
        done = retention.apply_rules(today=today, batch_size=batch_size)
        for key, count in done.items():
            self.stdout.write(f"{key}: {count}")
