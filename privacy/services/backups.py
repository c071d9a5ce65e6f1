"""Backing up and restoring the database with the database's own tools: SQLite's online backup
(a consistent copy while Conduct runs) and PostgreSQL's pg_dump/pg_restore. Every file is
readable by its owner only (docs/security.md)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

from conduct.lib import clock, refcache
from conduct.lib.files import OWNER_ONLY, private_file


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why."""


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def default_backup_path(alias: str = "default") -> Path:
    folder = Path(settings.BASE_DIR) / "var" / "backups"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    suffix = "sqlite3" if vendor(alias) == "sqlite" else "dump"
    return folder / f"conduct-{clock.now():%Y%m%d-%H%M%S}.{suffix}"


def _sqlite_connect(alias: str) -> sqlite3.Connection:
    # The connection's NAME, not settings': under tests it is the test database (which may be
    # a shared in-memory one, named by a URI).
    name = connections[alias].settings_dict["NAME"]
    return sqlite3.connect(name, uri=str(name).startswith("file:"))


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    db = connections[alias].settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def backup_make(*, to: Path | None = None, alias: str = "default") -> Path:
    """A consistent copy of the whole database at `to` (new, mode 0600): SQLite's online backup
    or pg_dump's custom format."""
    to = Path(to) if to else default_backup_path(alias)
    if to.exists():
        raise BackupError(f"{to} exists already: choose a new name")
    private_file(to)
    try:
        if vendor(alias) == "sqlite":
            source = _sqlite_connect(alias)
            target = sqlite3.connect(to)
            try:
                with target:
                    source.backup(target)
            finally:
                target.close()
                source.close()
        elif vendor(alias) == "postgresql":
            args, env = _pg_env(alias)
            name = connections[alias].settings_dict["NAME"]
            subprocess.run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(to), *args, name],
                env=env,
                check=True,
                capture_output=True,
            )
        else:
            raise BackupError(f"No backup for a {vendor(alias)} database")
    except (subprocess.CalledProcessError, sqlite3.Error, BackupError) as error:
        to.unlink(missing_ok=True)
        detail = getattr(error, "stderr", b"") or b""
        raise BackupError(f"Backup failed: {error} {detail.decode(errors='replace')}") from error
    os.chmod(to, OWNER_ONLY)
    return to


def backup_restore(*, source: Path, alias: str = "default") -> None:
    """Replace the whole database with the backup at `source` (everything since is lost)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup at {source}")
    connections[alias].close()
    try:
        if vendor(alias) == "sqlite":
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            live = _sqlite_connect(alias)
            try:
                backup.execute("PRAGMA schema_version").fetchone()  # is it a database at all
                with live:
                    backup.backup(live)
            finally:
                live.close()
                backup.close()
        elif vendor(alias) == "postgresql":
            args, env = _pg_env(alias)
            name = connections[alias].settings_dict["NAME"]
            subprocess.run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    name,
                    *args,
                    str(source),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        else:
            raise BackupError(f"No restore for a {vendor(alias)} database")
    except (subprocess.CalledProcessError, sqlite3.Error) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise BackupError(f"Restore failed: {error} {detail.decode(errors='replace')}") from error
    finally:
        # The database was replaced from outside Django's connections: no cached reference
        # data (the school, its calendar, roles) may outlive it.
        refcache.forget_all()
