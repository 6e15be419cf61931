"""Matching a file's headings to the fields an importer needs, and reading cells safely."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sencoplan.domain.messages import plain_message
from sencoplan.io.errors import RowError
from sencoplan.io.tabular import SourceRow, Table, fold_heading

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Column:
    """A field and the headings that mean it, best first (the first is the documented one)."""

    field: str
    headings: tuple[str, ...]
    required: bool = False

    @property
    def name(self) -> str:
        return self.headings[0]


@dataclass
class HeadingMap:
    columns: dict[str, Column]
    found: dict[str, str]
    """field -> the heading as written in the file"""
    ignored: list[str]

    def heading(self, field: str) -> str:
        return self.found.get(field, self.columns[field].name)

    def has(self, field: str) -> bool:
        return field in self.found


def map_headings(table: Table, columns: list[Column]) -> tuple[HeadingMap, list[RowError]]:
    """Which heading feeds which field. Unknown headings are ignored (and reported)."""
    by_fold = {fold_heading(heading): heading for heading in table.headings if heading}
    found: dict[str, str] = {}
    used: set[str] = set()
    errors: list[RowError] = []
    for column in columns:
        for alias in column.headings:
            heading = by_fold.get(fold_heading(alias))
            if heading is not None and heading not in used:
                found[column.field] = heading
                used.add(heading)
                break
        else:
            if column.required:
                accepted = ", ".join(repr(alias) for alias in column.headings)
                errors.append(RowError(0, column.name, f"the column is missing (use {accepted})"))
    ignored = [heading for heading in table.headings if heading and heading not in used]
    return HeadingMap({column.field: column for column in columns}, found, ignored), errors


class RowReader:
    """One row's cells by field, collecting every problem rather than stopping at the first."""

    def __init__(self, row: SourceRow, headings: HeadingMap, errors: list[RowError]) -> None:
        self.row = row
        self.headings = headings
        self.errors = errors
        self._count_before = len(errors)

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def ok(self) -> bool:
        return len(self.errors) == self._count_before

    def has(self, field: str) -> bool:
        return self.headings.has(field)

    def text(self, field: str) -> str:
        heading = self.headings.found.get(field)
        return self.row.values.get(heading, "") if heading else ""

    def error(self, field: str, reason: str) -> None:
        column = self.headings.heading(field) if field else ""
        self.errors.append(RowError(self.row.line, column, reason))

    def once(self, field: str, key: object, seen: dict[Any, int], what: str) -> None:
        """An error if this key was on an earlier line of the file (duplicate rows)."""
        if key in seen:
            self.error(field, f"{what} appears twice: also on line {seen[key]}")
        else:
            seen[key] = self.line

    def read(self, field: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        """The cell parsed, or None when blank (an error if required) or unreadable."""
        raw = self.text(field)
        if raw == "":
            if required:
                self.error(field, "is blank")
            return None
        try:
            return parse(raw)
        except ValueError as problem:
            self.error(field, str(problem))
            return None

    def build(
        self, model: type[M], data: dict[str, Any], field_for: dict[str, str] | None = None
    ) -> M | None:
        """A domain model from this row; its validation errors land on the right column."""
        try:
            return model.model_validate(data)
        except ValidationError as invalid:
            for detail in invalid.errors():
                location = str(detail["loc"][0]) if detail["loc"] else ""
                field = (field_for or {}).get(location, location)
                message = plain_message(detail)
                if field in self.headings.columns:
                    self.error(field, message)
                else:
                    self.error("", message)
            return None


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d{1,2}")


def parse_number(text: str) -> float:
    """A number as people type it in a spreadsheet: '£250', '1,200', '12,000,000', '7.5'.

    Commas followed by three digits each separate thousands ('1,200', '12,000,000'); one
    comma followed by one or two digits is a decimal comma ('7,5' is 7.5, '0,8' is 0.8).
    Any other comma ('1,2345', '0,875') is an error, never a guess.
    """
    cleaned = text.replace("£", "").strip()
    if "," in cleaned:
        if _THOUSANDS.fullmatch(cleaned):
            cleaned = cleaned.replace(",", "")
        elif _DECIMAL_COMMA.fullmatch(cleaned):
            cleaned = cleaned.replace(",", ".")
        else:
            raise ValueError(
                f"{text!r} is not a number: a comma may only separate thousands (1,200) "
                "or mark decimals (7,5)"
            )
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not a number")
    return float(cleaned)


def parse_whole_number(text: str) -> int:
    number = parse_number(text)
    if not number.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return int(number)
