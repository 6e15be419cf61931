"""Upgrading a file made by the first released schema: nothing lost, a backup taken first.

The old file is built here by applying only the first migration, then filled with a row in
every table that schema had (with every column set, NULLs and awkward text included).
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from sencoplan.store import backup as store_backup
from sencoplan.store.db import StoreError, connect, open_database, schema_version
from sencoplan.store.migrations import MIGRATIONS

FIRST = MIGRATIONS._migrations[0].name
SECOND = MIGRATIONS._migrations[1].name
LAST = MIGRATIONS._migrations[-1].name

# Every table of the first schema, with rows setting every one of its columns.
FIRST_ROWS: dict[str, list[dict[str, Any]]] = {
    "schools": [
        {"id": 1, "name": "Oakfield Primary", "urn": "123456", "phase": "primary",
         "setting": "mainstream"},
        {"id": 2, "name": "Ash Grove Académie", "urn": None, "phase": "special",
         "setting": "specialist"},
    ],
    "pupils": [
        {"id": 10, "school_id": 1, "upn": "V951200005001", "display_name": "Zoë O'Neil",
         "date_of_birth": "2016-02-29", "year_group": "5", "tier": "specialist",
         "primary_need": "ASD", "secondary_need": "SLCN", "reg_group": "5B",
         "on_roll_from": "2021-09-01", "on_roll_to": None, "plan_review_due": "2026-01-10",
         "ehcp_review_due": "2026-03-01"},
        {"id": 11, "school_id": 2, "upn": None, "display_name": None, "date_of_birth": None,
         "year_group": "R", "tier": "universal", "primary_need": None, "secondary_need": None,
         "reg_group": None, "on_roll_from": None, "on_roll_to": "2024-07-19",
         "plan_review_due": None, "ehcp_review_due": None},
    ],
    "staff": [
        {"id": 20, "school_id": 1, "name": "Ms Ada Shah", "role": "senco", "fte": 0.8,
         "cpd_hours": 12.5, "email": "ada@example.invalid", "start_date": "2019-09-01",
         "leaving_date": None},
        {"id": 21, "school_id": 2, "name": "Mr Ben Cole", "role": "ta", "fte": 1.0,
         "cpd_hours": 0, "email": None, "start_date": None, "leaving_date": "2025-08-31"},
    ],
    "supports": [
        {"id": 30, "school_id": 1, "staff_id": 20, "pupil_id": 10, "reg_group": None,
         "kind": "one_to_one"},
        {"id": 31, "school_id": 1, "staff_id": 20, "pupil_id": None, "reg_group": "5B",
         "kind": "class_teacher"},
    ],
    "modules": [
        {"id": 40, "code": "ASD-1", "title": "Autism: first steps", "level": "targeted",
         "hours": 1.5, "audience": "teacher,ta", "refresh_months": 36, "provider": "external",
         "organisation": "Autism Education Trust", "cost": 95.0, "mandatory_specialist": 1},
    ],
    "module_needs": [{"module_id": 40, "need": "ASD"}, {"module_id": 40, "need": "SLCN"}],
    "training_records": [{"id": 50, "staff_id": 20, "module_id": 40, "completed": "2023-05-04"}],
    "qualifications": [
        {"id": 60, "staff_id": 20, "kind": "npq_senco", "title": "NPQ for SENCOs",
         "status": "in_progress", "started": "2024-09-01", "completed": None,
         "expected": "2026-07-31"},
    ],
    "confidence": [
        {"id": 70, "staff_id": 21, "need": "SEMH", "rating": 2, "rated_on": "2025-01-15"},
    ],
}  # fmt: skip


def _first_schema_file(path: Path) -> None:
    """A database as the first release left it: only the first migration, full of rows."""
    db = connect(path)
    try:
        MIGRATIONS.apply(db, stop_before=SECOND)
        assert [m.name for m in MIGRATIONS.applied(db)] == [FIRST]
        for table, rows in FIRST_ROWS.items():
            for row in rows:
                columns = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        db.conn.commit()
    finally:
        db.close()


def _rows(db: Database | sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    """The table's rows, only the columns the first schema had, in a stable order."""
    columns = list(FIRST_ROWS[table][0])
    cursor = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {columns[0]}, rowid")
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def _expected(table: str) -> list[dict[str, Any]]:
    key = next(iter(FIRST_ROWS[table][0]))
    return sorted(FIRST_ROWS[table], key=lambda row: (row[key], repr(row)))


def test_the_first_schema_fixture_fills_every_table_and_column(tmp_path: Path) -> None:
    """If the first migration's tables or columns were not all covered, the test below
    could miss a loss: this keeps the fixture honest."""
    path = tmp_path / "old.db"
    _first_schema_file(path)
    db = Database(path)
    try:
        tables = set(db.table_names()) - {MIGRATIONS.migrations_table}
        assert tables == set(FIRST_ROWS)
        for table, rows in FIRST_ROWS.items():
            assert set(db[table].columns_dict) == set(rows[0]), table
    finally:
        db.close()


def test_upgrading_the_first_schema_loses_nothing_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "school.db"
    _first_schema_file(path)

    db = open_database(path)
    try:
        assert schema_version(db) == LAST
        assert MIGRATIONS.pending(db) == []
        for table in FIRST_ROWS:
            assert _rows(db, table) == _expected(table), table
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()

    folder = tmp_path / "backups"
    backups = sorted(folder.iterdir())
    assert [p.name.startswith(f"school-before-{SECOND}-") for p in backups] == [True]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    # The backup is the file as it was before the migration: the first schema, every row.
    old = sqlite3.connect(backups[0])
    try:
        applied = old.execute("SELECT name FROM _sqlite_migrations").fetchall()
        assert applied == [(FIRST,)]
        for table in FIRST_ROWS:
            assert _rows(old, table) == _expected(table), table
    finally:
        old.close()


def test_opening_again_takes_no_further_backup(tmp_path: Path) -> None:
    path = tmp_path / "school.db"
    _first_schema_file(path)
    open_database(path).close()
    open_database(path).close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_a_new_file_is_not_backed_up(tmp_path: Path) -> None:
    open_database(tmp_path / "new.db").close()
    assert not (tmp_path / "backups").exists()


def test_no_backup_no_migration(tmp_path: Path) -> None:
    """If the backup cannot be written, the schema is not changed."""
    path = tmp_path / "school.db"
    _first_schema_file(path)
    (tmp_path / "backups").write_text("a file where the folder would go")
    with pytest.raises(StoreError, match="not changed"):
        open_database(path)
    db = Database(path)
    try:
        assert [m.name for m in MIGRATIONS.applied(db)] == [FIRST]
    finally:
        db.close()


def test_only_the_last_automatic_backups_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    older = [folder / f"school-before-0001_x-2020010{day}T000000Z.db" for day in range(1, 7)]
    for path in older:
        path.write_bytes(b"")
    unrelated = [folder / "other-before-0001_x-20200101T000000Z.db", folder / "notes.txt"]
    for path in unrelated:
        path.write_bytes(b"")
    path = tmp_path / "school.db"
    _first_schema_file(path)
    monkeypatch.setattr(store_backup, "_stamp", lambda: "20990101T000000Z")
    open_database(path).close()
    kept = sorted(p.name for p in folder.glob("school-before-*"))
    assert len(kept) == store_backup.KEEP_AUTOMATIC
    assert kept[-1] == f"school-before-{SECOND}-20990101T000000Z.db"
    assert kept[:-1] == [p.name for p in older[-(store_backup.KEEP_AUTOMATIC - 1) :]]
    assert all(p.exists() for p in unrelated)
