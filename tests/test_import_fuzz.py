"""Hostile CSV files against every importer: only sencoplan's own clear error, never a crash,
never part of a file written.

Random bytes, wrong encodings, huge fields, formula cells, mixed date formats, duplicated
and missing headings, empty files, NUL bytes and one 100,000-row roll. A refusal must be an
ImportRejected whose every reason says where (line, column) and why, and every table in
the file must hold exactly what it held before. Workbooks (.xlsx) are in
test_import_fuzz_xlsx.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.domain.upn import check_letter
from sencoplan.io.dates import parse_date
from sencoplan.io.errors import RowError
from sencoplan.io.importers import IMPORTERS, ImportRejected
from sencoplan.io.tabular import MAX_FIELD_CHARS
from sencoplan.store.bulk import BATCH
from tests.core_helpers import TODAY, WriteFile, make_upn
from tests.import_fuzz_helpers import (
    GOOD,
    KINDS,
    base_database,
    check_clear,
    content,
    csv_bytes,
    dump,
    good_csv,
    reasons,
    refused,
    run,
)

# Derandomized: the same examples on every run, so a failure is never a fluke of the day.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def base() -> Iterator[Database]:
    db = base_database()
    yield db
    db.close()


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder for hypothesis examples (tmp_path is one per test, not per example)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


# --- the good files import, in every encoding a school's computer saves ------------------


def test_every_importer_has_a_good_file() -> None:
    assert set(GOOD) == set(IMPORTERS)


ENCODINGS = ["utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]


@functools.cache
def _imported_from_utf8(kind: str) -> tuple[tuple[int, int], str]:
    """What the kind's good file in UTF-8 does to the base file: (created, updated) and the
    tables after, once per kind."""
    db = base_database()
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "utf8.csv"
            path.write_bytes(good_csv(kind))
            report = run(db, kind, path)
        return (report.created, report.updated), repr(content(db))
    finally:
        db.close()


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_good_file_imports_the_same_in_every_encoding(
    write_file: WriteFile, kind: str, encoding: str
) -> None:
    """UTF-16 without a byte-order mark was refused as 'binary': it is Excel's Unicode text."""
    (created, updated), expected = _imported_from_utf8(kind)
    assert created + updated >= 1
    db = base_database()
    try:
        report = run(db, kind, write_file(f"{encoding}.csv", good_csv(kind, encoding)))
        assert (report.created, report.updated) == (created, updated)
        assert repr(content(db)) == expected
    finally:
        db.close()


SAVE = "save it from your MIS as CSV (UTF-8) or XLSX"
CUT_SHORT = "stops part-way through a letter (is it cut short?)"
CODEC_WORDS = (
    "codec",
    "decode byte",
    "character maps to",
    "<undefined>",
    "surrogate",
    "truncated data",
    "unexpected end of data",
    "illegal encoding",
    "range(0x110000)",
)
"""Python's own words for text it cannot decode: a SENCO is never shown them."""


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            "Name,Role\r\nZoë,TA\r\n".encode("utf-16") + b"x",
            RowError(3, "", f"the file starts as UTF-16 text but {CUT_SHORT}: {SAVE}"),
        ),
        (
            b"\xff\xfe" + "Name,Role\r\nZoë,TA\r\n".encode("utf-16-le") + b"\x00\xd8A\x00",
            RowError(
                3,
                "",
                "the file starts as UTF-16 text but is damaged on this line "
                f"(bytes that are not UTF-16 text): {SAVE}",
            ),
        ),
        (
            "Name,Role\r\nZoë,TA\r\n".encode("utf-32")[:-1],
            RowError(2, "", f"the file starts as UTF-32 text but {CUT_SHORT}: {SAVE}"),
        ),
        (
            b"Name,Role\r\nZo\x81,TA\r\n",
            RowError(
                0,
                "",
                "the file is not text sencoplan can read (it is not UTF-8, UTF-16, UTF-32 "
                f"or Windows-1252, the encodings Excel and MIS exports save in): {SAVE}",
            ),
        ),
    ],
    ids=["utf-16 cut short", "utf-16 lone surrogate", "utf-32 cut short", "byte cp1252 lacks"],
)
def test_text_in_no_encoding_is_refused_with_why(
    base: Database, write_file: WriteFile, content: bytes, error: RowError
) -> None:
    assert refused(base, "staff", write_file("staff.csv", content)) == [error]


# --- random bytes, and random cells under real headings ----------------------------------

PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-1.7\n",
]


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    prefix=st.sampled_from(PREFIXES),
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".csv", ".txt", ".CSV"]),
)
def test_random_bytes_are_refused_by_every_importer(
    base: Database, folder: Path, kind: str, prefix: bytes, data: bytes, suffix: str
) -> None:
    path = folder / f"{kind}{suffix}"
    path.write_bytes(prefix + data)
    for error in refused(base, kind, path):
        assert not any(word in error.reason for word in CODEC_WORDS), error


FORMULAS = [
    "=1+1",
    "=SUM(A1:A2)",
    "+1",
    "-1",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","click")',
    "\t=1+1",
    "=1+1\r",
]
DATES = [
    "03/04/2026",
    "3/4/2026",
    "03-04-2026",
    "03.04.2026",
    "2026-04-03",
    "2026-04-03T10:00",
    "3 April 2026",
    "3-Apr-2026",
    "31/02/2026",
    "03/04/26",
    "2026/04/03",
    "April 3, 2026",
    "0000-01-01",
    "9999-12-31",
    "99/99/9999",
    "29/02/2023",
]
NUMBERS = [
    "1e999",
    "-1e999",
    "1e308",
    "nan",
    "inf",
    "-0",
    "99999999999999999999999999",
    "1,2345",
    "£-5",
    "0x10",
    "١٢",
    "½",
    "1_000",
]
ODD = [
    "",
    " ",
    '"',
    "'",
    "\\",
    ";",
    "\u202e",
    "\ufeff",
    "\u00a0",
    "𝔘𝔫𝔦",
    "Zoë",
    "a\nb",
    "a\rb",
    "x" * 300,
    "FREQ=WEEKLY;BYDAY=+99999999999999999999TU",
    "FREQ=DAILY;INTERVAL=99999999999999999999",
    "FREQ=YEARLY;UNTIL=99999999T000000",
    "RRULE:FREQ=DAILY\nEXDATE:20260101",
    "99:99",
    "12am",
    "01/09/0000 INSET",
    "01/09/2026-01/08/2026 backwards",
]
HOSTILE = st.sampled_from(FORMULAS + DATES + NUMBERS + ODD) | st.text(
    alphabet=st.characters(codec="utf-8"), max_size=24
)


@st.composite
def hostile_file(draw: st.DrawFn, kind: str) -> tuple[list[str], list[list[str]]]:
    """Some of the kind's headings (always the required ones), and rows of its good file
    with up to three cells swapped for hostile ones."""
    good_headings, good_rows = GOOD[kind]
    required = {column.name for column in IMPORTERS[kind].columns if column.required}
    keep = [
        index
        for index, heading in enumerate(good_headings)
        if heading in required or draw(st.integers(0, 3))
    ]
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        row = [draw(st.sampled_from(good_rows))[index] for index in keep]
        for _ in range(draw(st.integers(0, 3))):
            row[draw(st.integers(0, len(row) - 1))] = draw(HOSTILE)
        rows.append(row)
    return [good_headings[index] for index in keep], rows


@settings(FUZZ, max_examples=120)
@given(
    data=st.data(),
    kind=st.sampled_from(KINDS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_hostile_cells_under_real_headings_import_whole_or_not_at_all(
    folder: Path, data: st.DataObject, kind: str, encoding: str, delimiter: str
) -> None:
    headings, rows = data.draw(hostile_file(kind))
    content = csv_bytes(headings, rows, encoding=encoding, delimiter=delimiter)
    path = folder / f"{kind}.csv"
    path.write_bytes(content)
    db = base_database()
    try:
        before = dump(db)
        try:
            report = run(db, kind, path)
        except ImportRejected as rejected:
            event("refused")
            # A line ends at \r\n, \n or a lone \r, even inside a quoted cell, as editors count.
            lines = len(re.findall(r"\r\n|\r|\n", content.decode(encoding))) + 1
            check_clear(rejected.errors, last_line=lines)
            named = set(headings) | {column.name for column in IMPORTERS[kind].columns} | {""}
            assert {error.column for error in rejected.errors} <= named, reasons(rejected.errors)
            assert dump(db) == before
        else:
            event("imported")
            assert rows
            assert report.created + report.updated + report.unchanged + report.skipped >= 1
    finally:
        db.close()


# --- empty files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"\xff\xfe", "the file is empty"),
        (b"\xfe\xff", "the file is empty"),
        (b"\r\n\r\n  \r\n", "the file is empty"),
        (b",,,\r\n,,\r\n", "the file is empty"),
        ("\ufeff\r\n".encode("utf-16"), "the file is empty"),
        ("\ufeff\r\n".encode("utf-8-sig"), "the file is empty"),
    ],
    ids=[
        "0 bytes",
        "UTF-8 BOM only",
        "UTF-16 LE BOM only",
        "UTF-16 BE BOM only",
        "blank lines",
        "separators only",
        "UTF-16 BOM twice",
        "UTF-8 BOM twice",
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_file_is_refused_by_every_importer(
    base: Database, write_file: WriteFile, kind: str, content: bytes, reason: str
) -> None:
    assert refused(base, kind, write_file(f"{kind}.csv", content)) == [RowError(0, "", reason)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("kind", KINDS)
def test_headings_only_are_refused_by_every_importer(
    base: Database, write_file: WriteFile, kind: str, encoding: str
) -> None:
    headings, _ = GOOD[kind]
    path = write_file(f"{kind}.csv", csv_bytes(headings, [[""] * len(headings)], encoding=encoding))
    assert refused(base, kind, path) == [
        RowError(0, "", "the file has headings but no rows: nothing to import")
    ]


# --- headings: duplicated, missing -------------------------------------------------------


def _duplicates() -> list[tuple[str, int]]:
    return [(kind, index) for kind in KINDS for index in range(len(GOOD[kind][0]))]


@pytest.mark.parametrize(("kind", "index"), _duplicates())
def test_a_duplicated_heading_is_refused_naming_it(
    base: Database, write_file: WriteFile, kind: str, index: int
) -> None:
    """The same heading again, in another case and spelling, anywhere in the row."""
    headings, rows = GOOD[kind]
    again = headings[index].upper().replace(" ", "_")
    path = write_file(
        f"{kind}.csv", csv_bytes([*headings, again], [[*row, row[index]] for row in rows])
    )
    assert refused(base, kind, path) == [
        RowError(1, again, f"the heading appears twice (also as {headings[index]!r})")
    ]


def _required() -> list[tuple[str, str]]:
    return [
        (kind, column.name)
        for kind in KINDS
        for column in IMPORTERS[kind].columns
        if column.required
    ]


@pytest.mark.parametrize(("kind", "missing"), _required())
def test_a_missing_required_heading_is_refused_naming_it(
    base: Database, write_file: WriteFile, kind: str, missing: str
) -> None:
    headings, rows = GOOD[kind]
    index = headings.index(missing)
    kept = [heading for heading in headings if heading != missing]
    path = write_file(
        f"{kind}.csv", csv_bytes(kept, [row[:index] + row[index + 1 :] for row in rows])
    )
    [error] = refused(base, kind, path)
    assert (error.line, error.column) == (0, missing)
    assert error.reason.startswith("the column is missing (use ")


def test_a_supports_file_without_upn_or_class_is_refused(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file("supports.csv", csv_bytes(["Staff", "Kind"], [["Ann Lee", "1:1"]]))
    assert refused(base, "supports", path) == [
        RowError(0, "UPN", "the file needs a UPN column or a Class column"),
        RowError(2, "Class", "is blank"),
    ]


# --- huge fields, long lines, NUL bytes --------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_one_megabyte_cell_is_refused_with_its_line(
    base: Database, write_file: WriteFile, kind: str
) -> None:
    headings, rows = GOOD[kind]
    huge = [[*rows[0][:-1], "x" * 1_000_000], *rows]
    errors = refused(base, kind, write_file(f"{kind}.csv", csv_bytes(headings, huge)))
    assert errors == [
        RowError(2, "", "the CSV cannot be read: field larger than field limit (131072)")
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_a_cell_over_the_limit_is_refused_naming_its_column(
    base: Database, write_file: WriteFile, kind: str
) -> None:
    headings, rows = GOOD[kind]
    long = [*rows, [*rows[0][:-1], "y" * (MAX_FIELD_CHARS + 1)]]
    errors = refused(base, kind, write_file(f"{kind}.csv", csv_bytes(headings, long)))
    assert errors == [RowError(1 + len(long), headings[-1], "the value is far too long")]


def test_a_very_long_line_of_values_is_refused_and_the_message_stays_short(
    base: Database, write_file: WriteFile
) -> None:
    line = "Ann Lee,Teacher" + ",x" * 200_000
    errors = refused(base, "staff", write_file("staff.csv", f"Name,Role\r\n{line}\r\n"))
    assert errors == [RowError(2, "", "200002 values but only 2 headings")]


def test_a_very_long_line_of_empty_cells_is_only_trailing_blanks(
    base: Database, write_file: WriteFile
) -> None:
    line = "Dee Ok,TA" + "," * 1_000_000
    report = run(base, "staff", write_file("staff.csv", f"Name,Role\r\n{line}\r\n"))
    assert report.created == 1


def test_a_huge_heading_is_refused_and_never_quoted_whole(
    base: Database, write_file: WriteFile
) -> None:
    heading = "Notes " + "h" * 100_000
    errors = refused(
        base, "staff", write_file("staff.csv", f"Name,Role,{heading}\r\nDee Ok,TA,\r\n")
    )
    assert errors == [RowError(1, "#3", "the heading is far too long")]


def test_a_long_bad_value_is_quoted_short(base: Database, write_file: WriteFile) -> None:
    """A reason quotes the value: a 9,000-character date must not make a 9,000-character
    message in the app."""
    value = "01/" * 3000
    [error] = refused(
        base, "staff", write_file("staff.csv", f"Name,Role,Start Date\r\nDee,TA,{value}\r\n")
    )
    assert (error.line, error.column) == (2, "Start Date")
    assert error.reason.startswith("'01/01/01/") and "…" in error.reason
    assert error.reason.endswith("is not a date (use day/month/year, e.g. 03/04/2026)")


def test_many_unknown_headings_are_ignored_and_listed(
    base: Database, write_file: WriteFile
) -> None:
    extra = [f"Extra {number}" for number in range(20_000)]
    path = write_file("staff.csv", csv_bytes(["Name", "Role", *extra], [["Dee Ok", "TA"]]))
    report = run(base, "staff", path)
    assert report.created == 1
    assert report.ignored_columns == extra


@pytest.mark.parametrize(
    "content",
    [
        b"Name,Role\r\nAnn\x00Lee,TA\r\n",
        b"Name\x00,Role\r\nAnn,TA\r\n",
        b"Name,Role\r\nAnn,TA\r\n\x00",
        "Name,Role\r\nAnn\x00,TA\r\n".encode("utf-16"),
        "Name,Role\r\nAnn\x00,TA\r\n".encode("utf-16-le"),
    ],
    ids=["in a cell", "in a heading", "at the end", "UTF-16", "UTF-16 without BOM"],
)
@pytest.mark.parametrize("kind", ["staff", "pupils", "terms"])
def test_nul_bytes_are_refused(
    base: Database, write_file: WriteFile, kind: str, content: bytes
) -> None:
    assert refused(base, kind, write_file(f"{kind}.csv", content)) == [
        RowError(0, "", "the file is binary, not a CSV")
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"PK\x03\x04\x14\x00\x00\x00",
            "the file is an .xlsx workbook (or another zip archive), not a CSV: "
            "if it is a workbook, name it .xlsx",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "the file is an Excel workbook (an old .xls, or one with a password), not a CSV: "
            "save it as .xlsx or CSV",
        ),
    ],
    ids=["xlsx named .csv", "xls named .csv"],
)
def test_a_workbook_named_csv_is_refused_saying_what_it_is(
    base: Database, write_file: WriteFile, content: bytes, reason: str
) -> None:
    assert refused(base, "pupils", write_file("roll.csv", content)) == [RowError(0, "", reason)]


# --- formula-looking cells are text ------------------------------------------------------


@pytest.mark.parametrize("formula", FORMULAS[:7])
def test_formula_cells_are_stored_as_typed_and_round_trip_as_names(
    base: Database, write_file: WriteFile, formula: str
) -> None:
    """sencoplan never evaluates a cell: '=1+1' as a name is that name, and other files can
    refer to the person by it."""
    run(base, "staff", write_file("staff.csv", csv_bytes(["Name", "Role"], [[formula, "TA"]])))
    assert base.execute(
        "SELECT name FROM staff WHERE role = 'ta' AND name = ?", [formula]
    ).fetchall()
    training = csv_bytes(["Staff", "Module", "Completed"], [[formula, "ASD-1", "01/09/2025"]])
    report = run(base, "training", write_file("training.csv", training))
    assert report.created == 1
    [(stored,)] = base.execute(
        "SELECT s.name FROM training_records t JOIN staff s ON s.id = t.staff_id"
    ).fetchall()
    assert stored == formula
    assert (
        run(
            base, "staff", write_file("staff.csv", csv_bytes(["Name", "Role"], [[formula, "TA"]]))
        ).unchanged
        == 1
    )


FORMULA_TEXT = {
    "schools": ("Name", "=1+1", "SELECT name FROM schools WHERE name = ?"),
    "staff": ("Email", "@SUM(A1)", "SELECT email FROM staff WHERE email = ?"),
    "modules": (
        "Organisation",
        "+44 20 7946 0000",
        "SELECT organisation FROM modules WHERE organisation = ?",
    ),
    "pupils": ("Reg", "-5P", "SELECT reg_group FROM pupils WHERE reg_group = ?"),
    "qualifications": (
        "Title",
        '=HYPERLINK("http://example.invalid","x")',
        "SELECT title FROM qualifications WHERE title = ?",
    ),
    "roles": ("Role", "=SUM(A1:A2)", "SELECT title FROM succession_roles WHERE title = ?"),
    "candidates": (
        "Notes",
        "=cmd|' /C calc'!A0",
        "SELECT notes FROM succession_candidates WHERE notes = ?",
    ),
    "actions": ("Action", "=1+1", "SELECT action FROM development_actions WHERE action = ?"),
    "terms": ("Term", "=1+1", "SELECT name FROM terms WHERE name = ?"),
}


@pytest.mark.parametrize("kind", list(FORMULA_TEXT))
def test_a_formula_in_a_text_column_of_every_kind_is_stored_as_text(
    base: Database, write_file: WriteFile, kind: str
) -> None:
    heading, formula, query = FORMULA_TEXT[kind]
    headings, rows = GOOD[kind]
    index = headings.index(heading)
    if kind == "roles":  # a role named by a formula is no SENCO: say what kind it is
        rows = [["=SUM(A1:A2)", "Other", "", "Cara Singh", ""]]
    else:
        rows = [[formula if i == index else cell for i, cell in enumerate(rows[0])], *rows[1:]]
    run(base, kind, write_file(f"{kind}.csv", csv_bytes(headings, rows)))
    assert base.execute(query, [formula]).fetchall() == [(formula,)]


def test_a_formula_in_a_name_makes_a_display_name_of_plain_text(
    base: Database, write_file: WriteFile
) -> None:
    headings = ["UPN", "Forename", "Surname", "Year Group"]
    path = write_file("roll.csv", csv_bytes(headings, [[make_upn(9), "=1+1", "@Smith", "5"]]))
    run(base, "pupils", path, full_roll=False)
    assert base.execute(
        "SELECT display_name FROM pupils WHERE upn = ?", [make_upn(9)]
    ).fetchall() == [("=1+1 @Smith",)]


def test_a_formula_where_a_number_or_date_belongs_is_refused_not_evaluated(
    base: Database, write_file: WriteFile
) -> None:
    headings = ["Name", "Role", "FTE", "Start Date"]
    path = write_file(
        "staff.csv",
        csv_bytes(
            headings, [["Dee Ok", "TA", "=0.5+0.5", "01/09/2024"], ["Eve", "TA", "1", "=TODAY()"]]
        ),
    )
    assert refused(base, "staff", path) == [
        RowError(2, "FTE", "'=0.5+0.5' is not a number"),
        RowError(3, "Start Date", "'=TODAY()' is not a date (use day/month/year, e.g. 03/04/2026)"),
    ]


# --- mixed date formats ------------------------------------------------------------------


def _spellings(day: dt.date) -> list[str]:
    return [
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%d-%m-%Y"),
        day.strftime("%d.%m.%Y"),
        day.isoformat(),
        f"{day.isoformat()}T00:00:00",
        f"{day.isoformat()} 09:30",
        f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%b %Y}",
        f"{day:%d}-{day:%b}-{day.year}",
        f"{day.day} {day:%B}, {day.year}",
    ]


@FUZZ
@given(data=st.data())
def test_mixed_date_formats_in_one_file_all_mean_the_british_date(
    folder: Path, data: st.DataObject
) -> None:
    modules = ["ASD-1", "EPI-2"]
    staff = ["Ann Lee", "Bob Ray", "Cara Singh", "Zoë Ó Briain"]
    pairs = data.draw(
        st.lists(
            st.tuples(st.sampled_from(staff), st.sampled_from(modules)),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    days = [data.draw(st.dates(dt.date(1990, 1, 1), TODAY)) for _ in pairs]
    rows = [
        [person, module, data.draw(st.sampled_from(_spellings(day)))]
        for (person, module), day in zip(pairs, days, strict=True)
    ]
    path = folder / "training.csv"
    path.write_bytes(csv_bytes(["Staff", "Module", "Completed"], rows))
    db = base_database()
    try:
        report = run(db, "training", path)
        assert report.created == len(rows)
        stored = db.execute(
            "SELECT s.name, m.code, t.completed FROM training_records t "
            "JOIN staff s ON s.id = t.staff_id JOIN modules m ON m.id = t.module_id"
        ).fetchall()
        assert sorted(stored) == sorted(
            (person, module, day.isoformat())
            for (person, module), day in zip(pairs, days, strict=True)
        )
    finally:
        db.close()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/04/26", "'03/04/26' needs a four-digit year (day/month/year)"),
        ("31/02/2026", "'31/02/2026' is not a real date (dates are day/month/year)"),
        ("04/31/2026", "'04/31/2026' is not a real date (dates are day/month/year)"),
        ("2026/04/03", "'2026/04/03' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("April 3, 2026", "'April 3, 2026' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("3rd April 2026", "'3rd April 2026' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("3 Apirl 2026", "'3 Apirl 2026' has an unknown month"),
        ("0000-01-01", "'0000-01-01' is not a real date (dates are day/month/year)"),
        ("45123", "'45123' is not a date (use day/month/year, e.g. 03/04/2026)"),
    ],
)
def test_a_wrong_date_among_good_ones_refuses_the_whole_file(
    base: Database, write_file: WriteFile, text: str, reason: str
) -> None:
    rows = [
        ["Ann Lee", "ASD-1", "03/04/2025"],
        ["Bob Ray", "ASD-1", "2025-04-03"],
        ["Cara Singh", "ASD-1", text],
        ["Zoë Ó Briain", "ASD-1", "3 April 2025"],
    ]
    path = write_file("training.csv", csv_bytes(["Staff", "Module", "Completed"], rows))
    assert refused(base, "training", path) == [RowError(4, "Completed", reason)]


@settings(FUZZ, max_examples=200)
@given(text=st.text(max_size=40) | st.from_regex(r"\d{1,3}[/.\- ][\w]{1,4}[/.\- ,]*\d{1,6}"))
def test_parse_date_only_ever_refuses_with_a_value_error(text: str) -> None:
    try:
        parse_date(text)
    except ValueError as error:
        assert str(error)


# --- slot rules that would make millions of CPD slots ------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;BYDAY=TU",
        "FREQ=HOURLY",
        "FREQ=DAILY;BYHOUR=9,10,11",
        "FREQ=WEEKLY;BYDAY=TU;BYMINUTE=0,15,30,45",
    ],
)
def test_a_slot_rule_that_repeats_within_a_day_is_refused(
    base: Database, write_file: WriteFile, rule: str
) -> None:
    """A term of FREQ=SECONDLY is 9 million slots: the planner would list every one."""
    path = write_file(
        "terms.csv",
        csv_bytes(
            ["Term", "Start", "End", "Slot Rule"], [["Autumn", "01/09/2026", "18/12/2026", rule]]
        ),
    )
    assert refused(base, "terms", path) == [
        RowError(
            2,
            "Slot Rule",
            f"the slot rule {rule!r} repeats within a day: a slot rule names days "
            "(FREQ=DAILY, WEEKLY, MONTHLY or YEARLY) and the slot start gives the time",
        )
    ]


def test_a_slot_rule_of_several_lines_is_refused(base: Database, write_file: WriteFile) -> None:
    rule = "FREQ=WEEKLY;BYDAY=TU\nRRULE:FREQ=SECONDLY"
    path = write_file(
        "terms.csv",
        csv_bytes(
            ["Term", "Start", "End", "Slot Rule"], [["Autumn", "01/09/2026", "18/12/2026", rule]]
        ),
    )
    [error] = refused(base, "terms", path)
    assert (error.line, error.column) == (2, "Slot Rule")


def test_a_daily_slot_rule_is_a_slot_a_day(base: Database, write_file: WriteFile) -> None:
    from sencoplan.store.terms import list_terms

    rows = [["Autumn", "01/09/2026", "18/12/2026", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"]]
    path = write_file("terms.csv", csv_bytes(["Term", "Start", "End", "Slot Rule"], rows))
    run(base, "terms", path)
    [term] = list_terms(base, 1)
    weekdays = [day for day in _days(term.start, term.end) if day.weekday() < 5]
    assert [slot.date() for slot in term.slots()] == weekdays


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _upn(number: int) -> str:
    """A valid UPN for each of 0..999,999 (a different establishment per thousand)."""
    body = f"801{2000 + number // 1000:04d}15{number % 1000:03d}"
    return check_letter(body) + body


# --- nothing is written when the write itself fails --------------------------------------


def test_a_failure_half_way_through_the_writes_leaves_nothing(
    base: Database, write_file: WriteFile
) -> None:
    """All or nothing holds past validation: a failure after some batches are written
    (a full disk, a killed worker) takes every one of them back."""
    rows = [[_upn(number), "Smith", "5"] for number in range(3 * BATCH)]
    path = write_file("roll.csv", csv_bytes(["UPN", "Surname", "Year Group"], rows))
    before = dump(base)
    written: list[int] = []

    def fail_after_two_batches(done: int, total: int) -> None:
        written.append(done)
        if done >= 2 * BATCH:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        run(base, "pupils", path, full_roll=False, progress=fail_after_two_batches)
    assert written == [0, BATCH, 2 * BATCH]
    assert dump(base) == before


# --- one big file ------------------------------------------------------------------------


def test_LARGE_a_100_000_row_roll_with_one_bad_last_row_writes_nothing(
    base: Database, tmp_path: Path
) -> None:
    """LARGE (about 5 s): 100,000 rows are all checked, the one bad row is named by its
    line, and not one of the 99,999 good rows is written."""
    lines = ["UPN,Surname,Forename,DOB,Year Group,SEN Status,Primary Need"]
    for number in range(100_000):
        sen = "K,ASD" if number % 7 == 0 else "N,"
        lines.append(f"{_upn(number)},Smith,Ann,01/02/2015,5,{sen}")
    lines[-1] = lines[-1].replace("01/02/2015", "31/02/2015")
    path = tmp_path / "roll.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    errors = refused(base, "pupils", path, school="Big Academy")
    assert errors == [
        RowError(100_001, "DOB", "'31/02/2015' is not a real date (dates are day/month/year)")
    ]
    assert (
        base.execute("SELECT COUNT(*) FROM schools WHERE name = 'Big Academy'").fetchone()[0] == 0
    )
