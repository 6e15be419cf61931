"""A file whose schema is not whole, or was made by a newer sencoplan, is named as such by
`check`, refused by `restore` and by opening, instead of failing later with "no such table".
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.store.backup import BackupError, restore_file
from sencoplan.store.db import StoreError, check_database, open_database, write_transaction
from sencoplan.store.migrations import MIGRATIONS
from sencoplan.store.schema import known_migrations, newer_migrations, schema_problems


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


def _made(path: Path) -> Path:
    db = open_database(path)
    with write_transaction(db):
        db.execute("INSERT INTO schools (name) VALUES ('Oakfield Primary')")
    db.close()
    return path


def _damage(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_whole_schema_has_nothing_missing(db: Database) -> None:
    assert schema_problems(db) == []
    assert newer_migrations(db) == []
    assert check_database(db).ok


def test_a_file_at_an_older_migration_is_whole_for_that_migration(tmp_path: Path) -> None:
    """An older file lacks later migrations' tables: that is pending work, not damage."""
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before=known_migrations()[2])
    assert schema_problems(old) == []
    old.close()
    db = open_database(path)  # upgrades it
    assert schema_problems(db) == []
    assert MIGRATIONS.pending(db) == []
    db.close()


def test_a_dropped_table_is_named_once_without_its_indexes(tmp_path: Path) -> None:
    path = _made(tmp_path / "school.db")
    _damage(path, "DROP TABLE supports")
    db = Database(sqlite3.connect(path))
    assert schema_problems(db) == ["its table supports is missing"]
    result = check_database(db)
    db.close()
    assert result.integrity == ["ok"]  # SQLite's own check does not see it
    assert not result.ok


def test_a_dropped_column_index_and_trigger_are_each_named(tmp_path: Path) -> None:
    path = _made(tmp_path / "school.db")
    _damage(
        path,
        "DROP INDEX pupils_school_reg",
        "ALTER TABLE pupils DROP COLUMN reg_group",
        "DROP TRIGGER staff_insert_clears_priorities",
    )
    db = Database(sqlite3.connect(path))
    assert schema_problems(db) == [
        "its index pupils_school_reg is missing",
        "its trigger staff_insert_clears_priorities is missing",
        "its table pupils has no column reg_group",
    ]
    db.close()


def test_what_sencoplan_did_not_make_is_named_like_what_is_missing(tmp_path: Path) -> None:
    """A table, column, index, trigger or view another tool added: a planted trigger would
    run at the next import (this one deletes every member of staff)."""
    path = _made(tmp_path / "school.db")
    _damage(
        path,
        "CREATE TABLE notes (x)",
        "ALTER TABLE staff ADD COLUMN nickname TEXT",
        "CREATE TRIGGER wipe AFTER INSERT ON pupils BEGIN DELETE FROM staff; END",
        "CREATE INDEX by_nickname ON staff (nickname)",
        "CREATE VIEW everyone AS SELECT name FROM staff",
    )
    db = Database(sqlite3.connect(path))
    assert schema_problems(db, strict=True) == [
        "it holds a table sencoplan did not make: notes",
        "it holds an index sencoplan did not make: by_nickname",
        "it holds a trigger sencoplan did not make: wipe",
        "it holds a view sencoplan did not make: everyone",
        "its table staff has a column sencoplan did not make: nickname",
    ]
    # In use, someone's own notes are left alone; a trigger never is (it runs on writes).
    assert schema_problems(db) == ["it holds a trigger sencoplan did not make: wipe"]
    db.close()
    with pytest.raises(StoreError, match="it holds a trigger sencoplan did not make: wipe"):
        open_database(path)


def test_opening_a_damaged_file_says_what_is_missing_and_changes_nothing(
    tmp_path: Path,
) -> None:
    path = _made(tmp_path / "school.db")
    _damage(path, "DROP TABLE training_records")
    before = _digest(path)
    with pytest.raises(StoreError) as raised:
        open_database(path)
    message = str(raised.value)
    assert "its table training_records is missing" in message
    assert "sencoplan restore" in message
    assert _digest(path) == before


def test_commands_on_a_damaged_file_exit_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _made(tmp_path / "school.db")
    _damage(path, "DROP TABLE supports")
    assert main(["priorities", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "its table supports is missing" in err
    assert "Traceback" not in err


def test_check_reports_a_damaged_file_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _made(tmp_path / "school.db")
    _damage(path, "DROP TABLE supports")
    assert main(["check", "--db", str(path)]) == 1
    out = capsys.readouterr()
    assert "integrity: ok" in out.out
    assert "damaged: its table supports is missing" in out.err
    assert "sencoplan restore" in out.err


def test_restore_refuses_a_damaged_file_and_keeps_the_database(tmp_path: Path) -> None:
    target = _made(tmp_path / "school.db")
    damaged = _made(tmp_path / "damaged.db")
    _damage(damaged, "DROP TABLE staff")
    before = _digest(target)
    with pytest.raises(BackupError, match="its table staff is missing"):
        restore_file(damaged, target)
    assert _digest(target) == before


def _from_the_future(path: Path) -> None:
    _damage(
        path,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('sencoplan', '9999_from_the_future', '2030-01-01')",
    )


def test_check_reports_a_file_from_a_newer_sencoplan_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _made(tmp_path / "school.db")
    _from_the_future(path)
    assert main(["check", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "made by a newer sencoplan (schema 9999_from_the_future)" in err
    assert "upgrade sencoplan" in err


def test_opening_a_file_from_a_newer_sencoplan_is_refused_untouched(tmp_path: Path) -> None:
    path = _made(tmp_path / "school.db")
    _from_the_future(path)
    before = _digest(path)
    with pytest.raises(StoreError, match="newer sencoplan"):
        open_database(path)
    assert _digest(path) == before
