"""A suggested term of CPD: modules that close the biggest gaps, for the staff who have them.

Greedy and explainable: slot by slot, the module that closes the most gap per slot it
takes — for each member of staff, the training credit it adds (DESIGN.md §4) times their
confidence, times their share of each pupil's cover (the pupil's weight over how many
adults they have), times the development plan weight — for the staff it helps most,
within everyone's CPD hours, the budget for external modules, a facilitator who holds the
module and is free, and the SENCO's weekly cap. A module longer than a slot runs over
consecutive slots. The SENCO can take the plan, change it, or ignore it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sencoplan.domain.calendar import Term
from sencoplan.domain.codes import ModuleLevel, NeedType, Provider, SupportKind
from sencoplan.domain.disclosure import in_words
from sencoplan.domain.levels import DEFAULT_TABLE, LevelTable, assumed_relationship
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.priorities import (
    NeedGroup,
    StaffFacts,
    compute_priorities,
    confidence_factor,
    general_level,
    pupil_weight,
    training_credit,
)
from sencoplan.domain.sessions import CpdSession, external_cost
from sencoplan.domain.workload import monday

MAX_AUDIENCE = 30
TOP_NEEDS_EXPLAINED = 3
"""The plan says why any of the top needs is left almost where it was."""
PREP_FACTOR = 1.0
"""Preparation time for a session the SENCO leads, as a share of its length."""


@dataclass(frozen=True)
class SuggestedPlan:
    sessions: list[CpdSession]
    coverage: dict[NeedType, tuple[float, float]]
    """need -> (coverage now, coverage expected after the plan)."""
    not_placed: list[str] = field(default_factory=list)
    """What the plan leaves open, and why: modules it could not place, top needs it hardly
    moves (no one to lead, budget spent), each saying what would change it."""


def _fits(module: Module, member: StaffMember) -> bool:
    return not module.audience or member.role in module.audience


def suggest_plan(
    term: Term,
    *,
    groups: list[NeedGroup],
    facts: list[StaffFacts],
    staff: Mapping[int, StaffMember],
    modules: Iterable[Module],
    holders: Mapping[int, set[int]],
    existing: Iterable[CpdSession] = (),
    senco_ids: Iterable[int] = (),
    senco_load: Mapping[dt.date, float] | None = None,
    weights: Mapping[str, float] | None = None,
    from_day: dt.date | None = None,
    level_table: LevelTable = DEFAULT_TABLE,
) -> SuggestedPlan:
    """Fill the term's free slots with sessions that close the biggest gaps.

    `holders` maps a module id to the staff who can lead it (see `succession.module_leaders`).
    `senco_load` is the SENCO's hours already committed each week (reviews, tasks).
    Slots before `from_day` (today, for a term under way) are left alone.
    """
    catalogue = [m for m in modules if m.id is not None]
    existing = list(existing)
    tables = {term.school_id: level_table}
    before = compute_priorities(groups, facts, weights=weights, modules=catalogue, levels=tables)
    booked: dict[int, float] = defaultdict(float)
    busy: set[tuple[dt.datetime, int]] = set()
    taken_slots: set[dt.datetime] = set()
    for session in existing:
        if not session.active:
            continue
        taken_slots.add(session.begins)
        for person in session.audience:
            booked[person] += session.minutes / 60
        for person in session.people():
            busy.add((session.begins, person))
    free = [
        slot
        for slot in term.slots()
        if slot not in taken_slots and (from_day is None or slot.date() >= from_day)
    ]
    room = _Room(
        catalogue,
        holders,
        staff,
        len(free),
        term.slot_minutes,
        {p: member.cpd_hours - booked[p] for p, member in staff.items()},
        {},
    )
    senco = set(senco_ids)
    week_hours: dict[dt.date, float] = defaultdict(float, senco_load or {})
    budget = term.cpd_budget - external_cost(existing, {m.id or 0: m for m in catalogue})
    planned: list[CpdSession] = []
    not_placed: list[str] = []
    levels = {fact.id: dict(fact.levels) for fact in facts}
    lines = {line.need: line for line in before.priorities}
    shares = _exposure_shares(groups, facts, level_table)
    room = replace(room, exposed={n: {p for p, _, _ in people} for n, people in shares.items()})
    confidence = {fact.id: fact.confidence for fact in facts}
    used_modules: set[int] = set()
    weights = weights or {}

    while free:
        best: tuple[float, Module, list[int], int] | None = None
        for module in catalogue:
            if module.id in used_modules or len(set(module.needs)) == len(NeedType):
                continue  # general practice modules do not close a need's gap
            parts = max(1, math.ceil(module.hours * 60 / term.slot_minutes))
            if parts > len(free):
                continue
            gain: dict[int, float] = defaultdict(float)
            for need in module.needs:
                boost = 1 + weights.get(need.value, 0) + weights.get(need.area.value, 0)
                for person, required, share in shares.get(need, []):
                    if person not in staff or not _fits(module, staff[person]):
                        continue
                    held = levels.get(person, {}).get(need)
                    raised = module.level if held is None or held.rank < module.level.rank else held
                    delta = training_credit(raised, required) - training_credit(held, required)
                    if delta > 0:
                        rating = confidence.get(person, {}).get(need)
                        gain[person] += delta * confidence_factor(rating) * share * boost
            eligible = sorted(
                (p for p in gain if booked[p] + module.hours <= staff[p].cpd_hours),
                key=lambda p: (-gain[p], staff[p].name),
            )[:MAX_AUDIENCE]
            if module.provider is Provider.EXTERNAL and module.cost:
                eligible = eligible[: max(0, int(budget // module.cost))]
            value = sum(gain[p] for p in eligible) / parts
            if eligible and (best is None or value > best[0]):
                best = (value, module, eligible, parts)
        if best is None:
            break
        _, module, audience, parts = best
        used_modules.add(module.id or 0)
        minutes = round(module.hours * 60 / parts)
        slots = free[:parts]
        leaders = _facilitators(module, holders, staff, slots, busy, set(audience), senco)
        if leaders is None:
            able = holders.get(module.id or 0, set()) & set(staff)
            not_placed.append(
                f"{module.code} {module.title}: no one here can lead it (name or train a leader)"
                if not able
                else f"{module.code} {module.title}: the {len(able)} who can lead it are "
                "busy at those times or need it themselves"
            )
            continue
        if senco & set(leaders):
            load: dict[dt.date, float] = defaultdict(float)
            for slot in slots:
                load[monday(slot.date())] += minutes / 60 * (1 + PREP_FACTOR)
            if term.senco_hours and any(
                week_hours[week] + hours > term.senco_hours for week, hours in load.items()
            ):
                not_placed.append(
                    f"{module.code} {module.title}: only the SENCO is free to lead it and their "
                    f"weeks are full ({term.senco_hours:g} hours a week)"
                )
                continue
            for week, hours in load.items():
                week_hours[week] += hours
        if module.provider is Provider.EXTERNAL:
            budget -= module.cost * len(audience)
        top = max((lines[n] for n in module.needs if n in lines), key=lambda line: line.score)
        # The reason travels into session plans and calendars: small counts are banded.
        words = in_words(top.pupils, top.tier_counts)  # as the priorities exports show it
        reason = f"{top.reason(words)}. This session is for {len(audience)} of the staff."
        for part, slot in enumerate(slots, start=1):
            title = module.title if parts == 1 else f"{module.title} (part {part} of {parts})"
            planned.append(
                CpdSession(
                    term_id=term.id or 0,
                    school_id=term.school_id,
                    day=slot.date(),
                    start=slot.time(),
                    minutes=minutes,
                    module_id=module.id,
                    title=title,
                    facilitators=tuple(leaders),
                    audience=tuple(audience),
                    prep_minutes=round(minutes * PREP_FACTOR) if senco & set(leaders) else 0,
                    reason=reason,
                )
            )
            for person in (*audience, *leaders):
                busy.add((slot, person))
        free = free[parts:]
        for person in audience:
            booked[person] += module.hours
            held_now = levels.setdefault(person, {})
            for need in module.needs:
                if need not in held_now or held_now[need].rank < module.level.rank:
                    held_now[need] = module.level

    after_facts = [_upgraded(f, planned, catalogue) for f in facts]
    after = compute_priorities(
        groups, after_facts, weights=weights, modules=catalogue, levels=tables
    )
    now = {line.need: line.coverage for line in before.priorities}
    later = {line.need: line.coverage for line in after.priorities}
    coverage = {need: (now[need], later.get(need, now[need])) for need in now}
    for line in before.priorities[:TOP_NEEDS_EXPLAINED]:
        now_cover, later_cover = coverage[line.need]
        if line.gap > 0 and later_cover - now_cover < 0.02:
            not_placed.append(_why_still_open(line.need, room, budget))
    return SuggestedPlan(planned, coverage, not_placed)


@dataclass(frozen=True)
class _Room:
    """What the term had to offer when planning began: the facts behind a 'left open'."""

    catalogue: list[Module]
    holders: Mapping[int, set[int]]
    staff: Mapping[int, StaffMember]
    free_slots: int
    slot_minutes: int
    hours_left: Mapping[int, float]
    exposed: Mapping[NeedType, set[int]]


def _listed(items: list[str]) -> str:
    """A list as a sentence says it: "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _how_many_have_the_hours(able: int, audience: int) -> str:
    """Why a module cannot run for its audience, counted in plain English (one "has")."""
    if audience == 1:
        return "the one member of staff it is for does not have that many CPD hours"
    if able == 0:
        return f"none of the {audience} staff it is for has that many CPD hours"
    verb = "has" if able == 1 else "have"
    return f"only {able} of the {audience} staff it is for {verb} that many CPD hours"


def _why_still_open(need: NeedType, room: _Room, budget: float) -> str:
    """Why the plan hardly moves one of the top needs: what would have to change."""
    fitting = [m for m in room.catalogue if need in m.needs and len(set(m.needs)) < len(NeedType)]
    if not fitting:
        return f"{need.value} hardly moves: no module in the catalogue is about it; add one"
    reasons = []
    unled = [
        m.code
        for m in fitting
        if m.provider is Provider.INTERNAL
        and not (room.holders.get(m.id or 0, set()) & set(room.staff))
    ]
    if unled:
        reasons.append(f"no one here can lead {', '.join(unled)} (name or train a leader)")
    dear = [m for m in fitting if m.provider is Provider.EXTERNAL and m.cost > budget]
    if dear:
        costs = _listed([f"{m.code} costs £{m.cost:,.0f} a person" for m in dear])
        left = f"£{budget:,.0f} is left" if budget >= 1 else "the budget is spent"
        reasons.append(f"the budget is too small: {costs}, and {left}")
    longer = [m for m in fitting if math.ceil(m.hours * 60 / room.slot_minutes) > room.free_slots]
    if room.free_slots == 0:
        reasons.append("no free CPD slots are left this term")
    elif longer:
        names = _listed([f"{m.code} takes {m.hours:g} hours" for m in longer])
        slots = "slot" if room.free_slots == 1 else "slots"
        room_left = f"the {room.free_slots} free {room.slot_minutes}-minute {slots}"
        if len(longer) == 1:
            reasons.append(f"{names}: more than {room_left} (add it as a session on an INSET day)")
        else:
            reasons.append(
                f"{names}: each more than {room_left} (add them as sessions on an INSET day)"
            )
    people = [room.staff[p] for p in room.exposed.get(need, set()) if p in room.staff]
    for module in fitting:
        audience = [p for p in people if _fits(module, p)]
        able = [p for p in audience if room.hours_left.get(p.id or 0, 0) >= module.hours]
        if audience and len(able) < len(audience) / 2:
            reasons.append(
                f"{module.code} takes {module.hours:g} hours and "
                f"{_how_many_have_the_hours(len(able), len(audience))} left this term"
            )
    if not reasons:
        reasons.append("the free slots or the staff's CPD hours ran out first")
    return f"{need.value} hardly moves: " + "; ".join(reasons)


def _exposure_shares(
    groups: list[NeedGroup], facts: list[StaffFacts], levels: LevelTable
) -> dict[NeedType, list[tuple[int, ModuleLevel, float]]]:
    """need -> (adult, level the pupils need from them, share of the gap they carry): how
    much a need's gap falls when that adult's cover for those pupils rises by 1.

    A pupil's cover is the average over their adults, so each adult carries the pupil's
    weight divided by how many adults the pupil has (see domain/priorities).
    """
    everyone: dict[int, list[tuple[int, SupportKind]]] = defaultdict(list)
    for fact in facts:
        if fact.role.supports_pupils:
            everyone[fact.school_id].append((fact.id, assumed_relationship(fact.role)))
    known = {fact.id: fact for fact in facts}
    shares: dict[NeedType, list[tuple[int, ModuleLevel, float]]] = defaultdict(list)
    for group in groups:
        if group.count <= 0 or not group.tier.has_sen:
            continue
        adults = group.adults_with(known, everyone)
        if not adults:
            continue
        share = pupil_weight(group.tier, group.primary) * group.count / len(adults)
        for adult, kind in adults:
            shares[group.need].append((adult, levels.required(kind, group.tier), share))
    return shares


def _facilitators(
    module: Module,
    holders: Mapping[int, set[int]],
    staff: Mapping[int, StaffMember],
    slots: list[dt.datetime],
    busy: set[tuple[dt.datetime, int]],
    audience: set[int],
    senco: set[int],
) -> list[int] | None:
    """Who leads it: nobody from staff for an external module; else a free holder,
    sparing the SENCO's time where someone else who holds it is free."""
    if module.provider is Provider.EXTERNAL:
        return []
    for person in sorted(
        holders.get(module.id or 0, set()),
        key=lambda s: (s in senco, staff[s].name if s in staff else ""),
    ):
        if (
            person in staff
            and person not in audience
            and all((slot, person) not in busy for slot in slots)
        ):
            return [person]
    return None


def _upgraded(fact: StaffFacts, sessions: list[CpdSession], catalogue: list[Module]) -> StaffFacts:
    """The staff member's training as it would be once the planned sessions are done."""
    modules = {m.id: m for m in catalogue}
    levels = dict(fact.levels)
    for session in sessions:
        module = modules.get(session.module_id)
        if module is None or fact.id not in session.audience:
            continue
        level = general_level(module)
        for need in module.needs:
            if need not in levels or levels[need].rank < level.rank:
                levels[need] = level
    return replace(fact, levels=levels) if levels != fact.levels else fact


__all__ = ["MAX_AUDIENCE", "SuggestedPlan", "suggest_plan"]
