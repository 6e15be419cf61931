"""The provision map worked out: each place's cost, each pupil's yearly total against the
school's high-cost threshold, each provision's pupils, adult hours, staff and cost, and the
school's total against its notional SEN budget; and what works here: per provision, the
pupils reviewed, the share of targets met, the average progress and the cost per pupil."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sencoplan.domain.models import School, StaffMember
from sencoplan.domain.provision import (
    Provision,
    ProvisionReview,
    PupilProvision,
    ReviewOutcome,
    reviews_by_place,
)
from sencoplan.domain.staff_codes import Role


@dataclass
class Outcomes:
    """Each pupil's latest review of a provision, counted."""

    latest: dict[int, ProvisionReview] = field(default_factory=dict)

    def add(self, review: ProvisionReview) -> None:
        kept = self.latest.get(review.pupil_id)
        if kept is None or kept.reviewed_on <= review.reviewed_on:
            self.latest[review.pupil_id] = review

    @property
    def reviewed(self) -> int:
        return len(self.latest)

    def count(self, outcome: ReviewOutcome) -> int:
        return sum(1 for review in self.latest.values() if review.outcome is outcome)

    @property
    def share_met(self) -> float | None:
        """The share of pupils reviewed whose target was met (None: none reviewed)."""
        return self.count(ReviewOutcome.MET) / self.reviewed if self.reviewed else None

    @property
    def progress(self) -> float | None:
        """The average of exit less entry measure, over the pupils measured both times."""
        gains = [g for r in self.latest.values() if (g := r.progress()) is not None]
        return sum(gains) / len(gains) if gains else None

    def said(self) -> str:
        """'3 of 4 met, 1 partly' or 'not reviewed yet'."""
        if not self.reviewed:
            return "not reviewed yet"
        said = f"{self.count(ReviewOutcome.MET)} of {self.reviewed} met"
        if partly := self.count(ReviewOutcome.PARTLY_MET):
            said += f", {partly} partly"
        return said


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
    priced_pupils: set[int] = field(default_factory=set)
    outcomes: Outcomes = field(default_factory=Outcomes)

    @property
    def cost_per_pupil(self) -> float | None:
        """The cost over the pupils whose places are priced (None: none is)."""
        return self.cost / len(self.priced_pupils) if self.priced_pupils else None


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
    reviews: Sequence[ProvisionReview] = (),
    every_place: Sequence[PupilProvision] | None = None,
) -> ProvisionMap:
    """The map of the places given (the caller chooses them: the year's, a term's), with
    the reviews of those places: a review is of the place that had started by then
    (`reviews_by_place`, among `every_place` on file), so last year's place keeps its own."""
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
        line.priced_pupils.add(place.pupil_id)
        pupil_costs[place.pupil_id] = pupil_costs.get(place.pupil_id, 0.0) + cost
    owned = reviews_by_place(places if every_place is None else every_place, reviews)
    for place in places:
        line = lines.get(place.provision_id)
        if line is not None:
            for review in owned.get(id(place), []):
                line.outcomes.add(review)
    shown = sorted(
        (line for line in lines.values() if line.pupils),
        key=lambda line: (-line.cost, line.provision.name.casefold()),
    )
    return ProvisionMap(school, shown, pupil_costs)


def places_between(
    places: Sequence[PupilProvision], first: dt.date, last: dt.date
) -> list[PupilProvision]:
    """The places under way at some point between two days (a term, a school year): a
    place with no end runs until its weeks are done (`PupilProvision.last_day`)."""
    return [
        place
        for place in places
        if (place.start is None or place.start <= last)
        and ((end := place.last_day()) is None or end >= first)
    ]


def school_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The school year around a day: 1 September to 31 August."""
    autumn = today.year if today.month >= 9 else today.year - 1
    return dt.date(autumn, 9, 1), dt.date(autumn + 1, 8, 31)
