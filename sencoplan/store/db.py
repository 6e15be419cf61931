"""Opening the database file: owner-only permissions, pragmas, migrations, checks."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from sencoplan.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The database file cannot be used: a clear message for the person at the keyboard."""


def default_db_path() -> Path:
    """$SENCOPLAN_DB, else sencoplan.db in the user's data folder."""
    override = os.environ.get("SENCOPLAN_DB")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("sencoplan", appauthor=False) / "sencoplan.db"


def _create_private(path: Path) -> None:
    """Create the file (and its folder) readable by its owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path | str) -> Database:
    """A connection for this thread, with foreign keys, WAL and a busy timeout.

    sqlite3 connections belong to the thread that made them: every worker calls this.
    The schema must already be in place (see `open_database`).
    """
    if str(path) == ":memory:":
        db = Database(memory=True)
    else:
        path = Path(path)
        if not path.exists():
            _create_private(path)
        try:
            db = Database(path)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path} is not a sencoplan database: {error}") from error
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def open_database(path: Path | str) -> Database:
    """Connect and bring the schema up to date: what the CLI and the app call first."""
    db = connect(path)
    try:
        MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(f"{path} could not be opened: {error}") from error
    return db


def schema_version(db: Database) -> str:
    """The name of the last applied migration, e.g. '0001_initial'."""
    applied = MIGRATIONS.applied(db)
    return applied[-1].name if applied else "none"


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """All or nothing, taking the write lock at the start (BEGIN IMMEDIATE).

    Taking the lock first means a read-then-write never fails half way because another
    process wrote in between; the busy timeout makes the other writer wait its turn.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        db.execute("COMMIT")


@dataclass(frozen=True)
class DatabaseCheck:
    integrity: list[str]
    foreign_key_problems: list[tuple[str, int, str]]
    schema: str
    pending_migrations: list[str]

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.foreign_key_problems


def check_database(db: Database) -> DatabaseCheck:
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    problems = [
        (str(row[0]), int(row[1] or 0), str(row[2]))
        for row in db.execute("PRAGMA foreign_key_check").fetchall()
    ]
    return DatabaseCheck(
        integrity=integrity,
        foreign_key_problems=problems,
        schema=schema_version(db),
        pending_migrations=[m.name for m in MIGRATIONS.pending(db)],
    )
