"""The provision map worked out: each place's cost, each pupil's yearly total against the
school's high-cost threshold, each provision's pupils, adult hours, staff and cost, and the
school's total against its notional SEN budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sencoplan.domain.models import School, StaffMember
from sencoplan.domain.provision import Provision, PupilProvision
from sencoplan.domain.staff_codes import Role


@dataclass
class ProvisionLine:
    """One provision in the map."""

    provision: Provision
    pupils: set[int] = field(default_factory=set)
    adult_hours: float = 0.0
    """The adults' hours a week it takes (a group's hour counted once, not per pupil)."""
    staff: set[str] = field(default_factory=set)
    cost: float = 0.0
    unpriced: int = 0
    """Places with no cost per hour and no rate for the deliverer's role."""


@dataclass
class ProvisionMap:
    school: School
    lines: list[ProvisionLine]
    pupil_costs: dict[int, float]
    """Each pupil's yearly total over the places that are priced."""

    @property
    def total_cost(self) -> float:
        return sum(line.cost for line in self.lines)

    @property
    def unpriced(self) -> int:
        return sum(line.unpriced for line in self.lines)

    def over_threshold(self) -> list[int]:
        """Pupils whose support costs more than the school meets from its notional budget."""
        limit = self.school.high_cost_threshold
        return sorted(pupil for pupil, cost in self.pupil_costs.items() if cost > limit)


def place_cost(
    place: PupilProvision,
    staff: Mapping[int, StaffMember],
    rates: Mapping[Role, float],
) -> float | None:
    """A place's cost: its own cost per hour, else the deliverer's role's rate."""
    member = staff.get(place.staff_id or 0)
    return place.cost(rates.get(member.role) if member else None)


def provision_map(
    school: School,
    provisions: Sequence[Provision],
    places: Sequence[PupilProvision],
    staff: Mapping[int, StaffMember],
    rates: Mapping[Role, float],
) -> ProvisionMap:
    """The map of the places given (the caller chooses them: the year's, a term's)."""
    lines = {p.id: ProvisionLine(p) for p in provisions if p.id is not None}
    pupil_costs: dict[int, float] = {}
    for place in places:
        line = lines.get(place.provision_id)
        if line is None:
            continue
        line.pupils.add(place.pupil_id)
        line.adult_hours += place.hours_per_week() / place.group_size
        member = staff.get(place.staff_id or 0)
        line.staff.add(member.name if member else (place.provider or "not named"))
        cost = place_cost(place, staff, rates)
        if cost is None:
            line.unpriced += 1
            continue
        line.cost += cost
        pupil_costs[place.pupil_id] = pupil_costs.get(place.pupil_id, 0.0) + cost
    shown = sorted(
        (line for line in lines.values() if line.pupils),
        key=lambda line: (-line.cost, line.provision.name.casefold()),
    )
    return ProvisionMap(school, shown, pupil_costs)
