"""A suggested term of CPD: modules that close the biggest gaps, for the staff who have them.

The steps, each its own module: the gaps each person would close by taking each module
(gains), the modules on offer and what the term has left (choices), the choice of what to
run for whom (greedy), putting each into free slots with a leader (placing), and what the
plan leaves open and why (explain). Training already planned or done, this term and
before, counts as training to come: no one is booked twice on a module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sencoplan.domain.codes import NeedType
from sencoplan.domain.disclosure import in_words
from sencoplan.domain.levels import LevelTable
from sencoplan.domain.messages import counted
from sencoplan.domain.models import Module
from sencoplan.domain.planning.choices import Choice, Limits, Offer, offers
from sencoplan.domain.planning.exact import ExactResult, solve_exact
from sencoplan.domain.planning.explain import (
    Room,
    empty_slots_reason,
    left_out,
    listed,
    why_still_open,
)
from sencoplan.domain.planning.gains import GainModel
from sencoplan.domain.planning.greedy import best_choice, best_in_house
from sencoplan.domain.planning.inputs import PlanInputs, gain_model, term_limits, upgraded
from sencoplan.domain.planning.placing import PREP_FACTOR, Placer
from sencoplan.domain.priorities import Priority, compute_priorities
from sencoplan.domain.priority_notes import supports_note
from sencoplan.domain.sessions import CpdSession

TOP_NEEDS_EXPLAINED = 3
"""The plan says why any of the top needs is left almost where it was."""


@dataclass(frozen=True)
class UnusedSlot:
    """A free slot the plan leaves empty, and why."""

    begins: dt.datetime
    reason: str


@dataclass(frozen=True)
class SuggestedPlan:
    sessions: list[CpdSession]
    coverage: dict[NeedType, tuple[float, float]]
    """need -> (coverage now, coverage expected after the plan)."""
    not_placed: list[str] = field(default_factory=list)
    """What the plan leaves open, and why: modules it could not place, top needs it hardly
    moves (no one to lead, budget spent), each saying what would change it."""
    unused_slots: list[UnusedSlot] = field(default_factory=list)
    note: str | None = None
    """Said once where the figures rest on adults assumed for want of supports."""
    method: str = "greedy"
    """Which plan was used: "exact" (the exact model's) or "greedy"."""
    method_note: str = ""
    """The same in a sentence, with why the greedy plan was used where it was."""


def suggest_plan(inputs: PlanInputs) -> SuggestedPlan:
    """Fill the term's free slots with sessions that close the biggest gaps, and say what
    is left open and why."""
    catalogue = [m for m in inputs.modules if m.id is not None]
    tables = {inputs.term.school_id: inputs.levels}
    before = compute_priorities(
        inputs.groups, inputs.facts, weights=inputs.weights, modules=catalogue, levels=tables
    )
    model = gain_model(inputs)
    limits, placer = term_limits(inputs)
    room = Room(
        catalogue,
        inputs.holders,
        inputs.staff,
        limits.slots,
        inputs.term.slot_minutes,
        dict(limits.hours_left),
        {need: set() for need in NeedType},
    )
    on_offer = offers(catalogue, inputs.term.slot_minutes, inputs.holders, inputs.staff)
    lines = {line.need: line for line in before.priorities}
    exact = (
        solve_exact(
            on_offer,
            model,
            limits,
            inputs.staff,
            time_limit=inputs.time_limit,
        )
        if inputs.time_limit > 0
        else None
    )
    first = sorted(exact.choices, key=lambda c: -c.value) if exact and exact.optimal else []
    sessions, refused = _fill(inputs, on_offer, model, limits, placer, lines, first)
    in_plan = {s.module_id for s in sessions}
    not_placed = [
        *refused.values(),
        *left_out([o for o in on_offer if o.id in in_plan], model, limits, inputs.staff),
    ]
    unused = []
    if placer.free:
        why = empty_slots_reason(on_offer, model, limits, inputs.staff, refused)
        unused = [UnusedSlot(slot, why) for slot in placer.free]
    coverage = _coverage(inputs, before.priorities, sessions, catalogue, tables)
    for line in before.priorities[:TOP_NEEDS_EXPLAINED]:
        now_cover, later_cover = coverage[line.need]
        if line.gap > 0 and later_cover - now_cover < 0.02:
            exposed = {e.person for es in model.exposed.values() for e in es if e.need is line.need}
            room.exposed[line.need].update(exposed)
            not_placed.append(why_still_open(line.need, room, limits.budget - limits.spent))
    method, how = _method(exact, inputs.time_limit)
    return SuggestedPlan(sessions, coverage, not_placed, unused, supports_note(before), method, how)


def _method(exact: ExactResult | None, time_limit: float) -> tuple[str, str]:
    """Which plan was used ("exact" or "greedy"), and a sentence saying so and why."""
    greedy = "The greedy plan (the module that closes most gap per slot, again and again)"
    if exact is not None and exact.optimal:
        return "exact", "The exact model (HiGHS) made this plan: the best under these limits."
    if time_limit <= 0:
        return "greedy", f"{greedy} made this plan."
    if exact is None:
        return "greedy", (
            f"{greedy} made this plan: the exact model could not run (HiGHS not installed) "
            "or found no plan in time."
        )
    return "greedy", (
        f"{greedy} made this plan: the exact model did not prove a plan the best within "
        f"{time_limit:g} seconds."
    )


def _fill(
    inputs: PlanInputs,
    on_offer: list[Offer],
    model: GainModel,
    limits: Limits,
    placer: Placer,
    lines: Mapping[NeedType, Priority],
    chosen: list[Choice],
) -> tuple[list[CpdSession], dict[int, str]]:
    """Place the exact model's choices (best value first), then choose greedily, choice by
    choice, until no slot is left or nothing fits; then say what each module bought in
    buys."""
    placed_choices: list[tuple[Choice, list[CpdSession]]] = []
    refused: dict[int, str] = {}
    queue = list(chosen)
    while placer.free:
        limits.slots = len(placer.free)
        choice = _next(queue, limits) or best_choice(
            on_offer, model, limits, inputs.staff, set(refused)
        )
        if choice is None:
            break
        placed = placer.place(choice, _reason(choice, lines))
        if isinstance(placed, str):
            refused[choice.offer.id] = placed
            continue
        placed_choices.append((choice, placed))
        limits.commit(choice)
        for person in choice.audience:
            model.take(person, choice.offer.module)
    limits.slots = len(placer.free)
    in_plan = {choice.offer.id for choice, _ in placed_choices}
    sessions = []
    for choice, placed in placed_choices:
        if choice.offer.external and choice.cost:
            bought = _bought(choice, on_offer, model, limits, inputs, in_plan)
            placed = [s.model_copy(update={"reason": f"{s.reason} {bought}"}) for s in placed]
        sessions += placed
    return sessions, refused


def _next(queue: list[Choice], limits: Limits) -> Choice | None:
    """The next of the exact model's choices that still fits the slots left."""
    while queue:
        choice = queue.pop(0)
        if choice.offer.parts <= limits.slots:
            return choice
    return None


def _reason(choice: Choice, lines: Mapping[NeedType, Priority]) -> str:
    """Why the session is in the plan: the need it serves most, in counts as the exports
    band them (the reason travels into session plans and calendars), the other needs it
    covers, and for how many."""
    module = choice.offer.module
    served = [lines[n] for n in module.needs if n in lines]
    top = max(served, key=lambda line: line.score) if served else None
    said = f"{top.reason(in_words(top.pupils, top.tier_counts))}. " if top else ""
    also = [line.need.value for line in served if top is not None and line is not top]
    if also:
        said += f"It covers {listed(also)} too. "
    return said + f"This session is for {len(choice.audience)} of the staff."


def _bought(
    choice: Choice,
    on_offer: list[Offer],
    model: GainModel,
    limits: Limits,
    inputs: PlanInputs,
    in_plan: set[int],
) -> str:
    """What the money buys, and against what: the best module the school could lead itself
    that the plan does not run, as the plan leaves the staff (so the comparison is with
    what the money did not displace, never with a module the plan runs as well)."""
    slots = counted(choice.offer.parts, "slot")
    said = (
        f"Bought in: £{choice.cost:,.0f} for {len(choice.audience)} places; in its {slots} "
        f"it closes {choice.gain:.1f} of the gap"
    )
    others = [o for o in on_offer if o.id not in in_plan]
    home = best_in_house(
        others, model, replace(limits, slots=choice.offer.parts), inputs.staff, set()
    )
    if home is None:
        return said + ", and nothing more the school can lead itself would close any."
    could = home.value * choice.offer.parts
    if choice.gain > could:
        return (
            f"{said}, more than the {could:.1f} of {home.offer.module.code}, the best the "
            "school could still lead itself in as many slots."
        )
    return said + "."


def _coverage(
    inputs: PlanInputs,
    before: list[Priority],
    sessions: list[CpdSession],
    catalogue: list[Module],
    tables: Mapping[int, LevelTable],
) -> dict[NeedType, tuple[float, float]]:
    """Each need's coverage once what is already planned is done (so another term's
    sessions are not shown as this plan's), and once this plan is done too."""

    def coverage(planned: list[CpdSession]) -> dict[NeedType, float]:
        facts = [upgraded(fact, planned, catalogue) for fact in inputs.facts]
        result = compute_priorities(
            inputs.groups, facts, modules=catalogue, levels=tables, staff_views=False
        )
        return {line.need: line.coverage for line in result.priorities}

    now = coverage(list(inputs.to_come))
    later = coverage([*inputs.to_come, *sessions])
    return {line.need: (now[line.need], later.get(line.need, now[line.need])) for line in before}


def unused_words(unused: list[UnusedSlot]) -> list[str]:
    """Free slots left empty, grouped by reason: '3 free slots left empty (13/01, 20/01,
    27/01): ...'."""
    by_reason: dict[str, list[str]] = {}
    for slot in unused:
        by_reason.setdefault(slot.reason, []).append(f"{slot.begins:%d/%m}")
    return [
        f"{counted(len(days), 'free slot')} left empty ({', '.join(days)}): {why}"
        for why, days in by_reason.items()
    ]


__all__ = [
    "PREP_FACTOR",
    "PlanInputs",
    "SuggestedPlan",
    "UnusedSlot",
    "suggest_plan",
    "unused_words",
]
