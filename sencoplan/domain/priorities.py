"""Which training do the children on roll need that the staff around them lack?

The rule, for each need type (docs/how-it-works.md), so that a SENCO can
check it by hand:

* Each pupil with the need brings a **weight**: 1 for targeted, 2 for targeted plus, 3 for
  specialist (EHCP); half that when it is their secondary need. Pupils joining later (a
  future admission date) count the same: planning is proactive.
* Each adult who teaches or supports that pupil (from supports; every member of teaching and
  support staff when the pupil has none recorded, teachers as class teachers and the others
  as in-class support) is **covered** for that pupil by `credit x confidence`:
  - credit 1 when they hold valid, unexpired training in the need at the level their
    relationship to the pupil and the pupil's tier need (domain/levels: the school's table),
    0.5 when they hold it only at a lower level, 0 when they hold none; a module for every
    need type is general practice and counts at universal level at most;
  - confidence factor 0.5 + 0.125 x (rating - 1) from their latest survey rating for the
    need (1 gives 0.5, 5 gives 1.0), 0.75 when they have not rated it.
* A pupil's **cover** is the average over their adults. The need's **gap** is the sum over
  its pupils of `weight x (1 - cover)`; its **demand** is the sum of the weights, and its
  **coverage** is `1 - gap / demand`.
* The **score** is `gap x (1 + development plan weight)`, the weight set for the need plus the
  weight set for its broad area (0 unless the school sets one). Highest score first.

So more pupils never lower a need's score, more valid training never raises it, and an
expired record counts as none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sencoplan.domain.codes import REGISTER_TIERS, BroadArea, NeedType, Tier
from sencoplan.domain.disclosure import Showing, withheld_across
from sencoplan.domain.levels import DEFAULT_TABLE, LevelTable, assumed_relationship
from sencoplan.domain.models import Module
from sencoplan.domain.scoring import (
    CLOSENESS,
    confidence_factor,
    pupil_weight,
    training_credit,
)
from sencoplan.domain.staff_codes import ModuleLevel, Role, SupportKind


@dataclass(frozen=True)
class NeedGroup:
    """Pupils who share a need, tier, role of the need, joining status and adults.

    `adults` empty means none are recorded: every member of teaching and support staff
    in the school counts (`assumed_relationship`). An adult recorded is the pupils' class
    teacher unless also in `one_to_one`, `key_adults` or `class_support` (the closest
    counts). Grouping identical pupils keeps the engine fast on a large roll.
    """

    school_id: int
    need: NeedType
    tier: Tier
    primary: bool = True
    incoming: bool = False
    adults: frozenset[int] = frozenset()
    one_to_one: frozenset[int] = frozenset()
    count: int = 1
    starts: dt.date | None = None
    key_adults: frozenset[int] = frozenset()
    class_support: frozenset[int] = frozenset()

    def relationship(self, adult: int) -> SupportKind:
        """What a recorded adult is to these pupils: the closest of their links."""
        if adult in self.one_to_one:
            return SupportKind.ONE_TO_ONE
        if adult in self.key_adults:
            return SupportKind.KEY_ADULT
        if adult in self.class_support:
            return SupportKind.CLASS_SUPPORT
        return SupportKind.CLASS_TEACHER

    provided: frozenset[tuple[int, SupportKind]] = frozenset()
    """Adults who deliver these pupils a provision (the provision map), with what the
    provision makes them: one to one, key adult, in-class support."""

    def adults_with(
        self, known: Mapping[int, object], everyone: Mapping[int, list[tuple[int, SupportKind]]]
    ) -> list[tuple[int, SupportKind]]:
        """(adult, relationship) for every adult these pupils have: those recorded (and in
        post), else every member of teaching and support staff in their school; and those
        who deliver them a provision, at the closer of the two where both."""
        recorded = [(a, self.relationship(a)) for a in self.adults if a in known]
        adults = dict(recorded or everyone.get(self.school_id, []))
        for adult, kind in self.provided:
            if adult in known and (
                adult not in adults or CLOSENESS[kind] > CLOSENESS[adults[adult]]
            ):
                adults[adult] = kind
        return list(adults.items())


@dataclass(frozen=True)
class StaffFacts:
    """What the engine needs to know about one adult."""

    id: int
    school_id: int
    name: str
    role: Role
    levels: Mapping[NeedType, ModuleLevel] = field(default_factory=dict)
    """The highest level of valid training held in each need."""
    confidence: Mapping[NeedType, int] = field(default_factory=dict)
    """The latest survey rating for each need."""

    def cover(self, need: NeedType, required: ModuleLevel) -> float:
        credit = training_credit(self.levels.get(need), required)
        return credit * confidence_factor(self.confidence.get(need))

    def trained_for(self, need: NeedType, required: ModuleLevel) -> bool:
        return training_credit(self.levels.get(need), required) >= 1.0


def general_level(module: Module) -> ModuleLevel:
    """The level a module counts at for each need it covers.

    A module for every need type (adaptive teaching, EHCP reviews, leading CPD) is general
    practice, not training in any one need: it counts at universal level at most.
    """
    if len(set(module.needs)) == len(NeedType):
        return ModuleLevel.UNIVERSAL
    return module.level


def best_levels(
    records: Iterable[tuple[int, int, dt.date]], modules: Mapping[int, Module], on: dt.date
) -> dict[int, dict[NeedType, ModuleLevel]]:
    """staff id -> need -> the highest level of training valid on that date.

    `records` are (staff id, module id, completed). An expired record counts as none.
    """
    from sencoplan.domain.training import valid_on

    levels: dict[int, dict[NeedType, ModuleLevel]] = defaultdict(dict)
    counts = {
        module_id: (module.needs, general_level(module), module.refresh_months)
        for module_id, module in modules.items()
    }
    valid: dict[tuple[dt.date, int | None], bool] = {}  # training days repeat (INSET days)
    for staff_id, module_id, completed in records:
        known = counts.get(module_id)
        if known is None:
            continue
        needs, level, refresh = known
        key = (completed, refresh)
        ok = valid.get(key)
        if ok is None:
            ok = valid[key] = valid_on(completed, refresh, on)
        if not ok:
            continue
        held = levels[staff_id]
        for need in needs:
            before = held.get(need)
            if before is None or before.rank < level.rank:
                held[need] = level
    return dict(levels)


@dataclass
class Priority:
    """One need's line in the ranked list, with everything its reason is built from."""

    need: NeedType
    pupils: int = 0
    pupils_by_tier: dict[Tier, int] = field(default_factory=dict)
    secondary: int = 0
    incoming: int = 0
    incoming_from: dt.date | None = None
    demand: float = 0.0
    gap: float = 0.0
    weight: float = 0.0
    staff_relevant: int = 0
    staff_trained: int = 0
    """Adults who meet the level needed for every pupil with the need they work with."""
    staff_some: int = 0
    """Adults who meet it for some of those pupils (those needing less), not all."""
    staff_below: int = 0
    """Adults who hold valid training in the need, below the level any of them needs."""
    one_to_one_untrained: int = 0
    assumed: int = 0
    """Pupils with the need for whom no supports are recorded: every teacher counts as
    their class teacher and all support staff as in-class support (`assumed_relationship`)."""
    confidence: float | None = None
    ratings: int = 0
    """How many confidence ratings the average is of (so schools' lines can be merged)."""
    school_ids: list[int] = field(default_factory=list)
    rank: int = 0

    @property
    def area(self) -> BroadArea:
        return self.need.area

    @property
    def staff_partly_trained(self) -> int:
        """Adults with valid training in the need who fall short for some of the pupils."""
        return self.staff_some + self.staff_below

    @property
    def staff_none(self) -> int:
        """Adults who work with pupils with the need and hold no valid training in it."""
        return self.staff_relevant - self.staff_trained - self.staff_some - self.staff_below

    @property
    def staff_meeting(self) -> dict[str, int]:
        """The adults around the need, by how far their training meets what their role
        with the pupils needs: all the pupils, some, below every one, no training."""
        return {
            "all": self.staff_trained,
            "some": self.staff_some,
            "below": self.staff_below,
            "none": self.staff_none,
        }

    @property
    def ehcp(self) -> int:
        return self.pupils_by_tier.get(Tier.SPECIALIST, 0)

    @property
    def tier_counts(self) -> list[int]:
        """Pupils by register tier (targeted, targeted plus, specialist): the parts the
        line's `pupils` is the sum of, as reports show them (see domain/disclosure)."""
        return [self.pupils_by_tier.get(tier, 0) for tier in REGISTER_TIERS]

    @property
    def coverage(self) -> float:
        return 1.0 - self.gap / self.demand if self.demand else 1.0

    @property
    def score(self) -> float:
        return self.gap * (1.0 + self.weight)

    def reason(self, count: Callable[[int], str] = str) -> str:
        """A SENCO's sentence, from counts: `count` may band small numbers for reports."""
        pupils = count(self.pupils)
        parts = [f"{self.need.value}: {pupils} pupil{'s' * (pupils != '1')}"]
        if self.ehcp:
            ehcp = count(self.ehcp)
            parts.append(f"{ehcp} with {'an EHCP' if ehcp == '1' else 'EHCPs'}")
        if self.incoming:
            when = f" in {self.incoming_from:%B}" if self.incoming_from else ""
            parts.append(f"{count(self.incoming)} joining{when}")
        sentence = ", ".join(parts) + "; " + self.staff_sentence()
        if self.one_to_one_untrained:
            adults = "adult" if self.one_to_one_untrained == 1 else "adults"
            sentence += f"; {self.one_to_one_untrained} one-to-one {adults} below the level needed"
        if self.confidence is not None and self.confidence < 3:
            sentence += f"; confidence low ({self.confidence:.1f} of 5)"
        elif self.confidence is not None and self.confidence >= 4:
            sentence += f"; confidence good ({self.confidence:.1f} of 5)"
        if self.weight:
            sentence += f"; development plan priority (+{self.weight:.0%})"
        return sentence

    def staff_sentence(self) -> str:
        """What the adults around the need hold, against what their role with the pupils
        needs: the good news first, then each shortfall."""
        relevant, met = self.staff_relevant, self.staff_trained
        if relevant == 0:
            return "no staff in post work with them"
        if met == relevant:
            return (
                "the one adult who works with them has the training their role needs"
                if relevant == 1
                else f"{'both' if relevant == 2 else f'all {relevant}'} staff who work with them "
                "have the training their role needs"
            )
        said = f"{met} of {relevant} staff who work with them {'has' if met == 1 else 'have'}"
        said += " the training their role needs"
        shortfalls = []
        if self.staff_some:
            shortfalls.append(f"{self.staff_some} for some of them")
        if self.staff_below:
            shortfalls.append(f"{self.staff_below} {_hold(self.staff_below)} it at a lower level")
        if self.staff_none:
            shortfalls.append(f"{self.staff_none} {_hold(self.staff_none)} none")
        return ", ".join([said, *shortfalls])


def _hold(count: int) -> str:
    return "holds" if count == 1 else "hold"


@dataclass(frozen=True)
class StaffGap:
    """A need among the pupils someone works with, that their training does not meet."""

    staff: StaffFacts
    need: NeedType
    required: ModuleLevel
    held: ModuleLevel | None
    pupils: int
    modules: tuple[Module, ...]


@dataclass
class _Exposure:
    """The pupils with one need that one adult works with, and the lowest and highest
    levels those pupils need from them."""

    lowest: ModuleLevel
    highest: ModuleLevel
    pupils: int = 0
    at_highest: int = 0
    """How many of those pupils need the highest level from them."""

    def meet(self, level: ModuleLevel, count: int) -> None:
        if level.rank < self.lowest.rank:
            self.lowest = level
        if level.rank > self.highest.rank:
            self.highest, self.at_highest = level, count
        elif level is self.highest:
            self.at_highest += count


@dataclass(frozen=True)
class StaffAtNeed:
    """One adult who works with pupils with a need: how many, and whether trained for them."""

    staff: StaffFacts
    pupils: int
    required: ModuleLevel
    """The highest level the pupils with the need that they work with need from them."""
    trained: bool
    level: ModuleLevel | None
    needing: int = 0
    """How many of their pupils with the need need `required` from them."""


@dataclass
class PriorityResult:
    priorities: list[Priority]
    staff_gaps: list[StaffGap]
    staff_by_need: dict[NeedType, list[StaffAtNeed]] = field(default_factory=dict)
    exact_needs: frozenset[NeedType] | None = None
    """For a result summed over schools (the whole file): the needs that every school with
    them shows exactly in its own export (`exact_in_every_school`). None for one school's
    result, whose rows are shown by the row rule alone."""
    moved: frozenset[NeedType] = frozenset()
    """Needs with a pupil on two schools' rolls, counted once here but in both schools'
    own reports: published, the difference would say how many move between them."""
    published: bool = False
    """For a document that leaves the trust (--publish): a need summed over schools shows
    its counts only where no school's own export hides one (`withheld`). Within the trust
    (its inclusion lead, its board) the trust's figures are its own: exact, with counts
    under 5 banded as in any report."""
    unassessed: Priority | None = None
    """Pupils whose need has had no specialist assessment (NSA): not ranked, since no
    training answers 'not yet known'; said once (`unassessed_note`) instead."""

    def __post_init__(self) -> None:
        """NSA leaves the ranking (and the staff views) wherever a result is made."""
        if not any(line.need is NeedType.NSA for line in self.priorities):
            return
        self.unassessed = next(line for line in self.priorities if line.need is NeedType.NSA)
        self.priorities = [line for line in self.priorities if line.need is not NeedType.NSA]
        for rank, line in enumerate(self.priorities, start=1):
            line.rank = rank
        self.staff_gaps = [gap for gap in self.staff_gaps if gap.need is not NeedType.NSA]
        self.staff_by_need.pop(NeedType.NSA, None)

    def cells_only(self, line: Priority) -> bool:
        """A trust's own figure (not for publishing), over a file of several schools: every
        need exact, but counts under 5 banded (domain/disclosure). A file of one school
        reads as that school's own report."""
        if self.published or self.exact_needs is None:
            return False
        return len({school for each in self.priorities for school in each.school_ids}) > 1

    def showing(self, line: Priority) -> Showing:
        """How reports show a line's counts: withheld (published, across schools), the
        trust's own (cells only), or by the row rule."""
        return {"withheld": self.withheld(line), "cells_only": self.cells_only(line)}

    @property
    def across_schools(self) -> bool:
        """Summed over several schools, and for publishing: cross-school suppression on."""
        return self.published and self.exact_needs is not None

    def withheld(self, line: Priority) -> bool:
        """Whether a published report shows none of this line's pupil counts, nor what is
        worked out from them (its score, its coverage): a need summed over schools that is
        not exact in every one of them (domain/disclosure.withheld_across)."""
        if not self.published or self.exact_needs is None:
            return False
        if line.need in self.moved:
            return True
        return withheld_across(len(line.school_ids), line.need in self.exact_needs)

    def areas(self) -> list[tuple[BroadArea, float, float, float]]:
        """(area, demand, gap, score) summed over its needs, highest score first."""
        totals: dict[BroadArea, tuple[float, float, float]] = {}
        for line in self.priorities:
            demand, gap, score = totals.get(line.area, (0.0, 0.0, 0.0))
            totals[line.area] = (demand + line.demand, gap + line.gap, score + line.score)
        rows = [(area, *values) for area, values in totals.items()]
        return sorted(rows, key=lambda row: (-row[3], row[0].value))


def compute_priorities(
    groups: Iterable[NeedGroup],
    staff: Iterable[StaffFacts],
    *,
    weights: Mapping[str, float] | None = None,
    modules: Iterable[Module] = (),
    staff_views: bool = True,
    levels: Mapping[int, LevelTable] | None = None,
) -> PriorityResult:
    """Rank the needs on roll by the training gap around the pupils who have them.

    `levels` holds each school's table of levels needed (the default where absent);
    `staff_views` adds each need's staff and each person's gaps; the ranking alone is
    quicker.
    """
    tally = _Tally({member.id: member for member in staff}, levels or {})
    for group in groups:
        if group.count > 0 and group.tier.has_sen:
            tally.add(group)
    lines = tally.lines()
    ranked = weigh_and_rank(lines, weights or {})
    if not staff_views:
        return PriorityResult(ranked, [])
    return PriorityResult(
        ranked, _staff_gaps(tally.people, tally.exposure, list(modules)), tally.by_need()
    )


class _Tally:
    """The engine's running sums, group by group, then each need's line from them."""

    def __init__(self, people: dict[int, StaffFacts], levels: Mapping[int, LevelTable]):
        self.people = people
        self.levels = levels
        self.everyone: dict[int, list[tuple[int, SupportKind]]] = defaultdict(list)
        for member in people.values():
            if member.role.supports_pupils:
                self.everyone[member.school_id].append(
                    (member.id, assumed_relationship(member.role))
                )
        self.found: dict[NeedType, Priority] = {}
        self.exposure: dict[tuple[int, NeedType], _Exposure] = {}
        self.one_to_one: dict[NeedType, set[int]] = defaultdict(set)
        self.schools: dict[NeedType, set[int]] = defaultdict(set)
        # Each group's share of the gap, summed with fsum (correctly rounded, so the same in
        # any order): plain += in row order could differ in the last bit and reorder ties.
        self.gap_terms: dict[NeedType, list[float]] = defaultdict(list)
        self.cover_of: dict[tuple[int, NeedType, ModuleLevel], float] = {}

    def add(self, group: NeedGroup) -> None:
        need, tier, count = group.need, group.tier, group.count
        line = self.found.get(need)
        if line is None:
            line = self.found[need] = Priority(need)
        line.pupils += count
        line.pupils_by_tier[tier] = line.pupils_by_tier.get(tier, 0) + count
        if not group.primary:
            line.secondary += count
        if group.incoming:
            line.incoming += count
            if group.starts and (line.incoming_from is None or group.starts < line.incoming_from):
                line.incoming_from = group.starts
        self.schools[need].add(group.school_id)

        table = self.levels.get(group.school_id, DEFAULT_TABLE)
        adults = group.adults_with(self.people, self.everyone)
        if not any(adult in self.people for adult in group.adults):
            line.assumed += count
        weight = pupil_weight(tier, group.primary) * count
        covers = []
        for adult, kind in adults:
            required = table.required(kind, tier)
            # Many groups share their adults (a class teacher, a TA): each adult's cover
            # for a need at a level is worked out once.
            key = (adult, need, required)
            cover_here = self.cover_of.get(key)
            if cover_here is None:
                cover_here = self.cover_of[key] = self.people[adult].cover(need, required)
            covers.append(cover_here)
            entry = self.exposure.get((adult, need))
            if entry is None:
                entry = self.exposure[(adult, need)] = _Exposure(required, required, 0, count)
            else:
                entry.meet(required, count)
            entry.pupils += count
        cover = math.fsum(covers) / len(adults) if adults else 0.0
        line.demand += weight
        self.gap_terms[need].append(weight * (1.0 - cover))
        self.one_to_one[need].update(a for a, kind in adults if kind is SupportKind.ONE_TO_ONE)

    def lines(self) -> list[Priority]:
        """Each need's line, with its adults counted by how far their training meets what
        the pupils need from them."""
        faced: dict[NeedType, list[tuple[StaffFacts, _Exposure]]] = defaultdict(list)
        for (adult, need), entry in self.exposure.items():
            faced[need].append((self.people[adult], entry))
        for need, line in self.found.items():
            line.gap = math.fsum(self.gap_terms[need])
            adults = faced[need]
            line.staff_relevant = len(adults)
            for member, entry in adults:
                held = member.levels.get(need)
                if held is None:
                    continue
                if held.rank >= entry.highest.rank:
                    line.staff_trained += 1
                elif held.rank >= entry.lowest.rank:
                    line.staff_some += 1
                else:
                    line.staff_below += 1
            line.one_to_one_untrained = sum(
                1
                for adult in self.one_to_one[need]
                if not self.people[adult].trained_for(need, self.exposure[(adult, need)].highest)
            )
            ratings = [m.confidence[need] for m, _ in adults if need in m.confidence]
            line.confidence = sum(ratings) / len(ratings) if ratings else None
            line.ratings = len(ratings)
            line.school_ids = sorted(self.schools[need])
        return list(self.found.values())

    def by_need(self) -> dict[NeedType, list[StaffAtNeed]]:
        """Each need's adults, those short of the level first, most pupils first."""
        found: dict[NeedType, list[StaffAtNeed]] = defaultdict(list)
        for (staff_id, need), entry in self.exposure.items():
            member = self.people[staff_id]
            found[need].append(
                StaffAtNeed(
                    member,
                    entry.pupils,
                    entry.highest,
                    member.trained_for(need, entry.highest),
                    member.levels.get(need),
                    entry.at_highest,
                )
            )
        for at_need in found.values():
            at_need.sort(key=lambda item: (item.trained, -item.pupils, item.staff.name))
        return dict(found)


def weigh_and_rank(lines: Iterable[Priority], weights: Mapping[str, float]) -> list[Priority]:
    """Add each line's development plan weight (its need's and its area's) and rank them."""
    lines = list(lines)
    for line in lines:
        line.weight = max(0.0, weights.get(line.need.value, 0.0)) + max(
            0.0, weights.get(line.need.area.value, 0.0)
        )
    ranked = sorted(lines, key=lambda line: (-line.score, line.need.value))
    for rank, line in enumerate(ranked, start=1):
        line.rank = rank
    return ranked


def _staff_gaps(
    people: Mapping[int, StaffFacts],
    exposure: Mapping[tuple[int, NeedType], _Exposure],
    catalogue: list[Module],
) -> list[StaffGap]:
    gaps: list[StaffGap] = []
    closing: dict[tuple[NeedType, ModuleLevel, Role], tuple[Module, ...]] = {}
    for (staff_id, need), entry in sorted(
        exposure.items(), key=lambda item: (people[item[0][0]].name, item[0][1].value)
    ):
        member, required, pupils = people[staff_id], entry.highest, entry.pupils
        if member.trained_for(need, required):
            continue
        key = (need, required, member.role)
        fitting = closing.get(key)
        if fitting is None:  # the same few answers for thousands of staff: work each out once
            fitting = closing[key] = tuple(
                module
                for module in catalogue
                if need in module.needs
                and module.level.rank >= required.rank
                and (not module.audience or member.role in module.audience)
            )
        gaps.append(StaffGap(member, need, required, member.levels.get(need), pupils, fitting))
    return gaps
