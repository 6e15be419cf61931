"""Whether a file's schema is sencoplan's, both ways: every table, column, index, trigger
and view its applied migrations made is there, and nothing else is.

A file with a table dropped by hand (or by another tool) still passes SQLite's own
integrity check, and would then fail later with "no such table" in the middle of a
command; a trigger planted in a backup (`after insert on pupils begin delete from staff`)
passes it too, and would run at the next import. Comparing the file with a fresh in-memory
database taken through the same migrations finds both at once, so `check`, `restore` and
opening the file can say so plainly.
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
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name != ?",
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


def schema_problems(db: Database, *, strict: bool = False) -> list[str]:
    """How the file's schema differs from the one its applied migrations made, in plain
    words: what is missing, then what sencoplan did not make (empty: it is whole).

    A trigger sencoplan did not make is always a problem: it runs on sencoplan's own writes.
    Another table, column, index or view (someone's notes, added with Datasette) is one only
    when `strict`: `check` names it and `restore` refuses a backup holding it, while the file
    in use still opens and is backed up. Read-only.
    """
    applied = tuple(m.name for m in MIGRATIONS.applied(db))
    if not applied:
        return []
    expected_objects, expected_columns = _expected(applied)
    objects, columns = _shape(db)
    extra = _extra(expected_objects, expected_columns, objects, columns)
    if not strict:
        extra = [problem for problem in extra if " trigger " in problem]
    return _missing(expected_objects, expected_columns, objects, columns) + extra


def _missing(
    expected_objects: frozenset[tuple[str, str, str]],
    expected_columns: tuple[tuple[str, frozenset[str]], ...],
    objects: frozenset[tuple[str, str, str]],
    columns: tuple[tuple[str, frozenset[str]], ...],
) -> list[str]:
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


def _extra(
    expected_objects: frozenset[tuple[str, str, str]],
    expected_columns: tuple[tuple[str, frozenset[str]], ...],
    objects: frozenset[tuple[str, str, str]],
    columns: tuple[tuple[str, frozenset[str]], ...],
) -> list[str]:
    added = sorted(objects - expected_objects, key=lambda item: (item[0] != "table", item))
    found = [
        f"it holds {'an' if kind == 'index' else 'a'} {kind} sencoplan did not make: {name}"
        for kind, name, _ in added
    ]
    wanted = dict(expected_columns)
    for table, present in columns:
        if table in wanted:
            found += [
                f"its table {table} has a column sencoplan did not make: {column}"
                for column in sorted(present - wanted[table])
            ]
    return found
