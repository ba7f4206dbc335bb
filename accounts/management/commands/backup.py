import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from accounts.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Backs up the database and the private media (PRIVATE_MEDIA_ROOT) into a new "
        "folder portal-backup-<UTC time>/ under --output: the database dump, "
        "private-media.tar.gz and manifest.json (row count of every table, SHA-256 of "
        "every private file). Exits non-zero and leaves no complete-looking folder on "
        "failure. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            required=True,
            type=Path,
            help="folder that receives the dated backup folder (created if missing)",
        )
        parser.add_argument(
            "--lock-wait-timeout",
            type=int,
            default=120,
            metavar="SECONDS",
            help="PostgreSQL: give up when a table stays locked this long (default 120)",
        )

    def handle(self, *args, output, lock_wait_timeout, **options):
        if lock_wait_timeout < 1:
            raise CommandError("--lock-wait-timeout must be at least 1 second.")
        media_root = Path(settings.PRIVATE_MEDIA_ROOT)
        if not media_root.is_dir():
            self.stderr.write(
                f"warning: PRIVATE_MEDIA_ROOT ({media_root}) is not a folder: "
                "no private file is archived. Check the setting if files were expected."
            )
        started = time.monotonic()
        try:
            result = create_backup(
                output_dir=output,
                database=connections[DEFAULT_DB_ALIAS].settings_dict,
                media_root=media_root,
                lock_wait_timeout=lock_wait_timeout,
            )
        except BackupError as exc:
            raise CommandError(f"Backup failed, nothing was kept: {exc}") from exc
        manifest = result.manifest
        self.stdout.write(
            f"{manifest['database']['engine']} database: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {manifest['database']['size']} bytes"
        )
        self.stdout.write(
            f"private media: {len(manifest['media']['files'])} files, "
            f"{manifest['media']['size']} bytes archived"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.folder} in {time.monotonic() - started:.1f} s."
            )
        )
