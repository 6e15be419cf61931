"""The English school year's usual terms, for 'what expires this term' before real terms exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TermDates:
    name: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def usual_term(on: dt.date) -> TermDates:
    """Autumn (Sept–Dec), spring (Jan–Mar) or summer (Apr–Aug) term around a date."""
    year = on.year
    if on.month >= 9:
        return TermDates(f"Autumn {year}", dt.date(year, 9, 1), dt.date(year, 12, 31))
    if on.month <= 3:
        return TermDates(f"Spring {year}", dt.date(year, 1, 1), dt.date(year, 3, 31))
    return TermDates(f"Summer {year}", dt.date(year, 4, 1), dt.date(year, 8, 31))
