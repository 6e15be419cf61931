"""What the priorities' figures rest on, said once above them (the screen, the reports,
the plan): adults assumed for want of supports, and pupils whose need is not yet known."""

from __future__ import annotations

from collections.abc import Callable

from sencoplan.domain.disclosure import in_words
from sencoplan.domain.priorities import PriorityResult


def supports_note(result: PriorityResult) -> str | None:
    """Said once wherever the figures rest on adults assumed for want of supports."""
    assumed = sum(line.assumed for line in result.priorities)
    if not assumed:
        return None
    whom = (
        "any pupil" if assumed == sum(line.pupils for line in result.priorities) else "some pupils"
    )
    return (
        f"No supports are recorded for {whom}: for them every teacher counts as their "
        "class teacher and all support staff as in-class support. Import who teaches or "
        "supports whom, and how (sencoplan import supports FILE --school NAME), to measure "
        "the training each pupil's own adults need."
    )


def unassessed_note(result: PriorityResult, count: Callable[[int], str] = str) -> str | None:
    """What the pupils recorded as NSA call for: an assessment, not training."""
    if result.unassessed is None:
        return None
    pupils = count(result.unassessed.pupils)
    many = pupils != "1"
    return (
        f"{pupils} pupil{'s' * many} with SEN {'have' if many else 'has'} had no specialist "
        "assessment of their need (NSA): not ranked, since no training answers a need not yet "
        "known; an assessment will say which training they call for."
    )


def figure_notes(result: PriorityResult, *, for_report: bool = False) -> list[str]:
    """Every note above the figures; in a report the NSA count is shown as its line's
    counts would be (banded, or withheld across schools: domain/disclosure)."""
    count: Callable[[int], str] = str
    line = result.unassessed
    if for_report and line is not None:
        count = in_words(line.pupils, line.tier_counts, **result.showing(line))
    return [note for note in (supports_note(result), unassessed_note(result, count)) if note]
