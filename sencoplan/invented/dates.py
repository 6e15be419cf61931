"""School dates for invented records: British day/month/year as MIS exports write them,
weekdays in term time, and birth dates that fit a year group."""

from __future__ import annotations

import datetime as dt
import random


def british(day: dt.date | None) -> str:
    """dd/mm/yyyy, or blank for no date."""
    return f"{day:%d/%m/%Y}" if day else ""


def between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from start to end, both included."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def school_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date | None:
    """A weekday in term time (not August, not Christmas) in [start, end], or None."""
    if start > end:
        return None
    for _ in range(300):
        day = between(rng, start, end)
        christmas = (day.month == 12 and day.day > 19) or (day.month == 1 and day.day < 4)
        if day.weekday() < 5 and day.month != 8 and not christmas:
            return day
    return None


def year_index(year: str) -> int:
    """Reception is 0, Year 1 is 1, ... Year 14 is 14 (special schools' post-16)."""
    return 0 if year == "R" else int(year)


def birth_window(year: str, academic_start: int) -> tuple[dt.date, dt.date]:
    """Born September to August: in 2026/27 a Year 7 pupil was born Sep 2014 to Aug 2015."""
    first = academic_start - 5 - year_index(year)
    return dt.date(first, 9, 1), dt.date(first + 1, 8, 31)
