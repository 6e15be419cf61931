"""British dates as schools write them: 03/04/2026 is 3 April. Never a guess."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from sencoplan.domain.rules import not_in_the_future

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_WORDY = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})[ \-,]*(\d{4})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _real(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (dates are day/month/year)") from None


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date:
    """A date from day/month/year (/, - or .), ISO year-month-day, or "3 April 2026".

    Two-digit years and impossible dates are refused, with a reason.
    """
    value = text.strip()
    if match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
        return _real(year, month, day, value)
    if match := _DMY.fullmatch(value):
        day_text, month_text, year_text = match.groups()
        if len(year_text) != 4:
            raise ValueError(f"{value!r} needs a four-digit year (day/month/year)")
        return _real(int(year_text), int(month_text), int(day_text), value)
    if match := _WORDY.fullmatch(value):
        day_text, month_name, year_text = match.groups()
        month_number = _MONTHS.get(month_name.lower())
        if month_number is None:
            raise ValueError(f"{value!r} has an unknown month")
        return _real(int(year_text), month_number, int(day_text), value)
    raise ValueError(f"{value!r} is not a date (use day/month/year, e.g. 03/04/2026)")


def past_date(today: dt.date, what: str = "") -> Callable[[str], dt.date]:
    """A parser for a date that has to have happened by `today` (a birth, training done,
    a survey answered): parse_date, then the rule in domain/rules."""

    def parse(text: str) -> dt.date:
        return not_in_the_future(parse_date(text), today, what)

    return parse
