"""Whether a file's schema is whole: every table, column, index and trigger its applied
migrations made is still there.

A file with a table dropped by hand (or by another tool) still passes SQLite's own
integrity check, and would then fail later with "no such table" in the middle of a
command. Comparing it with a fresh in-memory database taken through the same migrations
finds that at once, so `check`, `restore` and opening the file can say so plainly.
"""

from __future__ import annotations

import functools

from sqlite_utils import Database

from sencoplan.store.migrations import MIGRATIONS

_KINDS = ("table", "index", "trigger", "view")


def known_migrations() -> list[str]:
    """The migrations this version of sencoplan knows, in the order they are applied."""
    return [migration.name for migration in MIGRATIONS._migrations]


def newer_migrations(db: Database) -> list[str]:
    """Migrations applied to the file that this sencoplan does not know: a newer sencoplan
    made or upgraded it."""
    known = set(known_migrations())
    return [m.name for m in MIGRATIONS.applied(db) if m.name not in known]


Shape = tuple[frozenset[tuple[str, str, str]], tuple[tuple[str, frozenset[str]], ...]]
"""The objects a schema holds ((kind, name, table) triples) and each table's column names."""


def _shape(db: Database) -> Shape:
    objects = frozenset(
        (str(kind), str(name), str(table))
        for kind, name, table in db.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN (?, ?, ?, ?) "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != ?",
            (*_KINDS, MIGRATIONS.migrations_table),
        ).fetchall()
    )
    columns = tuple(
        sorted(
            (name, frozenset(str(row[1]) for row in db.execute(f'PRAGMA table_info("{name}")')))
            for kind, name, _ in objects
            if kind == "table"
        )
    )
    return objects, columns


@functools.lru_cache(maxsize=8)
def _expected(applied: tuple[str, ...]) -> Shape:
    """The shape a fresh database has after the named migrations (known ones only)."""
    reference = Database(memory=True)
    try:
        for migration in MIGRATIONS._migrations:
            if migration.name in applied:
                migration.fn(reference)
        return _shape(reference)
    finally:
        reference.close()


def missing_parts(db: Database) -> list[str]:
    """What the file lacks of the schema its applied migrations made, in plain words
    (empty: nothing is missing). Extra tables or columns are not a problem. Read-only."""
    applied = tuple(m.name for m in MIGRATIONS.applied(db))
    if not applied:
        return []
    expected_objects, expected_columns = _expected(applied)
    objects, columns = _shape(db)
    gone = sorted(expected_objects - objects, key=lambda item: (item[0] != "table", item))
    tables_gone = {name for kind, name, _ in gone if kind == "table"}
    # A missing table's own indexes and triggers go with it: name the table only.
    found = [
        f"its {kind} {name} is missing"
        for kind, name, table in gone
        if kind == "table" or table not in tables_gone
    ]
    present = dict(columns)
    for table, wanted in expected_columns:
        if table in present:
            found += [
                f"its table {table} has no column {column}"
                for column in sorted(wanted - present[table])
            ]
    return found
