"""Turning domain models into rows and back: dates as ISO text, enums as their codes."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

ModelT = TypeVar("ModelT", bound=BaseModel)


def to_row(model: BaseModel, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """A model as a row: JSON-mode dump so dates are ISO strings and enums plain codes."""
    row = model.model_dump(mode="json", exclude=exclude)
    if row.get("id") is None:
        row.pop("id", None)
    return row


def from_row(cls: type[ModelT], row: dict[str, Any]) -> ModelT:
    return cls.model_validate(row)


def fetch(db: Database, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a query as dicts keyed by column name."""
    cursor = db.execute(sql, params)
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def save_row(db: Database, table: str, row: dict[str, Any], row_id: int | None) -> int:
    """Insert a new row or update the row with that id; returns the id."""
    target = db.table(table)
    if row_id is None:
        target.insert(row)
        assert target.last_rowid is not None
        return target.last_rowid
    target.update(row_id, row)
    return row_id


def delete_row(db: Database, table: str, row_id: int) -> None:
    db.table(table).delete(row_id)
