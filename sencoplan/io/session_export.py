"""Session plans as markdown and the term's sessions as an iCalendar file.

Counts and roles only: no pupil's name, UPN or date of birth ever appears here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from sencoplan.domain.calendar import Term
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.sessions import CpdSession
from sencoplan.io.markdown import inline, table

LONDON = ZoneInfo("Europe/London")


def _title(session: CpdSession, module: Module | None) -> str:
    return session.title or (module.title if module else "CPD session")


def _audience_by_role(session: CpdSession, staff: Mapping[int, StaffMember]) -> str:
    roles = Counter(staff[s].role.label for s in session.audience if s in staff)
    return ", ".join(f"{count} {role}" for role, count in sorted(roles.items())) or "none yet"


def _objectives(session: CpdSession, module: Module | None) -> list[str]:
    """Know / Understand / Adapt: the session's own, else drafted from its module."""
    lines = [line.strip() for line in session.objectives.splitlines() if line.strip()]
    if lines:
        return lines
    topic = ", ".join(need.label.lower() for need in module.needs) if module else "the need"
    return [
        f"Know: what {topic} looks like in our pupils, and what helps",
        "Understand: why the strategies work, from the evidence in the module",
        "Adapt: one change each person will make in their classroom this week",
    ]


def session_markdown(
    session: CpdSession,
    *,
    term: Term,
    module: Module | None,
    staff: Mapping[int, StaffMember],
) -> str:
    """One session plan to send round."""
    facilitators = ", ".join(inline(staff[s].name) for s in session.facilitators if s in staff)
    lines = [
        f"# {inline(_title(session, module))}",
        "",
        f"- **When**: {session.day:%A %-d %B %Y}, {session.start:%H:%M}–"
        f"{session.ends:%H:%M} ({session.minutes} minutes), {inline(term.name)}",
        f"- **Where**: {inline(session.room) or 'room to be confirmed'}",
        f"- **Led by**: {facilitators or 'to be confirmed'}",
        f"- **For**: {len(session.audience)} staff ({_audience_by_role(session, staff)})",
    ]
    if module is not None:
        lines.append(
            f"- **Module**: {inline(module.code)} {inline(module.title)} "
            f"({module.level.label.lower()} level)"
        )
    lines += ["", "## Why this session", "", inline(session.reason or "Planned by the SENCO.")]
    lines += ["", "## Objectives", ""]
    lines += [f"- {inline(objective)}" for objective in _objectives(session, module)]
    lines += ["", "## Resources", ""]
    resources = ["Slides and handouts from the module"] if module else []
    resources.append("Each person's one-page profiles for the pupils they teach")
    lines += [f"- {item}" for item in resources]
    lines += [
        "",
        "## How we will check the impact",
        "",
        "- A confidence re-survey for the needs it covers, six weeks after the session",
        "- A follow-up look at the strategy in use in lessons",
        "",
    ]
    return "\n".join(lines)


def term_markdown(
    term: Term,
    sessions: Iterable[CpdSession],
    *,
    modules: Mapping[int, Module],
    staff: Mapping[int, StaffMember],
    school_name: str,
) -> str:
    """The whole term's plan as one document."""
    planned = sorted(sessions, key=lambda s: s.begins)
    closures = "; ".join(str(closure) for closure in term.closures) or "none"
    rows = [
        [
            f"{s.day:%a %d/%m/%Y}",
            f"{s.start:%H:%M}",
            s.minutes,
            _title(s, modules.get(s.module_id or 0)),
            ", ".join(staff[f].name for f in s.facilitators if f in staff),
            len(s.audience),
            s.status.value,
        ]
        for s in planned
    ]
    return "\n".join(
        [
            f"# CPD plan: {inline(school_name)}, {inline(term.name)}",
            "",
            f"{term.start:%-d %B %Y} to {term.end:%-d %B %Y}. Closures: {inline(closures)}.",
            "",
            table(["Date", "Time", "Minutes", "Session", "Led by", "Staff", "Status"], rows)
            if rows
            else "No sessions are planned yet.",
            "",
        ]
    )


def term_calendar(
    term: Term,
    sessions: Iterable[CpdSession],
    *,
    modules: Mapping[int, Module],
    school_name: str,
) -> bytes:
    """An iCalendar file: one event per session that is not cancelled, in Europe/London."""
    calendar = Calendar()
    calendar.add("prodid", "-//sencoplan//CPD plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"CPD {school_name} {term.name}")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for session in sorted(sessions, key=lambda s: s.begins):
        if not session.active:
            continue
        module = modules.get(session.module_id or 0)
        event = Event()
        event.add("uid", f"session-{session.id}-term-{term.id}@sencoplan.invalid")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.begins.replace(tzinfo=LONDON))
        event.add("dtend", session.ends.replace(tzinfo=LONDON))
        event.add("summary", _title(session, module))
        if session.room:
            event.add("location", session.room)
        event.add(
            "description",
            f"{len(session.audience)} staff. {session.reason}".strip(),
        )
        calendar.add_component(event)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
