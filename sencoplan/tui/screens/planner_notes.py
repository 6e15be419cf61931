"""What the Planner shows beside its sessions: the term's weeks (sessions, closures,
reviews due, the SENCO's hours) and the side panel (every conflict, the reviews overdue,
named, what the workload cannot count, sessions before today still planned). Shown, never
fixed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text

from sencoplan.domain.calendar import Term
from sencoplan.domain.messages import counted
from sencoplan.domain.names import initials
from sencoplan.domain.reviews import ReviewDue
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.domain.workload import monday

if TYPE_CHECKING:
    from sencoplan.tui.screens.planner import PlannerView

OVERDUE_NAMED = 8
"""Overdue reviews named before 'and N more'."""


def planner_notes(data: PlannerView, today: dt.date, *, presenter: bool) -> Text:
    notes = Text()
    for conflict in data.conflicts:
        notes.append(f"• {conflict.message}\n", style="red")
    if not data.conflicts:
        notes.append("None.\n", style="green")
    for sentence in data.overdue:
        notes.append(f"\n• {sentence}: record each on the Pupils screen (v)\n", style="bold red")
    _name_overdue(notes, data.overdue_pupils, presenter=presenter)
    for sentence in data.missing.sentences():
        notes.append(f"\n• {sentence}\n", style="yellow")
    past = [s for s in data.sessions if s.status is SessionStatus.PLANNED and s.day < today]
    if past:
        notes.append(
            f"\n• {counted(len(past), 'session')} before today still planned: mark each "
            "delivered (d) so its training is recorded, or cancelled (c)\n",
            style="yellow",
        )
    return notes


def _name_overdue(said: Text, late: list[tuple[str, ReviewDue]], *, presenter: bool) -> None:
    """The pupils whose reviews are overdue, the longest first; when the screen is shared,
    initials without the date (initials and a review date can point at one child)."""
    for name, step in late[:OVERDUE_NAMED]:
        if presenter:
            said.append(f"  {initials(name)}: {step.said}\n", style="red")
        else:
            said.append(f"  {name}: {step.said} due {step.due:%d/%m/%Y}\n", style="red")
    if len(late) > OVERDUE_NAMED:
        said.append(f"  and {len(late) - OVERDUE_NAMED} more\n", style="red")


def senco_allocation(term: Term) -> str:
    """'6 h/week', or that it is not set yet (a new term's 0 is no allocation)."""
    return f"{term.senco_hours:g} h/week" if term.senco_hours else "hours not set (t)"


def week_rows(data: PlannerView) -> list[list[object]]:
    """One row per week: its Monday, sessions, closures, reviews due, SENCO hours."""
    term = data.term
    if term is None:
        return []
    by_week: dict[dt.date, list[CpdSession]] = {}
    for session in data.sessions:
        by_week.setdefault(monday(session.day), []).append(session)
    rows: list[list[object]] = []
    for week in data.weeks:
        closed = sorted(
            {
                c.label or "closed"
                for c in term.closures
                if c.start <= week.week + dt.timedelta(days=4) and c.end >= week.week
            }
        )
        sessions = ", ".join(
            f"{s.day:%a} {s.title or 'session'}" + (" (cancelled)" if not s.active else "")
            for s in by_week.get(week.week, [])
        )
        # No allocation set (0): the hours alone, not 'of 0' (set it with t).
        cap = f" / {week.allocated:g}" if week.allocated else ""
        hours = Text(f"{week.total:g}{cap}", style="bold red" if week.over else "")
        rows.append(
            [f"{week.week:%d/%m/%Y}", sessions, ", ".join(closed), week.reviews_said(), hours]
        )
    return rows
