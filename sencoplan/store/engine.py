"""Which SQLite opens the file: Python's own `sqlite3`, or SQLCipher (an encrypted SQLite:
the `sqlcipher3` module, installed by `pip install 'sencoplan[encrypted]'`) when
$SENCOPLAN_KEY_FILE names a file holding the passphrase.

Every connection sencoplan makes to a file comes from `connect_raw`, so the app, the command
line, its workers, backups and checks all open it the same way, and an encrypted one with
`PRAGMA key` before anything else. The two drivers raise their own exception classes:
catch `DatabaseError`, `OperationalError` and `IntegrityError` (tuples covering both),
never sqlite3's alone.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any, Literal, cast

KEY_FILE_VARIABLE = "SENCOPLAN_KEY_FILE"
SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every plain SQLite file; an encrypted file starts with random bytes."""

IsolationLevel = Literal["", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"] | None
"""As sqlite3.connect takes it: "" (its default) and None (autocommit) included."""


DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
OperationalError: tuple[type[Exception], ...] = (sqlite3.OperationalError,)
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
"""Each the class of every driver loaded so far: SQLCipher's join them when it is loaded
(an `except engine.DatabaseError` reads the tuple when it catches, so it has both by then:
no SQLCipher connection, nor its errors, exists before it is loaded)."""

_SQLCIPHER: Any = None


def _load_sqlcipher() -> Any:
    """SQLCipher, imported the first time an encrypted file is opened (never otherwise:
    the start of every command and the app stays without it), or None if not installed."""
    global _SQLCIPHER, DatabaseError, OperationalError, IntegrityError
    if _SQLCIPHER is None:
        try:
            import sqlcipher3
        except ImportError:
            return None
        _SQLCIPHER = sqlcipher3
        DatabaseError = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
        OperationalError = (sqlite3.OperationalError, sqlcipher3.OperationalError)
        IntegrityError = (sqlite3.IntegrityError, sqlcipher3.IntegrityError)
    return _SQLCIPHER


if os.environ.get(KEY_FILE_VARIABLE):  # set from the start: load it with the rest
    _load_sqlcipher()


def _store_error(message: str) -> Exception:
    from sencoplan.store.db import StoreError

    return StoreError(message)


def key_file() -> Path | None:
    """The key file named by $SENCOPLAN_KEY_FILE (None: the database is not encrypted)."""
    value = os.environ.get(KEY_FILE_VARIABLE)
    return Path(value).expanduser() if value else None


def encrypted() -> bool:
    """Whether sencoplan opens its files with SQLCipher and the key."""
    return key_file() is not None


def passphrase() -> str:
    """The passphrase in the key file: a StoreError if it is missing, empty or readable by
    anyone else (on POSIX: group and others must have no access, `chmod 600`)."""
    path = key_file()
    if path is None:
        raise _store_error(
            f"${KEY_FILE_VARIABLE} is not set: it names the file holding the database's key"
        )
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise _store_error(f"the key file {path} (${KEY_FILE_VARIABLE}) is not a file")
        if os.name == "posix" and status.st_mode & 0o077:
            raise _store_error(
                f"the key file {path} (${KEY_FILE_VARIABLE}) can be read by others "
                f"(mode {stat.S_IMODE(status.st_mode):o}): make it yours only with "
                f"`chmod 600 {path}`; nothing was opened"
            )
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise _store_error(
            f"the key file {path} (${KEY_FILE_VARIABLE}) cannot be read: {error.strerror or error}"
        ) from error
    except UnicodeDecodeError as error:
        raise _store_error(
            f"the key file {path} (${KEY_FILE_VARIABLE}) is not text (UTF-8)"
        ) from error
    secret = text.rstrip("\r\n")
    if not secret.strip() or "\x00" in secret:
        raise _store_error(
            f"the key file {path} (${KEY_FILE_VARIABLE}) holds no passphrase: "
            "write one on its first line"
        )
    return secret


def _sqlcipher() -> Any:
    if _load_sqlcipher() is None:
        raise _store_error(
            f"${KEY_FILE_VARIABLE} is set, so the database is encrypted, but SQLCipher is not "
            "installed: install it with `pip install 'sencoplan[encrypted]'` (or unset "
            f"{KEY_FILE_VARIABLE} for a database that is not encrypted)"
        )
    return _SQLCIPHER


def ready() -> None:
    """With $SENCOPLAN_KEY_FILE set, a StoreError now if the key file or SQLCipher is not
    usable: called before a new file is created, so none is left behind."""
    if encrypted():
        passphrase()
        _sqlcipher()


def quoted(text: str) -> str:
    """A string literal for SQL (PRAGMA key and ATTACH ... KEY take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def connect_sqlcipher(
    path: Path | str,
    key: str | None,
    *,
    uri: bool = False,
    timeout: float = 5.0,
    isolation_level: IsolationLevel = "",
) -> sqlite3.Connection:
    """A SQLCipher connection, `PRAGMA key` its first statement (None: a plain file, for
    `sencoplan encrypt` to read). Typed as sqlite3's: it has the same methods."""
    conn = _sqlcipher().connect(
        str(path), uri=uri, timeout=timeout, isolation_level=isolation_level
    )
    try:
        if key is not None:
            conn.execute(f"PRAGMA key = {quoted(key)}")
        # A wrong key would otherwise also be logged to stderr by SQLCipher itself.
        conn.execute("PRAGMA cipher_log_level = NONE")
    except BaseException:
        conn.close()
        raise
    return cast(sqlite3.Connection, conn)


def _unreadable(error: UnicodeDecodeError) -> sqlite3.DatabaseError:
    """SQLite's own message quoted schema bytes that are not text, and Python could not
    decode the message: the file is damaged, and says so like any other damage."""
    damaged = sqlite3.DatabaseError(
        f"database disk image is malformed (its schema holds bytes that are not text, at "
        f"byte {error.start})"
    )
    damaged.sqlite_errorname = "SQLITE_CORRUPT"
    return damaged


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            return super().execute(sql, parameters)
        except UnicodeDecodeError as error:
            raise _unreadable(error) from error

    def executemany(self, sql: str, parameters: Any, /) -> _Cursor:
        try:
            return super().executemany(sql, parameters)
        except UnicodeDecodeError as error:
            raise _unreadable(error) from error

    def executescript(self, script: str, /) -> _Cursor:
        try:
            return cast(_Cursor, super().executescript(script))
        except UnicodeDecodeError as error:
            raise _unreadable(error) from error


class Connection(sqlite3.Connection):
    """sqlite3's connection, except that a file whose schema holds bytes that are not text
    raises a DatabaseError (SQLITE_CORRUPT), not a UnicodeDecodeError from deep inside."""

    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)

    def _cursor(self) -> _Cursor:
        return cast(_Cursor, self.cursor())

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self._cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        return self._cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:
        return self._cursor().executescript(script)


def connect_raw(
    path: Path | str,
    *,
    uri: bool = False,
    timeout: float = 5.0,
    isolation_level: IsolationLevel = "",
    plain: bool = False,
) -> sqlite3.Connection:
    """A DB-API connection to `path`: SQLCipher with the key when $SENCOPLAN_KEY_FILE is set,
    else sqlite3. `plain` forces sqlite3 (for the copy `sencoplan decrypt` writes)."""
    if plain or not encrypted():
        if isolation_level == "":
            return sqlite3.connect(path, uri=uri, timeout=timeout, factory=Connection)
        return sqlite3.connect(
            path, uri=uri, timeout=timeout, isolation_level=isolation_level, factory=Connection
        )
    return connect_sqlcipher(
        path, passphrase(), uri=uri, timeout=timeout, isolation_level=isolation_level
    )


def not_a_database(path: Path | str, error: BaseException) -> str:
    """Why SQLite said "file is not a database", in words that say what to do."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        size = os.path.getsize(path)
    except OSError:
        header, size = b"", 0
    if encrypted():
        if header == SQLITE_HEADER:
            return (
                f"{path} cannot be opened: it is not encrypted and ${KEY_FILE_VARIABLE} is set "
                f"(unset it to open this file, or make an encrypted copy with "
                f"`sencoplan encrypt NEW.db`)"
            )
        return f"{path} cannot be opened: wrong key, or not an encrypted sencoplan database"
    message = f"{path} is not a sencoplan database: {error}"
    if size >= 1024 and size % 512 == 0 and header != SQLITE_HEADER:
        # Whole pages of what looks like noise: perhaps an encrypted sencoplan database.
        message += f" (if it is an encrypted one, set ${KEY_FILE_VARIABLE} to its key file)"
    return message
