"""Which files sencoplan sets up, which it refuses, and inspecting a file without changing it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from sencoplan.store import (
    StoreError,
    default_db_path,
    demo_db_path,
    inspect_database,
    open_database,
    schema_version,
)
from sencoplan.store import db as store_db
from sencoplan.store.migrations import MIGRATIONS
from sencoplan.store.schools import list_schools

ALL_MIGRATIONS = [migration.name for migration in MIGRATIONS._migrations]


def _sqlite(path: Path, *statements: str) -> None:
    """Write a plain SQLite file, as another program (or `sqlite3 FILE "..."`) would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        return [row[0] for row in rows]
    finally:
        conn.close()


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_sqlite_file_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _sqlite(path, "CREATE TABLE notes (a)", "INSERT INTO notes VALUES ('keep me')")
    before = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        open_database(path)
    assert str(refused.value) == (
        f"{path} is not a sencoplan database: it already holds other tables"
    )
    assert path.read_bytes() == before  # not even switched to write-ahead logging
    assert _files(tmp_path) == ["other.db"]
    assert _tables(path) == ["notes"]


def test_a_file_with_another_programs_migrations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _sqlite(
        path,
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, "
        "name TEXT, applied_at TEXT)",
        "INSERT INTO _sqlite_migrations VALUES (1, 'someapp', '0001', '2026-01-01')",
        "CREATE TABLE things (a)",
    )
    with pytest.raises(StoreError, match="it already holds other tables"):
        open_database(path)
    assert _tables(path) == ["_sqlite_migrations", "things"]


def test_an_empty_file_is_set_up(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    db = open_database(path)
    try:
        assert schema_version(db) == ALL_MIGRATIONS[-1]
    finally:
        db.close()


def test_a_sqlite_file_without_tables_is_set_up(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    _sqlite(path, "CREATE TABLE scratch (a)", "DROP TABLE scratch")
    assert path.stat().st_size > 0
    db = open_database(path)
    try:
        assert schema_version(db) == ALL_MIGRATIONS[-1]
    finally:
        db.close()


def test_a_sencoplan_file_with_a_table_of_its_own_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "sencoplan.db"
    open_database(path).close()
    _sqlite(path, "CREATE TABLE my_notes (a)")
    db = open_database(path)
    try:
        assert list_schools(db) == []
    finally:
        db.close()


def test_a_file_stopped_half_way_through_its_first_migration_opens(tmp_path: Path) -> None:
    """Only the empty bookkeeping table of sencoplan's migrations: set it up, not refuse."""
    path = tmp_path / "sencoplan.db"
    db = sqlite3.connect(path)
    MIGRATIONS.ensure_migrations_table(Database(db))
    db.close()
    opened = open_database(path)
    try:
        assert schema_version(opened) == ALL_MIGRATIONS[-1]
    finally:
        opened.close()


def test_a_directory_is_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="could not be opened: unable to open database file"):
        open_database(tmp_path)


def test_inspecting_a_file_of_another_program_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _sqlite(path, "CREATE TABLE notes (a)")
    before = path.read_bytes()
    result = inspect_database(path)
    assert result.schema == "none"
    assert result.other_tables == ["notes"]
    assert result.pending_migrations == ALL_MIGRATIONS
    assert not result.is_sencoplan
    assert not result.ok
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["other.db"]


def test_inspecting_an_empty_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    result = inspect_database(path)
    assert (result.schema, result.other_tables, result.integrity) == ("none", [], ["ok"])
    assert result.pending_migrations == ALL_MIGRATIONS
    assert not result.ok
    assert path.stat().st_size == 0
    assert _files(tmp_path) == ["empty.db"]


def test_inspecting_an_old_sencoplan_file_reports_pending_migrations_and_applies_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    _sqlite(path)  # an empty SQLite file, then only the first migration
    old = Database(path)
    MIGRATIONS.apply(old, stop_before=ALL_MIGRATIONS[1])
    old.close()
    result = inspect_database(path)
    assert result.schema == ALL_MIGRATIONS[0]
    assert result.pending_migrations == ALL_MIGRATIONS[1:]
    assert result.other_tables == []
    assert result.ok
    assert inspect_database(path).pending_migrations == ALL_MIGRATIONS[1:]
    assert "priority_weights" not in _tables(path)


def test_inspecting_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(StoreError, match="could not be opened"):
        inspect_database(path)
    assert not path.exists()


def test_inspecting_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"a shopping list " * 200)
    with pytest.raises(StoreError) as refused:
        inspect_database(path)
    assert str(refused.value) == f"{path} is not a sencoplan database: file is not a database"


def test_the_demo_file_is_demo_db_beside_the_default_and_ignores_sencoplan_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(store_db, "_data_folder", lambda: tmp_path / "data")
    monkeypatch.delenv("SENCOPLAN_DB", raising=False)
    assert default_db_path() == tmp_path / "data" / "sencoplan.db"
    assert demo_db_path() == tmp_path / "data" / "demo.db"
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "mine.db"))
    assert default_db_path() == tmp_path / "mine.db"
    assert demo_db_path() == tmp_path / "data" / "demo.db"


def test_the_data_folder_is_the_platform_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_path

    monkeypatch.delenv("SENCOPLAN_DB", raising=False)
    folder = user_data_path("sencoplan", appauthor=False)
    assert demo_db_path() == folder / "demo.db"
    assert default_db_path() == folder / "sencoplan.db"
