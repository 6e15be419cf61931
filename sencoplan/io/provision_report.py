"""The provision map as the command line prints it: the school's (for governors: pupils as
counts, banded under 5 in markdown) and one pupil's (for an EHC needs assessment request or
an annual review: it names the pupil, and says it is confidential)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sencoplan.domain.messages import banded, pounds
from sencoplan.domain.models import Pupil, StaffMember
from sencoplan.domain.provision import (
    Provision,
    ProvisionReview,
    PupilProvision,
    ReviewOutcome,
    reviews_by_place,
)
from sencoplan.domain.provision_map import Outcomes, ProvisionLine, ProvisionMap, place_cost
from sencoplan.domain.staff_codes import Role
from sencoplan.io.markdown import inline, table
from sencoplan.io.text_table import text_table

CONFIDENTIAL = "Confidential: contains a pupil's details. Share only with those who need it."
HEADINGS = (
    "Provision",
    "Kind",
    "Needs",
    "Pupils",
    "Adult hours a week",
    "Delivered by",
    "Cost",
    "Cost per pupil",
    "Targets met",
)
SMALLEST_SHOWN = 5
"""Outcomes of fewer pupils than this are not given in a paper that leaves the SENCO's
hands: '1 of 2 met' says too much about two children."""


def _money(amount: float) -> str:
    return pounds(amount)


def outcome_text(outcomes: Outcomes, *, banding: bool) -> str:
    """What the reviews found: '3 of 4 met, 1 partly (+6.5 on the measure)'; a paper for
    others gives a share only of 5 or more pupils reviewed."""
    if banding and 0 < outcomes.reviewed < SMALLEST_SHOWN:
        return "fewer than 5 reviewed"
    said = outcomes.said()
    if banding and outcomes.share_met is not None:
        said = f"{outcomes.share_met:.0%} of {outcomes.reviewed} reviewed"
    if (gain := outcomes.progress) is not None:
        said += f" ({gain:+.1f} on the measure)"
    return said


def _per_pupil(line: ProvisionLine, *, banding: bool) -> str:
    """Beside its cost, a cost per pupil would give a banded count away: not shown then."""
    if banding and len(line.pupils) < SMALLEST_SHOWN:
        return "not shown"
    return "" if line.cost_per_pupil is None else _money(line.cost_per_pupil)


PER_PUPIL_WITHHELD = (
    "Cost per pupil is not shown for a provision with fewer than 5 pupils: beside its cost "
    "it would give their number"
)


def _rows(found: ProvisionMap, count: Any) -> list[list[str]]:
    banding = count is banded
    return [
        [
            line.provision.name,
            line.provision.kind.label,
            ", ".join(need.value for need in line.provision.needs),
            count(len(line.pupils)),
            hours(line.adult_hours),
            ", ".join(sorted(line.staff)),
            _money(line.cost) + (f" ({line.unpriced} not priced)" if line.unpriced else ""),
            _per_pupil(line, banding=banding),
            outcome_text(line.outcomes, banding=banding),
        ]
        for line in found.lines
    ]


def hours(value: float) -> str:
    """Adult hours a week to the minute's worth: 2.25 as 2.25, 1.5 as 1.5, 25 as 25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def summary_lines(found: ProvisionMap, count: Any = str) -> list[str]:
    """The total against the budget, the pupils over the threshold, what is not priced:
    the same lines in the paper and beside the map on the screen."""
    school = found.school
    said = [f"Total: {_money(found.total_cost)}"]
    if school.notional_sen_budget is not None:
        share = found.total_cost / school.notional_sen_budget if school.notional_sen_budget else 0
        said[0] += (
            f" of a notional SEN budget of {_money(school.notional_sen_budget)} ({share:.0%})"
        )
    else:
        said[0] += (
            " (no notional SEN budget set: import a schools file with a Notional SEN Budget "
            "column to set the total against it)"
        )
    over = len(found.over_threshold())
    said.append(
        f"Pupils whose support costs more than {_money(school.high_cost_threshold)} a year: "
        f"{count(over)}"
    )
    if found.unpriced:
        said.append(
            f"{found.unpriced} places have no cost per hour and no rate for their deliverer's "
            "role: they are not in the totals (import rates to price them)"
        )
    if count is banded and any(len(line.pupils) < SMALLEST_SHOWN for line in found.lines):
        said.append(PER_PUPIL_WITHHELD)
    return said


def school_map_text(found: ProvisionMap, *, markdown: bool) -> str:
    """The school's map: a terminal table (exact counts, for you), or markdown for a
    governors' paper (pupil counts under 5 banded)."""
    title = f"Provision map: {found.school.name}"
    if markdown:
        rows = _rows(found, banded)
        said = "\n".join(f"- {inline(line)}" for line in summary_lines(found, banded))
        return f"# {title}\n\n{table(HEADINGS, rows)}\n\n{said}\n"
    return (
        text_table(title, HEADINGS, _rows(found, str)) + "\n" + "\n".join(summary_lines(found, str))
    )


def school_map_json(found: ProvisionMap) -> str:
    return json.dumps(
        {
            "provisions": [
                {
                    "name": line.provision.name,
                    "kind": line.provision.kind.value,
                    "needs": [need.value for need in line.provision.needs],
                    "pupils": len(line.pupils),
                    "hours_per_week": round(line.adult_hours, 2),
                    "cost": round(line.cost, 2),
                    "cost_per_pupil": _rounded(line.cost_per_pupil),
                    "unpriced": line.unpriced,
                    "reviewed": line.outcomes.reviewed,
                    "met": line.outcomes.count(ReviewOutcome.MET),
                    "partly_met": line.outcomes.count(ReviewOutcome.PARTLY_MET),
                    "not_met": line.outcomes.count(ReviewOutcome.NOT_MET),
                    "share_met": _rounded(line.outcomes.share_met),
                    "progress": _rounded(line.outcomes.progress),
                }
                for line in found.lines
            ],
            "total_cost": round(found.total_cost, 2),
            "pupils_over_threshold": len(found.over_threshold()),
            "threshold": found.school.high_cost_threshold,
        },
        indent=2,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _last_review(reviews: Sequence[ProvisionReview]) -> dict[str, Any] | None:
    if not reviews:
        return None
    last = max(reviews, key=lambda review: review.reviewed_on)
    return {
        "reviewed_on": last.reviewed_on.isoformat(),
        "outcome": last.outcome.value,
        "entry_measure": last.entry_measure,
        "exit_measure": last.exit_measure,
        "continues": last.continues,
    }


def pupil_places(
    pupil: Pupil,
    places: Sequence[PupilProvision],
    provisions: Mapping[int, Provision],
    staff: Mapping[int, StaffMember],
    rates: Mapping[Role, float],
    reviews: Sequence[ProvisionReview] = (),
    every_place: Sequence[PupilProvision] | None = None,
) -> list[dict[str, Any]]:
    """One pupil's places as plain data: what, who, how much, cost, target, review, and
    the last review's outcome."""
    owned = reviews_by_place(every_place or places, reviews)
    found = []
    for place in places:
        if place.pupil_id != pupil.id or place.provision_id not in provisions:
            continue
        member = staff.get(place.staff_id or 0)
        cost = place_cost(place, staff, rates)
        found.append(
            {
                "provision": provisions[place.provision_id].name,
                "delivered_by": member.name if member else place.provider,
                "group_size": place.group_size,
                "sessions_per_week": place.sessions_per_week,
                "minutes": place.minutes,
                "weeks": place.weeks,
                "cost": None if cost is None else round(cost, 2),
                "target": place.target,
                "start": place.start.isoformat() if place.start else None,
                "end": place.end.isoformat() if place.end else None,
                "review_date": place.review_date.isoformat() if place.review_date else None,
                "last_review": _last_review(owned.get(id(place), [])),
            }
        )
    return found


def pupil_map_text(
    pupil: Pupil, items: list[dict[str, Any]], threshold: float, period: str = "a year"
) -> str:
    """One pupil's map, as markdown: confidential, naming the pupil. `period` says what
    the places are ('2026/27', or 'every place on file')."""
    cost = sum(item["cost"] or 0 for item in items)
    rows = [
        [
            item["provision"],
            item["delivered_by"] or "not named",
            f"{item['sessions_per_week']:g} x {item['minutes']} min, {item['weeks']} weeks"
            + (f", group of {item['group_size']}" if item["group_size"] > 1 else ""),
            "not priced" if item["cost"] is None else _money(item["cost"]),
            item["target"],
            _british(item["review_date"]),
            _last_review_text(item["last_review"]),
        ]
        for item in items
    ]
    headings = ("Provision", "Delivered by", "How much", "Cost", "Target", "Review", "Outcome")
    over = " (more than the school meets from its notional SEN budget)" if cost > threshold else ""
    heading = (
        f"**{CONFIDENTIAL}**\n\n# Provision map: {inline(pupil.display_name or 'pupil')} "
        f"({pupil.upn or 'no UPN'}), Year {pupil.year_group}\n\n"
    )
    if not items:
        return heading + f"No places in provisions for {period}.\n"
    return heading + f"{table(headings, rows)}\n\nCost for {period}: {_money(cost)}{over}\n"


def _british(iso: str | None) -> str:
    return f"{dt.date.fromisoformat(iso):%d/%m/%Y}" if iso else ""


def _last_review_text(last: dict[str, Any] | None) -> str:
    """'partly met (82 to 88), 11/12/2026, continues'."""
    if last is None:
        return "not reviewed yet"
    said = last["outcome"].replace("_", " ")
    if last["entry_measure"] is not None and last["exit_measure"] is not None:
        said += f" ({last['entry_measure']:g} to {last['exit_measure']:g})"
    day = dt.date.fromisoformat(last["reviewed_on"])
    return f"{said}, {day:%d/%m/%Y}, " + ("continues" if last["continues"] else "ends")


def pupil_map_json(items: list[dict[str, Any]], threshold: float) -> str:
    cost = round(sum(item["cost"] or 0 for item in items), 2)
    return json.dumps(
        {"provisions": items, "cost": cost, "over_threshold": cost > threshold}, indent=2
    )


def school_map_csv(found: ProvisionMap) -> str:
    """One row per provision, for a spreadsheet: pupil counts banded under 5, as in every
    export; cells that could start a formula are neutralised (io/csv_export)."""
    from sencoplan.io.csv_export import Cell, csv_text

    headings = [
        *HEADINGS[:6],
        "Cost (£)",
        "Places not priced",
        "Cost per pupil (£)",
        "Targets met",
    ]
    rows: list[list[Cell]] = [
        [
            line.provision.name,
            line.provision.kind.label,
            "; ".join(need.value for need in line.provision.needs),
            banded(len(line.pupils)),
            round(line.adult_hours, 2),
            "; ".join(sorted(line.staff)),
            round(line.cost, 2),
            line.unpriced,
            "not shown" if len(line.pupils) < SMALLEST_SHOWN else _rounded(line.cost_per_pupil),
            outcome_text(line.outcomes, banding=True),
        ]
        for line in found.lines
    ]
    return csv_text(headings, rows)
