"""The priorities report: markdown for a meeting, JSON for other tools. Counts only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sencoplan.domain.codes import REGISTER_TIERS
from sencoplan.domain.disclosure import (
    WITHHELD,
    WITHHELD_FIGURE,
    Showing,
    in_words,
    row_labels,
    worked_out,
)
from sencoplan.domain.priorities import Priority, PriorityResult
from sencoplan.domain.priority_notes import figure_notes
from sencoplan.io.markdown import inline, table

TOP_SHARED = 5
"""How many top needs the trust view lists the sharing schools for."""


def priority_item(line: Priority, school_names: Mapping[int, str]) -> dict[str, Any]:
    """One ranked need as plain data (the JSON the command line prints)."""
    return {
        "rank": line.rank,
        "need": line.need.value,
        "need_name": line.need.label,
        "area": line.area.value,
        "score": round(line.score, 2),
        "demand": round(line.demand, 2),
        "gap": round(line.gap, 2),
        "coverage": round(line.coverage, 3),
        "weight": line.weight,
        "pupils": line.pupils,
        "pupils_by_tier": {tier.value: line.pupils_by_tier.get(tier, 0) for tier in REGISTER_TIERS},
        "secondary_need_pupils": line.secondary,
        "incoming": line.incoming,
        "staff_relevant": line.staff_relevant,
        "staff_trained": line.staff_trained,
        "staff_partly_trained": line.staff_partly_trained,
        "staff_meeting": line.staff_meeting,
        "one_to_one_untrained": line.one_to_one_untrained,
        "pupils_without_supports": line.assumed,
        "confidence": round(line.confidence, 2) if line.confidence is not None else None,
        "schools": [school_names.get(school, str(school)) for school in line.school_ids],
        "reason": line.reason(),
    }


def _pupil_cells(line: Priority, shown: Showing) -> list[str]:
    """A line's pupils and pupils by tier, as `row_labels` lets them be shown."""
    total, parts = row_labels(line.pupils, line.tier_counts, **shown)
    return [total, *parts]


def priorities_markdown(
    result: PriorityResult,
    *,
    scope: str,
    today: dt.date,
    school_names: Mapping[int, str],
    trust: bool = False,
) -> str:
    """The report: ranked table, the reasons, broad areas, and how the score works.

    Pupil counts under 5 read "fewer than 5", and a total that would give one away by
    subtraction reads "5 or more" (`row_labels`); no pupil is ever named. Over several
    schools, a need that not every school shows exactly shows none of its counts, nor its
    coverage or score (`PriorityResult.withheld`), and the report says so.
    """
    lines = result.priorities
    across = (
        f'; over several schools, a need\'s counts, coverage and score read "{WITHHELD_FIGURE}"'
        " unless every school with it shows all its counts and none of its pupils is on two "
        "schools' rolls, so that no school's hidden count (nor how many move between them) "
        "comes back by subtracting another school's report"
        if result.across_schools
        else ""
    )
    own = any(result.cells_only(line) for line in lines)
    shown = (
        'Pupil counts under 5 are shown as "fewer than 5"; totals, scores and coverage '
        "are exact, so a banded count can be worked out from its row: keep this paper within "
        "the trust"
        if own
        else 'Pupil counts under 5 are shown as "fewer than 5"; where a need\'s total would '
        "give one away by subtraction, its total (and the counts in its reason) read "
        f'"{WITHHELD}", and a score or coverage worked out from counts that are not all '
        "shown reads "
        f'"{WITHHELD_FIGURE}"{across}'
    )
    out = [
        f"# SEND training priorities: {inline(scope)}",
        "",
        f"Worked out on {today:%-d %B %Y} from the pupils on roll and joining, and the "
        f"training and confidence of the staff who teach or support them. {shown}. "
        "No pupil is named.",
        "",
    ]
    if own:
        out += [
            "These are the trust's own figures, for its inclusion lead and board: exact "
            "across its schools (a pupil on two schools' rolls counted once). For a document "
            "that leaves the trust, write it with `--publish`: it hides any count another "
            "report could be subtracted from.",
            "",
        ]
    for note in figure_notes(result, for_report=True):
        out += [inline(note), ""]
    if not lines:
        out += ["No pupils with SEN are on roll, so there is nothing to rank.", ""]
        return "\n".join(out)
    out += [
        "## Ranked needs",
        "",
        table(
            [
                "Rank",
                "Need",
                "Broad area",
                "Pupils",
                "Targeted",
                "Targeted plus",
                "Specialist",
                "Staff with the training their role needs",
                "Confidence",
                "Coverage",
                "Score",
            ],
            [
                [
                    line.rank,
                    f"{line.need.value} ({line.need.label})",
                    line.area.label,
                    *_pupil_cells(line, result.showing(line)),
                    f"{line.staff_trained} / {line.staff_relevant}",
                    f"{line.confidence:.1f}" if line.confidence is not None else "not rated",
                    worked_out(
                        f"{line.coverage:.0%}",
                        line.pupils,
                        line.tier_counts,
                        **result.showing(line),
                    ),
                    worked_out(
                        f"{line.score:.1f}",
                        line.pupils,
                        line.tier_counts,
                        **result.showing(line),
                    ),
                ]
                for line in lines
            ],
        ),
        "",
        "## Why",
        "",
    ]
    out += [
        f"{line.rank}. "
        + inline(line.reason(in_words(line.pupils, line.tier_counts, **result.showing(line))))
        for line in lines
    ]
    out += [
        "",
        "## By broad area",
        "",
        table(
            ["Broad area", "Its needs, highest first"],
            [
                [area.label, ", ".join(line.need.value for line in lines if line.area is area)]
                for area, *_ in result.areas()
            ],
        ),
        "",
    ]
    if trust:
        out += ["## Schools that share the top needs", ""]
        for line in lines[:TOP_SHARED]:
            names = ", ".join(inline(school_names.get(s, str(s))) for s in line.school_ids)
            out.append(f"- **{line.need.value}**: {names}")
        out.append("")
    out += [
        "## How the score is worked out",
        "",
        "Each pupil with the need counts 1 (targeted), 2 (targeted plus) or 3 (EHCP), half "
        "that for a secondary need; pupils joining count too. Each adult who works with the "
        "pupil covers them by their training (1 at the level the tier needs, 0.5 below it, "
        "0 with none valid) times their confidence (0.5 for a rating of 1 up to 1.0 for 5; "
        "0.75 unrated). The gap is the sum of each pupil's count times the share of cover "
        "missing; the score is the gap times (1 + the development plan weight).",
        "",
    ]
    return "\n".join(out)


def priorities_table(result: PriorityResult, scope: str) -> str:
    """The ranked needs as a terminal table, with the note on assumed relationships."""
    from sencoplan.io.text_table import text_table

    notes = figure_notes(result)
    return text_table(
        f"Training priorities: {scope}",
        ("#", "Need", "Pupils", "Trained", "Cover", "Score", "Why"),
        [
            (
                line.rank,
                line.need.value,
                line.pupils,
                f"{line.staff_trained}/{line.staff_relevant}",
                f"{line.coverage:.0%}",
                f"{line.score:.1f}",
                line.reason(),
            )
            for line in result.priorities
        ],
    ) + "".join(f"\n{note}" for note in notes)
