"""CSV exports that are safe to open in a spreadsheet. Counts only: no pupil is named.

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` as a formula, and a
formula can fetch a web page or run a command (CSV injection). Text in our exports comes
from files people import (a member of staff's name, a school's name), so every text cell
is neutralised as OWASP advises: a cell that starts with one of those characters, a tab
or a carriage return gets a single quote in front (`'=1+1`), which a spreadsheet shows
as text. The same goes for a cell whose first character after leading spaces is one of
them, and for their full-width forms (＝ ＋ － ＠), which some spreadsheets also read.

Numbers we work out ourselves (a rank, a count, a score) are written as numbers, without
quotes, so a spreadsheet sums and sorts them; they are never neutralised. A minus sign
on a number of our own is harmless (`-2` is minus two, not a formula), and none of these
exports has a negative number. Text that merely looks like a number (`"-2"`) is text, and
is neutralised like any other. Every text cell is quoted, numbers are not: reading the
file back with `csv.QUOTE_NONNUMERIC` gives numbers as numbers and text as text.

The file is UTF-8 with a byte-order mark, so Excel shows accented names as typed.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence

from sencoplan.domain.disclosure import (
    WITHHELD_FIGURE,
    Showing,
    counts_exact,
    in_words,
    row_labels,
    share_words,
)
from sencoplan.domain.priorities import Priority, PriorityResult

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: how Excel knows the file is UTF-8."""

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
"""A cell starting with one of these may be read as a formula (OWASP's list, and the
full-width forms of the first four)."""

QUOTE = "'"

Cell = str | int | float | bool | None


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: "'" in front of anything that could start a formula.

    '=HYPERLINK("http://x")' -> "'=HYPERLINK(\"http://x\")"; ' =1' -> "' =1"; 'Ann' -> 'Ann'.
    """
    stripped = text.lstrip(" \n")
    if text and (text[0] in FORMULA_STARTS or (stripped and stripped[0] in FORMULA_STARTS)):
        return QUOTE + text
    return text


def cell(value: Cell) -> str | int | float:
    """One cell: a number of our own as a number, anything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        # nan and infinity are not numbers a spreadsheet reads: written as text.
        return value if math.isfinite(value) else neutralise(str(value))
    return neutralise(str(value))


def csv_text(headings: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV file: the headings, then the rows, every cell through `cell`.

    Text is quoted and numbers are not (`QUOTE_NONNUMERIC`); lines end with CRLF (RFC 4180).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([cell(heading) for heading in headings])
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


PRIORITY_HEADINGS = (
    "Rank",
    "Need",
    "Need name",
    "Broad area",
    "Pupils",
    "Targeted",
    "Targeted plus",
    "Specialist",
    "Staff relevant",
    "Staff trained",
    "Confidence",
    "Coverage %",
    "Score",
    "Schools",
    "Reason",
)


def priorities_csv(result: PriorityResult, school_names: Mapping[int, str]) -> str:
    """One row per need, best first. Pupil counts under 5 read "fewer than 5" (text), and a
    total that would give one away by subtraction reads "5 or more" (`row_labels`).

    Over several schools, a need that not every school shows exactly reads "withheld" for
    its pupils, tiers (0 where there are none), coverage and score, and "some" in its
    reason (`PriorityResult.withheld`): with a school's own export, any of them would give
    another school's hidden counts back by subtraction."""
    rows: list[list[Cell]] = [
        [
            line.rank,
            line.need.value,
            line.need.label,
            line.area.label,
            *_pupil_cells(line, shown),
            line.staff_relevant,
            line.staff_trained,
            round(line.confidence, 1) if line.confidence is not None else None,
            _coverage(line, shown),
            _score(line, shown),
            "; ".join(school_names.get(school, str(school)) for school in line.school_ids),
            line.reason(in_words(line.pupils, line.tier_counts, **shown)),
        ]
        for line, shown in ((line, result.showing(line)) for line in result.priorities)
    ]
    return csv_text(PRIORITY_HEADINGS, rows)


GAP_HEADINGS = (
    "Staff",
    "Role",
    "School",
    "Need",
    "Need name",
    "Pupils",
    "Level needed",
    "Level held",
    "Modules that would close it",
)


def gaps_csv(result: PriorityResult, school_names: Mapping[int, str]) -> str:
    """One row per person and need they work with but are not trained for, by name.

    Staff are named (it is about their training); pupils are counted, under 5 banded. A
    person's pupils with a need are some of the need's: where the priorities withhold the
    need's total, a count of 5 or more reads "5 or more" here too (`in_words`), or a
    teacher of all of them would show the total. Over several schools, where they withhold
    all of a need's counts, a person's reads "5 or more" or "fewer than 5", never more than
    their own school's gaps export shows (`share_words`).
    """
    words = {
        line.need: share_words(line.pupils, line.tier_counts, **result.showing(line))
        for line in result.priorities
    }
    rows: list[list[Cell]] = [
        [
            gap.staff.name,
            gap.staff.role.label,
            school_names.get(gap.staff.school_id, str(gap.staff.school_id)),
            gap.need.value,
            gap.need.label,
            _pupils(gap.pupils, words.get(gap.need, _lone)(gap.pupils)),
            gap.required.label,
            gap.held.label if gap.held else "none",
            "; ".join(f"{module.code} {module.title}" for module in gap.modules)
            or "none in the catalogue",
        ]
        for gap in result.staff_gaps
    ]
    return csv_text(GAP_HEADINGS, rows)


def _coverage(line: Priority, shown: Showing) -> Cell:
    """Coverage %, or "withheld" where a count is hidden: each pupil weighs by tier in it,
    so with the staff's levels (the gaps) it could give a hidden tier split back."""
    exact = counts_exact(line.pupils, line.tier_counts, **shown)
    return round(100 * line.coverage) if exact else WITHHELD_FIGURE


def _score(line: Priority, shown: Showing) -> Cell:
    """The score as a number, or "withheld" where it would give a hidden count back."""
    if counts_exact(line.pupils, line.tier_counts, **shown):
        return round(line.score, 1)
    return WITHHELD_FIGURE


def _lone(count: int) -> str:
    """A count with no parts, as `row_labels` shows it (banded under 5)."""
    return row_labels(count, ())[0]


def _pupil_cells(line: Priority, shown: Showing) -> list[Cell]:
    """A line's pupils and pupils by tier, as `row_labels` lets them be shown."""
    tiers = line.tier_counts
    total, parts = row_labels(line.pupils, tiers, **shown)
    return [_pupils(line.pupils, total), *map(_pupils, tiers, parts)]


def _pupils(count: int, shown: str) -> int | str:
    """A pupil count as a number, or as text ("fewer than 5", "5 or more") when hidden."""
    return count if shown == str(count) else shown
