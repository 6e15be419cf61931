"""What the planner chooses between: modules on offer, and a module for an audience."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.staff_codes import Provider


@dataclass(frozen=True)
class Offer:
    """A module the term could run: how many slots it takes and what a place costs."""

    module: Module
    parts: int
    leaders: frozenset[int]
    """Staff who can lead it (internal modules); an external one brings its own."""

    @property
    def external(self) -> bool:
        return self.module.provider is Provider.EXTERNAL

    @property
    def cost(self) -> float:
        """What one person's place costs from the CPD budget."""
        return self.module.cost if self.external else 0.0

    @property
    def id(self) -> int:
        return self.module.id or 0


@dataclass(frozen=True)
class Choice:
    """A module for an audience, and the gap it is expected to close."""

    offer: Offer
    audience: tuple[int, ...]
    gain: float

    @property
    def cost(self) -> float:
        return self.offer.cost * len(self.audience)

    @property
    def value(self) -> float:
        """Gap closed per slot: what the greedy plan ranks by."""
        return self.gain / self.offer.parts


@dataclass
class Limits:
    """What the term has left to give as the plan fills: slots, hours, money, room."""

    slots: int
    hours_left: dict[int, float]
    budget: float
    capacity: int | None = None
    spent: float = 0.0
    used: list[Choice] = field(default_factory=list)

    def afford(self, offer: Offer) -> int | None:
        """How many places the budget buys (None: no limit, the module is free)."""
        if not offer.cost:
            return None
        return max(0, math.floor((self.budget - self.spent) / offer.cost + 1e-9))

    def commit(self, choice: Choice) -> None:
        self.slots -= choice.offer.parts
        self.spent += choice.cost
        for person in choice.audience:
            self.hours_left[person] = self.hours_left.get(person, 0.0) - choice.offer.module.hours
        self.used.append(choice)


def offers(
    catalogue: Iterable[Module],
    slot_minutes: int,
    holders: Mapping[int, set[int]],
    staff: Mapping[int, StaffMember],
) -> list[Offer]:
    """The modules a term could run: not general practice (a module for every need closes no
    one need's gap), and internal ones only where someone on the staff can lead them."""
    found = []
    for module in catalogue:
        if module.id is None or len(set(module.needs)) == len(NeedType):
            continue
        parts = max(1, math.ceil(module.hours * 60 / slot_minutes))
        leaders = frozenset(holders.get(module.id, set()) & set(staff))
        found.append(Offer(module, parts, leaders))
    return found


def fits(module: Module, member: StaffMember) -> bool:
    """Whether the module is for this person's role (no audience named: for anyone)."""
    return not module.audience or member.role in module.audience


Gain = Callable[[int, Module], float]
