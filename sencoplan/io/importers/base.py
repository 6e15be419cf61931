"""The shared shape of every importer: read, map headings, validate every row, then write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.io.columns import Column, HeadingMap, RowReader
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.report import ImportReport
from sencoplan.io.tabular import Table

Progress = Callable[[int, int], None]
"""Called with (rows written, rows to write) as an import goes."""

BATCH = 500
T = TypeVar("T")


@dataclass
class ImportContext:
    db: Database
    table: Table
    headings: HeadingMap
    report: ImportReport
    today: dt.date
    school: School | None
    full_roll: bool = True
    allow_many_leavers: bool = False
    errors: list[RowError] = field(default_factory=list)
    _staff_ids: dict[str, int] | None = None

    @property
    def school_id(self) -> int:
        assert self.school is not None and self.school.id is not None
        return self.school.id

    def rows(self) -> Iterator[RowReader]:
        for row in self.table.rows:
            yield RowReader(row, self.headings, self.errors)

    def reject_if_errors(self) -> None:
        if self.errors:
            raise ImportRejected(self.table.source, self.errors)


Writer = Callable[[Progress], None]


class Importer(Protocol):
    columns: list[Column]
    school_scoped: bool

    def prepare(self, ctx: ImportContext) -> Writer:
        """Validate every row (raising ImportRejected) and return what writes them."""
        ...


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
    """One prepared INSERT run over the rows (executemany): the rows come from our own
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


def _name_key(name: str) -> str:
    """A person's name as files refer to it: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def staff_lookup(ctx: ImportContext, reader: RowReader, field_name: str = "staff") -> int | None:
    """The id of the member of staff a row names, or an error saying who is missing."""
    from sencoplan.store.staff import staff_by_name

    if ctx._staff_ids is None:
        ctx._staff_ids = {
            _name_key(key): int(member.id)
            for key, member in staff_by_name(ctx.db, ctx.school_id).items()
            if member.id is not None
        }
    name = reader.read(field_name, str, required=True)
    if name is None:
        return None
    staff_id = ctx._staff_ids.get(_name_key(name))
    if staff_id is None:
        assert ctx.school is not None
        reader.error(field_name, f"no member of staff called {name!r} in {ctx.school.name}")
    return staff_id
