"""Hostile workbooks against every importer: a binary file named .xlsx, a cut or damaged zip,
a password, a zip bomb, a lying sheet size, formula cells, date and time cells.

As with CSV (test_import_fuzz.py): only sencoplan's own clear error, never a crash, and
every table in the file exactly as it was before a refused import.
"""

from __future__ import annotations

import datetime as dt
import struct
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.io import tabular
from sencoplan.io.errors import RowError
from sencoplan.io.importers import ImportRejected
from sencoplan.io.tabular import MAX_FIELD_CHARS
from tests.import_fuzz_helpers import GOOD, KINDS, base_database, check_clear, dump, refused, run

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def base() -> Iterator[Database]:
    db = base_database()
    yield db
    db.close()


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def good_workbook(path: Path, kind: str) -> Path:
    headings, rows = GOOD[kind]
    return workbook(path, [headings, *rows])


def rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """A copy of a workbook with some of its parts replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, replace.get(item.filename, old.read(item.filename)))
    return target


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(SHEET)


# --- the good workbooks import -----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_good_file_of_every_kind_imports_as_a_workbook(
    base: Database, tmp_path: Path, kind: str
) -> None:
    report = run(base, kind, good_workbook(tmp_path / f"{kind}.xlsx", kind))
    assert report.created + report.updated >= 1


# --- not a workbook at all ---------------------------------------------------------------


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0", b"Name,"]),
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".xlsx", ".XLSX", ".xlsm"]),
)
def test_random_bytes_named_xlsx_are_refused_by_every_importer(
    base: Database, folder: Path, kind: str, prefix: bytes, data: bytes, suffix: str
) -> None:
    path = folder / f"{kind}{suffix}"
    path.write_bytes(prefix + data)
    for error in refused(base, kind, path):
        assert "codec" not in error.reason, error


def _forge_unpacked_size(path: Path, member: str, size: int) -> Path:
    """The zip's directory claims `member` unpacks to `size` bytes (a zip bomb's claim)."""
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        (name_length,) = struct.unpack_from("<H", data, start + 28)
        if data[start + 46 : start + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, start + 24, size)
            path.write_bytes(bytes(data))
            return path
        start += 4
    raise AssertionError(f"{member} is not in {path}")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def _chart_only(path: Path) -> Path:
    from openpyxl.chart import BarChart

    book = openpyxl.Workbook()
    book.create_chartsheet().add_chart(BarChart())
    book.remove(book.active)
    book.save(path)
    return path


PASSWORD = (
    "the workbook is password-protected (encrypted), or is an old .xls file: "
    "open it in Excel, remove the password and save it as .xlsx or CSV"
)
NOT_A_WORKBOOK = (
    "the file is a zip archive, not an Excel workbook (an .ods or .numbers spreadsheet? "
    "save it as .xlsx or CSV)"
)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: path.write_bytes(b""), "the file is empty"),
        (
            lambda path: path.write_bytes(b"Name,Role\r\nAnn Lee,TA\r\n"),
            "the file is text, not an .xlsx workbook: if it is a CSV, name it .csv",
        ),
        (
            lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
            PASSWORD,
        ),
        (
            lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00"),
            "the spreadsheet cannot be opened: File is not a zip file",
        ),
        (lambda path: _zip(path, {"notes.txt": b"hello"}), NOT_A_WORKBOOK),
        (
            lambda path: _zip(
                path,
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<office:document-content/>",
                },
            ),
            NOT_A_WORKBOOK,
        ),
        (
            lambda path: _forge_unpacked_size(
                good_workbook(path, "staff"), SHEET, 2 * 1024 * 1024 * 1024
            ),
            "the workbook unpacks to more than 1 GB: it is not a school's spreadsheet",
        ),
        (_chart_only, "the workbook has no worksheet (only charts?)"),
        (lambda path: workbook(path, []), "the spreadsheet is empty"),
        (lambda path: workbook(path, [[None, None], [" ", ""]]), "the spreadsheet is empty"),
        (
            lambda path: good_workbook(path, "staff").write_bytes(
                good_workbook(path, "staff").read_bytes()[:-300]
            ),
            "the spreadsheet cannot be opened: File is not a zip file",
        ),
    ],
    ids=[
        "0 bytes",
        "a CSV named .xlsx",
        "password-protected",
        "a picture named .xlsx",
        "a zip of something else",
        "an OpenDocument spreadsheet",
        "a zip bomb",
        "only a chart",
        "no cells",
        "blank cells",
        "cut short",
    ],
)
@pytest.mark.parametrize("kind", ["staff", "pupils", "modules"])
def test_a_file_that_is_no_workbook_is_refused_saying_what_it_is(
    base: Database, tmp_path: Path, kind: str, make: object, reason: str
) -> None:
    path = tmp_path / f"{kind}.xlsx"
    make(path)  # type: ignore[operator]
    assert refused(base, kind, path) == [RowError(0, "", reason)]


@pytest.mark.parametrize("kind", KINDS)
def test_headings_only_in_a_workbook_are_refused(base: Database, tmp_path: Path, kind: str) -> None:
    path = workbook(tmp_path / f"{kind}.xlsx", [[], GOOD[kind][0], []])
    assert refused(base, kind, path) == [
        RowError(0, "", "the file has headings but no rows: nothing to import")
    ]


@FUZZ
@given(kind=st.sampled_from(KINDS), cut=st.floats(0, 1, exclude_max=True))
def test_a_workbook_cut_short_anywhere_is_refused_by_every_importer(
    base: Database, folder: Path, kind: str, cut: float
) -> None:
    data = good_workbook(folder / "whole.xlsx", kind).read_bytes()
    path = folder / f"{kind}.xlsx"
    path.write_bytes(data[: int(cut * len(data))])
    refused(base, kind, path)


@settings(FUZZ, max_examples=60)
@given(
    kind=st.sampled_from(KINDS),
    position=st.integers(0, 20_000),
    garbage=st.binary(min_size=1, max_size=64),
)
def test_a_workbook_with_bytes_overwritten_imports_whole_or_not_at_all(
    folder: Path, kind: str, position: int, garbage: bytes
) -> None:
    data = bytearray(good_workbook(folder / "whole.xlsx", kind).read_bytes())
    position %= len(data)
    data[position : position + len(garbage)] = garbage
    path = folder / f"{kind}.xlsx"
    path.write_bytes(bytes(data))
    db = base_database()
    try:
        before = dump(db)
        try:
            run(db, kind, path)
        except ImportRejected as rejected:
            event("refused")
            check_clear(rejected.errors)
            assert dump(db) == before
        else:
            event("imported")  # a byte of padding or a date stamp: the file still reads
    finally:
        db.close()


# --- hostile insides ---------------------------------------------------------------------


def test_a_sheet_claiming_16384_columns_is_read_only_as_wide_as_its_cells(
    base: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl pads every row to the sheet's stated size: A1:XFD1048576 made a 200-row file
    into 3 million cells to read. sencoplan reads the cells that are there."""
    rows: list[list[object]] = [["Name", "Role"]]
    rows += [[f"Person {number}", "TA"] for number in range(200)]
    path = workbook(tmp_path / "staff.xlsx", rows)
    xml = sheet_xml(path)
    lying = xml.replace(b'<dimension ref="A1:B201" />', b'<dimension ref="A1:XFD1048576" />')
    assert lying != xml
    path = rewrite(path, tmp_path / "lying.xlsx", {SHEET: lying})
    read = 0
    real_cell_text = tabular._cell_text

    def counting(value: object) -> str:
        nonlocal read
        read += 1
        return real_cell_text(value)

    monkeypatch.setattr(tabular, "_cell_text", counting)
    assert run(base, "staff", path).created == 200
    assert read <= 2 * 201


def test_a_row_a_million_rows_down_is_refused_quickly(base: Database, tmp_path: Path) -> None:
    path = good_workbook(tmp_path / "staff.xlsx", "staff")
    xml = sheet_xml(path)
    far = xml.replace(b'<row r="2"', b'<row r="5000000"')
    for column in "ABCDEFG":
        far = far.replace(f'r="{column}2"'.encode(), f'r="{column}5000000"'.encode())
    assert far != xml
    path = rewrite(path, tmp_path / "far.xlsx", {SHEET: far})
    assert refused(base, "staff", path) == [
        RowError(
            1_048_577,
            "",
            "the file has more than 1,048,576 rows, the most a spreadsheet holds: "
            "is it the right file?",
        )
    ]


def test_an_entity_bomb_in_a_sheet_is_refused(base: Database, tmp_path: Path) -> None:
    """'Billion laughs': a few hundred bytes of XML entities that expand to gigabytes."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{level} "{f"&a{level - 1};" * 10}">' for level in range(1, 10)
    )
    path = workbook(tmp_path / "staff.xlsx", [["Name", "Role"], ["Ann", "TA"]])
    xml = sheet_xml(path).replace(b"<t>Ann</t>", b"<t>&a9;</t>")
    bomb = f"<!DOCTYPE worksheet [{entities}]>".encode() + xml
    path = rewrite(path, tmp_path / "bomb.xlsx", {SHEET: bomb})
    [error] = refused(base, "staff", path)
    assert (error.line, error.column) == (0, "")
    # openpyxl reads with defusedxml (a dependency, for CTF files): refused as it opens.
    assert error.reason == (
        "the spreadsheet cannot be opened: it declares XML entities, which no spreadsheet "
        "needs (refused: a way to make a small file fill memory)"
    )


def test_a_nul_character_in_a_cell_is_refused(base: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "staff.xlsx", [["Name", "Role"], ["Ann", "TA"]])
    xml = sheet_xml(path).replace(b"<t>Ann</t>", b"<t>A&#0;nn</t>")
    path = rewrite(path, tmp_path / "nul.xlsx", {SHEET: xml})
    [error] = refused(base, "staff", path)
    assert error.reason.startswith("the spreadsheet cannot be read: ")


def test_a_one_megabyte_cell_is_refused_naming_its_line_and_column(
    base: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["Name", "Role", "Email"], ["Dee Ok", "TA", "x" * 1_000_000]]
    path = workbook(tmp_path / "staff.xlsx", rows)
    assert refused(base, "staff", path) == [RowError(2, "Email", "the value is far too long")]


def test_a_huge_heading_cell_is_refused(base: Database, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "staff.xlsx", [["Name", "Role", "h" * MAX_FIELD_CHARS], ["Dee", "TA", ""]]
    )
    assert refused(base, "staff", path) == [RowError(1, "#3", "the heading is far too long")]


def test_a_duplicated_heading_in_a_workbook_is_refused(base: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "staff.xlsx", [["Name", "Role", "NAME"], ["Dee", "TA", "Dee"]])
    assert refused(base, "staff", path) == [
        RowError(1, "NAME", "the heading appears twice (also as 'Name')")
    ]


@pytest.mark.parametrize("kind", ["staff", "pupils", "terms"])
def test_too_many_rows_are_refused_before_they_fill_memory(
    base: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The cap is a spreadsheet's 1,048,576 rows; lowered here so the test stays small."""
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    headings, rows = GOOD[kind]
    many = [rows[0]] * 5
    reason = "the file has more than 3 rows, the most a spreadsheet holds: is it the right file?"
    path = workbook(tmp_path / f"{kind}.xlsx", [headings, *many])
    assert refused(base, kind, path) == [RowError(4, "", reason)]
    csv_path = tmp_path / f"{kind}.csv"
    csv_path.write_text(
        ",".join(headings) + "\n\n\n" + "\n".join(",".join(row) for row in many) + "\n",
        encoding="utf-8",
    )
    assert refused(base, kind, csv_path) == [RowError(7, "", reason)]


# --- formula cells: stored as text, never evaluated --------------------------------------


def _text_cell(sheet: object, row: int, column: int, value: str) -> None:
    """A cell holding text that starts with =, as Excel keeps '=1+1 typed with an apostrophe."""
    cell = sheet.cell(row, column)  # type: ignore[attr-defined]
    cell.value = value
    cell.data_type = "s"


FORMULA_TEXTS = ["=1+1", "=SUM(A1:A2)", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x.invalid")']


def test_text_cells_that_look_like_formulas_are_names_as_typed(
    base: Database, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Role"])
    for row, text in enumerate(FORMULA_TEXTS, start=2):
        _text_cell(sheet, row, 1, text)
        sheet.cell(row, 2).value = "TA"
    book.save(tmp_path / "staff.xlsx")
    assert run(base, "staff", tmp_path / "staff.xlsx").created == len(FORMULA_TEXTS)
    stored = {name for (name,) in base.execute("SELECT name FROM staff").fetchall()}
    assert set(FORMULA_TEXTS) <= stored
    # ...and another file refers to the person by that text.
    training = openpyxl.Workbook()
    training.active.append(["Staff", "Module", "Completed"])
    _text_cell(training.active, 2, 1, "=1+1")
    training.active.cell(2, 2).value = "ASD-1"
    training.active.cell(2, 3).value = dt.date(2025, 9, 1)
    training.save(tmp_path / "training.xlsx")
    assert run(base, "training", tmp_path / "training.xlsx").created == 1
    assert base.execute(
        "SELECT s.name, t.completed FROM training_records t JOIN staff s ON s.id = t.staff_id"
    ).fetchall() == [("=1+1", "2025-09-01")]


def test_a_formula_without_a_saved_value_is_never_evaluated(base: Database, tmp_path: Path) -> None:
    """openpyxl saves formulas without their value: sencoplan does not work out 1+1, so the
    name is blank, and the row is refused saying so."""
    path = workbook(
        tmp_path / "staff.xlsx",
        [["Name", "Role", "CPD Hours"], ["=1+1", "TA", 3], ["Dee Ok", "TA", "=1+1"]],
    )
    assert refused(base, "staff", path) == [RowError(2, "Name", "is blank")]
    assert base.execute("SELECT COUNT(*) FROM staff WHERE name = '2'").fetchone()[0] == 0


def test_a_formula_reads_as_the_value_excel_saved_not_as_worked_out(
    base: Database, tmp_path: Path
) -> None:
    """What the SENCO saw in Excel is what is imported; the formula itself is not run. A saved
    value of 7 for =1+1 proves it: sencoplan would have made it 2."""
    path = workbook(tmp_path / "staff.xlsx", [["Name", "Role", "CPD Hours"], ["x", "TA", 0]])
    xml = sheet_xml(path)
    name = b'<c r="A2" t="str"><f>CONCAT("Dee"," Ok")</f><v>Dee Ok</v></c>'
    hours = b'<c r="C2"><f>1+1</f><v>7</v></c>'
    xml = xml.replace(b'<c r="A2" t="inlineStr"><is><t>x</t></is></c>', name)
    xml = xml.replace(b'<c r="C2" t="n"><v>0</v></c>', hours)
    assert name in xml and hours in xml
    path = rewrite(path, tmp_path / "saved.xlsx", {SHEET: xml})
    assert run(base, "staff", path).created == 1
    assert base.execute("SELECT name, cpd_hours FROM staff WHERE name = 'Dee Ok'").fetchall() == [
        ("Dee Ok", 7.0)
    ]


# --- dates and times as cells ------------------------------------------------------------


def test_date_cells_and_text_dates_mix_in_one_workbook(base: Database, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "training.xlsx",
        [
            ["Staff", "Module", "Completed"],
            ["Ann Lee", "ASD-1", dt.date(2025, 4, 3)],
            ["Bob Ray", "ASD-1", dt.datetime(2025, 4, 3, 15, 45)],
            ["Cara Singh", "ASD-1", "03/04/2025"],
            ["Zoë Ó Briain", "ASD-1", "3 April 2025"],
            ["Ann Lee", "EPI-2", "2025-04-03"],
        ],
    )
    assert run(base, "training", path).created == 5
    assert {
        completed for (completed,) in base.execute("SELECT completed FROM training_records")
    } == {"2025-04-03"}


def test_a_number_where_a_date_belongs_is_refused_not_guessed(
    base: Database, tmp_path: Path
) -> None:
    """An unformatted date cell is Excel's day count (45750): refused, never read as a year."""
    path = workbook(
        tmp_path / "training.xlsx", [["Staff", "Module", "Completed"], ["Ann Lee", "ASD-1", 45750]]
    )
    assert refused(base, "training", path) == [
        RowError(2, "Completed", "'45750' is not a date (use day/month/year, e.g. 03/04/2026)")
    ]


def test_a_time_cell_reads_as_the_time_typed(base: Database, tmp_path: Path) -> None:
    """Excel keeps 15:45 as a time: it read as '15:45:00' and the term was refused."""
    headings, [row] = GOOD["terms"]
    cells: list[object] = list(row)
    cells[headings.index("Slot Start")] = dt.time(15, 45)
    cells[headings.index("Start")] = dt.date(2026, 9, 1)
    path = workbook(tmp_path / "terms.xlsx", [headings, cells])
    assert run(base, "terms", path).created == 1
    assert base.execute("SELECT start, slot_start FROM terms").fetchall() == [
        ("2026-09-01", "15:45:00")
    ]
