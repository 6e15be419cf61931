"""What a suggestion rests on (one school's term), and the state planning starts from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sencoplan.domain.calendar import Term
from sencoplan.domain.codes import NeedType
from sencoplan.domain.levels import DEFAULT_TABLE, LevelTable
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.planning.choices import Limits
from sencoplan.domain.planning.gains import GainModel, exposures
from sencoplan.domain.planning.placing import Placer
from sencoplan.domain.priorities import NeedGroup, StaffFacts, general_level
from sencoplan.domain.sessions import CpdSession, external_cost


@dataclass(frozen=True)
class PlanInputs:
    """Everything a suggestion rests on, for one school's term."""

    term: Term
    groups: list[NeedGroup]
    facts: list[StaffFacts]
    staff: Mapping[int, StaffMember]
    modules: list[Module]
    holders: Mapping[int, set[int]]
    existing: list[CpdSession] = field(default_factory=list)
    """This term's sessions: their slots are taken, their people booked."""
    to_come: list[CpdSession] = field(default_factory=list)
    """Sessions planned or delivered this term and before: training to come."""
    senco_ids: frozenset[int] = frozenset()
    senco_load: Mapping[dt.date, float] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)
    from_day: dt.date | None = None
    levels: LevelTable = DEFAULT_TABLE
    capacity: int | None = None
    time_limit: float = 2.0
    """Seconds the exact model may take (0: the greedy plan alone)."""

    def boost(self) -> dict[NeedType, float]:
        """Each need's development plan weight, as a factor on its gap."""
        return {
            need: 1.0 + self.weights.get(need.value, 0.0) + self.weights.get(need.area.value, 0.0)
            for need in NeedType
        }


def gain_model(inputs: PlanInputs, *, boosted: bool = True) -> GainModel:
    """The staff's training now, with what is planned or done already counted as held."""
    model = GainModel(
        inputs.facts,
        exposures(inputs.groups, inputs.facts, inputs.levels),
        inputs.boost() if boosted else None,
    )
    modules = {m.id: m for m in inputs.modules}
    for session in inputs.to_come:
        module = modules.get(session.module_id)
        if module is not None and session.active:
            for person in session.audience:
                model.take(person, module)
    return model


def term_limits(inputs: PlanInputs) -> tuple[Limits, Placer]:
    """What the term has left: its free slots (from `from_day`), each person's CPD hours
    less what is booked, the budget less what is spent, and the SENCO's weeks."""
    booked: dict[int, float] = defaultdict(float)
    busy: set[tuple[dt.datetime, int]] = set()
    taken: set[dt.datetime] = set()
    for session in inputs.existing:
        if not session.active:
            continue
        taken.add(session.begins)
        for person in session.audience:
            booked[person] += session.minutes / 60
        for person in session.people():
            busy.add((session.begins, person))
    start = inputs.from_day
    free = [
        s for s in inputs.term.slots() if s not in taken and (start is None or s.date() >= start)
    ]
    catalogue = {m.id or 0: m for m in inputs.modules}
    limits = Limits(
        slots=len(free),
        hours_left={p: member.cpd_hours - booked[p] for p, member in inputs.staff.items()},
        budget=inputs.term.cpd_budget - external_cost(inputs.existing, catalogue),
        capacity=inputs.capacity,
    )
    placer = Placer(
        inputs.term, free, inputs.staff, set(inputs.senco_ids), dict(inputs.senco_load), busy
    )
    return limits, placer


def upgraded(
    fact: StaffFacts, sessions: Iterable[CpdSession], catalogue: list[Module]
) -> StaffFacts:
    """The staff member's training as it will be once these sessions are done."""
    modules = {m.id: m for m in catalogue}
    levels = dict(fact.levels)
    for session in sessions:
        module = modules.get(session.module_id)
        if module is None or not session.active or fact.id not in session.audience:
            continue
        level = general_level(module)
        for need in module.needs:
            if need not in levels or levels[need].rank < level.rank:
                levels[need] = level
    return replace(fact, levels=levels) if levels != fact.levels else fact
