"""The provision map as the command line prints it: the school's (for governors: pupils as
counts, banded under 5 in markdown) and one pupil's (for an EHC needs assessment request or
an annual review: it names the pupil, and says it is confidential)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sencoplan.domain.messages import banded
from sencoplan.domain.models import Pupil, StaffMember
from sencoplan.domain.provision import Provision, PupilProvision
from sencoplan.domain.provision_map import ProvisionMap, place_cost
from sencoplan.domain.staff_codes import Role
from sencoplan.io.markdown import inline, table
from sencoplan.io.text_table import text_table

CONFIDENTIAL = "Confidential: contains a pupil's details. Share only with those who need it."
HEADINGS = ("Provision", "Kind", "Needs", "Pupils", "Adult hours a week", "Delivered by", "Cost")


def _money(amount: float) -> str:
    return f"£{amount:,.0f}"


def _rows(found: ProvisionMap, count: Any) -> list[list[str]]:
    return [
        [
            line.provision.name,
            line.provision.kind.label,
            ", ".join(need.value for need in line.provision.needs),
            count(len(line.pupils)),
            f"{line.adult_hours:.1f}",
            ", ".join(sorted(line.staff)),
            _money(line.cost) + (f" ({line.unpriced} not priced)" if line.unpriced else ""),
        ]
        for line in found.lines
    ]


def _summary(found: ProvisionMap, count: Any) -> list[str]:
    school = found.school
    said = [f"Total: {_money(found.total_cost)}"]
    if school.notional_sen_budget is not None:
        said[0] += f" of a notional SEN budget of {_money(school.notional_sen_budget)}"
    over = len(found.over_threshold())
    said.append(
        f"Pupils whose support costs more than {_money(school.high_cost_threshold)} a year: "
        f"{count(over)}"
    )
    if found.unpriced:
        said.append(
            f"{found.unpriced} places have no cost per hour and no rate for their deliverer's "
            "role: they are not in the totals"
        )
    return said


def school_map_text(found: ProvisionMap, *, markdown: bool) -> str:
    """The school's map: a terminal table (exact counts, for you), or markdown for a
    governors' paper (pupil counts under 5 banded)."""
    title = f"Provision map: {found.school.name}"
    if markdown:
        rows = _rows(found, banded)
        said = "\n".join(f"- {inline(line)}" for line in _summary(found, banded))
        return f"# {title}\n\n{table(HEADINGS, rows)}\n\n{said}\n"
    return text_table(title, HEADINGS, _rows(found, str)) + "\n" + "\n".join(_summary(found, str))


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
                    "unpriced": line.unpriced,
                }
                for line in found.lines
            ],
            "total_cost": round(found.total_cost, 2),
            "pupils_over_threshold": len(found.over_threshold()),
            "threshold": found.school.high_cost_threshold,
        },
        indent=2,
    )


def pupil_places(
    pupil: Pupil,
    places: Sequence[PupilProvision],
    provisions: Mapping[int, Provision],
    staff: Mapping[int, StaffMember],
    rates: Mapping[Role, float],
) -> list[dict[str, Any]]:
    """One pupil's places as plain data: what, who, how much, cost, target, review."""
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
            }
        )
    return found


def pupil_map_text(pupil: Pupil, items: list[dict[str, Any]], threshold: float) -> str:
    """One pupil's map, as markdown: confidential, naming the pupil."""
    cost = sum(item["cost"] or 0 for item in items)
    rows = [
        [
            item["provision"],
            item["delivered_by"] or "not named",
            f"{item['sessions_per_week']:g} x {item['minutes']} min, {item['weeks']} weeks"
            + (f", group of {item['group_size']}" if item["group_size"] > 1 else ""),
            "not priced" if item["cost"] is None else _money(item["cost"]),
            item["target"],
            item["review_date"] or "",
        ]
        for item in items
    ]
    headings = ("Provision", "Delivered by", "How much", "Cost", "Target", "Review")
    over = " (more than the school meets from its notional SEN budget)" if cost > threshold else ""
    return (
        f"**{CONFIDENTIAL}**\n\n# Provision map: {inline(pupil.display_name or 'pupil')} "
        f"({pupil.upn or 'no UPN'}), Year {pupil.year_group}\n\n{table(headings, rows)}\n\n"
        f"Yearly cost: {_money(cost)}{over}\n"
    )


def pupil_map_json(items: list[dict[str, Any]], threshold: float) -> str:
    cost = round(sum(item["cost"] or 0 for item in items), 2)
    return json.dumps(
        {"provisions": items, "cost": cost, "over_threshold": cost > threshold}, indent=2
    )


def school_map_csv(found: ProvisionMap) -> str:
    """One row per provision, for a spreadsheet: pupil counts banded under 5, as in every
    export; cells that could start a formula are neutralised (io/csv_export)."""
    from sencoplan.io.csv_export import Cell, csv_text

    headings = [*HEADINGS[:-1], "Cost (£)", "Places not priced"]
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
        ]
        for line in found.lines
    ]
    return csv_text(headings, rows)
