"""Importing a school's training levels, and what the table does to its priorities."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.levels import DEFAULT_TABLE
from sencoplan.domain.models import Module, Pupil, School, StaffMember
from sencoplan.domain.staff_codes import ModuleLevel, Role, SupportKind
from sencoplan.io.importers import ImportRejected, import_file
from sencoplan.io.report import ImportReport
from sencoplan.store.catalogue import save_module
from sencoplan.store.levels import LevelsError, level_table, save_level_table
from sencoplan.store.priorities import load_priorities
from sencoplan.store.priority_cache import file_result
from sencoplan.store.pupils import save_pupil
from sencoplan.store.schools import save_school
from sencoplan.store.staff import save_staff
from tests.core_helpers import WriteFile, csv_text, snapshot

TODAY = dt.date(2026, 11, 23)
HEADINGS = ["Relationship", "Targeted", "Targeted Plus", "Specialist"]


def run(db: Database, path: Path) -> ImportReport:
    return import_file(db, "levels", path, school="Oakfield Primary School", today=TODAY)


def test_a_school_table_is_kept_and_read_back(
    db: Database, school: School, write_file: WriteFile
) -> None:
    path = write_file(
        "levels.csv", csv_text(HEADINGS, [["class teacher", "universal", "targeted", "targeted"]])
    )
    report = run(db, path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)  # one row, moved
    assert school.id is not None
    table = level_table(db, school.id)
    assert table.required(SupportKind.CLASS_TEACHER, Tier.TARGETED_PLUS) is ModuleLevel.TARGETED
    assert table.changes == {(SupportKind.CLASS_TEACHER, Tier.TARGETED_PLUS): ModuleLevel.TARGETED}
    # Importing the default back leaves no rows behind.
    run(
        db,
        write_file(
            "back.csv",
            csv_text(HEADINGS, [["class teacher", "universal", "universal", "targeted"]]),
        ),
    )
    assert level_table(db, school.id) == DEFAULT_TABLE


def test_a_table_that_asks_less_of_a_closer_adult_is_refused_whole(
    db: Database, school: School, write_file: WriteFile
) -> None:
    before = snapshot(db)
    path = write_file(
        "levels.csv",
        csv_text(
            HEADINGS,
            [
                ["key adult", "targeted", "targeted", "specialist"],
                ["1:1", "universal", "targeted", "targeted"],
            ],
        ),
    )
    with pytest.raises(ImportRejected) as raised:
        run(db, path)
    assert snapshot(db) == before
    (error,) = raised.value.errors
    assert "cannot need a lower level" in error.reason
    assert "key adult needs targeted but 1:1 support, a closer relationship, only universal" in (
        error.reason
    )


def test_bad_cells_are_named_by_line_and_column(
    db: Database, school: School, write_file: WriteFile
) -> None:
    path = write_file(
        "levels.csv",
        csv_text(
            HEADINGS, [["dinner lady", "targeted", "", "expert"], ["key adult", "t", "t", "s"]]
        ),
    )
    with pytest.raises(ImportRejected) as raised:
        run(db, path)
    found = {(e.line, e.column) for e in raised.value.errors}
    assert (2, "Relationship") in found
    assert (2, "Targeted Plus") in found
    assert (2, "Specialist") in found
    assert (3, "Specialist") in found  # "s" is not a level


def test_saving_a_non_monotone_table_is_refused(db: Database, school: School) -> None:
    assert school.id is not None
    with pytest.raises(LevelsError):
        save_level_table(
            db,
            school.id,
            DEFAULT_TABLE.with_level(
                SupportKind.ONE_TO_ONE, Tier.SPECIALIST, ModuleLevel.UNIVERSAL
            ),
        )
    assert level_table(db, school.id) == DEFAULT_TABLE


def test_the_table_moves_the_schools_priorities_and_its_kept_lines(
    db: Database, school: School
) -> None:
    """A teacher with universal SEMH training teaches two pupils on targeted plus: the default
    asks universal of a class teacher; a school asking targeted sees them short of it."""
    assert school.id is not None
    other = save_school(db, School(name="Brook Academy"))
    for where in (school, other):
        assert where.id is not None
        save_staff(db, StaffMember(school_id=where.id, name="Ann Lee", role=Role.TEACHER))
        for n in range(2):
            save_pupil(
                db,
                Pupil(
                    school_id=where.id,
                    year_group="5",
                    tier=Tier.TARGETED_PLUS,
                    primary_need=NeedType.SEMH,
                    display_name=f"Pupil {n}",
                ),
            )
    semh = save_module(
        db, Module(code="SEMH-U", title="SEMH", needs=(NeedType.SEMH,), level="universal")
    )
    for staff_id in [row[0] for row in db.execute("SELECT id FROM staff").fetchall()]:
        db.execute(
            "INSERT INTO training_records (staff_id, module_id, completed) "
            "VALUES (?, ?, '2025-01-01')",
            (staff_id, semh.id),
        )
    (line,) = load_priorities(db, TODAY, school.id).priorities
    assert line.staff_meeting == {"all": 1, "some": 0, "below": 0, "none": 0}
    assert file_result(db, TODAY).priorities[0].staff_trained == 2  # kept for both schools

    save_level_table(
        db,
        school.id,
        DEFAULT_TABLE.with_level(
            SupportKind.CLASS_TEACHER, Tier.TARGETED_PLUS, ModuleLevel.TARGETED
        ),
    )
    (line,) = load_priorities(db, TODAY, school.id).priorities
    assert line.staff_meeting == {"all": 0, "some": 0, "below": 1, "none": 0}
    # The school's kept lines were dropped and worked out again; the other school's stand.
    assert file_result(db, TODAY).priorities[0].staff_meeting == {
        "all": 1,
        "some": 0,
        "below": 1,
        "none": 0,
    }
    assert line.reason().endswith(
        "0 of 1 staff who work with them have the training their role needs, "
        "1 holds it at a lower level"
    )
