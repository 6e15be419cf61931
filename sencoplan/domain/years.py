"""Year groups as English schools name them: nursery N1 and N2, reception R, then 1 to 14."""

from __future__ import annotations

import re

YEAR_GROUPS: tuple[str, ...] = ("N1", "N2", "R", *(str(year) for year in range(1, 15)))

_NAMED = {
    "n1": "N1",
    "nursery1": "N1",
    "n2": "N2",
    "nursery2": "N2",
    "nursery": "N2",
    "r": "R",
    "rec": "R",
    "reception": "R",
    "yr": "R",
}


def parse_year_group(text: str) -> str:
    """A year group from "7", "07", "Year 7", "Y7", "R", "Reception", "N1"...

    Raises ValueError for a year outside N1, N2, R, 1–14.
    """
    # Spaces are folded away ("Year 7", "Nursery 1"); any other mark is kept, so "-1" and
    # "Y-7" are refused, never read as Year 1 and Year 7.
    key = re.sub(r"[\s_]", "", text.lower())
    if key in _NAMED:
        return _NAMED[key]
    match = re.fullmatch(r"(?:year|yr|y|nc|ncyear)?(\d{1,2})", key)
    if match:
        year = int(match.group(1))
        if 1 <= year <= 14:
            return str(year)
        raise ValueError(f"year group {text.strip()!r} is out of range (N1, N2, R, 1–14)")
    if key == "":
        raise ValueError("year group is missing")
    raise ValueError(f"unknown year group {text.strip()!r} (use N1, N2, R or 1–14)")


def year_order(year_group: str) -> int:
    """Sort key: N1 < N2 < R < 1 < ... < 14."""
    return YEAR_GROUPS.index(year_group)


def year_after(year_group: str) -> str:
    """The year group a pupil moves up to at the start of the next school year (Year 6
    becomes Year 7); the last year stays as it is."""
    index = YEAR_GROUPS.index(parse_year_group(year_group))
    return YEAR_GROUPS[min(index + 1, len(YEAR_GROUPS) - 1)]
