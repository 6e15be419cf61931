"""Shared by the hostile-input tests of every importer (imported as `tests.import_fuzz_helpers`).

A small invented school that every kind of file can refer to, one good file of each kind,
a dump of every table to prove a refused file wrote nothing, and the checks that a
refusal is sencoplan's own clear error: at least one reason, each with where and why.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Module, Pupil, School, StaffMember
from sencoplan.domain.staff_codes import Role
from sencoplan.io.errors import MAX_COLUMN_CHARS, MAX_REASON_CHARS, RowError
from sencoplan.io.importers import IMPORTERS, ImportRejected, import_file
from sencoplan.io.report import ImportReport
from sencoplan.store import open_database
from sencoplan.store.catalogue import save_module
from sencoplan.store.pupils import save_pupil
from sencoplan.store.schools import save_school
from sencoplan.store.staff import save_staff
from tests.core_helpers import TODAY, make_upn

SCHOOL = "Oakfield Primary School"
U1, U2, U3 = make_upn(1), make_upn(2), make_upn(3)
KINDS = list(IMPORTERS)

# One good file of each kind, in Latin-1 letters so that every encoding can carry it.
GOOD: dict[str, tuple[list[str], list[list[str]]]] = {
    "schools": (["Name", "URN", "Phase", "Setting"], [["Brook Académie", "1234567", "AP", ""]]),
    "pupils": (
        ["UPN", "Surname", "Forename", "DOB", "Year Group", "SEN Status", "Primary Need", "Reg"],
        [
            [U1, "Núñez", "José", "03/04/2016", "5", "N", "", "5P"],
            [U2, "Ó Briain", "Siobhán", "05/06/2015", "6", "K", "ASD", "6K"],
            [U3, "D'Souza", "Zoë", "07/08/2016", "5", "E", "SLCN", "5P"],
        ],
    ),
    "staff": (
        ["Name", "Role", "FTE", "CPD Hours", "Email", "Start Date", "Leaving Date"],
        [["Dee Ó Néill", "TA", "0.6", "6", "", "01/09/2024", ""]],
    ),
    "modules": (
        [
            *("Code", "Title", "Needs", "Level", "Hours", "Audience", "Refresh Months"),
            *("Provider", "Organisation", "Cost", "Mandatory In Specialist", "Trains CPD Leaders"),
        ],
        [
            [
                *("SEMH-3", "Trauma-informed café", "SEMH", "targeted", "2", "TA", "36"),
                *("external", "Café Learning", "£250", "no", "no"),
            ]
        ],
    ),
    "training": (["Staff", "Module", "Completed"], [["Zoë Ó Briain", "ASD-1", "01/09/2025"]]),
    "confidence": (
        ["Staff", "Need", "Rating", "Date"],
        [["Zoë Ó Briain", "Autism", "3", "01/10/2026"]],
    ),
    "supports": (
        ["Staff", "UPN", "Class", "Kind"],
        [["Zoë Ó Briain", U2, "", "1:1"], ["Ann Lee", "", "5P", ""]],
    ),
    "provisions": (
        ["UPN", "Provision", "Need", "Kind", "Delivered By", "Group Size", "Cost Per Hour"],
        [
            [U2, "Café de parole", "SLCN", "small group", "Zoë Ó Briain", "4", "£14.50"],
            [U1, "Orthophonie", "SLCN", "external", "Ana Núñez SLT", "1", "70"],
        ],
    ),
    "rates": (["Role", "Hourly Rate"], [["HLTA", "£18,50"], ["Teacher", "£34"]]),
    "qualifications": (
        ["Staff", "Qualification", "Status", "Title", "Started", "Completed", "Expected"],
        [["Cara Singh", "NASENCO", "held", "Université", "", "15/07/2019", ""]],
    ),
    "roles": (
        ["Role", "Kind", "Need", "Holder", "Holder Since"],
        [["SENCO", "", "", "Cara Singh", "01/09/2024"]],
    ),
    "candidates": (
        ["Role", "Staff", "Readiness", "Notes"],
        [["SENCO", "Zoë Ó Briain", "ready now", "Café chats"]],
    ),
    "actions": (
        ["Staff", "Action", "By", "Due", "Status", "Module", "Role"],
        [["Zoë Ó Briain", "Shadow the SENCO", "Cara Singh", "01/02/2027", "planned", "ASD-1", ""]],
    ),
    "leaders": (["Staff", "Module"], [["Zoë Ó Briain", "ASD-1"]]),
    "levels": (
        ["Relationship", "Targeted", "Targeted Plus", "Specialist"],
        [["Class teacher", "universal", "targeted", "targeted"]],
    ),
    "terms": (
        [
            *("Term", "Start", "End", "Closures", "Slot Rule", "Slot Start", "Slot Minutes"),
            *("CPD Budget", "SENCO Hours", "EHCP Review Hours", "ISP Review Hours"),
        ],
        [
            [
                *("Autumn 2026", "01/09/2026", "18/12/2026", "26/10/2026-30/10/2026 Half term"),
                *("FREQ=WEEKLY;BYDAY=TU", "15:45", "60", "1000", "10", "3", "1"),
            ]
        ],
    ),
}


def base_database() -> Database:
    """An in-memory file with one school, four staff, two modules and two pupils."""
    db = open_database(":memory:")
    school = save_school(db, School(name=SCHOOL, urn="123456"))
    assert school.id is not None
    for name, role in (
        ("Ann Lee", Role.TEACHER),
        ("Bob Ray", Role.TA),
        ("Cara Singh", Role.SENCO),
        ("Zoë Ó Briain", Role.TA),
    ):
        save_staff(db, StaffMember(school_id=school.id, name=name, role=role))
    save_module(db, Module(code="ASD-1", title="Autism awareness", needs=(NeedType.ASD,)))
    save_module(db, Module(code="EPI-2", title="Epilepsy", needs=(NeedType.PD,), refresh_months=12))
    save_pupil(db, Pupil(school_id=school.id, upn=U1, year_group="5", reg_group="5P"))
    save_pupil(
        db,
        Pupil(
            school_id=school.id,
            upn=U2,
            year_group="6",
            reg_group="6K",
            tier=Tier.TARGETED,
            primary_need=NeedType.ASD,
        ),
    )
    return db


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the file (found in sqlite_master, not listed by hand)."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    return {
        table: sorted(db.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        for table in tables
    }


def content(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """The dump without the record of migrations (when they ran): for comparing two files."""
    return {table: rows for table, rows in dump(db).items() if table != "_sqlite_migrations"}


def csv_bytes(
    headings: list[str],
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def good_csv(kind: str, encoding: str = "utf-8") -> bytes:
    headings, rows = GOOD[kind]
    return csv_bytes(headings, rows, encoding=encoding)


def run(db: Database, kind: str, path: Path, **options: Any) -> ImportReport:
    if IMPORTERS[kind].school_scoped:
        options.setdefault("school", SCHOOL)
    options.setdefault("today", TODAY)
    return import_file(db, kind, path, **options)


def check_clear(errors: list[RowError], *, last_line: int | None = None) -> None:
    """Every reason says where (a line, 0 for the whole file) and why, in a readable length."""
    assert errors, "a refusal without a reason"
    for error in errors:
        assert isinstance(error, RowError)
        assert error.line >= 0
        if last_line is not None:
            assert error.line <= last_line, error
        assert error.reason.strip(), error
        assert len(error.reason) <= MAX_REASON_CHARS
        assert len(error.column) <= MAX_COLUMN_CHARS
        assert "Traceback" not in error.reason


def refused(
    db: Database, kind: str, path: Path, *, last_line: int | None = None, **options: Any
) -> list[RowError]:
    """The errors a file is refused with, after proving they are clear and nothing changed."""
    before = dump(db)
    with pytest.raises(ImportRejected) as raised:
        run(db, kind, path, **options)
    check_clear(raised.value.errors, last_line=last_line)
    assert str(raised.value).startswith(f"{path.name}: refused, nothing was imported")
    assert dump(db) == before
    return raised.value.errors


def reasons(errors: list[RowError]) -> str:
    return "\n".join(str(error) for error in errors)
