"""How good a plan is: the gap it closes (the sum over needs of demand x (1 - coverage), less
the same after the plan), and the staff hours it takes."""

from __future__ import annotations

import math
from collections.abc import Iterable

from sencoplan.domain.planning.inputs import PlanInputs, upgraded
from sencoplan.domain.priorities import compute_priorities
from sencoplan.domain.sessions import CpdSession


def total_gap(inputs: PlanInputs, sessions: Iterable[CpdSession] = ()) -> float:
    """The school's gap once these sessions (and the training to come) are done."""
    catalogue = [m for m in inputs.modules if m.id is not None]
    planned = [*inputs.to_come, *sessions]
    facts = [upgraded(fact, planned, catalogue) for fact in inputs.facts]
    result = compute_priorities(
        inputs.groups, facts, levels={inputs.term.school_id: inputs.levels}, staff_views=False
    )
    return math.fsum(line.gap for line in result.priorities)


def gap_closed(inputs: PlanInputs, sessions: Iterable[CpdSession]) -> float:
    """How much of the school's gap the sessions close, beyond what is already planned."""
    return total_gap(inputs) - total_gap(inputs, sessions)


def staff_hours(sessions: Iterable[CpdSession]) -> float:
    """The hours of staff time the sessions take (each person, each session)."""
    return math.fsum(s.minutes * len(s.audience) for s in sessions) / 60
