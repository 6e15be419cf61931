"""Writing many rows at once, as an import does: inserts in one prepared statement per
batch, updates by id, progress reported batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlite_utils import Database

BATCH = 500
T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called with (rows written, rows to write) as the rows go in."""


def batches(items: list[T], size: int = BATCH) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_in_batches(
    db: Database,
    table: str,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    progress: Progress,
) -> None:
    """Insert new rows and upsert changed rows by id, reporting progress batch by batch."""
    total = len(inserts) + len(updates)
    done = 0
    progress(done, total)
    for chunk in batches(inserts):
        _insert_rows(db, table, chunk)
        done += len(chunk)
        progress(done, total)
    for chunk in batches(updates):
        db.table(table).upsert_all(chunk, pk="id", batch_size=BATCH)
        done += len(chunk)
        progress(done, total)


def _insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """One prepared statement run over the rows (executemany): the rows come from our own
    models, so every value is already a plain SQLite value and every row has the same
    columns; sqlite-utils' insert_all would check each value and rebuild the statement."""
    if not rows:
        return
    columns = list(rows[0])
    shape = rows[0].keys()
    if any(row.keys() != shape for row in rows):  # not one shape: let sqlite-utils cope
        db.table(table).insert_all(rows, batch_size=BATCH)
        return
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join("?" * len(columns))
    db.conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        [tuple(row[column] for column in columns) for row in rows],
    )
