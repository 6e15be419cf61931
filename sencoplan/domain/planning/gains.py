"""How much of the gap each member of staff would close by taking each module.

A need's gap is the sum over its pupils of weight x (1 - cover), a pupil's cover the average
of their adults' (credit x confidence) (domain/priorities). So one adult's training moves
the gap by their share of each pupil (the pupil's weight over how many adults they have)
times the credit it adds at the level their relationship needs, times their confidence:
gains add up over people, and the plan's worth is the sum of its audience's gains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sencoplan.domain.codes import NeedType
from sencoplan.domain.levels import LevelTable, assumed_relationship
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import (
    NeedGroup,
    StaffFacts,
    general_level,
)
from sencoplan.domain.scoring import confidence_factor, pupil_weight, training_credit
from sencoplan.domain.staff_codes import ModuleLevel, SupportKind


@dataclass(frozen=True)
class Exposure:
    """One adult's part in one need's gap: the level the pupils need from them, and the
    gap that falls when their credit for those pupils rises by 1."""

    person: int
    need: NeedType
    required: ModuleLevel
    share: float


def exposures(
    groups: Iterable[NeedGroup], facts: Iterable[StaffFacts], levels: LevelTable
) -> dict[int, list[Exposure]]:
    """person -> their exposures, from the pupils on roll (and joining) and their adults."""
    known = {fact.id: fact for fact in facts}
    everyone: dict[int, list[tuple[int, SupportKind]]] = defaultdict(list)
    for fact in known.values():
        if fact.role.supports_pupils:
            everyone[fact.school_id].append((fact.id, assumed_relationship(fact.role)))
    found: dict[int, list[Exposure]] = defaultdict(list)
    for group in groups:
        if group.count <= 0 or not group.tier.has_sen:
            continue
        adults = group.adults_with(known, everyone)
        if not adults:
            continue
        share = pupil_weight(group.tier, group.primary) * group.count / len(adults)
        for adult, kind in adults:
            required = levels.required(kind, group.tier)
            found[adult].append(Exposure(adult, group.need, required, share))
    return dict(found)


class GainModel:
    """Each person's training as the plan goes on, and what a module would add to it.

    `boost` weighs a need's gap by the school development plan (1 for none), so the plan
    follows the school's priorities; the gap itself is measured with no boost.
    """

    def __init__(
        self,
        facts: Iterable[StaffFacts],
        exposed: Mapping[int, list[Exposure]],
        boost: Mapping[NeedType, float] | None = None,
    ) -> None:
        facts = list(facts)
        self.levels: dict[int, dict[NeedType, ModuleLevel]] = {f.id: dict(f.levels) for f in facts}
        self.confidence = {f.id: f.confidence for f in facts}
        self.exposed = exposed
        self.boost = boost or {}

    def gain(self, person: int, module: Module) -> float:
        """The gap (boosted) that falls if this person completes this module now: what
        reaching its level does in each need it covers."""
        level = general_level(module)
        return sum(self.need_gain(person, need, level) for need in set(module.needs))

    def need_gain(self, person: int, need: NeedType, level: ModuleLevel) -> float:
        """The gap (boosted) that falls if this person reaches `level` in one need."""
        held = self.levels.get(person, {}).get(need)
        if held is not None and held.rank >= level.rank:
            return 0.0
        rating = self.confidence.get(person, {}).get(need)
        factor = confidence_factor(rating) * self.boost.get(need, 1.0)
        return sum(
            (training_credit(level, e.required) - training_credit(held, e.required))
            * factor
            * e.share
            for e in self.exposed.get(person, ())
            if e.need is need
        )

    def take(self, person: int, module: Module) -> None:
        """Record that this person will hold the module (booked, planned or done)."""
        level = general_level(module)
        held = self.levels.setdefault(person, {})
        for need in module.needs:
            if need not in held or held[need].rank < level.rank:
                held[need] = level
