"""The head-count plan, the yardstick a suggested plan is judged against: train the staff
who lack them in the modules of the need with the most pupils, then the next need, within
the same leaders, CPD hours, budget, slots and staff hours."""

from __future__ import annotations

import math

from sencoplan.domain.names import name_sort_key
from sencoplan.domain.planning.choices import Choice, fits, offers
from sencoplan.domain.planning.inputs import PlanInputs, gain_model, term_limits
from sencoplan.domain.priorities import compute_priorities, general_level
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.staff_codes import ModuleLevel


def headcount_plan(inputs: PlanInputs, staff_hours: float | None = None) -> list[CpdSession]:
    """Sessions of the obvious plan, stopping at `staff_hours` of staff time if given."""
    catalogue = [m for m in inputs.modules if m.id is not None]
    lines = compute_priorities(
        inputs.groups,
        inputs.facts,
        levels={inputs.term.school_id: inputs.levels},
        staff_views=False,
    ).priorities
    model = gain_model(inputs, boosted=False)
    limits, placer = term_limits(inputs)
    on_offer = offers(catalogue, inputs.term.slot_minutes, inputs.holders, inputs.staff)
    hours_left = math.inf if staff_hours is None else staff_hours
    sessions: list[CpdSession] = []
    for line in sorted(lines, key=lambda line: (-line.pupils, line.need.value)):
        fitting = sorted(
            (o for o in on_offer if line.need in o.module.needs),
            key=lambda o: (o.module.level.rank, o.module.code),
        )
        for offer in fitting:
            module = offer.module
            if offer.parts > len(placer.free) or (not offer.external and not offer.leaders):
                continue
            level = general_level(module)
            lacking = sorted(
                (
                    person
                    for person, member in inputs.staff.items()
                    if fits(module, member)
                    and limits.hours_left.get(person, 0.0) >= module.hours - 1e-9
                    and _lacks(model.levels.get(person, {}).get(line.need), level)
                ),
                key=lambda person: name_sort_key(inputs.staff[person].name),
            )
            room = [
                limit
                for limit in (
                    limits.capacity,
                    limits.afford(offer),
                    _places(hours_left, module.hours),
                )
                if limit is not None
            ]
            audience = tuple(lacking[: min(room)] if room else lacking)
            if not audience:
                continue
            choice = Choice(offer, audience, 0.0)
            placed = placer.place(choice, f"head-count plan: {line.need.value}")
            if isinstance(placed, str):
                continue
            sessions += placed
            limits.commit(choice)
            hours_left -= module.hours * len(audience)
            for person in audience:
                model.take(person, module)
            if hours_left < 1e-9 or not placer.free:
                return sessions
    return sessions


def _places(hours_left: float, module_hours: float) -> int | None:
    """How many more people the staff hours allow on a module (None: no limit)."""
    if math.isinf(hours_left):
        return None
    return max(0, math.floor(hours_left / module_hours + 1e-9))


def _lacks(held: ModuleLevel | None, level: ModuleLevel) -> bool:
    """Whether someone holding `held` in a need lacks a module at `level` in it."""
    return held is None or held.rank < level.rank
