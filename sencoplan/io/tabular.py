"""Reading a CSV or XLSX file as headings and rows, each row knowing its line number.

Schools' files come from Excel and MIS exports: UTF-8, UTF-8 with a byte-order mark,
UTF-16 or UTF-32 ("Unicode text"), or Windows-1252; commas, semicolons or tabs;
sometimes .xlsx. Anything else is refused with a reason, never half read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sencoplan.io.errors import ImportRejected, RowError

MAX_FIELD_CHARS = 10_000
MAX_HEADING_CHARS = 1_000
MAX_FILE_BYTES = 200 * 1024 * 1024
TOO_LARGE = "the file is larger than 200 MB"
MAX_ROWS = 1_048_576
"""The most rows a spreadsheet holds: more is not a school's file, and would fill memory."""
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
"""A workbook's parts unpacked: a small .xlsx that unpacks to more is a zip bomb."""

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class SourceRow:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    """Headings as written in the file, and the non-blank rows under them."""

    source: str
    headings: list[str]
    rows: list[SourceRow] = field(default_factory=list)


def fold_heading(heading: str) -> str:
    """'SEN Need Type 1', 'sen_need_type_1' and ' SEN need-type 1 ' are one heading."""
    return re.sub(r"[^a-z0-9]", "", heading.lower())


def _refuse(source: str, reason: str, line: int = 0) -> ImportRejected:
    """The whole file refused for `reason`, seen first on `line` (0: nowhere in particular)."""
    return ImportRejected(source, [RowError(line, "", reason)], whole_file=True)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark, or None.

    Text in UTF-16 has a zero byte beside nearly every Latin letter, always on the same
    side; binary data does not, or decodes to NUL characters, so it stays refused.
    """
    if len(data) % 2:
        return None
    for encoding, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if 2 * high.count(0) >= len(high):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    return None


SAVE_AGAIN = "save it from your MIS as CSV (UTF-8) or XLSX"

NOT_TEXT = (
    "the file is not text sencoplan can read (it is not UTF-8, UTF-16, UTF-32 or "
    f"Windows-1252, the encodings Excel and MIS exports save in): {SAVE_AGAIN}"
)
"""Said when no encoding that `decode` tries reads the file (never the codec's own words)."""


def _damaged(encoding: str, error: UnicodeDecodeError) -> str:
    """Why text that starts as UTF-16 or UTF-32 stops being readable, in plain words."""
    if error.reason in {"truncated data", "unexpected end of data"}:
        why = "stops part-way through a letter (is it cut short?)"
    else:
        why = f"is damaged on this line (bytes that are not {encoding} text)"
    return f"the file starts as {encoding} text but {why}: {SAVE_AGAIN}"


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which is what Excel saves.

    UTF-16 and UTF-32 (Excel's "Unicode text") are read too: with a byte-order mark, or
    UTF-16 without one, recognised by its zero bytes. A byte-order mark written twice (some
    tools add one to a file that has one) is not part of the first heading.
    """
    return _decode(data, source).lstrip("\ufeff")


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    else:
        for bom, encoding in (
            (b"\xff\xfe\x00\x00", "utf-32"),
            (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"),
            (b"\xfe\xff", "utf-16"),
        ):
            if data.startswith(bom):
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError as error:
                    # Where: the line of the first character that could not be read.
                    readable = data.decode(encoding, errors="replace")
                    line = readable.count("\n", 0, max(readable.find("\ufffd"), 0)) + 1
                    raise _refuse(source, _damaged(encoding.upper(), error), line) from None
        if b"\x00" in data and (text := _utf16_without_bom(data)) is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    _refuse_mixed_encodings(data, source)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _refuse(source, NOT_TEXT) from None


def _refuse_mixed_encodings(data: bytes, source: str) -> None:
    """A file that is not all UTF-8 is read as Windows-1252; but if some of its lines are
    UTF-8 (rows pasted in from another export), reading it so would garble their names.
    Refused, naming the first line in each encoding."""
    utf8_line = other_line = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            raise _refuse(
                source,
                f"the file mixes two encodings: line {utf8_line} is UTF-8 and line "
                f"{other_line} is not (Windows-1252, say), so some names would be garbled: "
                "save the whole file again as CSV UTF-8",
                other_line,
            )


def _delimiter(text: str) -> str:
    """The separator of the heading row: the first line that is not blank."""
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _check_headings(source: str, headings: list[str], line: int = 1) -> list[str]:
    """The headings stripped; refused if one is repeated, far too long, or there are none
    (`line` is theirs)."""
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    cleaned = [heading.strip() for heading in headings]
    for index, heading in enumerate(cleaned):
        if len(heading) > MAX_HEADING_CHARS:
            errors.append(RowError(line, f"#{index + 1}", "the heading is far too long"))
            continue
        key = fold_heading(heading)
        if not key:
            continue
        if key in seen:
            errors.append(
                RowError(line, heading, f"the heading appears twice (also as {seen[key]!r})")
            )
        seen[key] = heading
    if not seen:
        errors.append(RowError(line, "", "the first row has no headings"))
    if errors:
        # No headings at all: the file is not a table sencoplan reads, not a row to correct.
        raise ImportRejected(source, errors, whole_file=not seen)
    return cleaned


def _is_blank(record: Iterable[str]) -> bool:
    return not any(cell.strip() for cell in record)


def _too_many_rows(source: str, line: int) -> ImportRejected:
    return _refuse(
        source,
        f"the file has more than {MAX_ROWS:,} rows, the most a spreadsheet holds: "
        "is it the right file?",
        line,
    )


def _rows_from_records(
    source: str, headings: list[str], records: list[tuple[int, list[str]]]
) -> Table:
    table = Table(source, headings)
    errors: list[RowError] = []
    for line, record in records:
        if _is_blank(record):
            continue
        if len(record) > len(headings) and any(cell.strip() for cell in record[len(headings) :]):
            errors.append(
                RowError(line, "", f"{len(record)} values but only {len(headings)} headings")
            )
            continue
        values = {}
        for index, heading in enumerate(headings):
            cell = record[index] if index < len(record) else ""
            if len(cell) > MAX_FIELD_CHARS:
                errors.append(
                    RowError(line, heading or f"#{index + 1}", "the value is far too long")
                )
                cell = ""
            if heading:
                values[heading] = cell.strip()
        table.rows.append(SourceRow(line, values))
    if errors:
        raise ImportRejected(source, errors)
    return table


def parse_csv_text(text: str, source: str) -> Table:
    """The table in a CSV file's text; refused whole, with where and why, if unreadable."""
    if "\x00" in text:
        raise ImportRejected(source, [RowError(0, "", "the file is binary, not a CSV")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    headings: list[str] | None = None
    try:
        while True:
            start_line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if _is_blank(record):
                continue  # kept out of memory: a file of blank lines is not a big table
            if headings is None:
                headings = _check_headings(source, record, start_line)
                continue
            if len(records) >= MAX_ROWS:
                raise _too_many_rows(source, start_line)
            records.append((start_line, record))
    except csv.Error as error:
        raise ImportRejected(
            source, [RowError(reader.line_num, "", f"the CSV cannot be read: {error}")]
        ) from None
    if headings is None:
        raise ImportRejected(source, [RowError(0, "", "the file is empty")])
    return _rows_from_records(source, headings, records)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):  # a time cell (15:45) reads as the time people typed
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _looks_like_text(start: bytes) -> bool:
    """The first bytes of a file read as UTF-8 or Windows-1252 text, without control codes."""
    for encoding in ("utf-8", "cp1252"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(start, final=False)
        except UnicodeDecodeError:
            continue
        return all(char.isprintable() or char in "\r\n\t" for char in text)
    return False


def _not_a_workbook(path: Path) -> str | None:
    """Why a file named .xlsx is no workbook sencoplan can open, or None if it may be one.

    Checked before openpyxl so that the common mistakes get a reason a SENCO can act on
    (a password, an old .xls, a CSV renamed), and a zip bomb is refused before it unpacks.
    """
    try:
        with path.open("rb") as file:
            start = file.read(4096)
    except OSError as error:
        return _cannot_read(error)
    if start.startswith(_OLE_MAGIC):
        return (
            "the workbook is password-protected (encrypted), or is an old .xls file: "
            "open it in Excel, remove the password and save it as .xlsx or CSV"
        )
    if not start:
        return "the file is empty"
    if not start.startswith(_ZIP_MAGIC):
        if _looks_like_text(start):
            return "the file is text, not an .xlsx workbook: if it is a CSV, name it .csv"
        return None  # let openpyxl say what it is not
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # Damaged (a byte overwritten can make it ask for "zip file version 6.4", which
        # zipfile does not read): openpyxl, trying it in turn, gives the reason.
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        return "the workbook unpacks to more than 1 GB: it is not a school's spreadsheet"
    if "[Content_Types].xml" not in names:
        return (
            "the file is a zip archive, not an Excel workbook (an .ods or .numbers "
            "spreadsheet? save it as .xlsx or CSV)"
        )
    return None


ENTITIES = (
    "it declares XML entities, which no spreadsheet needs (refused: a way to make a small "
    "file fill memory)"
)


def _unopened(error: BaseException) -> str:
    """Why a workbook did not open: entity declarations said plainly (openpyxl reads with
    defusedxml, installed for CTF files, and refuses them at opening)."""
    cause: BaseException | None = error
    while cause is not None:
        if type(cause).__module__.startswith("defusedxml"):
            return f"the spreadsheet cannot be opened: {ENTITIES}"
        cause = cause.__cause__ or cause.__context__
    return f"the spreadsheet cannot be opened: {error}"


def read_xlsx(path: Path, source: str) -> Table:
    """The first worksheet of a workbook, as the values Excel last saved (never evaluated)."""
    from openpyxl import load_workbook

    if (reason := _not_a_workbook(path)) is not None:
        raise _refuse(source, reason)
    # A damaged or foreign file makes openpyxl raise many kinds of error (bad zip, bad XML,
    # bad compressed data, missing parts), while opening and while reading rows lazily:
    # every one of them refuses the file with its reason.
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise ImportRejected(source, [RowError(0, "", _unopened(error))]) from None
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        if not workbook.worksheets:
            raise _refuse(source, "the workbook has no worksheet (only charts?)")
        sheet = workbook.worksheets[0]
        # The sheet's own idea of its size may be wrong or hostile (A1:XFD1048576 would pad
        # every row to 16,384 cells): read only the cells that are there.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise _too_many_rows(source, number)
            cells = [_cell_text(value) for value in values]
            if rows and _is_blank(cells):
                continue  # blank lines are not kept, so millions of them fill no memory
            rows.append((number, cells))
    except ImportRejected:
        raise
    except Exception as error:
        raise ImportRejected(
            source,
            [RowError(0, "", f"the spreadsheet cannot be read: {error} (row {number + 1})")],
        ) from None
    finally:
        workbook.close()
    while rows and _is_blank(rows[0][1]):
        rows.pop(0)
    if not rows:
        raise ImportRejected(source, [RowError(0, "", "the spreadsheet is empty")])
    heading_line, raw_headings = rows[0]
    while raw_headings and not raw_headings[-1].strip():
        raw_headings.pop()
    headings = _check_headings(source, raw_headings, heading_line)
    return _rows_from_records(source, headings, rows[1:])


def _cannot_read(error: OSError) -> str:
    """'cannot read the file: No such file or directory', without Python's [Errno 2]."""
    return f"cannot read the file: {error.strerror or error}"


def check_file(path: Path, source: str, wanted: str) -> None:
    """A file that can be read, not a device, not over 200 MB (else ImportRejected)."""
    try:
        status = path.stat()
    except OSError as error:
        raise ImportRejected(source, [RowError(0, "", _cannot_read(error))]) from None
    if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode):
        raise _refuse(source, f"it is a device, not a file: give {wanted}")
    if status.st_size > MAX_FILE_BYTES:
        raise ImportRejected(source, [RowError(0, "", TOO_LARGE)])


def read_limited(path: Path, source: str) -> bytes:
    """The file's bytes, never more than 200 MB of them (what it says of its size may not
    hold: a pipe)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportRejected(source, [RowError(0, "", _cannot_read(error))]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(source, [RowError(0, "", TOO_LARGE)])
    return data


def read_table(path: Path | str) -> Table:
    """The file as a Table; raises ImportRejected with a reason if it cannot be read."""
    path = Path(path)
    source = path.name
    check_file(path, source, "the CSV or XLSX file")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(path, source)
    if path.suffix.lower() == ".xls":
        raise ImportRejected(
            source, [RowError(0, "", "old .xls files are not read: save it as .xlsx or CSV")]
        )
    data = read_limited(path, source)
    if data.startswith(_ZIP_MAGIC):
        raise _refuse(
            source,
            "the file is an .xlsx workbook (or another zip archive), not a CSV: "
            "if it is a workbook, name it .xlsx",
        )
    if data.startswith(_OLE_MAGIC):
        raise _refuse(
            source,
            "the file is an Excel workbook (an old .xls, or one with a password), not a CSV: "
            "save it as .xlsx or CSV",
        )
    return parse_csv_text(decode(data, source), source)
