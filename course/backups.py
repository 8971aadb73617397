"""Backups of Duet's database that restore, on either database it runs on.

- SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a
  consistent snapshot page by page while the site and the workers keep writing; the
  backup is itself an SQLite file.
- PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot in one transaction),
  restored with ``pg_restore`` into an empty database.

A restore only ever goes into an empty database: it never overwrites what is there.
Uploaded lesson images (MEDIA_ROOT) are files, backed up beside it (docs/deploy.md).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    """The backup or restore could not be made; the message says why, in words."""


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db["USER"]), "--dbname", str(db["NAME"])]
    return args, {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}


def _run(argv: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{argv[0]} is missing: install PostgreSQL's client (apt-get install postgresql-client)"
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-1500:]}")


def _sqlite_copy(source: sqlite3.Connection, path: Path) -> None:
    """SQLite's online backup of ``source`` into the file at ``path``; closes both."""
    target = sqlite3.connect(path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def database_backup(*, path: Path) -> str:
    """Write a consistent backup of the database to ``path`` (which must not exist);
    returns what kind of backup it is."""
    if path.exists():
        raise BackupError(f"{path} exists: a backup never overwrites a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        _sqlite_copy(sqlite3.connect(_sqlite_path()), path)
        os.chmod(path, 0o600)
        return "SQLite online backup"
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        # The dump is made with the usual umask otherwise: it holds password hashes.
        old = os.umask(0o077)
        try:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env)
        finally:
            os.umask(old)
        return "pg_dump, custom format"
    raise BackupError(f"backups of {connection.vendor} are not supported")


def _is_empty() -> bool:
    return not connection.introspection.table_names()


def database_restore(*, path: Path) -> str:
    """Restore the backup at ``path`` into this (empty) database."""
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}")
    if not _is_empty():
        raise BackupError(
            "the database is not empty: a restore goes into an empty database only "
            "(create a new one and point DATABASE_URL at it)"
        )
    if connection.vendor == "sqlite":
        connection.close()
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not an SQLite backup: {exc}") from None
        _sqlite_copy(source, _sqlite_path())
        return "SQLite backup restored"
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", *args, str(path)], env)
        return "pg_dump restored with pg_restore"
    raise BackupError(f"restores into {connection.vendor} are not supported")
