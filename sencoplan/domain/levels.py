"""The level of training an adult needs for a pupil: by the pupil's tier and by what the
adult is to the pupil.

Training is intentional to role: a TA giving one-to-one support to a pupil with an EHCP
needs specialist training in the pupil's need, the class teacher of the same pupil usually
targeted, and of a pupil on SEN support universal (adaptive teaching). The table is the
school's to adjust; a closer relationship or a higher tier never needs a lower level.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from sencoplan.domain.codes import REGISTER_TIERS, Tier
from sencoplan.domain.staff_codes import ModuleLevel, Role, SupportKind

RELATIONSHIPS = (
    SupportKind.CLASS_TEACHER,
    SupportKind.CLASS_SUPPORT,
    SupportKind.KEY_ADULT,
    SupportKind.ONE_TO_ONE,
)
"""How an adult works with a pupil, from the most distant to the closest."""

_U, _T, _S = ModuleLevel.UNIVERSAL, ModuleLevel.TARGETED, ModuleLevel.SPECIALIST

DEFAULT_LEVELS: Mapping[tuple[SupportKind, Tier], ModuleLevel] = {
    (kind, tier): level
    for kind, row in zip(
        RELATIONSHIPS,
        (
            (_U, _U, _T),  # class teacher: adaptive teaching; targeted for an EHCP
            (_U, _T, _T),  # in-class support
            (_T, _T, _S),  # key adult
            (_T, _S, _S),  # one-to-one
        ),
        strict=True,
    )
    for tier, level in zip(REGISTER_TIERS, row, strict=True)
}
"""Relationship x tier (targeted, targeted plus, specialist) -> the level needed."""


def assumed_relationship(role: Role) -> SupportKind:
    """What an adult is taken to be to every pupil when the school records no supports:
    teachers teach them in class, support staff support them in class."""
    return SupportKind.CLASS_TEACHER if role.teaches else SupportKind.CLASS_SUPPORT


def closest(kinds: set[SupportKind]) -> SupportKind:
    """The closest of the relationships one adult has with one pupil (a class teacher who
    is also the key adult needs what a key adult needs)."""
    return max(kinds, key=RELATIONSHIPS.index)


@dataclass(frozen=True)
class LevelTable:
    """A school's levels needed, by relationship and tier (the default where not set)."""

    changes: Mapping[tuple[SupportKind, Tier], ModuleLevel] = field(default_factory=dict)
    _levels: dict[tuple[SupportKind, Tier], ModuleLevel] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        levels = dict(DEFAULT_LEVELS)
        levels.update(self.changes)
        object.__setattr__(self, "_levels", levels)

    def required(self, kind: SupportKind, tier: Tier) -> ModuleLevel:
        """The level an adult in this relationship needs for a pupil in this tier
        (universal for a pupil without SEN, whoever the adult is)."""
        return self._levels.get((kind, tier), ModuleLevel.UNIVERSAL)

    def cells(self) -> Iterator[tuple[SupportKind, Tier, ModuleLevel]]:
        """Every cell, relationship by relationship, tier by tier."""
        for kind in RELATIONSHIPS:
            for tier in REGISTER_TIERS:
                yield kind, tier, self._levels[(kind, tier)]

    def with_level(self, kind: SupportKind, tier: Tier, level: ModuleLevel) -> LevelTable:
        """The table with one cell changed (kept as a change only where it differs from
        the default, so that a school back on the default holds no rows)."""
        changes = {cell: value for cell, value in self.changes.items() if cell != (kind, tier)}
        if DEFAULT_LEVELS[(kind, tier)] is not level:
            changes[(kind, tier)] = level
        return LevelTable(changes)

    def problems(self) -> list[str]:
        """Where a closer relationship or a higher tier would need a lower level, each said
        both ways round (which of the two cells was meant is the school's to say)."""
        found = []
        for kind in RELATIONSHIPS:
            for lower, higher in pairwise(REGISTER_TIERS):
                low, high = self.required(kind, lower), self.required(kind, higher)
                if high.rank < low.rank:
                    found.append(
                        f"{kind.label}: {lower.label} needs {low.label.lower()} but "
                        f"{higher.label}, a higher tier, only {high.label.lower()}"
                    )
        for tier in REGISTER_TIERS:
            for further, nearer in pairwise(RELATIONSHIPS):
                far, near = self.required(further, tier), self.required(nearer, tier)
                if near.rank < far.rank:
                    found.append(
                        f"{tier.label}: {further.label.lower()} needs {far.label.lower()} but "
                        f"{nearer.label.lower()}, a closer relationship, only {near.label.lower()}"
                    )
        return found


DEFAULT_TABLE = LevelTable()
