"""Encryption at rest: with $SENCOPLAN_KEY_FILE set, every file sencoplan writes (the
database, its write-ahead log, backups, copies) is SQLCipher-encrypted, and opening one
without the key (or with the wrong one) says so instead of a traceback."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.store import engine, open_database
from sencoplan.store.db import StoreError, inspect_database
from tests.core_helpers import WriteFile, csv_text, make_upn, snapshot

pytest.importorskip("sqlcipher3")

SQLITE_HEADER = b"SQLite format 3"
STAFF_NAME = "Quentin Zebrowski"
PUPIL_SURNAME = "Xanthopoulou"
NAMES = (STAFF_NAME.encode(), PUPIL_SURNAME.encode())
WRONG_KEY = "cannot be opened: wrong key, or not an encrypted sencoplan database"

ROLL = csv_text(
    ["UPN", "Surname", "Forename", "Year Group", "SEN Status", "Primary Need"],
    [
        [make_upn(1), PUPIL_SURNAME, "Asha", "5", "K", "SLCN"],
        [make_upn(2), "Smith", "Ella", "R", "E", "ASD"],
    ],
)
STAFF = csv_text(["Name", "Role"], [[STAFF_NAME, "Teacher"], ["Bronwen Gill", "TA"]])


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))
    monkeypatch.delenv(engine.KEY_FILE_VARIABLE, raising=False)


def _write_key(path: Path, passphrase: str) -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_text(passphrase + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = _write_key(tmp_path / "keys" / "sencoplan.key", "correct horse 'battery' staple")
    monkeypatch.setenv(engine.KEY_FILE_VARIABLE, str(path))
    return path


def _assert_encrypted(path: Path) -> None:
    raw = path.read_bytes()
    assert len(raw) > 0
    assert SQLITE_HEADER not in raw
    for name in NAMES:
        assert name not in raw, f"{name!r} in plain text in {path.name}"


def _assert_plain_sqlite_cannot_read(path: Path) -> None:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(path)
    try:
        return snapshot(db)
    finally:
        db.close()


def _import(db_path: Path, write_file: WriteFile) -> None:
    roll = write_file("roll.csv", ROLL)
    staff = write_file("staff.csv", STAFF)
    assert main(["import", "pupils", str(roll), "--school", "Oak", "--db", str(db_path)]) == 0
    assert main(["import", "staff", str(staff), "--school", "Oak", "--db", str(db_path)]) == 0


def test_the_cli_end_to_end_with_a_key_file(
    tmp_path: Path, key_file: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "sencoplan.db"
    _import(db_path, write_file)
    assert main(["priorities", "--school", "Oak", "--db", str(db_path)]) == 0
    assert "SLCN" in capsys.readouterr().out
    assert main(["check", "--db", str(db_path)]) == 0
    assert "integrity: ok" in capsys.readouterr().out
    _assert_encrypted(db_path)
    _assert_plain_sqlite_cannot_read(db_path)
    before = _dump(db_path)
    assert any(STAFF_NAME in row for row in before["staff"])

    backup = tmp_path / "copy.db"
    assert main(["backup", str(backup), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    _assert_encrypted(backup)
    _assert_plain_sqlite_cannot_read(backup)
    assert main(["check", "--db", str(backup)]) == 0

    # A change, then the backup restored over it: the data is as it was at the backup.
    assert main(["retention", "--school", "Oak", "--months", "12", "--db", str(db_path)]) == 0
    assert _dump(db_path) != before
    assert main(["restore", str(backup), "--db", str(db_path)]) == 0
    assert "restored" in capsys.readouterr().out
    assert _dump(db_path) == before
    _assert_encrypted(db_path)
    kept = list((tmp_path / "backups").iterdir())
    assert kept
    for path in kept:
        _assert_encrypted(path)


def test_the_write_ahead_log_is_encrypted_too(tmp_path: Path, key_file: Path) -> None:
    db_path = tmp_path / "sencoplan.db"
    db = open_database(db_path)
    try:
        db.execute("INSERT INTO schools (name) VALUES (?)", (STAFF_NAME,))
        db.conn.commit()
        wal = Path(f"{db_path}-wal")
        assert wal.stat().st_size > 0
        assert STAFF_NAME.encode() not in wal.read_bytes()
    finally:
        db.close()
    _assert_encrypted(db_path)


def test_without_the_key_an_encrypted_database_is_refused_clearly(
    tmp_path: Path,
    key_file: Path,
    write_file: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db_path = tmp_path / "sencoplan.db"
    _import(db_path, write_file)
    encrypted_bytes = db_path.read_bytes()
    capsys.readouterr()
    monkeypatch.delenv(engine.KEY_FILE_VARIABLE)
    assert main(["check", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "is not a sencoplan database" in err
    assert "set $SENCOPLAN_KEY_FILE to its key file" in err
    assert "Traceback" not in err
    with pytest.raises(StoreError, match="is not a sencoplan database"):
        open_database(db_path)
    assert main(["priorities", "--school", "Oak", "--db", str(db_path)]) == 1
    assert "is not a sencoplan database" in capsys.readouterr().err
    assert db_path.read_bytes() == encrypted_bytes


def test_a_wrong_key_is_refused_clearly(
    tmp_path: Path, key_file: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "sencoplan.db"
    _import(db_path, write_file)
    encrypted_bytes = db_path.read_bytes()
    capsys.readouterr()
    _write_key(key_file, "not the passphrase")
    for command in (["check"], ["priorities", "--school", "Oak"], ["backup", "b.db"]):
        assert main([*command, "--db", str(db_path)]) == 1
        err = capsys.readouterr().err
        assert WRONG_KEY in err, command
        assert "Traceback" not in err and "hmac" not in err
    with pytest.raises(StoreError, match=WRONG_KEY):
        inspect_database(db_path)
    with pytest.raises(StoreError, match=WRONG_KEY):
        open_database(db_path)
    assert db_path.read_bytes() == encrypted_bytes
    assert not (tmp_path / "b.db").exists()


def test_a_plain_database_opened_with_a_key_is_refused_clearly(
    tmp_path: Path,
    write_file: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db_path = tmp_path / "plain.db"
    _import(db_path, write_file)
    plain_bytes = db_path.read_bytes()
    key = _write_key(tmp_path / "keys" / "k", "secret")
    monkeypatch.setenv(engine.KEY_FILE_VARIABLE, str(key))
    capsys.readouterr()
    assert main(["priorities", "--school", "Oak", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert f"{db_path} cannot be opened: it is not encrypted" in err
    assert "sencoplan encrypt" in err
    assert db_path.read_bytes() == plain_bytes


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_file_others_can_read_is_refused(
    tmp_path: Path,
    key_file: Path,
    mode: int,
    write_file: WriteFile,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_file.chmod(mode)
    roll = write_file("roll.csv", ROLL)
    assert (
        main(["import", "pupils", str(roll), "--school", "Oak", "--db", str(tmp_path / "x.db")])
        == 1
    )
    err = capsys.readouterr().err
    assert f"the key file {key_file} ($SENCOPLAN_KEY_FILE) can be read by others" in err
    assert f"chmod 600 {key_file}" in err
    with pytest.raises(StoreError, match="can be read by others"):
        open_database(tmp_path / "new.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys", "roll.csv"]


@pytest.mark.parametrize("content", ["", "\n", "   \n"])
def test_an_empty_key_file_is_refused(tmp_path: Path, key_file: Path, content: str) -> None:
    key_file.write_text(content)
    with pytest.raises(StoreError, match="holds no passphrase"):
        open_database(tmp_path / "new.db")


def test_a_missing_key_file_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_file: WriteFile,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(engine.KEY_FILE_VARIABLE, str(tmp_path / "nowhere.key"))
    roll = write_file("roll.csv", ROLL)
    assert (
        main(["import", "pupils", str(roll), "--school", "Oak", "--db", str(tmp_path / "x.db")])
        == 1
    )
    assert "nowhere.key ($SENCOPLAN_KEY_FILE) cannot be read" in capsys.readouterr().err


def test_without_sqlcipher_installed_the_message_says_what_to_install(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "_SQLCIPHER", None)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if it were not installed
    with pytest.raises(StoreError, match=r"pip install 'sencoplan\[encrypted\]'"):
        open_database(tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()


def test_encrypt_and_decrypt_copy_the_database(
    tmp_path: Path,
    write_file: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = tmp_path / "plain.db"
    _import(plain, write_file)
    before = _dump(plain)
    plain_bytes = plain.read_bytes()
    capsys.readouterr()

    # Without a key file there is nothing to encrypt with.
    assert main(["encrypt", str(tmp_path / "enc.db"), "--db", str(plain)]) == 1
    assert "$SENCOPLAN_KEY_FILE is not set" in capsys.readouterr().err

    key = _write_key(tmp_path / "keys" / "k", "a long passphrase")
    monkeypatch.setenv(engine.KEY_FILE_VARIABLE, str(key))
    encrypted = tmp_path / "enc.db"
    assert main(["encrypt", str(encrypted), "--db", str(plain)]) == 0
    assert "encrypted, checked" in capsys.readouterr().out
    assert plain.read_bytes() == plain_bytes
    assert stat.S_IMODE(encrypted.stat().st_mode) == 0o600
    _assert_encrypted(encrypted)
    _assert_plain_sqlite_cannot_read(encrypted)
    assert _dump(encrypted) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    # An existing file is kept unless --force; an encrypted file is not encrypted again.
    assert main(["encrypt", str(encrypted), "--db", str(plain)]) == 2
    again = tmp_path / "again.db"
    assert main(["encrypt", str(again), "--db", str(encrypted)]) == 1
    assert "it is already encrypted" in capsys.readouterr().err
    assert not again.exists()

    decrypted = tmp_path / "dec.db"
    assert main(["decrypt", str(decrypted), "--db", str(encrypted)]) == 0
    assert "not encrypted, checked" in capsys.readouterr().out
    assert stat.S_IMODE(decrypted.stat().st_mode) == 0o600
    assert decrypted.read_bytes().startswith(SQLITE_HEADER)
    assert main(["decrypt", str(tmp_path / "x.db"), "--db", str(plain)]) == 1
    assert "it is not encrypted" in capsys.readouterr().err
    monkeypatch.delenv(engine.KEY_FILE_VARIABLE)
    assert _dump(decrypted) == before
    conn = sqlite3.connect(decrypted)
    try:
        assert snapshot(Database(conn)) == before
    finally:
        conn.close()
