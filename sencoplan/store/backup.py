"""Backups and restore: copies that are consistent, checked before they are kept, and
readable by their owner only, because the file holds special category data about children.

A backup is made with `VACUUM INTO` (a consistent snapshot even while another connection
writes), into a temporary file beside its destination, opened and checked (integrity,
foreign keys, a sencoplan schema), and only then renamed into place. Automatic backups (before
a migration, a restore or a purge) go to a `backups` folder beside the database, and the
last few are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import secrets
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from sencoplan.store import engine
from sencoplan.store.db import (
    BUSY_TIMEOUT_MS,
    StoreError,
    cannot_create,
    check_database,
    other_tables,
)
from sencoplan.store.migrations import MIGRATIONS

BACKUPS_FOLDER = "backups"
KEEP_AUTOMATIC = 5
"""Automatic backups kept per database (older ones are deleted: they hold children's data)."""

_STAMP = re.compile(r"-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$")


class BackupError(StoreError):
    """A backup or restore was refused; the files it would have replaced are untouched."""


class WrongPath(BackupError):
    """The command named a file it cannot use (the database itself, a missing file or
    folder): a mistake in the command rather than in the data."""


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    previous: Path | None
    """The backup of the database that was replaced (None: there was none)."""
    schema: str
    pending_migrations: list[str] = field(default_factory=list)


def backups_folder(db_path: Path) -> Path:
    """backups/ beside the database, the real file where `db_path` is a link (a database
    kept on an encrypted volume has its backups there too)."""
    return through_links(db_path).parent / BACKUPS_FOLDER


def database_files(database: Path) -> set[Path]:
    """The database and the files SQLite keeps beside it: writing over any loses data."""
    main = database.resolve()
    return {main, *(Path(f"{main}{suffix}") for suffix in ("-wal", "-shm", "-journal"))}


def restore_hint(db_path: Path) -> str:
    """What to do about a damaged file: restore a backup, and where this database's own
    automatic backups are, if it has any (the folder may hold other databases' too)."""
    folder = backups_folder(db_path.resolve())
    stem = db_path.stem
    ours = folder.is_dir() and any(
        any(folder.glob(f"{glob.escape(stem)}-{kind}-*.db")) for kind in ("before", "replaced-by")
    )
    where = f" (its automatic backups are in {folder})" if ours else ""
    return f"restore a backup with `sencoplan restore BACKUP`{where}"


def _stamp() -> str:
    """UTC, so names sort in the order they were taken whatever the clocks did."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)


def _new_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only; fails if it exists (never reuse)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise
    except OSError as error:
        raise BackupError(cannot_create(path, error, in_folder=True)) from None
    os.close(fd)
    os.chmod(path, 0o600)


LEFTOVER_AGE = 3600
"""Seconds after which a temporary copy beside a file is a leftover of a killed process (a
copy in progress is written to continuously, so its time is recent)."""


def _clear_leftovers(path: Path) -> None:
    """Delete temporary copies beside `path` that a killed backup, restore or rebuild left
    (for a timestamped backup, of any earlier one of the same database): they hold the same
    pupils' data as the database, so they do not stay on the disk."""
    cutoff = time.time() - LEFTOVER_AGE
    stamped = _STAMP.search(path.name)
    if stamped:
        prefix = path.name[: stamped.start()]
        wildcard = glob.escape(prefix) + "-*"
        pattern = re.escape(prefix) + _STAMP.pattern.rstrip("$")
    else:
        wildcard, pattern = glob.escape(path.name), re.escape(path.name)
    for leftover in path.parent.glob(f".{wildcard}.*.tmp"):
        if not re.fullmatch(rf"\.{pattern}\.[0-9a-f]{{8}}\.tmp", leftover.name):
            continue
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                for suffix in ("-wal", "-shm", "-journal", ""):
                    Path(f"{leftover}{suffix}").unlink(missing_ok=True)


def _temporary_beside(path: Path) -> Path:
    """An empty private file in the same folder, so the final rename is atomic."""
    _clear_leftovers(path)
    while True:
        candidate = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            _new_private_file(candidate)
        except FileExistsError:
            continue
        return candidate


def _free_name(folder: Path, prefix: str) -> Path:
    """`<prefix>-<stamp>.db` in the folder, with a counter if one was taken this second."""
    stamp = _stamp()
    candidate = folder / f"{prefix}-{stamp}.db"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{prefix}-{stamp}-{counter}.db"
    return candidate


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX only: Windows cannot open a folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (it still reads a write-ahead log)."""
    conn = engine.connect_raw(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _readable(conn: sqlite3.Connection, path: Path) -> None:
    """Read the file's first page: a file that is not a database, or is encrypted with
    another key (or is not, when a key is set), is refused saying which."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except engine.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise BackupError(engine.not_a_database(path, error)) from error
        raise BackupError(f"{path} cannot be read: {error}") from error


def problems(db: Database, *, allow_newer: bool = False, strict: bool = False) -> list[str]:
    """Why a file is not a usable sencoplan database (empty: it is; `strict`: anything in
    its schema sencoplan did not make is a reason, as for a backup to restore). Read-only."""
    result = check_database(db, strict=strict)
    found = [] if result.integrity == ["ok"] else [f"integrity: {'; '.join(result.integrity)}"]
    found += [
        f"foreign key problem: {table} row {rowid} points to a missing {parent}"
        for table, rowid, parent in result.foreign_key_problems
    ]
    if not result.is_sencoplan:
        found.append("it is not a sencoplan database")
    if result.missing:
        found.append(f"it is damaged: {', '.join(result.missing)}")
    newer = result.newer_migrations
    if newer and not allow_newer:
        found.append(
            f"it was made by a newer sencoplan (schema {', '.join(newer)}): upgrade sencoplan"
        )
    return found


def _check_copy(path: Path, *, allow_newer: bool, plain: bool = False) -> None:
    """Open a fresh copy (with the key, if the database is encrypted, unless `plain`), make it
    one self-contained file, and refuse it if it fails."""
    conn = engine.connect_raw(path, plain=plain)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        found = problems(Database(conn), allow_newer=allow_newer)
    except engine.DatabaseError as error:
        found = [f"it cannot be read: {error}"]
    finally:
        conn.close()
    if found:
        raise BackupError("; ".join(found))


def _copy_checked(source: sqlite3.Connection, dest: Path, *, allow_newer: bool = True) -> None:
    """VACUUM INTO a temporary file beside `dest`, check it, then rename it to `dest`."""
    temporary = _temporary_beside(dest)
    try:
        source.execute("VACUUM INTO ?", (str(temporary),))
        _check_copy(temporary, allow_newer=allow_newer)
        _fsync_file(temporary)
        os.replace(temporary, dest)
    except engine.DatabaseError as error:
        raise BackupError(f"the copy could not be made: {error}") from error
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_folder(dest.parent)


def new_file_destination(dest: Path, source: Path, *, force: bool) -> None:
    """Where a copy of the database may be written: a new file, or (with `force`) a regular
    file to replace, in a folder that exists. Never a device, pipe or socket, whatever
    `force` says (a copy renamed over /dev/null replaces the device), and never the database
    itself."""
    try:
        mode = dest.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise WrongPath(f"{dest} cannot be used: {error.strerror or error}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise WrongPath(
            f"{dest} is not a regular file (a device, pipe or socket): give a file name or a "
            "folder; nothing was written"
        )
    if dest.resolve() in database_files(source):
        raise WrongPath(f"{dest} is the database itself: give another file or a folder")
    if mode is not None and not force:
        raise FileExistsError(f"{dest} already exists: use --force to replace it")
    if not dest.parent.is_dir():
        raise WrongPath(f"{dest.parent} is not a folder: create it first")


def backup_file(source: Path, dest: Path, *, force: bool = False) -> Path:
    """`sencoplan backup`: a checked copy of the database at `source`, mode 0600.

    `dest` may be a folder (the copy is named `<stem>-<UTC time>.db` inside it). An existing
    file is replaced only with `force`. The source is opened read-only and never changed.
    """
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    if dest.is_dir():
        dest = _free_name(dest, source.stem)
    else:
        new_file_destination(dest, source, force=force)
    try:
        conn = _open_readonly(source)
    except engine.DatabaseError as error:
        raise BackupError(f"{source} cannot be read: {error}") from error
    try:
        _readable(conn, source)
        _copy_checked(conn, dest)
    except BackupError as error:
        raise BackupError(f"no backup of {source} was kept: {error}") from error
    finally:
        conn.close()
    return dest


def convert_file(source: Path, dest: Path, *, encrypt: bool, force: bool = False) -> Path:
    """`sencoplan encrypt` / `sencoplan decrypt`: a copy of the database at `source` written
    to `dest` encrypted with the key in $SENCOPLAN_KEY_FILE (or, decrypting, not encrypted),
    by SQLCipher's `sqlcipher_export` into a temporary file beside `dest`, checked like a
    backup, mode 0600, then renamed into place. `source` is not changed.
    """
    secret = engine.passphrase()
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    if dest.is_dir():
        raise WrongPath(f"{dest} is a folder: give the new database's file name")
    new_file_destination(dest, source, force=force)
    conn = engine.connect_sqlcipher(
        source, None if encrypt else secret, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
    )
    temporary = _temporary_beside(dest)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except engine.DatabaseError as error:
            if getattr(error, "sqlite_errorname", "") != "SQLITE_NOTADB":
                raise
            if encrypt:
                raise BackupError(
                    f"{source} cannot be encrypted: it is already encrypted, or not a SQLite "
                    "database; nothing was written"
                ) from error
            raise BackupError(engine.not_a_database(source, error)) from error
        conn.execute(
            "ATTACH DATABASE ? AS converted KEY ?", (str(temporary), secret if encrypt else "")
        )
        conn.execute("BEGIN")  # one consistent snapshot, even while the app writes
        conn.execute("SELECT sqlcipher_export('converted')").fetchall()
        version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
        conn.execute(f"PRAGMA converted.user_version = {version}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE converted")
        try:
            _check_copy(temporary, allow_newer=True, plain=not encrypt)
        except BackupError as error:
            raise BackupError(f"{dest} was not written: {error}") from error
        _fsync_file(temporary)
        os.replace(temporary, dest)
    except engine.DatabaseError as error:
        raise BackupError(f"{source} could not be copied: {error}; nothing was written") from error
    finally:
        conn.close()
        temporary.unlink(missing_ok=True)
    _fsync_folder(dest.parent)
    return dest


def _prune(folder: Path, stem: str) -> None:
    """Keep the newest automatic backups of this database; leave every other file alone."""
    ours: list[tuple[str, int, Path]] = []
    for path in folder.glob(f"{stem}-before-*.db"):
        match = _STAMP.search(path.name)
        if path.name.startswith(f"{stem}-before-") and match:
            ours.append((match.group(1), int(match.group(2) or 1), path))
    ours.sort()
    for *_, path in ours[:-KEEP_AUTOMATIC]:
        path.unlink(missing_ok=True)


def automatic_backup(db: Database, db_path: Path, reason: str) -> Path:
    """A checked backup into `backups/` beside the database before a change that cannot be
    undone: `<stem>-before-<reason>-<UTC time>.db`. The last KEEP_AUTOMATIC are kept.

    `db` must not be inside a transaction (VACUUM cannot run in one).
    """
    folder = backups_folder(db_path)
    _private_folder(folder)
    dest = _free_name(folder, f"{db_path.stem}-before-{reason}")
    try:
        _copy_checked(db.conn, dest)
    except BackupError as error:
        raise BackupError(
            f"{db_path} was not changed: the backup before {reason} failed ({error}); "
            "run `sencoplan check`"
        ) from error
    _prune(folder, db_path.stem)
    return dest


def backup_before_migration(db: Database, db_path: Path) -> Path | None:
    """Before the first pending migration of a file that already holds sencoplan data."""
    pending = MIGRATIONS.pending(db)
    if not pending or not MIGRATIONS.applied(db):
        return None
    return automatic_backup(db, db_path, pending[0].name)


@contextlib.contextmanager
def _sole_use(path: Path) -> Iterator[Database | None]:
    """Hold the file so no one else reads or writes it while it is replaced.

    Leaving write-ahead-log mode is only possible for the one connection to a file (it
    checkpoints and deletes the -wal and -shm files); the exclusive lock then keeps every
    other process out until the new file is in place. Yields None for a file that is not a
    SQLite database at all (nothing can have it open as one).
    """
    conn = engine.connect_raw(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            conn.execute("BEGIN EXCLUSIVE")
            if mode != "delete" or conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
                raise sqlite3.OperationalError("database is locked")
        except engine.DatabaseError as error:
            if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
                yield None
                return
            if "locked" in str(error) or "busy" in str(error):
                raise BackupError(
                    f"{path} is open in sencoplan (the app or a command): close it and try "
                    "again; nothing was changed"
                ) from error
            raise BackupError(f"{path} cannot be read: {error}; nothing was changed") from error
        yield Database(conn)
    finally:
        if conn.in_transaction:
            conn.rollback()
        conn.close()


def _copy_private(source: Path, dest: Path) -> None:
    _new_private_file(dest)
    with open(source, "rb") as reading, open(dest, "wb") as writing:
        shutil.copyfileobj(reading, writing)
        writing.flush()
        os.fsync(writing.fileno())


def through_links(path: Path) -> Path:
    """The file a path names, through any symbolic link: a database kept elsewhere (on an
    encrypted volume, say) and reached by a link is replaced where it is, with its backups
    beside it, never the link turned into a file of its own."""
    return path.resolve() if path.is_symlink() else path


def restore_file(source: Path, target: Path) -> RestoreResult:
    """`sencoplan restore`: replace the database at `target` with a checked copy of `source`.

    Refused, with `target` untouched, if `source` fails its checks, is not a sencoplan
    database, or was made by a newer sencoplan. The current file is copied into `backups/`
    first (as it is, byte for byte, so nothing is lost even if it is damaged), and the new
    file is renamed into place while no one else has it open.
    """
    target = through_links(target)
    if source.is_dir():
        raise WrongPath(f"{source} is a folder: give the backup file in it to restore")
    if not source.is_file():
        raise WrongPath(f"{source} does not exist")
    if target.exists() and source.resolve() == target.resolve():
        raise WrongPath(f"{source} is the database itself")
    try:
        conn = _open_readonly(source)
    except engine.DatabaseError as error:
        raise BackupError(f"{source} cannot be read: {error}") from error
    try:
        try:
            _readable(conn, source)
            found = problems(Database(conn), strict=True)
        except BackupError as error:
            found = [str(error)]
        except engine.DatabaseError as error:
            found = [f"it cannot be read: {error}"]
        if found:
            raise BackupError(f"{source} was not restored: {'; '.join(found)}")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = _temporary_beside(target)
        try:
            try:
                conn.execute("VACUUM INTO ?", (str(temporary),))
            except engine.DatabaseError as error:
                raise BackupError(f"{source} could not be copied: {error}") from error
            _check_copy(temporary, allow_newer=False)
            _fsync_file(temporary)
            previous = _replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    finally:
        conn.close()
    restored = Database(_open_readonly(target))
    try:
        check = check_database(restored)
    finally:
        restored.close()
    return RestoreResult(target, previous, check.schema, check.pending_migrations)


def _refuse_another_programs(target: Path) -> None:
    """A SQLite file holding another program's tables is never replaced."""
    try:  # read-write but query-only: closing tidies the -wal and -shm files away
        conn = engine.connect_raw(f"{target.resolve().as_uri()}?mode=rw", uri=True)
        conn.execute("PRAGMA query_only = ON")
    except engine.DatabaseError:
        return
    try:
        foreign = other_tables(Database(conn))
    except engine.DatabaseError:
        foreign = []  # not a database (or a damaged one): kept in backups/ when replaced
    finally:
        conn.close()
    if foreign:
        raise BackupError(
            f"{target} is not a sencoplan database: it holds other tables; nothing was changed"
        )


def replace_with_new(target: Path, build: Callable[[Path], None], reason: str) -> Path | None:
    """Replace the database at `target` with one `build` makes in an empty file beside it.

    The same care as a restore: nothing changes if `build` fails or its file fails the
    checks; a file of another program is refused; the file it replaces is kept, as it is,
    in `backups/` (returned; None when there was no file).
    """
    target = through_links(target)
    if target.exists():
        _refuse_another_programs(target)  # before the work, not only after it
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = _temporary_beside(target)
    try:
        build(temporary)
        _check_copy(temporary, allow_newer=False)
        _fsync_file(temporary)
        return _replace(temporary, target, reason)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)


def _replace(new: Path, target: Path, reason: str = "restore") -> Path | None:
    """Back up `target` as it is, then rename `new` over it while holding it."""
    if not target.exists():
        _swap(new, target)
        return None
    folder = backups_folder(target)
    _private_folder(folder)
    with _sole_use(target) as held:
        if held is not None and other_tables(held):
            raise BackupError(
                f"{target} is not a sencoplan database: it holds other tables; nothing was changed"
            )
        # Not "-before-": the file replaced is kept whatever later automatic backups do
        # (they keep the last few), since it may be the only copy of a real roll.
        previous = _free_name(folder, f"{target.stem}-replaced-by-{reason}")
        _copy_private(target, previous)
        wal = Path(f"{target}-wal")
        if held is None and wal.exists():
            _copy_private(wal, Path(f"{previous}-wal"))
        if os.name != "nt":
            _swap(new, target)
    if os.name == "nt":
        # Windows renames over no file that anyone has open, this process included: the
        # lock is let go first, and a program that opened the file since stops the rename.
        try:
            _swap(new, target)
        except PermissionError as error:
            raise BackupError(
                f"{target} is open in sencoplan (the app or a command): close it and try "
                f"again; nothing was changed (the copy kept: {previous})"
            ) from error
    _prune(folder, target.stem)
    return previous


def _swap(new: Path, target: Path) -> None:
    """Rename `new` over `target` (atomic) and drop the old file's journals, which would
    otherwise be replayed into the new file."""
    os.replace(new, target)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _fsync_folder(target.parent)
