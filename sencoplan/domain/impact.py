"""The impact of a term's CPD: did confidence move for those who took a module, beside
those who did not, and did coverage move?

For each module delivered in the term (domain/delivery says who completed it):

* **before**: each attendee's latest confidence rating in each of the module's needs from
  before its first part, averaged over the ratings found;
* **after**: each attendee's first rating in those needs at least `weeks` weeks after its
  last part (a re-survey too soon measures the session, not a change in practice);
* the same two for the staff who did not take it (in post, working with pupils, neither
  attending nor leading it): what changed anyway;
* coverage of its needs at the term's start and now (domain/priorities), and what it cost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sencoplan.domain.codes import NeedType
from sencoplan.domain.delivery import completed_by
from sencoplan.domain.models import ConfidenceRating, Module
from sencoplan.domain.sessions import CpdSession, SessionStatus, external_cost


@dataclass(frozen=True)
class Confidence:
    """An average rating and how many ratings it is of (None: no one rated)."""

    average: float | None
    ratings: int

    def said(self) -> str:
        return "no ratings" if self.average is None else f"{self.average:.1f} ({self.ratings})"


@dataclass(frozen=True)
class ModuleImpact:
    module: Module
    first_day: dt.date
    last_day: dt.date
    attendees: int
    before: Confidence
    after: Confidence
    others_before: Confidence
    others_after: Confidence
    after_from: dt.date
    """The first day a rating counts as 'after' (the last part plus the term's weeks)."""
    spend: float
    coverage: Mapping[NeedType, tuple[float, float]]
    """need -> (coverage at the term's start, coverage now)."""


class Ratings:
    """Everyone's ratings by person and need, oldest first, to look up before and after."""

    def __init__(self, ratings: Iterable[ConfidenceRating]) -> None:
        self._by: dict[tuple[int, NeedType], list[ConfidenceRating]] = defaultdict(list)
        for rating in sorted(ratings, key=lambda r: (r.rated_on, r.id or 0)):
            self._by[(rating.staff_id, rating.need)].append(rating)

    def before(self, people: Iterable[int], needs: Sequence[NeedType], day: dt.date) -> Confidence:
        """The latest rating before `day` of each person in each need, averaged."""
        found = [
            earlier[-1].rating
            for person in people
            for need in needs
            if (earlier := [r for r in self._by.get((person, need), []) if r.rated_on < day])
        ]
        return _average(found)

    def after(self, people: Iterable[int], needs: Sequence[NeedType], day: dt.date) -> Confidence:
        """The first rating on or after `day` of each person in each need, averaged."""
        found = [
            later[0].rating
            for person in people
            for need in needs
            if (later := [r for r in self._by.get((person, need), []) if r.rated_on >= day])
        ]
        return _average(found)


def _average(ratings: list[int]) -> Confidence:
    return Confidence(sum(ratings) / len(ratings) if ratings else None, len(ratings))


def term_impact(
    sessions: Sequence[CpdSession],
    modules: Mapping[int, Module],
    ratings: Ratings,
    *,
    colleagues: set[int],
    weeks: int,
    coverage_start: Mapping[NeedType, float],
    coverage_now: Mapping[NeedType, float],
) -> list[ModuleImpact]:
    """One line per module delivered in the term, in the order it was first delivered.

    `colleagues`: the staff in post who work with pupils (the 'others' are those of them
    who neither attended nor led the module).
    """
    found: list[ModuleImpact] = []
    delivered = sorted(
        (s for s in sessions if s.status is SessionStatus.DELIVERED and s.module_id in modules),
        key=lambda s: s.begins,
    )
    for module_id in dict.fromkeys(s.module_id for s in delivered):
        assert module_id is not None
        module = modules[module_id]
        parts = [s for s in delivered if s.module_id == module_id]
        first, last = parts[0].day, parts[-1].day
        attendees = set(completed_by(sessions, module_id))
        took_part = {p for s in parts for p in (*s.attended, *s.facilitators)}
        others = colleagues - took_part - attendees
        after_from = last + dt.timedelta(weeks=weeks)
        needs = list(dict.fromkeys(module.needs))
        found.append(
            ModuleImpact(
                module=module,
                first_day=first,
                last_day=last,
                attendees=len(attendees),
                before=ratings.before(attendees, needs, first),
                after=ratings.after(attendees, needs, after_from),
                others_before=ratings.before(others, needs, first),
                others_after=ratings.after(others, needs, after_from),
                after_from=after_from,
                spend=external_cost(parts, {module_id: module}),
                coverage={
                    need: (coverage_start.get(need, 1.0), coverage_now.get(need, 1.0))
                    for need in needs
                    if need in coverage_start or need in coverage_now
                },
            )
        )
    return found
