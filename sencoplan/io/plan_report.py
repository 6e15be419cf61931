"""A suggested term plan as the command line prints it: JSON, markdown or a terminal table.

Staff are named (they lead and attend); pupils never appear.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sencoplan.domain.calendar import Term
from sencoplan.domain.messages import counted
from sencoplan.domain.models import Module
from sencoplan.domain.planning import SuggestedPlan, unused_words
from sencoplan.domain.sessions import CpdSession
from sencoplan.io.markdown import inline, table
from sencoplan.io.session_export import leader_names
from sencoplan.io.text_table import text_table

PLAN_HEADINGS = ("Date", "Start", "Minutes", "Module", "Led by", "Staff", "Why")


def plan_items(
    plan: SuggestedPlan, modules: Mapping[int, Module], names: Mapping[int, str]
) -> list[dict[str, Any]]:
    """Each suggested session as plain data: when, what, who leads, who attends, why."""
    items: list[dict[str, Any]] = []
    for s in plan.sessions:
        module = modules.get(s.module_id or 0)
        items.append(
            {
                "date": s.day.isoformat(),
                "start": f"{s.start:%H:%M}",
                "minutes": s.minutes,
                "module": module.code if module else None,
                "title": s.title,
                "needs": [n.value for n in module.needs] if module else [],
                "facilitator": [names[f] for f in s.facilitators if f in names]
                or [leader_names(s, names, module)],
                "audience": [names.get(a, str(a)) for a in s.audience],
                "reason": s.reason,
            }
        )
    return items


def plan_json(plan: SuggestedPlan, items: list[dict[str, Any]]) -> str:
    """The plan for other tools: sessions, coverage before and after, what is left open."""
    coverage = {
        need.value: {"before": round(now, 3), "after": round(later, 3)}
        for need, (now, later) in plan.coverage.items()
    }
    unused = [
        {"date": u.begins.date().isoformat(), "start": f"{u.begins:%H:%M}", "reason": u.reason}
        for u in plan.unused_slots
    ]
    return json.dumps(
        {
            "sessions": items,
            "coverage": coverage,
            "not_placed": plan.not_placed,
            "unused_slots": unused,
            "note": plan.note,
            "method": plan.method,
            "method_note": plan.method_note,
        },
        indent=2,
    )


def plan_text(
    plan: SuggestedPlan, items: list[dict[str, Any]], heading: str, *, markdown: bool
) -> str:
    """The plan as markdown (for a meeting) or a terminal table: sessions, coverage, and
    what the plan leaves open and why."""

    def show(headings: Sequence[str], rows: list[list[Any]]) -> str:
        return table(headings, rows) if markdown else text_table(None, headings, rows)

    rows = [
        [
            # ISO in markdown (it sorts, and other tools read it); British in the terminal
            i["date"] if markdown else f"{s.day:%d/%m/%Y}",
            i["start"],
            i["minutes"],
            i["module"],
            ", ".join(i["facilitator"]),
            len(i["audience"]),
            i["reason"],
        ]
        for i, s in zip(items, plan.sessions, strict=True)
    ]
    coverage = [  # from the raw values, as the app shows them: never rounded twice
        [need.value, f"{now:.0%}", f"{later:.0%}"] for need, (now, later) in plan.coverage.items()
    ]
    parts = [
        f"# {heading}\n" if markdown else heading,
        show(PLAN_HEADINGS, rows),
        "",
        show(["Need", "Coverage now (with sessions planned)", "After this plan"], coverage),
    ]
    said = [*plan.not_placed, *unused_words(plan.unused_slots)]
    if said:
        parts.append("\nWhat the plan leaves open, and why:\n")
        parts.extend(f"- {inline(why)}" if markdown else f"- {why}" for why in said)
    if plan.note:
        parts.append(f"\n{inline(plan.note) if markdown else plan.note}")
    parts.append(f"\n{plan.method_note}")
    return "\n".join(parts)


def why_empty(term: Term, existing: Sequence[CpdSession], on: dt.date) -> str:
    """Why a suggestion holds no sessions: no free slot left, or none worth filling."""
    taken = {s.begins for s in existing if s.active}
    free = [slot for slot in term.slots() if slot not in taken and slot.date() >= on]
    if not free:
        return f"no free slots left in {term.name} from {on:%d/%m/%Y}"
    slots = counted(len(free), "free slot")
    return (
        f"no session suggested: {slots} left in {term.name} from {on:%d/%m/%Y}, but no "
        "module can close a gap there within everyone's limits (CPD hours, budget, "
        "someone free to lead it)"
    )
