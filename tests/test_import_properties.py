"""Properties of the pupil importer: garbage is refused whole; valid rolls import whole."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import School
from sencoplan.domain.years import YEAR_GROUPS
from sencoplan.io.importers import ImportRejected, import_file
from sencoplan.store import open_database
from sencoplan.store.schools import save_school
from tests.core_helpers import TODAY, csv_text, make_upn, pupil_rows, snapshot

SCHOOL = "Oakfield Primary School"
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@pytest.fixture
def roll_db(db: Database, school: School) -> Database:
    return db


# --- nothing but ImportRejected, and nothing written -------------------------------------


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_random_bytes_are_refused_and_write_nothing(
    roll_db: Database, folder: Path, data: bytes, suffix: str
) -> None:
    path = folder / f"roll{suffix}"
    path.write_bytes(data)
    before = snapshot(roll_db)
    with pytest.raises(ImportRejected) as raised:
        import_file(roll_db, "pupils", path, school=SCHOOL, today=TODAY)
    assert raised.value.errors  # always at least one reason
    assert snapshot(roll_db) == before


ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
COLUMN_CELLS = [
    st.sampled_from([make_upn(n) for n in range(30)] + ["", make_upn(1)[1:]]),
    st.sampled_from(["7", "Year 7", "R", "N1", "14", "15", "", "Y"]),
    st.sampled_from(["", "N", "", "N", "K", "E", "SEN Support", "S"]),
    st.sampled_from(["", "ASD", "SLCN", "Autism", "ADHD"]),
    st.sampled_from(["", "01/02/2015", "2015-02-01", "31/02/2015", "01/02/15", "01/01/2027"]),
    st.sampled_from(["", "Zoë", "O'Brien, Jr"]),
]
ROW = st.tuples(*[st.one_of(cells, cells, cells, ANY_TEXT) for cells in COLUMN_CELLS]).map(list)


@settings(FAST, max_examples=150)
@given(
    rows=st.lists(ROW | ROW | st.lists(ANY_TEXT, max_size=8), max_size=4),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_rows_under_real_headings_import_whole_or_not_at_all(
    roll_db: Database, folder: Path, rows: list[list[str]], delimiter: str
) -> None:
    headings = ["UPN", "Year Group", "SEN Status", "Primary Need", "DOB", "Surname"]
    path = folder / "roll.csv"
    path.write_bytes(csv_text(headings, rows, delimiter).encode("utf-8"))
    before = snapshot(roll_db)
    try:
        report = import_file(roll_db, "pupils", path, school=SCHOOL, today=TODAY)
    except ImportRejected as rejected:
        event("refused")
        assert rejected.errors
        assert snapshot(roll_db) == before
    else:
        event("imported")
        assert report.created + report.updated + report.unchanged >= 1
        assert len(pupil_rows(roll_db)) == report.created + len(before["pupils"])


# --- generated valid rolls ---------------------------------------------------------------

NAME = st.text(alphabet="abcdeilnorsz ABCDOSZéëáíóúñçÖ'-", max_size=12)
STATUS_WORDS = {
    Tier.UNIVERSAL: ["N", "", "No SEN", "universal"],
    Tier.TARGETED: ["K", "SEN Support", "targeted"],
    Tier.TARGETED_PLUS: ["Targeted plus", "targeted_plus"],
    Tier.SPECIALIST: ["E", "EHC Plan", "Education, Health and Care Plan", "specialist"],
}
YEAR_SPELLINGS = {
    "N1": ["N1", "Nursery 1"],
    "N2": ["N2", "Nursery 2"],
    "R": ["R", "Reception"],
    **{year: [year, f"Year {year}", f"Y{year}", year.zfill(2)] for year in YEAR_GROUPS[3:]},
}


@st.composite
def pupil(draw: st.DrawFn, serial: int) -> tuple[list[str], tuple[Any, ...]]:
    """One valid row of a roll, and the row the database should hold for it."""
    upn = make_upn(serial, year=draw(st.sampled_from(["05", "15", "24"])))
    forename, surname = draw(NAME), draw(NAME)
    born = draw(st.dates(dt.date(2004, 9, 1), dt.date(2023, 8, 31)))
    year = draw(st.sampled_from(YEAR_GROUPS))
    tier = draw(st.sampled_from(list(Tier)))
    primary = secondary = None
    if tier.has_sen:
        # NSA (no specialist assessment) is for SEN support only, never with an EHCP.
        needs = [n for n in NeedType if tier is not Tier.SPECIALIST or n is not NeedType.NSA]
        primary = draw(st.sampled_from(needs))
        secondary = draw(st.none() | st.sampled_from([n for n in needs if n is not primary]))
    admitted = draw(st.none() | st.dates(dt.date(2015, 9, 1), dt.date(2027, 9, 1)))
    born_text = draw(st.sampled_from([born.strftime("%d/%m/%Y"), born.isoformat()]))
    cells = [
        draw(st.sampled_from([upn, upn.lower(), f"{upn[:4]} {upn[4:]}"])),
        surname,
        forename,
        born_text,
        draw(st.sampled_from(YEAR_SPELLINGS[year])),
        draw(st.sampled_from(STATUS_WORDS[tier])),
        draw(st.sampled_from([primary.value, primary.label])) if primary else "",
        draw(st.sampled_from([secondary.value, secondary.label.lower()])) if secondary else "",
        admitted.strftime("%d/%m/%Y") if admitted else "",
    ]
    name = " ".join(f"{forename} {surname}".split()) or None
    stored = (
        upn,
        name,
        born.isoformat(),
        year,
        tier.value,
        primary.value if primary else None,
        secondary.value if secondary else None,
        None,  # reg group
        admitted.isoformat() if admitted else None,
        None,  # left
        None,
        None,
    )
    return cells, stored


@st.composite
def roll(draw: st.DrawFn, min_size: int = 1) -> tuple[list[list[str]], list[tuple[Any, ...]]]:
    serials = draw(st.lists(st.integers(0, 999), min_size=min_size, max_size=30, unique=True))
    drawn = [draw(pupil(serial)) for serial in serials]
    return [cells for cells, _ in drawn], sorted(stored for _, stored in drawn)


ROLL_HEADINGS = [
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "Year Group",
    "SEN Status",
    "Primary Need",
    "Secondary Need",
    "Admission Date",
]


@FAST
@given(
    generated=roll(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    new_school=st.booleans(),
)
def test_a_valid_roll_imports_whole_and_twice_changes_nothing(
    folder: Path,
    generated: tuple[list[list[str]], list[tuple[Any, ...]]],
    encoding: str,
    delimiter: str,
    new_school: bool,
) -> None:
    rows, stored = generated
    path = folder / "roll.csv"
    path.write_bytes(csv_text(ROLL_HEADINGS, rows, delimiter).encode(encoding))
    db = open_database(":memory:")
    try:
        if not new_school:
            save_school(db, School(name=SCHOOL))
        report = import_file(db, "pupils", path, school=SCHOOL, today=TODAY)
        assert (report.created, report.updated, report.unchanged) == (len(rows), 0, 0)
        assert report.school_created is new_school
        assert pupil_rows(db) == stored
        after_first = snapshot(db)
        again = import_file(db, "pupils", path, school=SCHOOL, today=TODAY)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
        assert again.marked_left == 0
        assert snapshot(db) == after_first
    finally:
        db.close()


@FAST
@given(generated=roll(), keep=st.data())
def test_a_smaller_full_roll_marks_exactly_the_missing_pupils_as_left(
    folder: Path, generated: tuple[list[list[str]], list[tuple[Any, ...]]], keep: st.DataObject
) -> None:
    rows, stored = generated
    kept = keep.draw(st.lists(st.sampled_from(range(len(rows))), unique=True, min_size=1))
    db = open_database(":memory:")
    try:
        path = folder / "roll.csv"
        path.write_text(csv_text(ROLL_HEADINGS, rows), encoding="utf-8")
        import_file(db, "pupils", path, school=SCHOOL, today=TODAY)
        path.write_text(csv_text(ROLL_HEADINGS, [rows[i] for i in kept]), encoding="utf-8")
        report = import_file(
            db, "pupils", path, school=SCHOOL, today=TODAY, allow_many_leavers=True
        )
        by_upn = {row[0]: row for row in stored}
        missing = set(by_upn) - {stored_row[0] for stored_row in pupil_rows(db)}
        assert missing == set()  # nobody is deleted
        kept_upns = {
            upn for upn in by_upn if any(rows[i][0].replace(" ", "").upper() == upn for i in kept)
        }
        # Pupils who have not started yet are not on today's roll and are not marked left.
        expected_left = {
            upn
            for upn, row in by_upn.items()
            if upn not in kept_upns and (row[8] is None or row[8] < TODAY.isoformat())
        }
        assert report.marked_left == len(expected_left)
        left = {
            upn
            for upn, on_roll_to in db.execute("SELECT upn, on_roll_to FROM pupils").fetchall()
            if on_roll_to == "2026-11-22"
        }
        assert left == expected_left
        assert report.unchanged == len(kept)
    finally:
        db.close()


@FAST
@given(generated=roll() | roll(min_size=12), keep=st.data())
def test_a_full_roll_is_refused_exactly_when_it_would_empty_most_of_the_roll(
    folder: Path, generated: tuple[list[list[str]], list[tuple[Any, ...]]], keep: st.DataObject
) -> None:
    rows, stored = generated
    at_most = keep.draw(st.sampled_from([1, 3, len(rows) // 2, len(rows)]))
    indexes = st.sampled_from(range(len(rows)))
    kept = keep.draw(st.lists(indexes, unique=True, min_size=1, max_size=max(at_most, 1)))
    db = open_database(":memory:")
    try:
        path = folder / "roll.csv"
        path.write_text(csv_text(ROLL_HEADINGS, rows), encoding="utf-8")
        import_file(db, "pupils", path, school=SCHOOL, today=TODAY)
        before = pupil_rows(db)
        path.write_text(csv_text(ROLL_HEADINGS, [rows[i] for i in kept]), encoding="utf-8")
        kept_upns = {stored_row[0] for stored_row in before} & {
            rows[i][0].replace(" ", "").upper() for i in kept
        }
        # Today's roll: every pupil here has started unless admitted today or later.
        started = {row[0] for row in stored if row[8] is None or row[8] < TODAY.isoformat()}
        leaving = started - kept_upns
        should_refuse = len(leaving) > 10 and 2 * len(leaving) > len(started)
        event(f"refused: {should_refuse}")
        try:
            report = import_file(db, "pupils", path, school=SCHOOL, today=TODAY)
        except ImportRejected as refused:
            assert should_refuse
            [error] = refused.errors
            assert (error.line, error.column) == (0, "")
            assert f"{len(leaving)} of the {len(started)} on roll are missing" in error.reason
            assert pupil_rows(db) == before
        else:
            assert not should_refuse
            assert report.marked_left == len(leaving)
    finally:
        db.close()
