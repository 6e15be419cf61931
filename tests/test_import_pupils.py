"""Importing the SEN register from an MIS export: all or nothing, every problem listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.domain.staff_codes import Phase
from sencoplan.io.errors import RowError
from sencoplan.io.importers import ImportRejected, import_file, import_table
from sencoplan.io.importers import pupils as pupils_importer
from sencoplan.io.report import ImportReport
from sencoplan.io.tabular import read_table
from sencoplan.store.pupils import list_pupils
from sencoplan.store.schools import find_school, list_schools, save_school
from tests.core_helpers import (
    TODAY,
    WriteFile,
    counts,
    csv_text,
    make_upn,
    pupil_rows,
    snapshot,
    wrong_check_letter,
)

SCHOOL = "Oakfield Primary School"
U = [make_upn(serial) for serial in range(1, 21)]
NEW = U[9]  # a pupil not in the roll below

HEADINGS = [
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "Year Group",
    "SEN Status",
    "Primary Need",
    "Secondary Need",
    "Admission Date",
    "Leaving Date",
    "Reg Group",
    "ISP Review Due",
    "EHCP Review Due",
]


def _cells(line: str) -> list[str]:
    return line.split("|")


def _stored(line: str) -> tuple[str | None, ...]:
    return tuple(cell or None for cell in line.split("|"))


ROLL = [
    _cells(f"{U[0]}|Patel|Asha|12/03/2016|5|K|SLCN||04/09/2020||5P|15/01/2027|"),
    _cells(f"{U[1]}|Kowalski|Jan|30/09/2015|6|E|ASD|SLCN|02/09/2019||6K||10/03/2027"),
    _cells(f"{U[2]}|Smith|Ella|01/05/2020|R|N|||03/09/2025||RB||"),
    _cells(f"{U[3]}|Jones|Tom|14/07/2014|6|SEN Support|SEMH||||6K||"),
]
assert all(len(row) == len(HEADINGS) for row in ROLL)
STORED = sorted(
    [
        _stored(f"{U[0]}|Asha Patel|2016-03-12|5|targeted|SLCN||5P|2020-09-04||2027-01-15|"),
        _stored(f"{U[1]}|Jan Kowalski|2015-09-30|6|specialist|ASD|SLCN|6K|2019-09-02|||2027-03-10"),
        _stored(f"{U[2]}|Ella Smith|2020-05-01|R|universal|||RB|2025-09-03|||"),
        _stored(f"{U[3]}|Tom Jones|2014-07-14|6|targeted|SEMH||6K||||"),
    ]
)
YESTERDAY = "2026-11-22"


def roll_csv(rows: list[list[str]] | None = None, headings: list[str] | None = None) -> str:
    return csv_text(headings or HEADINGS, ROLL if rows is None else rows)


def import_roll(db: Database, path: Path, **options: object) -> ImportReport:
    options.setdefault("school", SCHOOL)
    options.setdefault("today", TODAY)
    return import_file(db, "pupils", path, **options)


@pytest.fixture
def on_roll(db: Database, school: School, write_file: WriteFile) -> Database:
    """The database with ROLL imported into the school."""
    report = import_roll(db, write_file("roll.csv", roll_csv()))
    assert report.created == 4
    return db


def rejected(db: Database, path: Path, **options: object) -> list[RowError]:
    """The errors an import is refused with, after proving it wrote nothing."""
    before = snapshot(db)
    with pytest.raises(ImportRejected) as raised:
        import_roll(db, path, **options)
    assert snapshot(db) == before
    return raised.value.errors


# --- a good file -------------------------------------------------------------------------


def test_good_file_writes_everything(db: Database, write_file: WriteFile) -> None:
    report = import_roll(db, write_file("roll.csv", roll_csv()))
    assert pupil_rows(db) == STORED
    assert report.kind == "pupils"
    assert report.source == "roll.csv"
    assert report.school == SCHOOL
    assert report.school_created
    assert (report.created, report.updated, report.unchanged, report.marked_left) == (
        4,
        0,
        0,
        0,
    )
    assert report.lines() == [
        f"roll.csv: imported pupils into {SCHOOL}: 4 new, 0 updated, 0 unchanged",
        f"created the school {SCHOOL}",
    ]
    school = find_school(db, SCHOOL)
    assert school is not None
    assert school.phase is Phase.PRIMARY  # guessed from years R to 6
    assert {pupil.upn for pupil in list_pupils(db, school.id or 0)} == set(U[:4])


def test_into_an_existing_school_by_name_any_case(
    db: Database, school: School, write_file: WriteFile
) -> None:
    report = import_roll(db, write_file("roll.csv", roll_csv()), school="oakfield primary school")
    assert not report.school_created
    assert report.school == SCHOOL
    assert list_schools(db) == [school]
    assert db.execute("SELECT DISTINCT school_id FROM pupils").fetchall() == [(school.id,)]


def test_into_an_existing_school_by_urn(
    db: Database, school: School, write_file: WriteFile
) -> None:
    report = import_roll(db, write_file("roll.csv", roll_csv()), school="123456")
    assert report.school == SCHOOL
    assert list_schools(db) == [school]


def test_the_only_school_is_used_without_a_name(
    db: Database, school: School, write_file: WriteFile
) -> None:
    report = import_roll(db, write_file("roll.csv", roll_csv()), school=None)
    assert report.school == SCHOOL
    assert pupil_rows(db) == STORED


def test_a_new_school_is_created_and_its_phase_guessed(db: Database, write_file: WriteFile) -> None:
    rows = [[U[0], "", "", "", "7", "", "", "", "", "", "", "", ""],
            [U[1], "", "", "", "11", "", "", "", "", "", "", "", ""]]  # fmt: skip
    report = import_roll(db, write_file("roll.csv", roll_csv(rows)), school="Hill Academy")
    assert report.school_created
    assert report.school == "Hill Academy"
    school = find_school(db, "Hill Academy")
    assert school is not None
    assert school.phase is Phase.SECONDARY


def test_no_school_named_and_none_in_the_file_is_refused(
    db: Database, write_file: WriteFile
) -> None:
    errors = rejected(db, write_file("roll.csv", roll_csv()), school=None)
    assert errors == [RowError(0, "", "name the school to import into with --school NAME")]
    assert list_schools(db) == []


def test_no_school_named_with_several_schools_is_refused(
    db: Database, school: School, write_file: WriteFile
) -> None:
    save_school(db, School(name="Brook Academy"))
    errors = rejected(db, write_file("roll.csv", roll_csv()), school=None)
    assert errors == [
        RowError(
            0,
            "",
            "the database holds several schools: choose one with --school "
            "'Brook Academy' or 'Oakfield Primary School'",
        )
    ]


# --- headings ----------------------------------------------------------------------------


def test_headings_in_any_order_and_case(db: Database, write_file: WriteFile) -> None:
    order = [12, 4, 0, 7, 2, 9, 1, 11, 5, 3, 10, 6, 8]
    spellings = [HEADINGS[i].lower().replace(" ", "_") for i in order]
    spellings[1] = " YEAR-GROUP "
    rows = [[row[i] for i in order] for row in ROLL]
    report = import_roll(db, write_file("roll.csv", csv_text(spellings, rows)))
    assert report.created == 4
    assert report.ignored_columns == []
    assert pupil_rows(db) == STORED


ALIASES = [
    (column.field, alias)
    for column in pupils_importer.columns
    for alias in column.headings
    if alias != column.name
]


def test_every_column_has_aliases_worth_testing() -> None:
    assert len(ALIASES) == 46  # with the headings MIS exports use (Primary SEN Need...)
    assert [column.name for column in pupils_importer.columns] == [
        "UPN",
        "Surname",
        "Forename",
        "DOB",
        "Year Group",
        "SEN Status",
        "Primary Need",
        "Secondary Need",
        "Admission Date",
        "Leaving Date",
        "Reg",
        "ISP Review Due",
        "EHCP Review Due",
    ]


@pytest.mark.parametrize(("field", "alias"), ALIASES, ids=[alias for _, alias in ALIASES])
def test_every_documented_alias(
    db: Database, write_file: WriteFile, field: str, alias: str
) -> None:
    index = [column.field for column in pupils_importer.columns].index(field)
    assert HEADINGS[index] in pupils_importer.columns[index].headings  # the same field
    headings = list(HEADINGS)
    headings[index] = alias.lower() if index % 2 else alias.upper()
    report = import_roll(db, write_file("roll.csv", csv_text(headings, ROLL)))
    assert report.ignored_columns == []
    assert pupil_rows(db) == STORED


def test_unknown_columns_are_ignored_and_reported(db: Database, write_file: WriteFile) -> None:
    headings = [*HEADINGS[:3], "Ethnicity", *HEADINGS[3:], "FSM"]
    rows = [[*row[:3], "WBRI", *row[3:], "Y"] for row in ROLL]
    report = import_roll(db, write_file("roll.csv", csv_text(headings, rows)))
    assert report.ignored_columns == ["Ethnicity", "FSM"]
    assert report.lines()[-1] == "ignored columns: Ethnicity, FSM"
    assert pupil_rows(db) == STORED


def test_only_the_required_columns(db: Database, write_file: WriteFile) -> None:
    report = import_roll(db, write_file("roll.csv", f"UPN,Year\n{U[0]},Y5\n{U[1]},Reception\n"))
    assert report.created == 2
    assert pupil_rows(db) == sorted(
        [
            (U[0], None, None, "5", "universal", None, None, None, None, None, None, None),
            (U[1], None, None, "R", "universal", None, None, None, None, None, None, None),
        ]
    )


@pytest.mark.parametrize(
    ("headings", "missing"),
    [
        (
            "Surname,Year Group",
            [RowError(0, "UPN", "the column is missing (use 'UPN', 'Unique Pupil Number')")],
        ),
        (
            "UPN,Surname",
            [
                RowError(
                    0,
                    "Year Group",
                    "the column is missing (use 'Year Group', 'Year', 'NC Year', "
                    "'NC Year Actual', 'National Curriculum Year')",
                )
            ],
        ),
    ],
)
def test_missing_required_column(
    db: Database, school: School, write_file: WriteFile, headings: str, missing: list[RowError]
) -> None:
    path = write_file("roll.csv", f"{headings}\nx,y\n")
    assert rejected(db, path) == missing


# --- encodings, delimiters, spreadsheets -------------------------------------------------

NAMES_HEADINGS = ["UPN", "Surname", "Forename", "Year Group"]
NAMES_ROWS = [[U[0], "O'Brien", "Zoë", "4"], [U[1], "Ní Bhriain", "Siobhán", "4"]]
NAMES_STORED = [(U[1], "Siobhán Ní Bhriain"), (U[0], "Zoë O'Brien")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings(db: Database, write_file: WriteFile, encoding: str) -> None:
    path = write_file("roll.csv", csv_text(NAMES_HEADINGS, NAMES_ROWS), encoding)
    if encoding == "cp1252":
        assert "ë".encode("cp1252") in path.read_bytes()  # really not UTF-8
    report = import_roll(db, path)
    assert report.created == 2
    names = db.execute("SELECT upn, display_name FROM pupils ORDER BY display_name").fetchall()
    assert names == NAMES_STORED


def test_byte_order_mark_does_not_hide_the_first_heading(
    db: Database, write_file: WriteFile
) -> None:
    path = write_file("roll.csv", "UPN,Year Group\r\n" + f"{U[0]},4\r\n", "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfUPN")
    report = import_roll(db, path)
    assert report.created == 1
    assert report.ignored_columns == []


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_delimiters(db: Database, write_file: WriteFile, delimiter: str) -> None:
    rows = [[*row[:1], "O'Brien, Jr", *row[2:]] if i == 0 else row for i, row in enumerate(ROLL)]
    path = write_file("roll.csv", csv_text(HEADINGS, rows, delimiter))
    import_roll(db, path)
    (asha,) = [row for row in STORED if row[0] == U[0]]
    expected = [(U[0], "Asha O'Brien, Jr", *asha[2:])]
    assert [row for row in pupil_rows(db) if row[0] == U[0]] == expected
    assert len(pupil_rows(db)) == 4


def test_quoted_value_over_two_lines_keeps_line_numbers(
    db: Database, school: School, write_file: WriteFile
) -> None:
    text = f'UPN,Surname,Year Group\n{U[0]},"Two\nLines",4\n{U[1]},Bad,99\n'
    errors = rejected(db, write_file("roll.csv", text))
    assert errors == [
        RowError(4, "Year Group", "year group '99' is out of range (N1, N2, R, 1–14)")
    ]


def _workbook(path: Path, rows: list[list[object]], blank_rows_first: int = 0) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(blank_rows_first):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_with_real_date_cells(db: Database, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "roll.xlsx",
        [
            ["UPN", "Forename", "Surname", "Date of Birth", "NC Year", "SEN Provision",
             "SEN Need Type 1", "Entry Date", "Form"],
            [U[0], "Zoë", "O'Brien", dt.date(2016, 3, 12), 5, "K", "SLCN",
             dt.datetime(2020, 9, 4, 0, 0), "5P"],
            [U[1], "Siobhán", "Kelly", "30/09/2015", 6.0, "E", "ASD", "02/09/2019", None],
        ],
    )  # fmt: skip
    report = import_roll(db, path)
    assert report.created == 2
    assert report.source == "roll.xlsx"
    assert pupil_rows(db) == sorted(
        [
            (U[0], "Zoë O'Brien", "2016-03-12", "5", "targeted", "SLCN", None, "5P",
             "2020-09-04", None, None, None),
            (U[1], "Siobhán Kelly", "2015-09-30", "6", "specialist", "ASD", None, None,
             "2019-09-02", None, None, None),
        ]
    )  # fmt: skip


def test_xlsx_bad_rows_are_reported_by_sheet_row(
    db: Database, school: School, tmp_path: Path
) -> None:
    path = _workbook(
        tmp_path / "roll.xlsx",
        [
            ["UPN", "Year Group", "DOB"],
            [U[0], 4, dt.date(2017, 1, 1)],
            [],
            [U[1], 15, dt.date(2027, 1, 1)],
        ],
        blank_rows_first=2,
    )
    assert rejected(db, path) == [
        RowError(6, "DOB", "date of birth 01/01/2027 is in the future"),
        RowError(6, "Year Group", "year group '15' is out of range (N1, N2, R, 1–14)"),
    ]


def test_xlsx_extra_cell_beyond_the_headings_is_refused(
    db: Database, school: School, tmp_path: Path
) -> None:
    path = _workbook(tmp_path / "roll.xlsx", [["UPN", "Year Group"], [U[0], 4, "stray"]])
    assert rejected(db, path) == [RowError(2, "", "3 values but only 2 headings")]


# --- bad rows: the exact error, and nothing written --------------------------------------


def _row(**cells: str) -> list[str]:
    """A new pupil (NEW, Year 4, no SEN) with some cells changed, by heading."""
    base = dict.fromkeys(HEADINGS, "")
    base.update({"UPN": NEW, "Surname": "Lee", "Forename": "Kim", "Year Group": "4"})
    for key, value in cells.items():
        base[key.replace("_", " ")] = value
    return [base[heading] for heading in HEADINGS]


BAD = wrong_check_letter(NEW)
BAD_ROWS = {
    "bad UPN check letter": (
        _row(UPN=BAD),
        [RowError(6, "UPN", f"UPN {BAD!r} has check letter {BAD[0]}, expected {NEW[0]}")],
    ),
    "UPN too short": (
        _row(UPN=NEW[:-1]),
        [RowError(6, "UPN", f"UPN {NEW[:-1]!r} has 12 characters, not 13")],
    ),
    "blank UPN": (_row(UPN=""), [RowError(6, "UPN", "is blank")]),
    "duplicate UPN": (
        _row(UPN=U[0].lower()),
        [RowError(6, "UPN", f"UPN {U[0]} appears twice: also on line 2")],
    ),
    "unknown need code": (
        _row(SEN_Status="K", Primary_Need="ADHD"),
        [
            RowError(
                6,
                "Primary Need",
                "unknown need type 'ADHD' (use one of SLCN, ASD, SPLD, MLD, SLD, PMLD, "
                "SEMH, HI, VI, MSI, PD, OTH, NSA)",
            )
        ],
    ),
    "EHCP with no primary need": (
        _row(SEN_Status="E"),
        [RowError(6, "Primary Need", "a pupil with an EHCP (E) must have a primary need")],
    ),
    "SEN support with no primary need": (
        _row(SEN_Status="SEN Support"),
        [RowError(6, "Primary Need", "a pupil on SEN support (K) must have a primary need")],
    ),
    "need for an N pupil": (
        _row(SEN_Status="N", Primary_Need="ASD"),
        [RowError(6, "Primary Need", "a need is given but the SEN status is N (no SEN)")],
    ),
    "need with a blank status": (
        _row(Primary_Need="ASD"),
        [RowError(6, "Primary Need", "a need is given but the SEN status is N (no SEN)")],
    ),
    "secondary need for an N pupil": (
        _row(SEN_Status="N", Secondary_Need="HI"),
        [RowError(6, "Secondary Need", "a need is given but the SEN status is N (no SEN)")],
    ),
    "secondary without primary": (
        _row(SEN_Status="K", Secondary_Need="HI"),
        [
            RowError(6, "Primary Need", "a pupil on SEN support (K) must have a primary need"),
            RowError(6, "Secondary Need", "a secondary need is given without a primary need"),
        ],
    ),
    "EHCP with no specialist assessment": (
        _row(SEN_Status="E", Primary_Need="NSA"),
        [
            RowError(
                6,
                "Primary Need",
                "NSA (no specialist assessment) is for SEN support (K) only: a pupil with an "
                "EHCP (E) has an assessed need; give its code",
            )
        ],
    ),
    "secondary equal to primary": (
        _row(SEN_Status="K", Primary_Need="ASD", Secondary_Need="Autism"),
        [RowError(6, "Secondary Need", "the secondary need is the same as the primary need")],
    ),
    "unknown SEN status": (
        _row(SEN_Status="S"),
        [
            RowError(
                6,
                "SEN Status",
                "unknown SEN status 'S' (use N, K, E, SEN Support, EHC Plan or a tier: "
                "universal, targeted, targeted plus, specialist)",
            )
        ],
    ),
    "year group 15": (
        _row(Year_Group="15"),
        [RowError(6, "Year Group", "year group '15' is out of range (N1, N2, R, 1–14)")],
    ),
    "year group 0": (
        _row(Year_Group="0"),
        [RowError(6, "Year Group", "year group '0' is out of range (N1, N2, R, 1–14)")],
    ),
    "year group blank": (_row(Year_Group=""), [RowError(6, "Year Group", "is blank")]),
    "impossible date": (
        _row(DOB="31/02/2016"),
        [RowError(6, "DOB", "'31/02/2016' is not a real date (dates are day/month/year)")],
    ),
    "two-digit year": (
        _row(Admission_Date="04/09/23"),
        [RowError(6, "Admission Date", "'04/09/23' needs a four-digit year (day/month/year)")],
    ),
    "not a date": (
        _row(EHCP_Review_Due="next spring"),
        [
            RowError(
                6,
                "EHCP Review Due",
                "'next spring' is not a date (use day/month/year, e.g. 03/04/2026)",
            )
        ],
    ),
    "leaving before admission": (
        _row(Admission_Date="01/09/2020", Leaving_Date="31/08/2020"),
        [RowError(6, "Leaving Date", "the leaving date is before the admission date")],
    ),
    "date of birth in the future": (
        _row(DOB="24/11/2026"),
        [RowError(6, "DOB", "date of birth 24/11/2026 is in the future")],
    ),
}


@pytest.mark.parametrize(("row", "errors"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_row_refuses_the_file_and_writes_nothing(
    on_roll: Database, write_file: WriteFile, row: list[str], errors: list[RowError]
) -> None:
    before = counts(on_roll)
    path = write_file("roll.csv", roll_csv([*ROLL, row]))
    assert rejected(on_roll, path) == errors
    assert counts(on_roll) == before
    assert pupil_rows(on_roll) == STORED


def test_bad_row_into_a_new_school_creates_no_school(db: Database, write_file: WriteFile) -> None:
    row, errors = BAD_ROWS["bad UPN check letter"]
    path = write_file("roll.csv", roll_csv([*ROLL, row]))
    assert rejected(db, path, school="Brand New School") == errors
    assert list_schools(db) == []


def test_today_is_not_in_the_future(db: Database, write_file: WriteFile) -> None:
    path = write_file("roll.csv", roll_csv([_row(DOB="23/11/2026")]))
    assert import_roll(db, path).created == 1


def test_several_bad_rows_are_all_listed(on_roll: Database, write_file: WriteFile) -> None:
    rows = [
        ROLL[0],
        _row(UPN=BAD),
        ROLL[1],
        _row(UPN=U[10], SEN_Status="E", DOB="31/02/2016"),
        ROLL[2],
        _row(UPN=U[11], Year_Group="Year 20"),
        _row(UPN=U[0]),
    ]
    path = write_file("roll.csv", roll_csv(rows))
    with pytest.raises(ImportRejected) as raised:
        import_roll(on_roll, path)
    assert raised.value.errors == [
        RowError(3, "UPN", f"UPN {BAD!r} has check letter {BAD[0]}, expected {NEW[0]}"),
        RowError(5, "DOB", "'31/02/2016' is not a real date (dates are day/month/year)"),
        RowError(5, "Primary Need", "a pupil with an EHCP (E) must have a primary need"),
        RowError(7, "Year Group", "year group 'Year 20' is out of range (N1, N2, R, 1–14)"),
        RowError(8, "UPN", f"UPN {U[0]} appears twice: also on line 2"),
    ]
    message = str(raised.value)
    assert message.splitlines() == [
        "roll.csv: refused, nothing was imported (4 bad rows)",
        f"  line 3, column UPN: UPN {BAD!r} has check letter {BAD[0]}, expected {NEW[0]}",
        "  line 5, column DOB: '31/02/2016' is not a real date (dates are day/month/year)",
        "  line 5, column Primary Need: a pupil with an EHCP (E) must have a primary need",
        "  line 7, column Year Group: year group 'Year 20' is out of range (N1, N2, R, 1–14)",
        f"  line 8, column UPN: UPN {U[0]} appears twice: also on line 2",
    ]
    assert pupil_rows(on_roll) == STORED


def test_error_column_is_the_heading_as_written(
    db: Database, school: School, write_file: WriteFile
) -> None:
    text = f"unique_pupil_number,NC YEAR,sen stage,need type\n{U[0]},4,E,\n"
    assert rejected(db, write_file("roll.csv", text)) == [
        RowError(2, "need type", "a pupil with an EHCP (E) must have a primary need")
    ]


def test_ehcp_with_no_primary_need_column_at_all(
    db: Database, school: School, write_file: WriteFile
) -> None:
    # The rule is reported against the documented heading when the file has no such column.
    text = f"UPN,Year Group,SEN Status\n{U[0]},4,EHCP\n"
    assert rejected(db, write_file("roll.csv", text)) == [
        RowError(2, "Primary Need", "a pupil with an EHCP (E) must have a primary need")
    ]


# --- re-importing ------------------------------------------------------------------------


def test_reimporting_the_same_roll_changes_nothing(
    on_roll: Database, write_file: WriteFile
) -> None:
    before = snapshot(on_roll)
    report = import_roll(on_roll, write_file("again.csv", roll_csv()))
    assert (report.created, report.updated, report.unchanged, report.marked_left) == (
        0,
        0,
        4,
        0,
    )
    assert snapshot(on_roll) == before


def test_a_changed_tier_is_an_update(on_roll: Database, write_file: WriteFile) -> None:
    rows = [list(row) for row in ROLL]
    rows[0][5] = "Targeted plus"
    rows[2][4] = "1"  # Ella moves up a year as well
    ids_before = on_roll.execute("SELECT upn, id FROM pupils ORDER BY upn").fetchall()
    report = import_roll(on_roll, write_file("changed.csv", roll_csv(rows)))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 2)
    expected = [list(row) for row in STORED]
    for row in expected:
        if row[0] == U[0]:
            row[4] = "targeted_plus"
        if row[0] == U[2]:
            row[3] = "1"
    assert pupil_rows(on_roll) == [tuple(row) for row in expected]
    assert on_roll.execute("SELECT upn, id FROM pupils ORDER BY upn").fetchall() == ids_before


def test_columns_missing_from_a_file_keep_their_values(
    on_roll: Database, write_file: WriteFile
) -> None:
    text = csv_text(["UPN", "Year Group"], [[row[0], row[4]] for row in ROLL])
    report = import_roll(on_roll, write_file("short.csv", text))
    assert (report.updated, report.unchanged) == (0, 4)
    assert pupil_rows(on_roll) == STORED


def test_a_full_roll_marks_missing_pupils_as_left(on_roll: Database, write_file: WriteFile) -> None:
    rows = [ROLL[0], ROLL[2], _row()]
    report = import_roll(on_roll, write_file("roll.csv", roll_csv(rows)))
    assert (report.created, report.unchanged, report.marked_left) == (1, 2, 2)
    assert "2 no longer on roll, marked as left" in report.lines()[0]
    left = on_roll.execute("SELECT upn, on_roll_to FROM pupils WHERE on_roll_to IS NOT NULL")
    assert sorted(left.fetchall()) == sorted([(U[1], YESTERDAY), (U[3], YESTERDAY)])
    # Importing the same file again marks nobody a second time.
    again = import_roll(on_roll, write_file("roll.csv", roll_csv(rows)))
    assert (again.unchanged, again.marked_left) == (3, 0)


def test_a_partial_file_marks_nobody_as_left(on_roll: Database, write_file: WriteFile) -> None:
    report = import_roll(on_roll, write_file("roll.csv", roll_csv([ROLL[0]])), full_roll=False)
    assert (report.unchanged, report.marked_left) == (1, 0)
    assert pupil_rows(on_roll) == STORED


def test_a_pupil_who_comes_back_is_on_roll_again(on_roll: Database, write_file: WriteFile) -> None:
    import_roll(on_roll, write_file("roll.csv", roll_csv(ROLL[:3])))
    assert on_roll.execute("SELECT on_roll_to FROM pupils WHERE upn = ?", (U[3],)).fetchone() == (
        YESTERDAY,
    )
    text = csv_text(["UPN", "Year Group"], [[row[0], row[4]] for row in ROLL])
    report = import_roll(on_roll, write_file("back.csv", text))
    assert (report.updated, report.unchanged) == (1, 3)
    assert pupil_rows(on_roll) == STORED


def test_a_full_roll_does_not_mark_the_incoming_cohort_as_left(
    on_roll: Database, write_file: WriteFile
) -> None:
    incoming = _row(UPN=U[12], Year_Group="R", Admission_Date="05/01/2027")
    report = import_roll(on_roll, write_file("incoming.csv", roll_csv([incoming])), full_roll=False)
    assert report.created == 1
    # Today's roll, exported before the incoming pupil starts, does not list them.
    report = import_roll(on_roll, write_file("roll.csv", roll_csv()))
    assert (report.unchanged, report.marked_left) == (4, 0)
    assert on_roll.execute(
        "SELECT on_roll_from, on_roll_to FROM pupils WHERE upn = ?", (U[12],)
    ).fetchone() == ("2027-01-05", None)
    school = find_school(on_roll, SCHOOL)
    assert school is not None and school.id is not None
    assert len(list_pupils(on_roll, school.id, on=TODAY)) == 5  # every record still loads


def _simple_roll(serials: range, **cells: str) -> str:
    """A roll of invented pupils (Year 4, no SEN) with these UPN serials."""
    return roll_csv([_row(UPN=make_upn(serial, estab="3000"), **cells) for serial in serials])


def _many_leavers(listed: str, missing: int, on_roll: int) -> str:
    return (
        f"this file lists {listed}, but {missing} of the {on_roll} on roll are missing from it "
        "and would be marked as left: if it is only part of the roll, import it as a partial "
        "roll (--partial); if they really have left, use --allow-many-leavers"
    )


def test_a_full_roll_that_would_mark_most_of_the_roll_as_left_is_refused(
    db: Database, write_file: WriteFile
) -> None:
    import_roll(db, write_file("roll.csv", _simple_roll(range(20))))
    part = write_file("class.csv", _simple_roll(range(6)))
    assert rejected(db, part) == [RowError(0, "", _many_leavers("6 pupils", 14, 20))]
    assert rejected(db, part, dry_run=True) == [RowError(0, "", _many_leavers("6 pupils", 14, 20))]
    one = write_file("one.csv", _simple_roll(range(1)))
    assert rejected(db, one) == [RowError(0, "", _many_leavers("1 pupil", 19, 20))]
    # As a partial roll it is fine, and nobody is marked as left.
    report = import_roll(db, part, full_roll=False)
    assert (report.unchanged, report.marked_left) == (6, 0)
    # When they really have left, the caller says so.
    report = import_roll(db, part, allow_many_leavers=True)
    assert (report.unchanged, report.marked_left) == (6, 14)
    assert (
        db.execute("SELECT COUNT(*) FROM pupils WHERE on_roll_to = ?", (YESTERDAY,)).fetchone()[0]
        == 14
    )


@pytest.mark.parametrize(
    ("on_roll", "kept", "refused"),
    [
        (15, 5, False),  # 10 would leave: not more than 10
        (22, 11, False),  # 11 of 22 would leave: exactly half, not more
        (21, 10, True),  # 11 of 21: more than 10 and more than half
        (40, 29, False),  # 11 of 40: more than 10 but not half
    ],
)
def test_the_many_leavers_thresholds(
    db: Database, write_file: WriteFile, on_roll: int, kept: int, refused: bool
) -> None:
    import_roll(db, write_file("roll.csv", _simple_roll(range(on_roll))))
    smaller = write_file("smaller.csv", _simple_roll(range(kept)))
    if refused:
        assert rejected(db, smaller) == [
            RowError(0, "", _many_leavers(f"{kept} pupils", on_roll - kept, on_roll))
        ]
    else:
        assert import_roll(db, smaller).marked_left == on_roll - kept


def test_pupils_not_yet_started_are_not_counted_as_missing(
    db: Database, write_file: WriteFile
) -> None:
    import_roll(db, write_file("roll.csv", _simple_roll(range(12))))
    joining = _simple_roll(range(100, 130), Admission_Date="05/01/2027")
    import_roll(db, write_file("joining.csv", joining), full_roll=False)
    # 11 of the 12 on roll would leave; the 30 joining in January are neither.
    assert rejected(db, write_file("one.csv", _simple_roll(range(1)))) == [
        RowError(0, "", _many_leavers("1 pupil", 11, 12))
    ]
    # 10 of the 12 may leave unasked, though the file lists 2 of 42 pupils on record.
    report = import_roll(db, write_file("two.csv", _simple_roll(range(2))))
    assert report.marked_left == 10
    joined = "SELECT COUNT(*) FROM pupils WHERE on_roll_from = '2027-01-05' AND on_roll_to IS NULL"
    assert db.execute(joined).fetchone()[0] == 30


def test_left_pupils_in_the_file_are_imported_as_left(db: Database, write_file: WriteFile) -> None:
    rows = [*ROLL, _row(Admission_Date="01/09/2020", Leaving_Date="22/07/2026")]
    report = import_roll(db, write_file("roll.csv", roll_csv(rows)))
    assert report.created == 5
    school = find_school(db, SCHOOL)
    assert school is not None and school.id is not None
    assert NEW not in {pupil.upn for pupil in list_pupils(db, school.id, on=TODAY)}


# --- dry runs ----------------------------------------------------------------------------


def test_dry_run_writes_nothing_but_reports(on_roll: Database, write_file: WriteFile) -> None:
    rows = [list(row) for row in ROLL[:3]] + [_row()]
    rows[0][5] = "E"
    before = snapshot(on_roll)
    report = import_roll(on_roll, write_file("roll.csv", roll_csv(rows)), dry_run=True)
    assert snapshot(on_roll) == before
    assert report.dry_run
    assert (report.created, report.updated, report.unchanged, report.marked_left) == (
        1,
        1,
        2,
        1,
    )
    assert report.lines() == [
        f"roll.csv: would import pupils into {SCHOOL}: 1 new, 1 updated, 2 unchanged, "
        "1 no longer on roll, marked as left",
        "dry run: nothing was written",
    ]


def test_dry_run_into_a_new_school_creates_no_school(db: Database, write_file: WriteFile) -> None:
    report = import_roll(db, write_file("roll.csv", roll_csv()), dry_run=True)
    assert report.school_created
    assert report.created == 4
    assert report.lines() == [
        f"roll.csv: would import pupils into {SCHOOL}: 4 new, 0 updated, 0 unchanged",
        f"would create the school {SCHOOL}",
        "dry run: nothing was written",
    ]
    assert list_schools(db) == []
    assert counts(db)["pupils"] == 0


def test_dry_run_still_refuses_a_bad_file(on_roll: Database, write_file: WriteFile) -> None:
    row, errors = BAD_ROWS["duplicate UPN"]
    path = write_file("roll.csv", roll_csv([*ROLL, row]))
    assert rejected(on_roll, path, dry_run=True) == errors


# --- files that are not a roll at all ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "errors"),
    [
        ("empty.csv", b"", [RowError(0, "", "the file is empty")]),
        ("blank.csv", b"\r\n \r\n,,\r\n", [RowError(0, "", "the file is empty")]),
        (
            "headings.csv",
            b"UPN,Year Group\r\n",
            [RowError(0, "", "the file has headings but no rows: nothing to import")],
        ),
        (
            "headings-and-blank-lines.csv",
            b"UPN,Year Group\r\n,\r\n\r\n",
            [RowError(0, "", "the file has headings but no rows: nothing to import")],
        ),
        (
            "garbage.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            [RowError(0, "", "the file is binary, not a CSV")],
        ),
        (
            "undecodable.csv",
            b"UPN,Year Group\r\n\x81\x8d\x8f,4\r\n",
            [
                RowError(
                    0,
                    "",
                    "the file is not text sencoplan can read (it is not UTF-8, UTF-16, UTF-32 "
                    "or Windows-1252, the encodings Excel and MIS exports save in): save it "
                    "from your MIS as CSV (UTF-8) or XLSX",
                )
            ],
        ),
        (
            "duplicated.csv",
            b"UPN,Year Group,Surname,year_group\r\nx,4,y,5\r\n",
            [RowError(1, "year_group", "the heading appears twice (also as 'Year Group')")],
        ),
        (
            "too-many.csv",
            f"UPN,Year Group\r\n{U[0]},4\r\n{U[1]},4,extra\r\n".encode(),
            [RowError(3, "", "3 values but only 2 headings")],
        ),
        (
            "no-headings.csv",
            b"--,**\r\nx,y\r\n",
            [RowError(1, "", "the first row has no headings")],
        ),
        (
            "roll.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            [RowError(0, "", "old .xls files are not read: save it as .xlsx or CSV")],
        ),
        (
            "roll.xlsx",
            b"PK\x03\x04 not really a zip",
            [RowError(0, "", "the spreadsheet cannot be opened: File is not a zip file")],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_files_refused_whole(
    on_roll: Database,
    write_file: WriteFile,
    name: str,
    content: bytes,
    errors: list[RowError],
) -> None:
    assert rejected(on_roll, write_file(name, content)) == errors
    assert pupil_rows(on_roll) == STORED


def test_an_empty_spreadsheet_is_refused(db: Database, school: School, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "roll.xlsx", [])
    assert rejected(db, path) == [RowError(0, "", "the spreadsheet is empty")]


def test_a_spreadsheet_of_headings_only_is_refused(
    db: Database, school: School, tmp_path: Path
) -> None:
    path = _workbook(tmp_path / "roll.xlsx", [["UPN", "Year Group"]])
    assert rejected(db, path) == [
        RowError(0, "", "the file has headings but no rows: nothing to import")
    ]


def test_a_missing_file_is_refused(db: Database, school: School, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as raised:
        import_roll(db, tmp_path / "nowhere.csv")
    assert raised.value.errors == [
        RowError(0, "", "cannot read the file: No such file or directory")
    ]


def test_unknown_kind_of_import(db: Database, write_file: WriteFile) -> None:
    with pytest.raises(ValueError, match="unknown kind of import 'parents'"):
        import_file(db, "parents", write_file("roll.csv", roll_csv()))


def test_import_table_reports_progress(db: Database, write_file: WriteFile) -> None:
    table = read_table(write_file("roll.csv", roll_csv()))
    calls: list[tuple[int, int]] = []
    import_table(
        db,
        "pupils",
        table,
        school=SCHOOL,
        today=TODAY,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(0, 4), (4, 4)]


def test_a_refused_roll_lists_the_columns_it_did_not_read(
    db: Database, write_file: WriteFile
) -> None:
    """A misnamed heading ("Primary Needs") shows beside the error it caused."""
    text = csv_text(["UPN", "Year", "SEN Status", "Primary Needs"], [[U[0], "4", "K", "SLCN"]])
    with pytest.raises(ImportRejected) as refused:
        import_roll(db, write_file("roll.csv", text))
    assert refused.value.ignored == ["Primary Needs"]
    assert "columns not read: Primary Needs (a heading misnamed?" in str(refused.value)


def test_nsa_with_an_ehcp_is_refused_as_typed_but_a_saved_one_still_reads() -> None:
    """The rule came after some files were written: a record saved before it is read back
    (and shown, to be mended), never a crash; the form and the importers refuse it."""
    from sencoplan.domain.codes import NeedType, Tier
    from sencoplan.domain.models import Pupil
    from sencoplan.domain.rules import pupil_problems

    saved = Pupil(school_id=1, year_group="7", tier=Tier.SPECIALIST, primary_need=NeedType.NSA)
    assert saved.primary_need is NeedType.NSA
    assert [
        field for field, _ in pupil_problems(Tier.SPECIALIST, NeedType.NSA, None, entered=True)
    ] == ["primary_need"]
    assert pupil_problems(Tier.TARGETED, NeedType.NSA, None, entered=True) == []
    assert pupil_problems(Tier.SPECIALIST, NeedType.NSA, None) == []  # as read back
