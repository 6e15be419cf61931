"""Validation errors in plain English, for the person at the keyboard.

pydantic says "Input should be greater than or equal to 0" and "String should have at most
200 characters"; a SENCO reading an import report or a form should read "must be at least 0"
and "is too long (at most 200 characters)". `plain_message` turns one error detail (an item
of `ValidationError.errors()`) into such words, from its `type` and `ctx`; the validators of
the domain models raise ValueErrors whose messages are already plain, and pass through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def _value(value: object) -> str:
    """A limit as people write it: 0, 1.5, 100,000, or a date as day/month/year."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def counted(count: object, one: str, many: str | None = None) -> str:
    """'1 session', '3 sessions', '1,200 pupils': a count with its noun agreeing."""
    return f"{_value(count)} {one if count == 1 else many or one + 's'}"


def _too_short(ctx: Mapping[str, Any]) -> str:
    least = ctx.get("min_length", 1)
    if least == 1:
        return "needs at least one value"
    return f"needs at least {counted(least, 'value', 'values')}"


def _string_too_short(ctx: Mapping[str, Any]) -> str:
    least = ctx.get("min_length", 1)
    if least == 1:
        return "is blank"
    return f"is too short (at least {counted(least, 'character', 'characters')})"


def _value_error(detail: Mapping[str, Any]) -> str:
    error = (detail.get("ctx") or {}).get("error")
    if isinstance(error, BaseException) and str(error):
        return str(error)
    return str(detail.get("msg", "")).removeprefix("Value error, ")


def _one_of(ctx: Mapping[str, Any]) -> str:
    return f"must be one of {ctx['expected']}" if "expected" in ctx else "is not one of the choices"


_BY_TYPE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "greater_than_equal": lambda ctx: f"must be at least {_value(ctx['ge'])}",
    "less_than_equal": lambda ctx: f"must be at most {_value(ctx['le'])}",
    "greater_than": lambda ctx: f"must be more than {_value(ctx['gt'])}",
    "less_than": lambda ctx: f"must be less than {_value(ctx['lt'])}",
    "multiple_of": lambda ctx: f"must be a multiple of {_value(ctx['multiple_of'])}",
    "string_too_long": lambda ctx: (
        f"is too long (at most {counted(ctx['max_length'], 'character', 'characters')})"
    ),
    "string_too_short": _string_too_short,
    "too_short": _too_short,
    "too_long": lambda ctx: f"has too many values (at most {_value(ctx['max_length'])})",
    "string_pattern_mismatch": lambda ctx: "is not in the expected form",
    "missing": lambda ctx: "is missing",
    "string_type": lambda ctx: "must be text",
    "int_type": lambda ctx: "must be a whole number",
    "int_parsing": lambda ctx: "must be a whole number",
    "int_from_float": lambda ctx: "must be a whole number",
    "float_type": lambda ctx: "must be a number",
    "float_parsing": lambda ctx: "must be a number",
    "finite_number": lambda ctx: "must be a number",
    "bool_type": lambda ctx: "must be yes or no",
    "bool_parsing": lambda ctx: "must be yes or no",
    "date_type": lambda ctx: "must be a date",
    "date_parsing": lambda ctx: "must be a date",
    "date_from_datetime_parsing": lambda ctx: "must be a date",
    "date_from_datetime_inexact": lambda ctx: "must be a date, without a time",
    "enum": _one_of,
    "literal_error": _one_of,
    "extra_forbidden": lambda ctx: "is not expected here",
}


def plain_message(detail: Mapping[str, Any]) -> str:
    """One pydantic error detail in plain English (its own message if the type is unknown)."""
    kind = str(detail.get("type", ""))
    if kind == "value_error":
        return _value_error(detail)
    if kind == "assertion_error":
        return str(detail.get("msg", "")).removeprefix("Assertion failed, ")
    describe = _BY_TYPE.get(kind)
    if describe is not None:
        try:
            return describe(detail.get("ctx") or {})
        except KeyError:
            pass  # a context without the expected key: pydantic's own words below
    return str(detail.get("msg", ""))


SMALL_COUNT = 5
"""Pupil counts below this can identify a child: anything that may leave the screen
(exports, session reasons) bands them."""


def banded(count: int) -> str:
    """A pupil count as a report may show it: 'fewer than 5' below the threshold."""
    return str(count) if count == 0 or count >= SMALL_COUNT else f"fewer than {SMALL_COUNT}"


def pounds(amount: float) -> str:
    """A cost in whole pounds as a finance office rounds it: to the penny first (16.40 x 3
    x 10 / 4 is 61.4999... in floating point, and is £61.50), then halves up: '£62'."""
    pence = Decimal(str(round(amount, 2)))
    return f"£{pence.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
