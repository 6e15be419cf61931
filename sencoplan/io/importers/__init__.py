"""`import_file`: one file in, all or nothing, with a report of what changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType

from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.io.columns import map_headings
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.importers import (
    actions,
    candidates,
    confidence,
    leaders,
    levels,
    modules,
    provisions,
    pupils,
    qualifications,
    rates,
    roles,
    schools,
    staff,
    supports,
    terms,
    training,
)
from sencoplan.io.importers.base import ImportContext
from sencoplan.io.report import ImportReport
from sencoplan.io.tabular import Table, read_table
from sencoplan.store.bulk import Progress
from sencoplan.store.db import write_transaction
from sencoplan.store.schools import list_schools, save_school, schools_matching

IMPORTERS: dict[str, ModuleType] = {
    "schools": schools,
    "pupils": pupils,
    "staff": staff,
    "modules": modules,
    "training": training,
    "confidence": confidence,
    "supports": supports,
    "levels": levels,
    "qualifications": qualifications,
    "roles": roles,
    "candidates": candidates,
    "actions": actions,
    "leaders": leaders,
    "terms": terms,
    "provisions": provisions,
    "rates": rates,
}
"""Every kind of file, in the order a new school would import them."""


class _DryRunDone(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _resolve_school(db: Database, name: str | None, source: str, report: ImportReport) -> School:
    """The school `name` means: its name or URN, or a part of a name that only one school
    has ('Oakfield' for 'Oakfield Primary School'). A part that several schools share is
    refused, naming them; a name that matches no school creates one."""
    if name:
        found = schools_matching(db, name)
        if len(found) > 1:
            names = " or ".join(repr(school.name) for school in found)
            reason = f"{name.strip()!r} matches several schools: give more of the name ({names})"
            raise ImportRejected(source, [RowError(0, "", reason)])
        if found:
            school = found[0]
        else:
            school = save_school(db, School(name=name.strip()))
            report.school_created = True
        report.school = school.name
        return school
    known = list_schools(db)
    if len(known) == 1:
        report.school = known[0].name
        return known[0]
    reason = (
        "name the school to import into with --school NAME"
        if not known
        else "the database holds several schools: choose one with --school "
        + " or ".join(repr(school.name) for school in known)
    )
    raise ImportRejected(source, [RowError(0, "", reason)])


def import_table(
    db: Database,
    kind: str,
    table: Table,
    *,
    school: str | None = None,
    dry_run: bool = False,
    full_roll: bool = True,
    allow_many_leavers: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then write all of them in one transaction, or none at all.

    `school`: the school's name or URN (a new name creates it); may be left out when the
    file holds one school. `dry_run`: check and report, write nothing. Pupils only:
    `full_roll` marks pupils missing from the file as left; a full roll that would mark more
    than half of the school's roll (and more than 10 pupils) as left is refused unless
    `allow_many_leavers`.
    """
    importer = IMPORTERS[kind]
    report = ImportReport(kind=kind, source=table.source, dry_run=dry_run)
    headings, errors = map_headings(table, importer.columns)
    report.ignored_columns = headings.ignored
    if errors:
        raise ImportRejected(table.source, errors, ignored=headings.ignored)
    if not table.rows:
        # Never "succeed" with nothing: a full roll with no rows would mark everyone as left.
        raise ImportRejected(
            table.source, [RowError(0, "", "the file has headings but no rows: nothing to import")]
        )
    try:
        with write_transaction(db):
            chosen = (
                _resolve_school(db, school, table.source, report)
                if importer.school_scoped
                else None
            )
            ctx = ImportContext(
                db=db,
                table=table,
                headings=headings,
                report=report,
                today=today or dt.date.today(),
                school=chosen,
                full_roll=full_roll,
                allow_many_leavers=allow_many_leavers,
            )
            write = importer.prepare(ctx)
            if dry_run:
                raise _DryRunDone
            write(progress or (lambda done, total: None))
    except _DryRunDone:
        pass
    except ImportRejected as rejected:
        if not headings.ignored or rejected.ignored:
            raise
        raise rejected.ignoring(headings.ignored) from None
    return report


def import_file(
    db: Database,
    kind: str,
    path: Path | str,
    **options: object,
) -> ImportReport:
    """Read a CSV or XLSX file and import it (see `import_table` for the options)."""
    if kind not in IMPORTERS:
        raise ValueError(f"unknown kind of import {kind!r}")
    return import_table(db, kind, read_table(path), **options)  # type: ignore[arg-type]


__all__ = ["IMPORTERS", "ImportRejected", "ImportReport", "import_file", "import_table"]
