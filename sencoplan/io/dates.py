"""British dates and times as schools write them (03/04/2026 is 3 April; 3.45pm), and a
term's closures as a line of them. Never a guess."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from sencoplan.domain.calendar import Closure
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


_DAY = r"\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
_CLOSURE = re.compile(
    rf"\s*(?P<start>{_DAY})(?:\s*(?:-|–|to)\s*(?P<end>{_DAY}))?\s*(?P<label>.*?)\s*"
)


def parse_closures(text: str) -> tuple[Closure, ...]:
    """'26/10/2026-30/10/2026 Half term; 01/09/2026 INSET' -> closures in date order."""
    closures = []
    for part in text.split(";"):
        if not part.strip():
            continue
        match = _CLOSURE.fullmatch(part)
        if match is None:
            raise ValueError(
                f"closure {part.strip()!r} is not 'dd/mm/yyyy' or 'dd/mm/yyyy-dd/mm/yyyy' "
                "followed by a name"
            )
        start = parse_date(match["start"])
        end = parse_date(match["end"]) if match["end"] else start
        if end < start:
            raise ValueError(f"closure {part.strip()!r} ends before it starts")
        closures.append(Closure(start=start, end=end, label=match["label"]))
    return tuple(sorted(closures, key=lambda closure: closure.start))


def parse_time(text: str) -> dt.time:
    """'15:45', '3.45pm', '1545' -> a time of day."""
    cleaned = text.strip().lower().replace(".", ":").replace(" ", "")
    match = re.fullmatch(r"(\d{1,2}):?(\d{2})?(am|pm)?", cleaned)
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a time (use 15:45)")
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] == "pm" and hour < 12:
        hour += 12
    if match[3] == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day")
    return dt.time(hour, minute)
