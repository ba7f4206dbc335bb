"""Backups of the portal that can be proven to restore.

A backup is one folder, `portal-backup-<UTC time>/`, holding:

- the database: `database.dump` (PostgreSQL, `pg_dump --format=custom`) or
  `database.sqlite3` (SQLite, the embedded default, copied with sqlite3's online backup);
- `private-media.tar.gz`: everything under PRIVATE_MEDIA_ROOT (committee documents,
  annual-review PDFs);
- `manifest.json`: the portal's version and commit, the date, the engine, the row count
  of every table and the SHA-256 of every private file, plus the checksum of the two
  files above.

The folder is written under a `.partial-*` name and renamed only once everything,
manifest last, is on disk: a folder named `portal-backup-*` is complete. A restore goes
into an empty database and an empty folder, then is compared with the manifest, so
"the backup restores" is checked rather than hoped.

The commands `manage.py backup` and `manage.py restore_backup` are thin shells around
`create_backup`, `restore_backup` and `compare_restore`; docs/operations.md gives the
procedure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from psycopg import sql

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "private-media.tar.gz"
POSTGRESQL = "postgresql"
SQLITE = "sqlite"
DATABASE_FILES = {POSTGRESQL: "database.dump", SQLITE: "database.sqlite3"}
FOLDER_PREFIX = "portal-backup-"
PARTIAL_PREFIX = ".partial-"
ENGINES = {
    "django.db.backends.postgresql": POSTGRESQL,
    "django.db.backends.sqlite3": SQLITE,
}
# Connection options of DATABASE_URL that libpq understands, and the environment
# variable that carries each to pg_dump / pg_restore. Secrets never go on a command
# line, where `ps` shows them to every user of the host.
LIBPQ_ENVIRONMENT = {
    "dbname": "PGDATABASE",
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Difference:
    """One table or file whose restored state differs from the manifest."""

    kind: str  # "table" or "file"
    name: str
    expected: str
    found: str


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    manifest: dict


# --- Backing up -----------------------------------------------------------------------


def create_backup(
    *,
    output_dir: Path,
    database: dict,
    media_root: Path,
    lock_wait_timeout: int,
) -> BackupResult:
    """Write a complete backup folder under `output_dir`, or nothing that looks like one.

    The database goes first, then the files: a document uploaded in between leaves at
    most a file no row points to, never a row whose file is missing. On PostgreSQL the
    row counts are read in the very snapshot pg_dump exports, so they describe the dump
    exactly even while the portal runs. Everything is written under a `.partial-*` name
    (mode 0700) and renamed at the end; any failure removes it and raises BackupError.
    """
    engine = engine_of(database)
    output_dir = Path(output_dir).resolve()
    media_root = Path(media_root).resolve()
    if output_dir == media_root or output_dir.is_relative_to(media_root):
        raise BackupError(
            f"the output folder {output_dir} is inside PRIVATE_MEDIA_ROOT ({media_root}): "
            "each backup would archive the previous ones. Choose a folder outside it."
        )
    created_at = datetime.now(UTC).replace(microsecond=0)
    final = output_dir / f"{FOLDER_PREFIX}{created_at:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} already exists: wait a second and run the backup again.")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{final.name}-", dir=output_dir))
    except OSError as exc:
        raise BackupError(f"cannot write into {output_dir}: {exc}") from exc
    complete = False
    try:
        database_file = partial / DATABASE_FILES[engine]
        if engine == POSTGRESQL:
            tables, server_version = _dump_postgresql(database, database_file, lock_wait_timeout)
        else:
            tables, server_version = _dump_sqlite(database, database_file)
        archive = partial / MEDIA_ARCHIVE
        files = _archive_media(media_root, archive)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "portal": {"version": _portal_version(), "commit": _portal_commit()},
            "database": {
                "engine": engine,
                "name": Path(str(database["NAME"])).name if engine == SQLITE else database["NAME"],
                "server_version": server_version,
                "file": database_file.name,
                "sha256": _sha256_of(database_file),
                "size": database_file.stat().st_size,
            },
            "tables": tables,
            "media": {
                "file": archive.name,
                "sha256": _sha256_of(archive),
                "size": archive.stat().st_size,
                "files": files,
            },
        }
        manifest_path = partial / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        for path in (database_file, archive, manifest_path):
            path.chmod(0o600)
            _fsync(path)
        partial.rename(final)
        complete = True
        _fsync(output_dir)
    except OSError as exc:
        # A full disk, a permission, a private file that vanished while being archived.
        raise BackupError(f"cannot write the backup: {exc}") from exc
    finally:
        if not complete:
            shutil.rmtree(partial, ignore_errors=True)
    return BackupResult(folder=final, manifest=manifest)


def _dump_postgresql(database: dict, target: Path, lock_wait_timeout: int):
    pg_dump = _client_tool("pg_dump")
    params = _libpq_params(database)
    try:
        with _connect(params) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.cursor() as cursor:
                # The first statement fixes the transaction's snapshot; pg_dump reads
                # the same one, so the counts below are the dump's.
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        "--no-password",
                        f"--snapshot={snapshot}",
                        f"--lock-wait-timeout={lock_wait_timeout * 1000}",
                        f"--file={target}",
                    ],
                    params,
                    what="pg_dump",
                )
                cursor.execute(
                    sql.SQL("SET LOCAL lock_timeout = {}").format(
                        sql.Literal(f"{lock_wait_timeout}s")
                    )
                )
                tables = _postgresql_row_counts(cursor)
            conn.rollback()
    except psycopg.Error as exc:
        raise BackupError(f"cannot read the database {database['NAME']!r}: {exc}") from exc
    return tables, server_version


def _dump_sqlite(database: dict, target: Path):
    name = str(database.get("NAME") or "")
    source = Path(name)
    if not name or name == ":memory:" or not source.is_file():
        raise BackupError(f"the SQLite database {name!r} is not a file that exists.")
    try:
        # Read-only: a wrong path never creates an empty database to back up.
        with closing(sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)) as src:
            with closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
                # Some CHECK constraints call functions only Django's connection defines
                # (django_date_extract): check pages, indexes and uniqueness, not those.
                dst.execute("PRAGMA ignore_check_constraints = ON")
                check = dst.execute("PRAGMA integrity_check").fetchone()[0]
                if check != "ok":
                    raise BackupError(f"the SQLite copy fails its integrity check: {check}")
                tables = _sqlite_row_counts(dst)
                version = dst.execute("SELECT sqlite_version()").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy the SQLite database {name!r}: {exc}") from exc
    return tables, version


def _archive_media(media_root: Path, archive: Path) -> dict[str, str]:
    """Archive every regular file and folder under media_root; return each file's SHA-256
    as read back from the archive, so the manifest describes what was archived."""
    with tarfile.open(archive, "w:gz") as tar:
        for relative in _walk(media_root, include_dirs=True):
            tar.add(media_root / relative, arcname=relative, recursive=False)
    checksums = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.isfile():
                checksums[member.name] = _sha256_stream(tar.extractfile(member))
    return checksums


# --- Restoring ------------------------------------------------------------------------


def read_manifest(backup_dir: Path) -> dict:
    """The manifest of a complete backup whose two files still match their checksums."""
    backup_dir = Path(backup_dir)
    manifest_path = backup_dir / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(
            f"{backup_dir} has no {MANIFEST}: it is not a complete backup "
            f"(an interrupted backup leaves only a {PARTIAL_PREFIX}* folder)."
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{manifest_path} cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path} has format {manifest.get('format')!r}, not {FORMAT}.")
    for part in (manifest["database"], manifest["media"]):
        path = backup_dir / part["file"]
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup.")
        if _sha256_of(path) != part["sha256"]:
            raise BackupError(f"{path} does not match its checksum in the manifest: damaged copy.")
    return manifest


def restore_backup(*, backup_dir: Path, database: dict, media_root: Path) -> dict:
    """Restore a backup into an empty database and an empty folder; return its manifest.

    Refuses a database that holds any table and a folder that holds any file, so a
    mistyped URL can never overwrite the live portal. PostgreSQL: `pg_restore --no-owner
    --no-acl` in one transaction that stops at the first error, so a failed restore
    leaves the database empty. The media archive is extracted with tarfile's "data"
    filter (no absolute path, no `..`, no link leaving the folder, no device file).
    """
    backup_dir = Path(backup_dir)
    manifest = read_manifest(backup_dir)
    engine = engine_of(database)
    if engine != manifest["database"]["engine"]:
        raise BackupError(
            f"the backup holds a {manifest['database']['engine']} database; "
            f"--database-url points to {engine}."
        )
    media_root = Path(media_root)
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise BackupError(
            f"{media_root} is not an empty folder: restore the media into an empty one."
        )
    dump = backup_dir / manifest["database"]["file"]
    if engine == POSTGRESQL:
        pg_restore = _client_tool("pg_restore")
        _refuse_non_empty_postgresql(database)
        params = _libpq_params(database)
        _run(
            [
                pg_restore,
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={database['NAME']}",
                str(dump),
            ],
            params,
            what="pg_restore",
        )
    else:
        target = Path(str(database.get("NAME") or ""))
        _refuse_non_empty_sqlite(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with closing(sqlite3.connect(dump.resolve().as_uri() + "?mode=ro", uri=True)) as src:
                with closing(sqlite3.connect(target)) as dst:
                    src.backup(dst)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot restore into {target}: {exc}") from exc
    try:
        media_root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tarfile.open(backup_dir / manifest["media"]["file"], "r:gz") as tar:
            tar.extractall(media_root, filter="data")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(
            f"the database is restored but the private media could not be: {exc}"
        ) from exc
    return manifest


def compare_restore(*, manifest: dict, database: dict, media_root: Path) -> list[Difference]:
    """Every table whose row count and every private file whose SHA-256 differs from the
    manifest, including tables and files missing on either side."""
    if engine_of(database) == POSTGRESQL:
        try:
            with _connect(_libpq_params(database)) as conn:
                with conn.cursor() as cursor:
                    found_tables = _postgresql_row_counts(cursor)
        except psycopg.Error as exc:
            raise BackupError(f"cannot read the restored database: {exc}") from exc
    else:
        target = Path(str(database.get("NAME") or ""))
        if not target.is_file():
            raise BackupError(f"the restored SQLite database {target} does not exist.")
        try:
            with closing(sqlite3.connect(target.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
                found_tables = _sqlite_row_counts(conn)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot read the restored database {target}: {exc}") from exc
    media_root = Path(media_root)
    found_files = {relative: _sha256_of(media_root / relative) for relative in _walk(media_root)}
    absent = "absent"
    differences = []
    expected_tables = manifest["tables"]
    for name in sorted(expected_tables.keys() | found_tables.keys()):
        expected, found = expected_tables.get(name), found_tables.get(name)
        if expected != found:
            differences.append(
                Difference(
                    "table",
                    name,
                    absent if expected is None else str(expected),
                    absent if found is None else str(found),
                )
            )
    expected_files = manifest["media"]["files"]
    for name in sorted(expected_files.keys() | found_files.keys()):
        expected, found = expected_files.get(name), found_files.get(name)
        if expected != found:
            differences.append(
                Difference(
                    "file",
                    name,
                    absent if expected is None else f"sha256:{expected[:12]}",
                    absent if found is None else f"sha256:{found[:12]}",
                )
            )
    return differences


def _refuse_non_empty_postgresql(database: dict) -> None:
    try:
        with _connect(_libpq_params(database)) as conn:
            relations = conn.execute(
                """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                """
            ).fetchone()[0]
    except psycopg.Error as exc:
        raise BackupError(
            f"cannot connect to the target database {database['NAME']!r} "
            f"(create it first, empty): {exc}"
        ) from exc
    if relations:
        raise BackupError(
            f"the target database {database['NAME']!r} is not empty ({relations} tables, "
            "views or sequences): restore only into a new, empty database."
        )


def _refuse_non_empty_sqlite(target: Path) -> None:
    if not str(target) or str(target) == ":memory:":
        raise BackupError("--database-url must name a SQLite file.")
    if not target.exists():
        return
    try:
        with closing(sqlite3.connect(target.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            tables = _sqlite_row_counts(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{target} is not a SQLite database: {exc}") from exc
    if tables:
        raise BackupError(
            f"the target database {target} is not empty: restore only into a new file."
        )


# --- Shared helpers ---------------------------------------------------------------------


def engine_of(database: dict) -> str:
    try:
        return ENGINES[database.get("ENGINE")]
    except KeyError:
        raise BackupError(f"database engine {database.get('ENGINE')!r} is not supported.") from None


def _postgresql_row_counts(cursor) -> dict[str, int]:
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2
        """
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = cursor.fetchone()[0]
    return counts


def _sqlite_row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: conn.execute(f"SELECT count(*) FROM {quoted[name]}").fetchone()[0]  # noqa: S608 (quoted names read from sqlite_master)
        for name in names
    }


def _libpq_params(database: dict) -> dict[str, str]:
    """libpq keywords for psycopg, from a Django database settings dict."""
    params = {
        "dbname": database.get("NAME"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENVIRONMENT:
            params[key] = value
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _connect(params: dict[str, str]) -> psycopg.Connection:
    return psycopg.connect(**{"connect_timeout": "30", **params})


def _run(command: list[str], params: dict[str, str], *, what: str) -> None:
    """Run a PostgreSQL client tool with the connection in its environment only."""
    environment = {**os.environ}
    for key, value in params.items():
        environment[LIBPQ_ENVIRONMENT[key]] = value
    # No shell; the tool is the absolute path shutil.which found, the arguments are ours.
    result = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or "no message"
        raise BackupError(f"{what} failed (exit code {result.returncode}): {detail}")


def _client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools of the "
            "server's major version or newer (Debian 12: apt-get install postgresql-client-15)."
        )
    return path


def _walk(root: Path, *, include_dirs: bool = False) -> Iterator[str]:
    """Paths under root, relative and sorted: regular files (and folders if asked).
    Symbolic links are never followed nor archived."""
    if not root.is_dir():
        return
    for current, dirnames, filenames in os.walk(root):
        here = Path(current)
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
        if include_dirs and here != root:
            yield here.relative_to(root).as_posix()
        for filename in sorted(filenames):
            path = here / filename
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix()


def _sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return _sha256_stream(handle)


def _sha256_stream(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _portal_version() -> str | None:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def _portal_commit() -> str | None:
    """The checkout's commit when the portal runs from git (an image has no .git)."""
    git = shutil.which("git")
    if git is None or not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None
