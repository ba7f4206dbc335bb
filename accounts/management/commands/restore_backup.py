import time
import warnings
from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError

from accounts.backups import (
    ENGINES,
    BackupError,
    compare_restore,
    read_manifest,
    restore_backup,
)


class Command(BaseCommand):
    help = (
        "Restores a backup folder written by `manage.py backup` into an EMPTY database "
        "(--database-url) and an EMPTY folder (--media-root), then checks the restore: "
        "every table's row count and every private file's SHA-256 against the manifest. "
        "Prints the differences and exits non-zero if there is any. --check-only compares "
        "an earlier restore without restoring. See docs/operations.md."
    )
    # Never needs the live portal's database: it may run before that one exists.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="a portal-backup-<time> folder")
        parser.add_argument(
            "--database-url",
            required=True,
            help="the new, empty database, e.g. postgres://user:pass@host:5432/portail_restored",
        )
        parser.add_argument(
            "--media-root",
            required=True,
            type=Path,
            help="the new, empty folder that becomes PRIVATE_MEDIA_ROOT",
        )
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="do not restore: only compare the database and folder with the manifest",
        )

    def handle(self, *args, backup, database_url, media_root, check_only, **options):
        started = time.monotonic()
        with warnings.catch_warnings():
            # django-environ warns and returns a partial dict on a URL it cannot read;
            # the check below says what is expected instead.
            warnings.simplefilter("ignore")
            database = environ.Env.db_url_config(database_url)
        if database.get("ENGINE") not in ENGINES or not database.get("NAME"):
            raise CommandError(
                "--database-url must look like postgres://user:password@host:5432/name "
                "or sqlite:////absolute/path/to/file.sqlite3"
            )
        try:
            if check_only:
                manifest = read_manifest(backup)
            else:
                manifest = restore_backup(
                    backup_dir=backup, database=database, media_root=media_root
                )
                self.stdout.write(
                    f"Restored {backup} into the database {database['NAME']!r} "
                    f"and {media_root} in {time.monotonic() - started:.1f} s."
                )
            differences = compare_restore(
                manifest=manifest, database=database, media_root=media_root
            )
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        tables, files = len(manifest["tables"]), len(manifest["media"]["files"])
        if differences:
            width = max(len(d.name) for d in differences)
            self.stdout.write(f"{'kind':<6} {'name':<{width}} {'expected':<20} found")
            for d in differences:
                self.stdout.write(f"{d.kind:<6} {d.name:<{width}} {d.expected:<20} {d.found}")
            raise CommandError(
                f"Restore check failed: {len(differences)} difference(s) with the manifest "
                f"of {backup} ({tables} tables, {files} files expected)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore checked: the row counts of all {tables} tables and the SHA-256 of "
                f"all {files} private files match the manifest "
                f"({time.monotonic() - started:.1f} s in all)."
            )
        )
