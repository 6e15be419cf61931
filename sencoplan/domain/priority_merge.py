"""Several schools' priority lines as one: every figure adds up, so a whole trust (or the
whole country) ranks from each school's kept lines (store/priority_cache)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

from sencoplan.domain.codes import NeedType
from sencoplan.domain.disclosure import shown_exactly
from sencoplan.domain.priorities import Priority, weigh_and_rank


def merge_schools(
    schools: Iterable[Iterable[Priority]], weights: Mapping[str, float] | None = None
) -> list[Priority]:
    """The priorities of several schools together, from each school's own lines.

    Every figure adds up (each adult belongs to one school, so staff counts add too; the
    confidence average is weighted by its ratings); the weights given are applied after.
    """
    merged: dict[NeedType, Priority] = {}
    demand: dict[NeedType, list[float]] = defaultdict(list)
    gap: dict[NeedType, list[float]] = defaultdict(list)
    rating_sum: dict[NeedType, float] = defaultdict(float)
    for lines in schools:
        for line in lines:
            need = line.need
            into = merged.get(need)
            if into is None:
                into = merged[need] = Priority(need)
            into.pupils += line.pupils
            for tier, count in line.pupils_by_tier.items():
                into.pupils_by_tier[tier] = into.pupils_by_tier.get(tier, 0) + count
            into.secondary += line.secondary
            into.incoming += line.incoming
            if line.incoming_from and (
                into.incoming_from is None or line.incoming_from < into.incoming_from
            ):
                into.incoming_from = line.incoming_from
            demand[need].append(line.demand)
            gap[need].append(line.gap)
            into.staff_relevant += line.staff_relevant
            into.staff_trained += line.staff_trained
            into.staff_some += line.staff_some
            into.staff_below += line.staff_below
            into.one_to_one_untrained += line.one_to_one_untrained
            into.assumed += line.assumed
            if line.confidence is not None and line.ratings:
                rating_sum[need] += line.confidence * line.ratings
                into.ratings += line.ratings
            into.school_ids.extend(line.school_ids)
    for need, line in merged.items():
        line.demand = math.fsum(demand[need])
        line.gap = math.fsum(gap[need])
        line.confidence = rating_sum[need] / line.ratings if line.ratings else None
        line.school_ids = sorted(set(line.school_ids))
    return weigh_and_rank(merged.values(), weights or {})


def exact_in_every_school(schools: Iterable[Iterable[Priority]]) -> frozenset[NeedType]:
    """The needs that every school with them shows exactly: each count of its own line,
    pupils joining included (domain/disclosure.shown_exactly). Only these needs' sums may
    be shown in a report over several schools (`PriorityResult.withheld`)."""
    seen: set[NeedType] = set()
    hidden: set[NeedType] = set()
    for lines in schools:
        for line in lines:
            need = line.need
            seen.add(need)
            if need not in hidden and not shown_exactly(
                line.pupils, line.tier_counts, (line.incoming,)
            ):
                hidden.add(need)
    return frozenset(seen - hidden)
