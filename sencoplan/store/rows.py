"""Turning domain models into rows and back: dates as ISO text, enums as their codes."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

from sencoplan.store.db import write_transaction

ModelT = TypeVar("ModelT", bound=BaseModel)


def to_row(model: BaseModel, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """A model as a row: JSON-mode dump so dates are ISO strings and enums plain codes."""
    row = model.model_dump(mode="json", exclude=exclude)
    if row.get("id") is None:
        row.pop("id", None)
    return row


def from_row(cls: type[ModelT], row: dict[str, Any]) -> ModelT:
    return cls.model_validate(row)


def fetch(
    db: Database, sql: str, params: tuple[Any, ...] | list[Any] | dict[str, Any] = ()
) -> list[dict[str, Any]]:
    """Rows of a query as dicts keyed by column name."""
    cursor = db.execute(sql, params)
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def save_row(db: Database, table: str, row: dict[str, Any], row_id: int | None) -> int:
    """Insert a new row or update the row with that id; returns the id.

    In a write transaction: an update reads the row (to check it is there) before it
    writes, and that pair must not be split by another process's write (nor fail at once
    with "database is locked" because one is under way)."""
    target = db.table(table)
    with write_transaction(db):
        if row_id is None:
            target.insert(row)
            assert target.last_rowid is not None
            return target.last_rowid
        target.update(row_id, row)
        return row_id


def delete_row(db: Database, table: str, row_id: int) -> None:
    """Delete the row with that id (a read to find it, then the delete: one transaction)."""
    with write_transaction(db):
        db.table(table).delete(row_id)
