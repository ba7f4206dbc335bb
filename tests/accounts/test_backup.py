"""Backups that restore (issue 13, item 8).

The PostgreSQL tests dump the seeded demo data with the real pg_dump, restore it with the
real pg_restore into a database created for the test, and compare every table's row
count and every private file's bytes with the live ones, not only with the manifest.
The SQLite test runs `manage.py` as an operator would, on a database of its own, so it
runs whatever the suite's database is.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from tests.conftest import skip_or_fail
from tests.helpers import run_manage

TAMPERED_TABLE = "accounts_membership"


def _require_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail(
            "the pg_dump / pg_restore tests need PostgreSQL (DATABASE_URL); "
            "the SQLite backup is tested below"
        )


def _server(dbname: str) -> dict:
    db = connection.settings_dict
    return {
        "dbname": dbname,
        "host": db.get("HOST") or "127.0.0.1",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


def _url(dbname: str) -> str:
    s = _server(dbname)
    password = f":{quote(s['password'], safe='')}" if s["password"] else ""
    return f"postgres://{quote(s['user'], safe='')}{password}@{s['host']}:{s['port']}/{dbname}"


@pytest.fixture
def new_database():
    """A brand-new, empty database on the same server, dropped at the end."""
    _require_postgresql()
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**_server("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(**_server("postgres"), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _live_row_counts() -> dict[str, int]:
    """Every table of the test database, counted through Django's own connection."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _restored_row_counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(**_server(dbname)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _write_private_files(root: Path) -> dict[str, bytes]:
    """A text file, a file in nested folders, a binary file with every byte value, an
    accented name and an empty file, as uploads and generated PDFs would be."""
    files = {
        "lisez-moi.txt": "Procès-verbal du comité de pilotage\n".encode(),
        "committees/2026/12/ordre-du-jour.pdf": b"%PDF-1.7\n" + b"x" * 5000 + b"\n%%EOF\n",
        "reporting/reviews/binaire.bin": bytes(range(256)) * 64 + os.urandom(4096),
        "committees/2026/12/compte rendu é.docx": b"PK\x03\x04" + os.urandom(2048),
        "vide.txt": b"",
    }
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def _files_under(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _only_backup(output: Path) -> Path:
    entries = list(output.iterdir())
    assert len(entries) == 1, entries
    assert entries[0].name.startswith("portal-backup-")
    return entries[0]


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_seeded_postgresql_backup_restores_every_row_and_file(
    settings, tmp_path, new_database, tasks_in_process
):
    media = settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo", stdout=io.StringIO())
    written = _write_private_files(media)
    live_files = _files_under(media)
    # The seed renders an annual-review PDF and attaches a committee document.
    assert len(live_files) > len(written)
    live_counts = _live_row_counts()
    assert live_counts[TAMPERED_TABLE] > 0
    assert sum(1 for count in live_counts.values() if count) > 20

    output = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=output)
    folder = _only_backup(tmp_path / "backups")
    assert f"Backup written to {folder}" in output.getvalue()
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.dump",
        "manifest.json",
        "private-media.tar.gz",
    ]
    assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert (folder.stat().st_mode & 0o777) == 0o700
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["engine"] == "postgresql"
    assert manifest["portal"]["version"]
    assert manifest["tables"] == live_counts
    assert manifest["media"]["files"] == {
        name: _sha256(content) for name, content in live_files.items()
    }

    restored_media = tmp_path / "restored"
    output = io.StringIO()
    call_command(
        "restore_backup",
        str(folder),
        database_url=_url(new_database),
        media_root=restored_media,
        stdout=output,
    )
    assert f"all {len(live_counts)} tables" in output.getvalue()
    assert f"all {len(live_files)} private files match" in output.getvalue()
    # Checked here without the command's own comparison.
    assert _restored_row_counts(new_database) == live_counts
    assert _files_under(restored_media) == live_files

    # A row lost and a file changed after the restore: both reported, non-zero exit.
    with psycopg.connect(**_server(new_database)) as conn:
        conn.execute(
            sql.SQL("DELETE FROM {table} WHERE id = (SELECT min(id) FROM {table})").format(
                table=sql.Identifier(TAMPERED_TABLE)
            )
        )
    (restored_media / "reporting/reviews/binaire.bin").write_bytes(b"altered")
    output = io.StringIO()
    with pytest.raises(CommandError, match="2 difference"):
        call_command(
            "restore_backup",
            str(folder),
            database_url=_url(new_database),
            media_root=restored_media,
            check_only=True,
            stdout=output,
        )
    lines = output.getvalue().splitlines()
    table_line = next(line for line in lines if TAMPERED_TABLE in line).split()
    assert table_line == [
        "table",
        TAMPERED_TABLE,
        str(live_counts[TAMPERED_TABLE]),
        str(live_counts[TAMPERED_TABLE] - 1),
    ]
    file_line = next(line for line in lines if "binaire.bin" in line).split()
    assert file_line[0] == "file"
    assert file_line[2] == f"sha256:{_sha256(written['reporting/reviews/binaire.bin'])[:12]}"
    assert file_line[3] == f"sha256:{_sha256(b'altered')[:12]}"


@pytest.mark.django_db
def test_a_restore_refuses_a_database_or_folder_that_is_not_empty(settings, tmp_path, new_database):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _write_private_files(settings.PRIVATE_MEDIA_ROOT)
    call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    folder = _only_backup(tmp_path / "backups")

    # The live database (a mistyped URL) is never written to.
    before = _live_row_counts()
    with pytest.raises(CommandError, match="is not empty"):
        call_command(
            "restore_backup",
            str(folder),
            database_url=_url(connection.settings_dict["NAME"]),
            media_root=tmp_path / "restored",
            stdout=io.StringIO(),
        )
    assert _live_row_counts() == before
    assert not (tmp_path / "restored").exists()

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("already here")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command(
            "restore_backup",
            str(folder),
            database_url=_url(new_database),
            media_root=occupied,
            stdout=io.StringIO(),
        )
    assert _files_under(occupied) == {"keep.txt": b"already here"}
    assert _restored_row_counts(new_database) == {}

    # A damaged copy is refused before anything is restored.
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command(
            "restore_backup",
            str(folder),
            database_url=_url(new_database),
            media_root=tmp_path / "restored",
            stdout=io.StringIO(),
        )
    assert _restored_row_counts(new_database) == {}


@pytest.mark.django_db
def test_the_backup_refuses_clearly_without_pg_dump(settings, tmp_path, monkeypatch):
    _require_postgresql()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    monkeypatch.setenv("PATH", str(empty_path))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH: install"):
        call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db
def test_a_failing_pg_dump_leaves_nothing_that_looks_like_a_backup(settings, tmp_path):
    """A migration holding a table locked: pg_dump gives up after --lock-wait-timeout
    instead of hanging, the command exits non-zero and the half-written folder goes."""
    _require_postgresql()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _write_private_files(settings.PRIVATE_MEDIA_ROOT)
    with psycopg.connect(**_server(connection.settings_dict["NAME"])) as locker:
        locker.execute("LOCK TABLE accounts_region IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(CommandError, match=r"pg_dump failed \(exit code 1\).*timeout") as error:
            call_command(
                "backup",
                output=tmp_path / "backups",
                lock_wait_timeout=1,
                stdout=io.StringIO(),
            )
        locker.rollback()
    assert "LOCK TABLE public.accounts_region" in str(error.value)
    assert list((tmp_path / "backups").iterdir()) == []


# --- SQLite, the embedded default -----------------------------------------------------


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }


def test_the_sqlite_backup_is_a_valid_copy_whose_counts_match_and_restores(tmp_path):
    source = tmp_path / "portal.sqlite3"
    media = tmp_path / "private"
    written = _write_private_files(media)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_URL", "CACHE_REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{source}",
        PRIVATE_MEDIA_ROOT=str(media),
        DEBUG="true",
        CONVENTION_PORTAL_IGNORE_DOTENV="1",
    )
    # The accounts app and what it depends on: real tables from real migrations, in a
    # third of the time of every app's.
    migrated = run_manage("migrate", "accounts", "--noinput", env=env, timeout=600)
    assert migrated.returncode == 0, migrated.stderr
    with sqlite3.connect(source) as conn:
        conn.executemany(
            "INSERT INTO accounts_region (code, name) VALUES (?, ?)",
            [(f"R{i:02d}", f"Région {i}") for i in range(12)],
        )
    source_counts = _sqlite_counts(source)
    assert source_counts["accounts_region"] == 12

    done = run_manage("backup", "--output", str(tmp_path / "backups"), env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    folder = _only_backup(tmp_path / "backups")
    copy = folder / "database.sqlite3"
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["tables"] == source_counts == _sqlite_counts(copy)
    assert manifest["media"]["files"] == {name: _sha256(data) for name, data in written.items()}

    target = tmp_path / "restored" / "portal.sqlite3"
    url = f"sqlite:///{target}"
    restored = run_manage(
        "restore_backup", str(folder), "--database-url", url, "--media-root",
        str(tmp_path / "restored-media"), env=env, timeout=600,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert "match the manifest" in restored.stdout
    assert _sqlite_counts(target) == source_counts
    assert _files_under(tmp_path / "restored-media") == written

    with sqlite3.connect(target) as conn:
        conn.execute("DELETE FROM accounts_region WHERE code = 'R03'")
    checked = run_manage(
        "restore_backup", str(folder), "--database-url", url, "--media-root",
        str(tmp_path / "restored-media"), "--check-only", env=env, timeout=600,
    )  # fmt: skip
    assert checked.returncode == 1
    assert "1 difference(s)" in checked.stderr
    assert ["table", "accounts_region", "12", "11"] in [
        line.split() for line in checked.stdout.splitlines()
    ]


def test_a_backup_into_the_private_media_is_refused(settings, tmp_path):
    """Each backup would archive every earlier one: refused before anything is read."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with pytest.raises(CommandError, match="inside PRIVATE_MEDIA_ROOT"):
        call_command("backup", output=settings.PRIVATE_MEDIA_ROOT / "backups", stdout=io.StringIO())
    assert not (settings.PRIVATE_MEDIA_ROOT / "backups").exists()


@pytest.mark.django_db
def test_the_password_reaches_pg_dump_through_its_environment_only(settings, tmp_path, monkeypatch):
    """`ps` shows every command line to every user of the host: the password goes in
    PGPASSWORD. A stand-in pg_dump records what it was given, then fails like a real
    one would: the command exits non-zero with its message and keeps nothing."""
    _require_postgresql()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    record = tmp_path / "record"
    record.mkdir()
    tools = tmp_path / "bin"
    tools.mkdir()
    stand_in = tools / "pg_dump"
    stand_in.write_text(
        "#!/bin/sh\n"
        'printf "%s\\n" "$@" > "$BACKUP_TEST_RECORD/args"\n'
        'printf "%s" "$PGPASSWORD|$PGDATABASE|$PGHOST|$PGUSER" > "$BACKUP_TEST_RECORD/env"\n'
        'echo "pg_dump: error: connection refused" >&2\n'
        "exit 3\n"
    )
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("BACKUP_TEST_RECORD", str(record))
    password = "mot-de-passe-secret-42"
    # Trust authentication here accepts any password; the command must still pass it on.
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", password)

    with pytest.raises(CommandError, match="pg_dump failed .exit code 3.: pg_dump: error"):
        call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())

    arguments = (record / "args").read_text()
    assert "--format=custom" in arguments
    assert password not in arguments
    assert connection.settings_dict["NAME"] not in arguments
    db = connection.settings_dict
    assert (record / "env").read_text() == (
        f"{password}|{db['NAME']}|{db.get('HOST') or ''}|{db.get('USER') or ''}"
    )
    assert list((tmp_path / "backups").iterdir()) == []
