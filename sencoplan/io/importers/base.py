"""The shared shape of every importer: read, map headings, validate every row, then write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.domain.names import nearest
from sencoplan.io.columns import Column, HeadingMap, RowReader
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.report import ImportReport
from sencoplan.io.tabular import Table
from sencoplan.store.bulk import Progress


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
    _staff_names: list[str] | None = None

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


def _name_key(name: str) -> str:
    """A person's name as files refer to it: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def staff_named(ctx: ImportContext, name: str) -> int | None:
    """The id of the school's member of staff of that name (case and spaces aside)."""
    from sencoplan.store.staff import staff_by_name

    if ctx._staff_ids is None:
        staff = staff_by_name(ctx.db, ctx.school_id)
        ctx._staff_ids = {
            _name_key(key): int(member.id) for key, member in staff.items() if member.id is not None
        }
        ctx._staff_names = [member.name for member in staff.values()]
    return ctx._staff_ids.get(_name_key(name))


def no_such_staff(ctx: ImportContext, name: str) -> str:
    """Why a name is refused, with the nearest names on the staff."""
    assert ctx.school is not None
    return f"no member of staff called {name!r} in {ctx.school.name}" + nearest(
        name, ctx._staff_names or ()
    )


def staff_lookup(ctx: ImportContext, reader: RowReader, field_name: str = "staff") -> int | None:
    """The id of the member of staff a row names, or an error saying who is missing."""
    name = reader.read(field_name, str, required=True)
    if name is None:
        return None
    staff_id = staff_named(ctx, name)
    if staff_id is None:
        reader.error(field_name, no_such_staff(ctx, name))
    return staff_id
