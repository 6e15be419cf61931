"""Secondary suppression: a banded count must not come back by subtraction.

Reports band pupil counts from 1 to 4 (`banded`). A row that shows a total and its parts
can still give a banded part away: 12 pupils, 8 targeted, 0 targeted plus and "fewer than
5" specialist is 4 specialist. Statistical disclosure control answers with secondary
suppression: hide one more cell, so the hidden ones cannot be worked out. sencoplan hides
the row's total, which reads "5 or more" (a total is only hidden when it is 5 or more, so
this is true, and it says no more than a reader already knows).

Hiding the total rather than the next smallest part always works with that one cell: the
hidden parts then move freely within their bands and the total moves with them. Hiding a
part does not: "5 or more" and "fewer than 5" making 6 are 5 and 1.

A row summed over several schools (the whole file, a trust) is protected against each
school's own export too (`withheld_across`): an exact sum over one school's hidden cell, less
the other schools' shown ones, is that cell. Every row function here takes `withheld`: true
for such a summed row, which then shows none of its counts.

All of that is for documents that leave a trust. Within it (its inclusion lead, its board:
the trust is the data controller for every academy) a row summed over schools is the
trust's own figure: `cells_only` shows every count exactly but those under 5, banded, and
every figure worked out from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypedDict

from sencoplan.domain.codes import REGISTER_TIERS
from sencoplan.domain.messages import SMALL_COUNT, banded


class Showing(TypedDict):
    """How a row's counts are shown, as the row functions here take it."""

    withheld: bool
    cells_only: bool


WITHHELD = f"{SMALL_COUNT} or more"
"""How a count of 5 or more reads when it is hidden so that a banded one stays hidden."""


def total_withheld(total: int, parts: Sequence[int]) -> bool:
    """Whether a row's total must be hidden ("5 or more") though it is not small.

    The parts are what the total is the sum of (no parts: a lone count, never withheld).
    Shown, the total gives the banded parts away when one part alone is banded (it is the
    total less the shown ones), or when the banded parts add up to as little or as much as
    they can (two making 2 are both 1; two making 8 are both 4). It is also hidden when
    every pupil is in a banded part: otherwise a total of 5 or more hidden only for "both
    4" would say so itself.

    Rows have at most three parts (the register tiers): with four banded parts a banded
    total would pin every one of them at 1, which no cell here can hide, so it is refused.
    """
    if len(parts) > len(REGISTER_TIERS):
        raise ValueError(f"a row of {len(parts)} parts: the rule covers up to three")
    if parts and sum(parts) != total:
        raise ValueError(f"the parts add up to {sum(parts)}, not the total {total}")
    small = [part for part in parts if 0 < part < SMALL_COUNT]
    if total < SMALL_COUNT or not small:
        return False
    hidden, most = sum(small), len(small) * (SMALL_COUNT - 1)
    return len(small) == 1 or hidden in (len(small), most) or hidden == total


def row_labels(
    total: int, parts: Sequence[int], *, withheld: bool = False, cells_only: bool = False
) -> tuple[str, tuple[str, ...]]:
    """A row as a report shows it: small counts banded, the total withheld when needed.

    row_labels(12, [8, 0, 4]) -> ("5 or more", ("8", "0", "fewer than 5")).
    A row summed over schools that must show none of its counts (`withheld_across`) reads
    "withheld" throughout, but for a part with no pupils, which reads 0: see `withheld_labels`.
    """
    if withheld:
        return withheld_labels(parts)
    if cells_only:
        return banded(total), tuple(banded(part) for part in parts)
    shown = WITHHELD if total_withheld(total, parts) else banded(total)
    return shown, tuple(banded(part) for part in parts)


def in_words(
    total: int, parts: Sequence[int], *, withheld: bool = False, cells_only: bool = False
) -> Callable[[int], str]:
    """How counts about a row read in a sentence (its reason), to match `row_labels`.

    In a row whose total is withheld, every count of 5 or more reads "5 or more": pupils
    joining could otherwise bound the total (all 12 joining, 8 targeted: 4 specialist).
    In a row that shows none of its counts (`withheld`), they read "some" (`no_number`).
    """
    if withheld:
        return no_number
    if cells_only or not total_withheld(total, parts):
        return banded
    return coarse


def coarse(count: int) -> str:
    """A count as "5 or more" or "fewer than 5" (0 as 0): what a row whose total is withheld
    says of its other counts. It is worked out from `banded(count)` alone, so it never says
    more than a banded count does."""
    return WITHHELD if count >= SMALL_COUNT else banded(count)


def share_words(
    total: int, parts: Sequence[int], *, withheld: bool = False, cells_only: bool = False
) -> Callable[[int], str]:
    """How a count of some of a row's pupils (one adult's, in the staff gaps) reads.

    Exactly only where the row shows every count exactly; otherwise `coarse`. An exact
    count of an adult's pupils beside the level their pupils need (targeted: none with an
    EHCP) bounds the row's hidden tiers (9 of 10 pupils, 6 targeted, two tiers banded: 3
    and 1). An adult's pupils are all in the adult's own school, and that school's own
    export reads the count `banded` or `coarse`: `coarse` says no more than either.
    """
    exact = counts_exact(total, parts, withheld=withheld, cells_only=cells_only)
    return banded if exact else coarse


def counts_exact(
    total: int, parts: Sequence[int], *, withheld: bool = False, cells_only: bool = False
) -> bool:
    """Whether a row shows every count exactly. A figure worked out from the counts (a
    priority's score: 1 per targeted pupil, 3 per EHCP...) is shown only then, or it would
    give a banded count back by arithmetic."""
    if withheld:
        return False
    if cells_only:
        return True
    shown, shown_parts = row_labels(total, parts)
    return shown == str(total) and shown_parts == tuple(str(part) for part in parts)


def worked_out(
    value: str,
    total: int,
    parts: Sequence[int],
    *,
    withheld: bool = False,
    cells_only: bool = False,
) -> str:
    """A figure worked out from a row's counts, as a report shows it (`counts_exact`)."""
    exact = counts_exact(total, parts, withheld=withheld, cells_only=cells_only)
    return value if exact else WITHHELD_FIGURE


WITHHELD_FIGURE = "withheld"
"""How a figure worked out from hidden counts reads."""

SOME = "some"
"""How a count reads in the sentence of a row that shows none of its counts."""


# -- a row summed over several schools -------------------------------------------------------


def shown_exactly(total: int, parts: Sequence[int], others: Sequence[int] = ()) -> bool:
    """Whether one school's row shows every one of its counts exactly: its total and parts
    (`counts_exact`) and the counts in its sentence (`others`: pupils joining).

    That is every count 0 or 5 and more: with no part from 1 to 4 nothing is banded and no
    total is withheld, and an exact row's sentence reads its counts `banded`. (Written out
    rather than through `row_labels`: a national file checks some 220,000 schools' rows.)
    """
    return all(count == 0 or count >= SMALL_COUNT for count in (total, *parts, *others))


def withheld_across(schools: int, exact_in_each: bool) -> bool:
    """Whether a row summed over `schools` schools' rows must show none of its counts.

    Each school's own export hides its small counts by the row rule. A sum shown exactly
    over one school's hidden cell is that cell plus the other schools' cells: less their
    shown ones, it is the hidden one (a trust's 74 SEMH pupils less Riverside's 54 are
    Oakfield's 20, which Oakfield's own export shows only as "5 or more"). Hiding only the
    sums over hidden cells is not enough: with two schools hidden in one cell, the sum and
    each school's other cells reopen across schools the problem the row rule closes within
    one row. So it is all or nothing, need by need: the sums show, by the row rule, when
    every school with the need shows each of its counts exactly (`shown_exactly`: the sums
    then hold nothing that the schools' exports do not show, and are exact too); otherwise
    none of them does, nor any figure worked out from them: the score, as in one school,
    and the coverage, which over schools is their coverages averaged by their demands, so
    that with theirs it gives the ratio of the demands (a demand is the counts, weighted).
    A need held by one school is that school's own row, shown as its own export shows it:
    nothing to subtract.
    """
    return schools > 1 and not exact_in_each


def withheld_labels(parts: Sequence[int]) -> tuple[str, tuple[str, ...]]:
    """A row that shows none of its counts: "withheld" for the total and every part with
    pupils; a part with none reads 0.

    The 0 gives nothing away: a sum is 0 only where every school's part is 0, and each
    school's own export shows a 0 as 0 (it is not a small count). It is also what the row's
    sentence says anyway (`no_number`: "some with EHCPs" only when there are some).
    """
    return WITHHELD_FIGURE, tuple("0" if part == 0 else WITHHELD_FIGURE for part in parts)


def no_number(count: int) -> str:
    """A count in the sentence of a row that shows none: "some" ("none" for 0, which a
    sentence does not mention). "SEMH: some pupils, some with EHCPs, some joining"."""
    return SOME if count else "none"


_PUPIL_COUNT = re.compile(
    r"(?P<lead>(?:^|[.;]\s*)[A-Z]{2,4}: |, )"  # "MLD: " opening a need's sentence, or ", "
    r"(?P<count>\d+) (?P<what>pupils?\b|with an EHCP\b|with EHCPs\b|joining\b)"
)
"""The counts of the sentence sencoplan writes for a need ("MLD: 32 pupils, 8 with EHCPs,
3 joining in September"), and not a number typed into other words ("Year 7 pupils",
"1,200 pupils") nor the 5 of a "fewer than 5" already banded."""


def pupil_counts_banded(text: str) -> str:
    """A saved sentence with every pupil count in it banded ("32 pupils" reads "5 or more
    pupils", "3 joining" "fewer than 5 joining"), for a document that may be shared.

    A session keeps the reason it was planned for, counted that day; the roll moves on,
    and read beside a later priorities export an exact count from then could give back one
    that export hides. Bands say no more than either export does. Staff counts are left.
    """

    def band(match: re.Match[str]) -> str:
        count, what = int(match["count"]), match["what"]
        if count == 0:
            return match.group(0)
        return f"{match['lead']}{coarse(count)} {_PLURAL.get(what, what)}"

    return _PUPIL_COUNT.sub(band, text)


_PLURAL = {"pupil": "pupils", "with an EHCP": "with EHCPs"}
