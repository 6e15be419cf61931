"""`sencoplan check`: the file's integrity, foreign keys and schema, changing nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sencoplan.cli.common import EXIT_BAD_DATA, EXIT_OK, UsageError, db_option, db_path

if TYPE_CHECKING:
    from sencoplan.store.db import DatabaseCheck


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Run SQLite's integrity and foreign-key checks and report the schema and any pending "
        "migrations. Changes nothing: the file is not set up or migrated."
    )
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    """Report on the file as it is: nothing is created, set up or migrated."""
    from sencoplan.store.db import StoreError, inspect_database

    path = db_path(args)
    if not path.exists():
        raise UsageError(f"{path} does not exist: give the database with --db")
    try:
        result = inspect_database(path)
    except StoreError as error:
        # Damage says how to restore a backup; a full disk or read-only media does not
        # (restoring would replace a healthy file).
        print(error, file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"database: {path}")
    print(f"schema version: {result.schema}")
    if result.other_tables:
        tables = ", ".join(result.other_tables)
        print(
            f"{path} is not a sencoplan database: it already holds other tables ({tables})",
            file=sys.stderr,
        )
        return EXIT_BAD_DATA
    _report(path, result)
    return EXIT_OK if result.ok else EXIT_BAD_DATA


def _report(path: Path, result: DatabaseCheck) -> None:
    from sencoplan.store.backup import restore_hint

    if result.is_sencoplan:
        print(f"schema: {'damaged' if result.missing else 'complete'}")
    if result.pending_migrations:
        pending = ", ".join(result.pending_migrations)
        print(f"pending migrations: {pending} (applied when sencoplan next opens the file)")
    else:
        print("pending migrations: none")
    print(f"integrity: {', '.join(result.integrity)}")
    if result.foreign_key_problems:
        for table, rowid, parent in result.foreign_key_problems:
            print(f"foreign key problem: {table} row {rowid} points to a missing {parent}")
    else:
        print("foreign keys: ok")
    for part in result.missing:
        print(f"damaged: {part}", file=sys.stderr)
    damaged = result.integrity != ["ok"] or result.foreign_key_problems or result.missing
    if result.is_sencoplan and damaged:
        print(restore_hint(path), file=sys.stderr)
    if result.newer_migrations:
        print(
            f"{path} was made by a newer sencoplan (schema "
            f"{', '.join(result.newer_migrations)}): upgrade sencoplan to use it",
            file=sys.stderr,
        )
    if not result.is_sencoplan:
        print(
            f"{path} is not a sencoplan database yet: it is empty "
            "(sencoplan sets it up when it first opens it)",
            file=sys.stderr,
        )
