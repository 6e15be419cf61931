"""Reading a CSV or XLSX file as headings and rows, each row knowing its line number.

Schools' files come from Excel and MIS exports: UTF-8, UTF-8 with a byte-order mark,
or Windows-1252; commas, semicolons or tabs; sometimes .xlsx. Anything else is refused
with a reason, never half read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sencoplan.io.errors import ImportRejected, RowError

MAX_FIELD_CHARS = 10_000
MAX_FILE_BYTES = 200 * 1024 * 1024


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


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which is what Excel saves."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            source,
            [RowError(0, "", f"the file is not text in UTF-8 or Windows-1252 ({error.reason})")],
        ) from None


def _delimiter(text: str) -> str:
    """The separator of the heading row: the first line that is not blank."""
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _check_headings(source: str, headings: list[str], line: int = 1) -> list[str]:
    """The headings stripped; refused if one is repeated or there are none (`line` is theirs)."""
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    cleaned = [heading.strip() for heading in headings]
    for heading in cleaned:
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
        raise ImportRejected(source, errors)
    return cleaned


def _rows_from_records(
    source: str, headings: list[str], records: list[tuple[int, list[str]]]
) -> Table:
    table = Table(source, headings)
    errors: list[RowError] = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
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
            if headings is None:
                if not any(cell.strip() for cell in record):
                    continue
                headings = _check_headings(source, record, start_line)
                continue
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
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, source: str) -> Table:
    from openpyxl import load_workbook

    # A damaged or foreign file makes openpyxl raise many kinds of error (bad zip, bad XML,
    # bad compressed data, missing parts), while opening and while reading rows lazily:
    # every one of them refuses the file with its reason.
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise ImportRejected(
            source, [RowError(0, "", f"the spreadsheet cannot be opened: {error}")]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as error:
        raise ImportRejected(
            source, [RowError(0, "", f"the spreadsheet cannot be read: {error}")]
        ) from None
    finally:
        workbook.close()
    while rows and not any(cell.strip() for cell in rows[0][1]):
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


def read_table(path: Path | str) -> Table:
    """The file as a Table; raises ImportRejected with a reason if it cannot be read."""
    path = Path(path)
    source = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImportRejected(source, [RowError(0, "", _cannot_read(error))]) from None
    if size > MAX_FILE_BYTES:
        raise ImportRejected(source, [RowError(0, "", "the file is larger than 200 MB")])
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(path, source)
    if path.suffix.lower() == ".xls":
        raise ImportRejected(
            source, [RowError(0, "", "old .xls files are not read: save it as .xlsx or CSV")]
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRejected(source, [RowError(0, "", _cannot_read(error))]) from None
    return parse_csv_text(decode(data, source), source)
