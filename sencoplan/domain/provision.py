"""The provision map: the school's interventions and support, what each pupil receives,
from whom, for how long, at what cost, and with what outcome.

A pupil's cost over a provision is its cost per hour x minutes / 60 x sessions per week x
weeks / group size: the hour of an adult's time shared by the group. Where a provision
gives no cost per hour, the deliverer's role's hourly rate (a school's own table) fills it.
Whoever delivers a provision is one of the pupil's adults for the training priorities, with
the relationship the provision implies (see `relationship`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from sencoplan.domain.codes import NeedType, folded
from sencoplan.domain.models import NonBlank, Record
from sencoplan.domain.staff_codes import SupportKind

HIGH_COST_THRESHOLD = 6000.0
"""The nominal amount a mainstream school meets from its notional SEN budget for a pupil's
additional support (the 'element 2' £6,000): beyond it, top-up funding is asked for."""


class ProvisionKind(StrEnum):
    IN_CLASS = "in_class"
    SMALL_GROUP = "small_group"
    ONE_TO_ONE = "one_to_one"
    EXTERNAL = "external"

    @property
    def label(self) -> str:
        return {
            ProvisionKind.IN_CLASS: "in-class support",
            ProvisionKind.SMALL_GROUP: "small group",
            ProvisionKind.ONE_TO_ONE: "one-to-one",
            ProvisionKind.EXTERNAL: "external specialist",
        }[self]


_KIND_WORDS = {
    "inclass": ProvisionKind.IN_CLASS,
    "inclasssupport": ProvisionKind.IN_CLASS,
    "class": ProvisionKind.IN_CLASS,
    "smallgroup": ProvisionKind.SMALL_GROUP,
    "group": ProvisionKind.SMALL_GROUP,
    "intervention": ProvisionKind.SMALL_GROUP,
    "onetoone": ProvisionKind.ONE_TO_ONE,
    "1to1": ProvisionKind.ONE_TO_ONE,
    "11": ProvisionKind.ONE_TO_ONE,
    "individual": ProvisionKind.ONE_TO_ONE,
    "external": ProvisionKind.EXTERNAL,
    "externalspecialist": ProvisionKind.EXTERNAL,
    "specialist": ProvisionKind.EXTERNAL,
    "outsideagency": ProvisionKind.EXTERNAL,
}


def parse_provision_kind(text: str) -> ProvisionKind:
    found = _KIND_WORDS.get(folded(text))
    if found is None:
        raise ValueError(
            f"unknown kind of provision {text.strip()!r} "
            "(use in-class, small group, one-to-one or external)"
        )
    return found


class Provision(Record):
    """One of the school's interventions or kinds of support, in its catalogue."""

    school_id: int
    name: NonBlank
    kind: ProvisionKind = ProvisionKind.SMALL_GROUP
    needs: tuple[NeedType, ...] = ()


class PupilProvision(Record):
    """One pupil's place in a provision: who delivers it, how much, at what cost, to what
    target, and when it is reviewed."""

    school_id: int
    provision_id: int
    pupil_id: int
    staff_id: int | None = None
    """The member of staff who delivers it (None: an external provider, or not known)."""
    provider: str | None = Field(default=None, max_length=200)
    """Who delivers it when it is not one of the staff (a speech and language therapist)."""
    group_size: int = Field(default=1, ge=1, le=60)
    sessions_per_week: float = Field(default=1.0, gt=0, le=40)
    minutes: int = Field(default=30, gt=0, le=600)
    weeks: int = Field(default=38, ge=1, le=52)
    cost_per_hour: float | None = Field(default=None, ge=0, le=10_000)
    start: dt.date | None = None
    end: dt.date | None = None
    target: str = Field(default="", max_length=1000)
    review_date: dt.date | None = None
    entry_measure: float | None = Field(default=None, ge=-10_000, le=10_000)
    """The measure taken as it starts, where the provision has one (a baseline)."""

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.start and self.end and self.end < self.start:
            raise ValueError("a provision cannot end before it starts")
        return self

    def hours_per_week(self) -> float:
        """The adult's hours a week spent on this pupil's group."""
        return self.sessions_per_week * self.minutes / 60

    def weeks_costed(self) -> int:
        """Its weeks; fewer for a place ended before they were done: the weeks from its
        start to its end (a holiday in between counts as one)."""
        if self.start is None or self.end is None:
            return self.weeks
        return min(self.weeks, math.ceil(((self.end - self.start).days + 1) / 7))

    def cost(self, rate: float | None = None) -> float | None:
        """This pupil's share over the weeks: cost per hour (else `rate`, the deliverer's
        role's) x hours a week x weeks / group size. None when no rate is known."""
        hourly = self.cost_per_hour if self.cost_per_hour is not None else rate
        if hourly is None:
            return None
        return hourly * self.hours_per_week() * self.weeks_costed() / self.group_size

    def last_day(self) -> dt.date | None:
        """Its end; with none given, when its weeks are done from its start, counted as
        school weeks (39 in the 52 of a year, for the holidays). None: open-ended."""
        if self.end is not None or self.start is None:
            return self.end
        return self.start + dt.timedelta(days=school_weeks_in_days(self.weeks) - 1)

    def active(self, on: dt.date) -> bool:
        """Under way on that day (started, or no start given; not past its last day)."""
        last = self.last_day()
        return (self.start is None or self.start <= on) and (last is None or last >= on)


def school_weeks_in_days(weeks: int) -> int:
    """The calendar days that many school weeks take, holidays included: 39 school weeks
    in a year's 52 (store/priorities writes the same rule in SQL)."""
    return (weeks * 52 + 38) // 39 * 7


class ReviewOutcome(StrEnum):
    """Progress against a place's target at its review."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


def parse_outcome(text: str) -> ReviewOutcome:
    key = folded(text)
    for outcome in ReviewOutcome:
        if key in (folded(outcome.value), folded(outcome.label)):
            return outcome
    if key in ("partly", "partial", "partially", "partiallymet"):
        return ReviewOutcome.PARTLY_MET
    raise ValueError(f"unknown outcome {text.strip()!r} (use met, partly met or not met)")


class ProvisionReview(Record):
    """A pupil's place in a provision reviewed: progress against its target (an entry and
    exit measure where there is one), and whether the provision continues. Kept by pupil
    and provision, so a new provisions file (which replaces the places) keeps them."""

    school_id: int
    pupil_id: int
    provision_id: int
    reviewed_on: dt.date
    outcome: ReviewOutcome
    entry_measure: float | None = Field(default=None, ge=-10_000, le=10_000)
    exit_measure: float | None = Field(default=None, ge=-10_000, le=10_000)
    continues: bool = True
    note: str = Field(default="", max_length=1000)

    def progress(self) -> float | None:
        """Exit less entry, where both were measured."""
        if self.entry_measure is None or self.exit_measure is None:
            return None
        return self.exit_measure - self.entry_measure


def reviews_by_place(
    places: Sequence[PupilProvision], reviews: Iterable[ProvisionReview]
) -> dict[int, list[ProvisionReview]]:
    """Each review with the place it is of: the pupil's place in that provision that had
    started by the review (the latest, when a pupil has had it more than once). Keyed by
    `id(place)`, the places given; one pass over each, however many there are."""
    by_pair: dict[tuple[int, int], list[PupilProvision]] = {}
    for place in places:
        by_pair.setdefault((place.pupil_id, place.provision_id), []).append(place)
    found: dict[int, list[ProvisionReview]] = {}
    for review in reviews:
        owners = [
            place
            for place in by_pair.get((review.pupil_id, review.provision_id), [])
            if place.start is None or place.start <= review.reviewed_on
        ]
        if owners:
            owner = max(owners, key=lambda place: place.start or dt.date.min)
            found.setdefault(id(owner), []).append(review)
    return found


def relationship(kind: ProvisionKind, group_size: int) -> SupportKind | None:
    """What the adult who delivers a provision is to the pupil, for the levels table:
    in-class support in class (however many it is for), one to one for a one-to-one or a
    group of one, a key adult for a small group. An external specialist is no one on the
    staff (None)."""
    if kind is ProvisionKind.EXTERNAL:
        return None
    if kind is ProvisionKind.IN_CLASS:
        return SupportKind.CLASS_SUPPORT
    if group_size == 1 or kind is ProvisionKind.ONE_TO_ONE:
        return SupportKind.ONE_TO_ONE
    return SupportKind.KEY_ADULT
