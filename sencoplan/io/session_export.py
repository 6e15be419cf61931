"""Session plans as markdown and the term's sessions as an iCalendar file.

Pupils by counts only: no pupil's name, UPN or date of birth ever appears here. Staff are
named (who leads a session, who it is for, who came), and a calendar invites those with an
email address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from sencoplan.domain.calendar import Term
from sencoplan.domain.disclosure import pupil_counts_banded
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.names import name_sort_key
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.domain.staff_codes import Provider
from sencoplan.io.ical_timezone import london_timezone
from sencoplan.io.markdown import inline, table

LONDON = ZoneInfo("Europe/London")


SHARED = " (shared across the trust)"


def _title(session: CpdSession, module: Module | None) -> str:
    title = session.title or (module.title if module else "CPD session")
    return title + (SHARED if session.shared_with else "")


def leader_names(session: CpdSession, staff_names: Mapping[int, str], module: Module | None) -> str:
    """Who leads a session, said the same way everywhere (plain text, not escaped).

    The facilitators' names if any are on the staff; else, for an external module, its
    organisation, or "external provider" when the catalogue names none; else (an internal
    session no one has been put down to lead yet) "to be confirmed".
    """
    names = [staff_names[person] for person in session.facilitators if person in staff_names]
    if names:
        return ", ".join(names)
    if module is not None and (module.provider is Provider.EXTERNAL or module.organisation):
        return module.organisation or "external provider"
    return "to be confirmed"


def _names(staff: Mapping[int, StaffMember]) -> dict[int, str]:
    return {person: member.name for person, member in staff.items()}


def _audience_by_role(session: CpdSession, staff: Mapping[int, StaffMember]) -> str:
    """'5 teachers, 4 TAs, 1 HLTA': how many of each role, said as people count them."""
    roles = Counter(staff[s].role for s in session.audience if s in staff)
    return (
        ", ".join(
            role.counted(count)
            for role, count in sorted(roles.items(), key=lambda item: item[0].label)
        )
        or "none yet"
    )


def _people_list(session: CpdSession, staff: Mapping[int, StaffMember]) -> list[str]:
    """Who a session is for, by name, A to Z; once delivered, whether each came."""
    people = sorted(
        (staff[s] for s in session.audience if s in staff), key=lambda m: name_sort_key(m.name)
    )
    if session.status is SessionStatus.DELIVERED:
        came = set(session.attended)
        return [
            f"- {inline(m.name)} ({m.role.label}): {'attended' if m.id in came else 'missed'}"
            for m in people
        ]
    return [f"- {inline(m.name)} ({m.role.label})" for m in people]


def _topic(module: Module | None) -> str:
    """What the objectives say the module is about, with its verb, in plain English.

    One need by name ("moderate learning difficulty looks like"), two to four by code
    ("MLD and SPLD look like"), more as SEND as a whole.
    """
    needs = list(dict.fromkeys(module.needs)) if module else []
    if not needs:
        return "the need looks like"
    if len(needs) == 1:
        return f"{needs[0].label.lower()} looks like"
    if len(needs) > 4:
        return "special educational needs look like"
    codes = [need.value for need in needs]
    return f"{', '.join(codes[:-1])} and {codes[-1]} look like"


_PART = re.compile(r"\(part (\d+) of (\d+)\)")


def _objectives(session: CpdSession, module: Module | None) -> list[str]:
    """The session's own objectives, else drafted from its module: Know / Understand /
    Adapt for a single session; for a module in parts, each part its own (the first
    starts it, the middle ones build on what was tried, the last fixes what changes)."""
    lines = [line.strip() for line in session.objectives.splitlines() if line.strip()]
    if lines:
        return lines
    found = _PART.search(session.title)
    part, parts = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
    if parts > 1 and part == 1:
        return [
            f"Know: what {_topic(module)} in our pupils, and what helps",
            "Understand: the first strategies in the module, and the evidence for them",
            f"Try: one strategy each person will use before part 2 of {parts}",
        ]
    if parts > 1 and part < parts:
        return [
            f"Review: how the strategy tried since part {part - 1} went, with one pupil in mind",
            f"Understand: the strategies part {part} of the module adds, and when to use them",
            f"Try: one of them before part {part + 1} of {parts}",
        ]
    if parts > 1:
        return [
            "Review: what has changed for our pupils since part 1, and what has not",
            "Adapt: the one change each person will keep making in their classroom",
            "Plan: how we will see the difference (the re-survey, a look at lessons)",
        ]
    return [
        f"Know: what {_topic(module)} in our pupils, and what helps",
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
    lines = [
        f"# {inline(_title(session, module))}",
        "",
        f"- **When**: {session.day:%A %-d %B %Y}, {session.start:%H:%M}–"
        f"{session.ends:%H:%M} ({session.minutes} minutes), {inline(term.name)}",
        f"- **Where**: {inline(session.room) or 'room to be confirmed'}",
        f"- **Led by**: {inline(leader_names(session, _names(staff), module))}",
        f"- **For**: {len(session.audience)} staff ({_audience_by_role(session, staff)})",
    ]
    if module is not None:
        lines.append(
            f"- **Module**: {inline(module.code)} {inline(module.title)} "
            f"({module.level.label.lower()} level)"
        )
    why = pupil_counts_banded(session.reason or "") or "Planned by the SENCO."
    lines += ["", "## Why this session", "", inline(why)]
    lines += ["", "## Who it is for", ""]
    lines += _people_list(session, staff) or ["No one yet."]
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
    names = _names(staff)
    rows = [
        [
            s.id if s.id is not None else "",
            f"{s.day:%a %d/%m/%Y}",
            f"{s.start:%H:%M}",
            s.minutes,
            _title(s, modules.get(s.module_id or 0)),
            leader_names(s, names, modules.get(s.module_id or 0)),
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
            table(["#", "Date", "Time", "Minutes", "Session", "Led by", "Staff", "Status"], rows)
            if rows
            else "No sessions are planned yet.",
            "",
            *_who_is_in_each(planned, modules, staff),
        ]
    )


def _who_is_in_each(
    sessions: list[CpdSession], modules: Mapping[int, Module], staff: Mapping[int, StaffMember]
) -> list[str]:
    """The term plan's second part: each session's people by name."""
    lines: list[str] = []
    for session in sessions:
        if not session.audience:
            continue
        lines += [
            f"### #{session.id} {inline(_title(session, modules.get(session.module_id or 0)))}, "
            f"{session.day:%a %d/%m/%Y}",
            "",
            *_people_list(session, staff),
            "",
        ]
    return ["## Who each session is for", "", *lines] if lines else []


def event_uid(session: CpdSession, term: Term, school_name: str) -> str:
    """The iCalendar UID of a session's event.

    A hash of the school's name (case and outer spaces ignored), the term's name and the
    session's number. Exporting the same session again gives the same UID, so a calendar
    program updates the event rather than adding it twice; the same session number in
    another school's file (or another term) gives a different one, so calendars do not merge
    different schools' sessions. Not the file's path (moving or renaming the file would change
    every UID) and not the URN (the app's export does not know it, and both exports must
    agree). Renaming the school or the term changes the UIDs; a copy of the file shares them,
    as it holds the same sessions. A session shared across the trust has one UID in every
    school's calendar (the file's number for the school that runs it, and its own), so
    someone who imports two schools' calendars gets it once.
    """
    if session.shared_with:  # one event in every school's calendar that shares it
        key = "\x1f".join(["shared across the trust", str(session.school_id), str(session.id)])
    else:
        key = "\x1f".join([school_name.strip().casefold(), term.name.strip(), str(session.id)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{digest}@sencoplan.invalid"


def term_calendar(
    term: Term,
    sessions: Iterable[CpdSession],
    *,
    modules: Mapping[int, Module],
    school_name: str,
    staff: Mapping[int, StaffMember] | None = None,
) -> bytes:
    """An iCalendar file: one event per session that is not cancelled, in Europe/London;
    the staff in it who have an email address are its attendees (pupils never)."""
    calendar = Calendar()
    calendar.add("prodid", "-//sencoplan//CPD plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"CPD {school_name} {term.name}")
    calendar.add_component(london_timezone())
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for session in sorted(sessions, key=lambda s: s.begins):
        if not session.active:
            continue
        module = modules.get(session.module_id or 0)
        event = Event()
        event.add("uid", event_uid(session, term, school_name))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.begins.replace(tzinfo=LONDON))
        event.add("dtend", session.ends.replace(tzinfo=LONDON))
        event.add("summary", _title(session, module))
        if session.room:
            event.add("location", session.room)
        led = leader_names(session, _names(staff or {}), module)
        event.add("description", _event_description(session, module, led))
        _invite(event, session, staff or {})
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _event_description(session: CpdSession, module: Module | None, led: str) -> str:
    """What the session is, who leads it and what it is for: what a colleague reads in
    their calendar (the gap it closes is in the session plan, not in everyone's diary)."""
    what = f"{module.code} {module.title}. " if module is not None else ""
    objectives = "\n".join(f"- {line}" for line in _objectives(session, module))
    return f"{what}Led by {led}, for {len(session.audience)} staff.\n\nObjectives:\n{objectives}"


def _address(member: StaffMember, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{member.email}")
    address.params["cn"] = member.name
    address.params["role"] = role
    address.params["rsvp"] = "FALSE"
    return address


def _invite(event: Event, session: CpdSession, staff: Mapping[int, StaffMember]) -> None:
    """Leaders (CHAIR) and audience with an email as ATTENDEEs; the first leader with one
    as ORGANIZER (RFC 5545 asks for one where there are attendees)."""
    leaders = [staff[s] for s in session.facilitators if s in staff and staff[s].email]
    audience = [
        staff[s]
        for s in session.audience
        if s in staff and staff[s].email and s not in session.facilitators
    ]
    if not leaders and not audience:
        return
    if leaders:
        organiser = vCalAddress(f"mailto:{leaders[0].email}")
        organiser.params["cn"] = leaders[0].name
        event.add("organizer", organiser)
    for member in leaders:
        event.add("attendee", _address(member, "CHAIR"))
    for member in audience:
        event.add("attendee", _address(member, "REQ-PARTICIPANT"))
