"""Opening the database file: owner-only permissions, pragmas, migrations, checks."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from sencoplan.store import engine
from sencoplan.store.migrations import MIGRATIONS
from sencoplan.store.schema import newer_migrations, schema_problems

BUSY_TIMEOUT_MS = 5000

_DISK_OR_DATABASE: tuple[type[Exception], ...] = (*engine.DatabaseError, OSError)


class StoreError(Exception):
    """The database file cannot be used: a clear message for the person at the keyboard."""


def _data_folder() -> Path:
    """The user's data folder for sencoplan (on Linux ~/.local/share/sencoplan)."""
    from platformdirs import user_data_path

    return user_data_path("sencoplan", appauthor=False)


def default_db_path() -> Path:
    """$SENCOPLAN_DB, else sencoplan.db in the user's data folder."""
    override = os.environ.get("SENCOPLAN_DB")
    if override:
        return Path(override).expanduser()
    return _data_folder() / "sencoplan.db"


def demo_db_path() -> Path:
    """demo.db in the user's data folder: never the user's own database, so $SENCOPLAN_DB
    is not consulted (building the demo replaces the file)."""
    return _data_folder() / "demo.db"


def _create_private(path: Path) -> None:
    """Create the file (and its folder) readable by its owner only, before SQLite opens it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except OSError as error:
        raise StoreError(cannot_create(path, error)) from None


def cannot_create(path: Path, error: OSError, *, in_folder: bool = False) -> str:
    """Why a new file could not be made, in words that say what to do (`in_folder`: name
    the folder, for a temporary file the user never named)."""
    reason = error.strerror or str(error)
    what = f"no file can be created in {path.parent}" if in_folder else f"{path} cannot be created"
    return (
        f"{what}: {reason} (is the folder read-only, full, or not there? give another "
        "with --db); nothing was written"
    )


def _store_error(path: Path | str, error: Exception) -> StoreError:
    if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
        return StoreError(engine.not_a_database(path, error))
    if getattr(error, "sqlite_errorname", "") == "SQLITE_CORRUPT":
        from sencoplan.store.backup import restore_hint

        return StoreError(f"{path} could not be opened: {error}; {restore_hint(Path(path))}")
    return StoreError(f"{path} could not be opened: {error}")


def _open(path: Path | str) -> Database:
    """A connection that has changed nothing yet (the file is created if missing)."""
    if str(path) == ":memory:":
        return Database(memory=True)
    path = Path(path)
    engine.ready()
    if not path.exists():
        _create_private(path)
    try:
        db = Database(engine.connect_raw(path))
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except engine.DatabaseError as error:
        raise _store_error(path, error) from error
    return db


def _write_ahead_log(db: Database) -> None:
    """Switch a file to WAL, waiting for another process doing the same to a new file:
    SQLite answers "locked" at once there, without the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode = WAL")
            return
        except engine.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure(db: Database, path: Path | str) -> None:
    """Write-ahead log and normal syncing for a file; foreign keys always."""
    if str(path) != ":memory:":
        try:
            _write_ahead_log(db)
        except engine.DatabaseError as error:
            db.close()
            raise _store_error(path, error) from error
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")


def connect(path: Path | str) -> Database:
    """A connection for this thread, with foreign keys, WAL and a busy timeout.

    sqlite3 connections belong to the thread that made them: every worker calls this.
    The schema must already be in place (see `open_database`).
    """
    db = _open(path)
    _configure(db, path)
    return db


def other_tables(db: Database) -> list[str]:
    """The tables (and views) of some other program in a file where no sencoplan migration
    was ever applied. Empty for a sencoplan database and for an empty file."""
    if MIGRATIONS.applied(db):
        return []
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != ? ORDER BY name",
        (MIGRATIONS.migrations_table,),
    ).fetchall()
    return [str(row[0]) for row in rows]


def schema_problem(db: Database, path: Path | str) -> str | None:
    """Why a sencoplan file's schema cannot be used by this sencoplan, in plain words with
    what to do (None: it can). Read-only."""
    newer = newer_migrations(db)
    if newer:
        return (
            f"it was made by a newer sencoplan (schema {', '.join(newer)}): "
            "upgrade sencoplan to open it"
        )
    missing = schema_problems(db)
    if missing:
        from sencoplan.store.backup import restore_hint

        return f"it is damaged: {', '.join(missing)}; {restore_hint(Path(path))}"
    return None


def _refuse_unusable(db: Database, path: Path | str) -> None:
    """Another program's file, or one sencoplan cannot use (damaged, newer): closed, and
    said as a StoreError."""
    try:
        try:
            foreign = other_tables(db)
            unusable = schema_problem(db, path)
        except engine.DatabaseError as error:
            raise _store_error(path, error) from error
        if foreign:
            raise StoreError(f"{path} is not a sencoplan database: it already holds other tables")
        if unusable:
            raise StoreError(f"{path} cannot be used: {unusable}")
    except StoreError:
        db.close()
        raise


def open_database(path: Path | str) -> Database:
    """Connect and bring the schema up to date: what the CLI and the app call first.

    An empty file (or a new one) is set up; a SQLite file that already holds tables of
    something else is refused untouched rather than having sencoplan's tables added to it.
    """
    db = _open(path)
    _refuse_unusable(db, path)
    _configure(db, path)
    if str(path) != ":memory:":
        # A file that already holds sencoplan data is backed up before its schema changes.
        from sencoplan.store.backup import backup_before_migration

        try:
            backup_before_migration(db, Path(path))
        except StoreError:
            db.close()
            raise
        except _DISK_OR_DATABASE as error:
            db.close()
            raise StoreError(
                f"{path} was not changed: no backup before migrating: {error}"
            ) from error
    try:
        if MIGRATIONS.pending(db):
            # Under the write lock, so that two processes opening a new (or newly upgraded)
            # file at once take turns: the second finds nothing left to apply.
            with write_transaction(db):
                MIGRATIONS.apply(db)
    except engine.DatabaseError as error:
        db.close()
        raise StoreError(f"{path} could not be opened: {error}") from error
    return db


def can_write(path: Path) -> bool:
    """Whether the file and its folder can be written (read-only media, a locked file or a
    folder shared read-only: no)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_for_reading(path: Path | str) -> Database:
    """For a command that only reads: the file as `open_database` opens it, or where it
    cannot be written, read-only and as it is (SQLite's immutable mode: no -wal or -shm
    file made beside it), after the same checks. A file that would need upgrading first
    cannot be upgraded there, and says so."""
    path = Path(path)
    if not path.is_file() or can_write(path):
        return open_database(path)
    try:
        db = Database(
            engine.connect_raw(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        )
    except engine.DatabaseError as error:
        raise _store_error(path, error) from error
    _refuse_unusable(db, path)
    try:
        if MIGRATIONS.pending(db):
            raise StoreError(
                f"{path} cannot be written, and was made by an older sencoplan: copy it to a "
                "folder you can write to and open it there once, to bring it up to date"
            )
        db.execute("PRAGMA query_only = ON")
    except engine.DatabaseError as error:
        db.close()
        raise _store_error(path, error) from error
    except StoreError:
        db.close()
        raise
    return db


def schema_version(db: Database) -> str:
    """The name of the last applied migration, e.g. '0001_initial'."""
    applied = MIGRATIONS.applied(db)
    return applied[-1].name if applied else "none"


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """All or nothing, taking the write lock at the start (BEGIN IMMEDIATE).

    Taking the lock first means a read-then-write never fails half way because another
    process wrote in between; the busy timeout makes the other writer wait its turn. A
    wait longer than that is a StoreError saying so (nothing has been written), not a raw
    "database is locked". Inside a transaction already, this is a savepoint of it.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except engine.OperationalError as error:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and "locked" not in str(error):
            raise
        waited = int(db.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000
        raise StoreError(
            "the database is busy: another sencoplan window or import has been writing to "
            f"it for over {waited:g} seconds. Nothing was changed: try again when it has "
            "finished."
        ) from error
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        db.rollback()  # also when the COMMIT itself fails: never leave it half open
        raise


@dataclass(frozen=True)
class DatabaseCheck:
    integrity: list[str]
    foreign_key_problems: list[tuple[str, int, str]]
    schema: str
    pending_migrations: list[str]
    other_tables: list[str] = field(default_factory=list)
    """Tables of a file that is not a sencoplan database (see `other_tables`)."""
    missing: list[str] = field(default_factory=list)
    """How the schema differs from what its applied migrations made: parts gone, and parts
    sencoplan did not make (see `schema_problems`)."""
    newer_migrations: list[str] = field(default_factory=list)
    """Migrations applied by a newer sencoplan, unknown to this one."""

    @property
    def is_sencoplan(self) -> bool:
        """At least one sencoplan migration applied (pending ones run when the app opens it)."""
        return self.schema != "none"

    @property
    def ok(self) -> bool:
        return (
            self.is_sencoplan
            and self.integrity == ["ok"]
            and not self.foreign_key_problems
            and not self.missing
            and not self.newer_migrations
        )


def check_database(db: Database, *, strict: bool = False) -> DatabaseCheck:
    """SQLite's checks, and the schema compared with sencoplan's (`strict`: naming every
    table, column, index or view it did not make, not only triggers)."""
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
        other_tables=other_tables(db),
        missing=schema_problems(db, strict=strict),
        newer_migrations=newer_migrations(db),
    )


def inspect_database(path: Path | str) -> DatabaseCheck:
    """`check_database` on a file without changing it: nothing is created or migrated and
    the journal mode is left alone (the connection is query-only)."""
    path = Path(path)
    # A file that cannot be written (read-only media) is read as it is: nothing beside it.
    mode = "mode=rw" if can_write(path) else "mode=ro&immutable=1"
    try:
        conn = engine.connect_raw(f"{path.resolve().as_uri()}?{mode}", uri=True)
    except engine.DatabaseError as error:
        raise _store_error(path, error) from error
    db = Database(conn)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA query_only = ON")
        return check_database(db, strict=True)
    except engine.DatabaseError as error:
        raise _store_error(path, error) from error
    finally:
        db.close()


def data_version(db: Database) -> int:
    """Changes when a connection other than `db` has committed to the file since last asked."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def join_the_file(db: Database) -> None:
    """Read the schema once, so the connection takes part in the file's write-ahead log (a
    connection held open this way keeps restore from replacing the file under the app)."""
    db.execute("SELECT count(*) FROM sqlite_master").fetchall()
