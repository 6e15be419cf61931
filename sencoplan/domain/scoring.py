"""The numbers a priority's score is made of: what a pupil weighs by tier, what an
adult's training and confidence give them (docs/how-it-works.md says each with an
example), and how close each relationship is to the pupil."""

from __future__ import annotations

from sencoplan.domain.codes import Tier
from sencoplan.domain.staff_codes import ModuleLevel, SupportKind

TIER_WEIGHT = {Tier.TARGETED: 1.0, Tier.TARGETED_PLUS: 2.0, Tier.SPECIALIST: 3.0}
SECONDARY_FACTOR = 0.5
UNRATED_CONFIDENCE = 0.75
LOWER_LEVEL_CREDIT = 0.5


def pupil_weight(tier: Tier, primary: bool) -> float:
    weight = TIER_WEIGHT.get(tier, 0.0)
    return weight if primary else weight * SECONDARY_FACTOR


def confidence_factor(rating: int | None) -> float:
    if rating is None:
        return UNRATED_CONFIDENCE
    return 0.5 + 0.125 * (min(max(rating, 1), 5) - 1)


def training_credit(held: ModuleLevel | None, required: ModuleLevel) -> float:
    if held is None:
        return 0.0
    return 1.0 if held.rank >= required.rank else LOWER_LEVEL_CREDIT


CLOSENESS = {
    SupportKind.CLASS_TEACHER: 0,
    SupportKind.CLASS_SUPPORT: 1,
    SupportKind.KEY_ADULT: 2,
    SupportKind.ONE_TO_ONE: 3,
}
"""How close each relationship is to the pupil: the closest of an adult's links counts."""
