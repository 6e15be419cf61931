"""The SQLite file: opening it safely, its schema, and typed reads and writes."""

from sencoplan.store.db import (
    DatabaseCheck,
    StoreError,
    check_database,
    connect,
    default_db_path,
    demo_db_path,
    inspect_database,
    open_database,
    other_tables,
    schema_version,
    write_transaction,
)

__all__ = [
    "DatabaseCheck",
    "StoreError",
    "check_database",
    "connect",
    "default_db_path",
    "demo_db_path",
    "inspect_database",
    "open_database",
    "other_tables",
    "schema_version",
    "write_transaction",
]
