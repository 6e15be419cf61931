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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sencoplan.domain.messages import SMALL_COUNT, banded

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
    """
    if parts and sum(parts) != total:
        raise ValueError(f"the parts add up to {sum(parts)}, not the total {total}")
    small = [part for part in parts if 0 < part < SMALL_COUNT]
    if total < SMALL_COUNT or not small:
        return False
    hidden, most = sum(small), len(small) * (SMALL_COUNT - 1)
    return len(small) == 1 or hidden in (len(small), most) or hidden == total


def row_labels(total: int, parts: Sequence[int]) -> tuple[str, tuple[str, ...]]:
    """A row as a report shows it: small counts banded, the total withheld when needed.

    row_labels(12, [8, 0, 4]) -> ("5 or more", ("8", "0", "fewer than 5")).
    """
    shown = WITHHELD if total_withheld(total, parts) else banded(total)
    return shown, tuple(banded(part) for part in parts)


def in_words(total: int, parts: Sequence[int]) -> Callable[[int], str]:
    """How counts about a row read in a sentence (its reason), to match `row_labels`.

    In a row whose total is withheld, every count of 5 or more reads "5 or more": pupils
    joining could otherwise bound the total (all 12 joining, 8 targeted: 4 specialist).
    """
    if not total_withheld(total, parts):
        return banded
    return lambda count: WITHHELD if count >= SMALL_COUNT else banded(count)


def counts_exact(total: int, parts: Sequence[int]) -> bool:
    """Whether a row shows every count exactly. A figure worked out from the counts (a
    priority's score: 1 per targeted pupil, 3 per EHCP...) is shown only then, or it would
    give a banded count back by arithmetic."""
    shown, shown_parts = row_labels(total, parts)
    return shown == str(total) and shown_parts == tuple(str(part) for part in parts)


def worked_out(value: str, total: int, parts: Sequence[int]) -> str:
    """A figure worked out from a row's counts, as a report shows it (`counts_exact`)."""
    return value if counts_exact(total, parts) else WITHHELD_FIGURE


WITHHELD_FIGURE = "withheld"
"""How a figure worked out from hidden counts reads."""
