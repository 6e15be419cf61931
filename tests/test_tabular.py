"""Reading files: encodings, delimiters, line numbers, and how refusals read."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sencoplan.io import tabular
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.tabular import MAX_FIELD_CHARS, decode, fold_heading, parse_csv_text, read_table
from tests.core_helpers import WriteFile


def refusal(text: str) -> list[RowError]:
    with pytest.raises(ImportRejected) as raised:
        parse_csv_text(text, "f.csv")
    return raised.value.errors


def test_fold_heading() -> None:
    assert fold_heading("SEN Need Type 1") == "senneedtype1"
    assert fold_heading(" sen_need-type 1 ") == "senneedtype1"
    assert fold_heading("Date of Birth") == fold_heading("DATE_OF_BIRTH")


def test_rows_keep_their_file_line_numbers() -> None:
    table = parse_csv_text("\r\n\r\nUPN,Year\r\n\r\nA,5\r\n,\r\nB,6\r\n", "f.csv")
    assert table.headings == ["UPN", "Year"]
    assert [(row.line, row.values) for row in table.rows] == [
        (5, {"UPN": "A", "Year": "5"}),
        (7, {"UPN": "B", "Year": "6"}),
    ]


def test_values_and_headings_are_stripped_short_rows_padded() -> None:
    table = parse_csv_text(" UPN , Year ,Notes\n  A  , 5\n", "f.csv")
    assert table.headings == ["UPN", "Year", "Notes"]
    assert table.rows[0].values == {"UPN": "A", "Year": "5", "Notes": ""}


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        ("UPN;Year;Name\nA;5;O'Brien, Jr\n", ["UPN", "Year", "Name"]),
        ("UPN\tYear\tName\nA\t5\tO'Brien, Jr\n", ["UPN", "Year", "Name"]),
        ("\n\nUPN;Year;Name\nA;5;O'Brien, Jr\n", ["UPN", "Year", "Name"]),
        ('UPN,Year,Name\nA,5,"O\'Brien, Jr"\n', ["UPN", "Year", "Name"]),
    ],
    ids=["semicolon", "tab", "semicolon after blank lines", "comma"],
)
def test_delimiter_from_the_heading_row(text: str, headings: list[str]) -> None:
    table = parse_csv_text(text, "f.csv")
    assert table.headings == headings
    assert table.rows[0].values["Name"] == "O'Brien, Jr"


def test_a_single_column_file() -> None:
    table = parse_csv_text("UPN\nA\nB\n", "f.csv")
    assert [row.values for row in table.rows] == [{"UPN": "A"}, {"UPN": "B"}]


def test_heading_errors_name_the_heading_line() -> None:
    assert refusal("\n\nUPN,Year,upn\nA,5,B\n") == [
        RowError(3, "upn", "the heading appears twice (also as 'UPN')")
    ]
    assert refusal("\n-,*\nA,5\n") == [RowError(2, "", "the first row has no headings")]


def test_blank_headings_are_allowed_but_their_cells_ignored() -> None:
    table = parse_csv_text("UPN,,Year\nA,ignored,5\n", "f.csv")
    assert table.rows[0].values == {"UPN": "A", "Year": "5"}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('UPN,Year\n"A,5\n', RowError(2, "", "the CSV cannot be read: unexpected end of data")),
        (
            'UPN,Year\nA,"x"y\n',
            RowError(2, "", "the CSV cannot be read: ',' expected after '\"'"),
        ),
        (
            "UPN,Year\nA," + "x" * 200_000 + "\n",
            RowError(2, "", "the CSV cannot be read: field larger than field limit (131072)"),
        ),
        (
            "UPN,Year\nA," + "x" * (MAX_FIELD_CHARS + 1) + "\n",
            RowError(2, "Year", "the value is far too long"),
        ),
        ("UPN,Year\nA,5,,\nB,6,x\n", RowError(3, "", "3 values but only 2 headings")),
        ("UPN,Year\x00\n", RowError(0, "", "the file is binary, not a CSV")),
        ("", RowError(0, "", "the file is empty")),
        ("\n \n", RowError(0, "", "the file is empty")),
    ],
    ids=[
        "unclosed quote",
        "stray quote",
        "csv field limit",
        "over our limit",
        "too many values",
        "NUL",
        "empty",
        "blank",
    ],
)
def test_unreadable_text(text: str, error: RowError) -> None:
    assert refusal(text) == [error]


def test_trailing_empty_cells_beyond_the_headings_are_fine() -> None:
    table = parse_csv_text("UPN,Year\nA,5,,\n", "f.csv")
    assert table.rows[0].values == {"UPN": "A", "Year": "5"}


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Zoë,Siobhán".encode(), "Zoë,Siobhán"),
        ("Zoë,Siobhán".encode("utf-8-sig"), "Zoë,Siobhán"),
        ("Zoë,Siobhán".encode("cp1252"), "Zoë,Siobhán"),
        ("Zoë,Siobhán".encode("utf-16"), "Zoë,Siobhán"),
        ("“smart” – quotes".encode("cp1252"), "“smart” – quotes"),
    ],
    ids=["utf-8", "utf-8 BOM", "cp1252", "utf-16", "cp1252 punctuation"],
)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data, "f.csv") == text


def test_decode_refuses_bytes_windows_1252_does_not_define() -> None:
    with pytest.raises(ImportRejected) as raised:
        decode(b"ok\x81", "f.csv")
    assert raised.value.errors == [
        RowError(
            0,
            "",
            "the file is not text sencoplan can read (it is not UTF-8, UTF-16, UTF-32 or "
            "Windows-1252, the encodings Excel and MIS exports save in): save it from your "
            "MIS as CSV (UTF-8) or XLSX",
        )
    ]
    assert raised.value.whole_file


@pytest.mark.parametrize(
    ("data", "line", "why"),
    [
        (b"\x81\x8d\x8f\x90\x9d" * 40, 0, "the file is not text sencoplan can read"),
        (
            b"\xff\xfe" + "UPN,Year\r\nB1,4\r\n".encode("utf-16-le") + b"\x00\xdc",
            3,
            "the file starts as UTF-16 text but is damaged on this line",
        ),
        (
            "UPN,Year\r\n".encode("utf-32") + b"\xff\xff\xff\xff",
            2,
            "the file starts as UTF-32 text but is damaged on this line",
        ),
        (
            "UPN,Year\r\n".encode("utf-16") + b"\x41",
            2,
            "the file starts as UTF-16 text but stops part-way through a letter",
        ),
    ],
    ids=["no encoding", "utf-16 lone surrogate", "utf-32 beyond unicode", "utf-16 odd byte"],
)
def test_text_sencoplan_cannot_decode_is_refused_in_plain_words(
    data: bytes, line: int, why: str
) -> None:
    """Never Python's codec message ("'utf-8' codec can't decode byte 0x81 in position 2"):
    what is wrong with the file, where, and what to do about it."""
    with pytest.raises(ImportRejected) as raised:
        decode(data, "roll.csv")
    [error] = raised.value.errors
    assert (error.line, error.column) == (line, "")
    assert error.reason.startswith(why)
    assert error.reason.endswith(": save it from your MIS as CSV (UTF-8) or XLSX")
    for word in ("codec", "decode", "byte 0x", "position", "<undefined>", "surrogate", "range("):
        assert word not in error.reason
    # A file in the wrong encoding is no row to correct, even when the line is named.
    assert raised.value.whole_file
    assert raised.value.summary == "roll.csv: refused, nothing was imported"


def test_xlsx_heading_line_and_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(["UPN", "Year", None, None])
    sheet.append(["A", 5, None])
    sheet.append([None, None])
    sheet.append(["B", 6.0])
    sheet.append(["C", 7.5])
    book.save(tmp_path / "f.xlsx")
    table = read_table(tmp_path / "f.xlsx")
    assert table.source == "f.xlsx"
    assert table.headings == ["UPN", "Year"]
    assert [(row.line, row.values) for row in table.rows] == [
        (3, {"UPN": "A", "Year": "5"}),
        (5, {"UPN": "B", "Year": "6"}),
        (6, {"UPN": "C", "Year": "7.5"}),
    ]


def test_xlsx_value_beyond_the_headings_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(["UPN", "Year"])
    sheet.append(["A", 5])
    sheet.append(["B", 6.0, 2.5])
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(ImportRejected) as raised:
        read_table(tmp_path / "f.xlsx")
    assert raised.value.errors == [RowError(4, "", "3 values but only 2 headings")]


def test_xlsx_duplicate_heading_on_its_own_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append([])
    sheet.append(["UPN", "Year", "upn"])
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(ImportRejected) as raised:
        read_table(tmp_path / "f.xlsx")
    assert raised.value.errors == [RowError(3, "upn", "the heading appears twice (also as 'UPN')")]


def test_read_table_of_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as raised:
        read_table(tmp_path)
    assert raised.value.errors == [RowError(0, "", "cannot read the file: Is a directory")]


def test_read_table_csv(write_file: WriteFile) -> None:
    table = read_table(write_file("f.CSV", "UPN,Year\nA,5\n"))
    assert (table.source, table.headings) == ("f.CSV", ["UPN", "Year"])


# --- how a refusal reads -----------------------------------------------------------------


def test_row_error_text() -> None:
    assert str(RowError(0, "", "the file is empty")) == "file: the file is empty"
    assert str(RowError(0, "UPN", "the column is missing")) == (
        "file, column UPN: the column is missing"
    )
    assert str(RowError(7, "", "3 values but only 2 headings")) == (
        "line 7: 3 values but only 2 headings"
    )
    assert str(RowError(7, "DOB", "is blank")) == "line 7, column DOB: is blank"


def test_import_rejected_sorts_counts_rows_and_caps_the_list() -> None:
    errors = [RowError(line, "Year", "bad") for line in range(250, 1, -1)]
    errors.append(RowError(2, "UPN", "also bad"))
    rejected = ImportRejected("roll.csv", errors)
    assert rejected.errors[:3] == [
        RowError(2, "UPN", "also bad"),
        RowError(2, "Year", "bad"),
        RowError(3, "Year", "bad"),
    ]
    assert rejected.summary == "roll.csv: refused, nothing was imported (249 bad rows)"
    lines = str(rejected).splitlines()
    assert lines[0] == rejected.summary
    assert len(lines) == 1 + 200 + 1
    assert lines[1] == "  line 2, column UPN: also bad"
    assert lines[-1] == "  ... and 50 more"


def test_import_rejected_one_row_and_whole_file() -> None:
    assert ImportRejected("f.csv", [RowError(2, "A", "x"), RowError(2, "B", "y")]).summary == (
        "f.csv: refused, nothing was imported (1 bad row)"
    )
    assert ImportRejected("f.csv", [RowError(0, "", "the file is empty")]).summary == (
        "f.csv: refused, nothing was imported"
    )


def test_import_rejected_knows_a_whole_file_problem_from_bad_rows() -> None:
    assert ImportRejected("f.csv", [RowError(0, "", "the file is empty")]).whole_file
    assert not ImportRejected("f.csv", [RowError(2, "A", "x")]).whole_file
    assert not ImportRejected(
        "f.csv", [RowError(0, "A", "missing"), RowError(2, "B", "y")]
    ).whole_file
    told = ImportRejected("f.csv", [RowError(5, "", "damaged")], whole_file=True)
    assert told.whole_file
    assert told.summary == "f.csv: refused, nothing was imported"


def test_a_file_without_headings_is_a_whole_file_problem_and_duplicates_are_rows() -> None:
    with pytest.raises(ImportRejected) as raised:
        parse_csv_text("--,!!\r\nB1,4\r\n", "f.csv")
    assert raised.value.errors == [RowError(1, "", "the first row has no headings")]
    assert raised.value.whole_file
    with pytest.raises(ImportRejected) as raised:
        parse_csv_text("UPN,upn\r\nB1,4\r\n", "f.csv")
    assert not raised.value.whole_file


# --- damaged spreadsheets ----------------------------------------------------------------


def _rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, replace.get(item.filename, old.read(item.filename)))
    return target


@pytest.fixture
def good_xlsx(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["UPN", "Year"])
    book.active.append(["A", 5])
    book.save(tmp_path / "good.xlsx")
    return tmp_path / "good.xlsx"


@pytest.mark.parametrize(
    ("member", "content", "start"),
    [
        ("[Content_Types].xml", b"<<<not xml", "the spreadsheet cannot be opened: "),
        ("xl/workbook.xml", b"<<<not xml", "the spreadsheet cannot be opened: "),
        ("xl/worksheets/sheet1.xml", b"<<<not xml", "the spreadsheet cannot be "),
        (
            "xl/worksheets/sheet1.xml",
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="n"><v>abc</v></c></row></sheetData></worksheet>',
            "the spreadsheet cannot be read: invalid literal for int() with base 10: 'abc'",
        ),
    ],
    ids=["content types", "workbook", "sheet", "number cell that is not a number"],
)
def test_a_damaged_spreadsheet_is_refused_with_a_reason(
    good_xlsx: Path, tmp_path: Path, member: str, content: bytes, start: str
) -> None:
    damaged = _rewrite_zip(good_xlsx, tmp_path / "damaged.xlsx", {member: content})
    with pytest.raises(ImportRejected) as raised:
        read_table(damaged)
    [error] = raised.value.errors
    assert (error.line, error.column) == (0, "")
    assert error.reason.startswith(start)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, 10_000), garbage=st.binary(min_size=1, max_size=64))
@example(position=4523, garbage=b"\x00\x00@")  # asks for zip version 6.4 (found in CI)
def test_a_spreadsheet_with_bytes_overwritten_never_crashes(position: int, garbage: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = openpyxl.Workbook()
        book.active.append(["UPN", "Year"])
        book.active.append(["A", 5])
        path = Path(folder) / "roll.xlsx"
        book.save(path)
        data = bytearray(path.read_bytes())
        position %= len(data)
        data[position : position + len(garbage)] = garbage
        path.write_bytes(bytes(data))
        try:
            table = read_table(path)
        except ImportRejected as rejected:
            assert rejected.errors
        else:
            assert table.headings


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="a POSIX device")
def test_a_device_is_refused_before_it_is_read() -> None:
    """/dev/zero never ends: it was read until the process was killed."""
    with pytest.raises(ImportRejected) as refused:
        read_table("/dev/zero")
    assert "it is a device, not a file" in str(refused.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_read_no_further_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe says nothing of its size: the limit holds while reading, not after."""
    import contextlib
    import threading

    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 1024)
    pipe = tmp_path / "roll.csv"
    os.mkfifo(pipe)

    def write() -> None:
        # The reader stops at the limit, as it should: the rest meets a closed pipe.
        with contextlib.suppress(BrokenPipeError), pipe.open("wb") as end:
            end.write(b"UPN,Year\n" + b"x" * 4096)

    writer = threading.Thread(target=write)
    writer.start()
    with pytest.raises(ImportRejected) as refused:
        read_table(pipe)
    writer.join(timeout=10)
    assert "larger than 200 MB" in str(refused.value)


def test_a_file_mixing_utf8_and_windows_1252_rows_is_refused_at_the_first_that_differs() -> None:
    """Read as Windows-1252, its UTF-8 rows' names would be garbled ('ZoÃ«')."""
    data = (
        b"UPN,Surname,Forename\n"
        + "A1,O'Brien,Zoë\n".encode()
        + b"A2,Smith,Ann\n"
        + "A3,Núñez,José\n".encode("cp1252")
    )
    with pytest.raises(ImportRejected) as refused:
        decode(data, "roll.csv")
    (error,) = refused.value.errors
    assert error.line == 4
    assert "line 2 is UTF-8 and line 4 is not" in error.reason


def test_a_file_all_in_windows_1252_is_still_read() -> None:
    data = "UPN,Surname\nA1,Núñez\nA2,Zoë\n".encode("cp1252")
    assert decode(data, "roll.csv") == "UPN,Surname\nA1,Núñez\nA2,Zoë\n"
