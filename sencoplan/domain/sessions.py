"""CPD sessions in a term, and the conflicts a plan can have: shown, never silently fixed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from sencoplan.domain.calendar import Term
from sencoplan.domain.models import Module, Record, StaffMember
from sencoplan.domain.staff_codes import Provider


class SessionStatus(StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class CpdSession(Record):
    """One session: when and where, which module, who leads it, who it is for."""

    term_id: int
    school_id: int
    day: dt.date
    start: dt.time
    minutes: int = Field(gt=0, le=600)
    module_id: int | None = None
    title: str = Field(default="", max_length=200)
    room: str = Field(default="", max_length=100)
    objectives: str = Field(default="", max_length=4000)
    status: SessionStatus = SessionStatus.PLANNED
    facilitators: tuple[int, ...] = ()
    audience: tuple[int, ...] = ()
    attended: tuple[int, ...] = ()
    evaluation: str = Field(default="", max_length=4000)
    prep_minutes: int = Field(default=0, ge=0, le=1200)
    reason: str = Field(default="", max_length=1000)
    """Why the session is in the plan (from the priorities), counts only."""
    shared_with: tuple[int, ...] = ()
    """Other schools in the trust whose staff it is open to: it is on their planners and
    in their calendars too (`school_id` runs it)."""

    @model_validator(mode="after")
    def _attendance(self) -> Self:
        strangers = set(self.attended) - set(self.audience)
        if strangers:
            raise ValueError("attendance lists someone who is not in the audience")
        if self.ends.date() != self.day and self.ends.time() != dt.time(0, 0):
            raise ValueError(
                f"a session starting at {self.start:%H:%M} cannot last "
                f"{self.minutes} minutes: it would run past midnight"
            )
        return self

    @property
    def begins(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.start)

    @property
    def ends(self) -> dt.datetime:
        return self.begins + dt.timedelta(minutes=self.minutes)

    @property
    def active(self) -> bool:
        return self.status != SessionStatus.CANCELLED

    def people(self) -> set[int]:
        return set(self.facilitators) | set(self.audience)

    def overlaps(self, other: CpdSession) -> bool:
        return self.begins < other.ends and other.begins < self.ends


class ConflictKind(StrEnum):
    CLOSURE = "closure"
    OUTSIDE_TERM = "outside_term"
    DOUBLE_BOOKED = "double_booked"
    FACILITATOR_DOUBLE_BOOKED = "facilitator_double_booked"
    OVER_CPD_HOURS = "over_cpd_hours"
    OVER_BUDGET = "over_budget"
    SENCO_OVER_CAP = "senco_over_cap"
    OVER_CAPACITY = "over_capacity"
    SHORT_OF_MODULE = "short_of_module"


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    message: str
    session_ids: tuple[int, ...] = ()
    staff_id: int | None = None
    week: dt.date | None = None


def external_cost(
    sessions: Iterable[CpdSession],
    modules: Mapping[int, Module],
    staff: Collection[int] | None = None,
) -> float:
    """What external modules cost: each module's price once per person who takes it; with
    `staff`, only for those (a school's share of a session shared across the trust: each
    school pays for its own people).

    A course run over several sessions is paid for once per person, not per session.
    """
    takers: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        module = modules.get(session.module_id or 0)
        if session.active and module is not None and module.provider is Provider.EXTERNAL:
            people = session.audience
            takers[session.module_id or 0].update(
                people if staff is None else [p for p in people if p in staff]
            )
    return sum(modules[module_id].cost * len(people) for module_id, people in takers.items())


def find_conflicts(
    term: Term,
    sessions: Iterable[CpdSession],
    staff: Mapping[int, StaffMember],
    modules: Mapping[int, Module],
    *,
    senco_weekly_hours: Mapping[dt.date, float] | None = None,
) -> list[Conflict]:
    """Every problem with a term's plan, each in words, none of them fixed.

    `senco_weekly_hours` is the SENCO's load per week (Monday) from the workload; a week
    above the term's allocated SENCO hours is a conflict.
    """
    active = sorted((s for s in sessions if s.active), key=lambda s: (s.begins, s.id or 0))

    def name(staff_id: int) -> str:
        member = staff.get(staff_id)
        return member.name if member else f"staff #{staff_id}"

    return [
        *_when_conflicts(term, active),
        *_double_bookings(active, name),
        *_capacity_conflicts(term, active),
        *_hours_conflicts(active, staff),
        *_budget_conflicts(term, active, modules, staff),
        *_senco_conflicts(term, senco_weekly_hours or {}),
        *_short_of_module(active, modules),
    ]


def _short_of_module(active: list[CpdSession], modules: Mapping[int, Module]) -> list[Conflict]:
    """A module whose sessions this term add up to less than its hours: delivering them
    records the module whole for those who attend, so the plan says so before then."""
    minutes: dict[int, int] = defaultdict(int)
    ids: dict[int, list[int]] = defaultdict(list)
    for session in active:
        if session.module_id in modules:
            minutes[session.module_id or 0] += session.minutes
            ids[session.module_id or 0].append(session.id or 0)
    found = []
    for module_id, given in minutes.items():
        module = modules[module_id]
        if given < round(module.hours * 60):
            found.append(
                Conflict(
                    ConflictKind.SHORT_OF_MODULE,
                    f"{module.code} {module.title} takes {_hours(module.hours * 60)}, but its "
                    f"sessions this term add up to {_hours(given)}: add a part or lengthen "
                    "one, since delivering them records the module whole",
                    tuple(ids[module_id]),
                )
            )
    return found


def _hours(minutes: float) -> str:
    """90 -> '1.5 h', 45 -> '45 min'."""
    return f"{minutes / 60:g} h" if minutes >= 60 else f"{minutes:g} min"


def _when_conflicts(term: Term, active: list[CpdSession]) -> list[Conflict]:
    """Sessions on a closure day or outside the term."""
    conflicts = []
    for session in active:
        ids = (session.id or 0,)
        closure = term.closed(session.day)
        if closure is not None:
            label = closure.label or "a closure"
            conflicts.append(
                Conflict(
                    ConflictKind.CLOSURE,
                    f"{session.day:%a %d/%m/%Y} falls in {label}: the school is closed to CPD",
                    ids,
                )
            )
        elif not term.start <= session.day <= term.end:
            conflicts.append(
                Conflict(
                    ConflictKind.OUTSIDE_TERM,
                    f"{session.day:%d/%m/%Y} is outside {term.name} "
                    f"({term.start:%d/%m/%Y}–{term.end:%d/%m/%Y})",
                    ids,
                )
            )
    return conflicts


def _double_bookings(active: list[CpdSession], name: Callable[[int], str]) -> list[Conflict]:
    """Anyone in two sessions at once, leaders included."""
    conflicts = []
    for index, first in enumerate(active):
        for second in active[index + 1 :]:
            if second.begins >= first.ends:
                break
            pair = (first.id or 0, second.id or 0)
            for facilitator in sorted(set(first.facilitators) & set(second.facilitators)):
                conflicts.append(
                    Conflict(
                        ConflictKind.FACILITATOR_DOUBLE_BOOKED,
                        f"{name(facilitator)} leads two sessions at {first.begins:%a %d/%m %H:%M}",
                        pair,
                        facilitator,
                    )
                )
            both = (first.people() & second.people()) - (
                set(first.facilitators) & set(second.facilitators)
            )
            for person in sorted(both):
                conflicts.append(
                    Conflict(
                        ConflictKind.DOUBLE_BOOKED,
                        f"{name(person)} is in two places at {first.begins:%a %d/%m %H:%M}",
                        pair,
                        person,
                    )
                )
    return conflicts


def _capacity_conflicts(term: Term, active: list[CpdSession]) -> list[Conflict]:
    """Sessions with more booked than the room holds (when the term sets a capacity)."""
    capacity = term.room_capacity
    if capacity is None:
        return []
    return [
        Conflict(
            ConflictKind.OVER_CAPACITY,
            f"{session.day:%a %d/%m/%Y}: {len(session.audience)} booked, over the room's "
            f"{capacity}",
            (session.id or 0,),
        )
        for session in active
        if len(session.audience) > capacity
    ]


def _hours_conflicts(active: list[CpdSession], staff: Mapping[int, StaffMember]) -> list[Conflict]:
    """Anyone booked for more CPD than their hours this term."""
    minutes: dict[int, int] = defaultdict(int)
    for session in active:
        for person in session.audience:
            minutes[person] += session.minutes
    conflicts = []
    for person, total in sorted(minutes.items()):
        member = staff.get(person)
        if member is not None and total > member.cpd_hours * 60:
            conflicts.append(
                Conflict(
                    ConflictKind.OVER_CPD_HOURS,
                    f"{member.name} is booked for {total / 60:g} hours of CPD, "
                    f"over their {member.cpd_hours:g} hours this term",
                    staff_id=person,
                )
            )
    return conflicts


def _budget_conflicts(
    term: Term,
    active: list[CpdSession],
    modules: Mapping[int, Module],
    staff: Mapping[int, StaffMember],
) -> list[Conflict]:
    """The term's external training over its budget: the school pays for its own people
    (in a session shared across the trust, each school for its own)."""
    own = {i for i, member in staff.items() if member.school_id == term.school_id}
    spend = external_cost(active, modules, own)
    if spend <= term.cpd_budget:
        return []
    return [
        Conflict(
            ConflictKind.OVER_BUDGET,
            f"external training costs £{spend:,.0f}, over the £{term.cpd_budget:,.0f} CPD budget",
        )
    ]


def _senco_conflicts(term: Term, weekly: Mapping[dt.date, float]) -> list[Conflict]:
    """Weeks where the SENCO's work goes over the time allocated."""
    return [
        Conflict(
            ConflictKind.SENCO_OVER_CAP,
            f"week of {week:%d/%m/%Y}: the SENCO has {hours:g} hours of work, "
            f"over the {term.senco_hours:g} allocated",
            week=week,
        )
        for week, hours in sorted(weekly.items())
        if term.senco_hours and hours > term.senco_hours
    ]
