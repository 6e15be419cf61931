"""The best plan an exact solver finds: a mixed-integer model of the same choice the greedy
plan makes, solved by HiGHS within a time limit.

Variables: run[o] (how many times module o runs), takes[o, p] (person p takes module o),
reach[p, n, L] (person p ends the term holding level L in need n). Maximise the gap closed,
the sum of reach x the gap each level closes for that person (domain/planning/gains), so
that a person's two modules in one need count once, at the higher level. Within: the free
slots (each run takes its parts), each person's CPD hours, the budget, the room's capacity,
and someone who can lead an internal module not taking it. Who leads which slot and the
SENCO's weekly cap are left to placing, as for the greedy plan.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import StaffMember
from sencoplan.domain.planning.choices import Choice, Limits, Offer, fits
from sencoplan.domain.planning.gains import GainModel
from sencoplan.domain.priorities import general_level
from sencoplan.domain.staff_codes import ModuleLevel

SYMMETRY_MODULES = 40
"""Up to this many modules, alike staff are ordered by a binary number (2**40 is still
read exactly by the solver, whose coefficients stop at 1e15)."""

TIME_LIMIT = 2.0
"""Seconds the solver may take before the greedy plan is used instead."""


@dataclass(frozen=True)
class ExactResult:
    choices: list[Choice]
    optimal: bool
    """Whether the solver proved the plan the best (not cut short by its time limit)."""
    objective: float


_FIRST = threading.Lock()
_quiet_done = False


@contextlib.contextmanager
def _banner_hidden() -> Iterator[None]:
    """HiGHS prints a banner to the process's standard output (from C, so Python cannot
    catch it) the first time a solver is made: it would land in the middle of a JSON
    report or on the app's screen. Standard output is pointed at the null device for that
    first time only."""
    global _quiet_done
    with _FIRST:
        if _quiet_done:
            yield
            return
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                try:
                    yield
                finally:
                    os.dup2(saved, 1)
        finally:
            os.close(saved)
            _quiet_done = True


class _Model:
    """A thin builder over highspy: columns and rows by name, solved once."""

    def __init__(self, time_limit: float) -> None:
        # The solver's bindings are untyped: held as Any, used through this class only.
        self.highspy: Any = importlib.import_module("highspy")
        with _banner_hidden():
            self.h: Any = self.highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("time_limit", time_limit)
        self.h.setOptionValue("mip_rel_gap", 1e-6)
        self.h.setOptionValue("threads", 1)
        self.columns = 0
        self.uppers: list[float] = []

    def upper(self, column: int) -> float:
        return self.uppers[column]

    def column(self, cost: float, upper: float, *, integer: bool) -> int:
        self.h.addCol(cost, 0.0, upper, 0, [], [])
        index = self.columns
        self.columns += 1
        self.uppers.append(upper)
        if integer:
            self.h.changeColIntegrality(index, self.highspy.HighsVarType.kInteger)
        return index

    def at_most(self, terms: list[tuple[int, float]], bound: float) -> None:
        if terms:
            indices = [index for index, _ in terms]
            values = [value for _, value in terms]
            self.h.addRow(-math.inf, bound, len(terms), indices, values)

    def solve(self) -> tuple[list[float], bool, float] | None:
        self.h.changeObjectiveSense(self.highspy.ObjSense.kMaximize)
        self.h.run()
        status = self.h.getModelStatus()
        solution = self.h.getSolution()
        if not solution.value_valid:
            return None
        optimal = status == self.highspy.HighsModelStatus.kOptimal
        return list(solution.col_value), optimal, self.h.getInfo().objective_function_value


def solve_exact(
    on_offer: list[Offer],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
    *,
    time_limit: float = TIME_LIMIT,
) -> ExactResult | None:
    """The best choices under the term's limits, or None when HiGHS is not installed or
    finds no plan in time."""
    try:
        solver = _Model(time_limit)
    except ImportError:
        return None
    usable = [o for o in on_offer if o.external or o.leaders]
    takes, candidates = _take_columns(solver, usable, model, limits, staff)
    runs = _run_columns(solver, usable, candidates, limits)
    _reach_columns(solver, usable, takes, model)
    _limit_rows(solver, usable, takes, runs, limits)
    _break_symmetry(solver, usable, takes, model, limits, staff)
    solved = solver.solve()
    if solved is None:
        return None
    values, optimal, objective = solved
    choices = []
    for offer in usable:
        if values[runs[offer.id]] < 0.5:
            continue
        audience = sorted(p for p in candidates[offer.id] if values[takes[(offer.id, p)]] > 0.5)
        choices += _runs_of(offer, audience, limits.capacity, model)
    return ExactResult(choices, optimal, objective)


def _take_columns(
    solver: _Model,
    usable: list[Offer],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
) -> tuple[dict[tuple[int, int], int], dict[int, list[int]]]:
    """takes[o, p] for each person a module fits, who has the hours and would gain from it."""
    takes: dict[tuple[int, int], int] = {}
    candidates: dict[int, list[int]] = defaultdict(list)
    for offer in usable:
        for person, member in staff.items():
            if not fits(offer.module, member):
                continue
            if limits.hours_left.get(person, 0.0) < offer.module.hours - 1e-9:
                continue
            if model.gain(person, offer.module) <= 1e-12:
                continue
            takes[(offer.id, person)] = solver.column(0.0, 1.0, integer=True)
            candidates[offer.id].append(person)
    return takes, candidates


def _run_columns(
    solver: _Model, usable: list[Offer], candidates: Mapping[int, list[int]], limits: Limits
) -> dict[int, int]:
    """run[o]: how many times the module runs (more than once only when a room capacity
    makes it), each run taking its parts of the free slots."""
    runs = {}
    for offer in usable:
        most = (
            1
            if limits.capacity is None
            else math.ceil(max(1, len(candidates.get(offer.id, []))) / limits.capacity)
        )
        most = min(most, limits.slots // offer.parts)
        runs[offer.id] = solver.column(0.0, float(max(0, most)), integer=True)
    return runs


def _reach_columns(
    solver: _Model, usable: list[Offer], takes: Mapping[tuple[int, int], int], model: GainModel
) -> None:
    """reach[p, n, L] <= the modules p takes that give level L or more in need n; at most
    one level counts for each person and need; its gain is the objective."""
    giving: dict[tuple[int, NeedType, ModuleLevel], list[int]] = defaultdict(list)
    for offer in usable:
        level = general_level(offer.module)
        for need in set(offer.module.needs):
            for (module_id, person), column in takes.items():
                if module_id != offer.id:
                    continue
                for reached in ModuleLevel:
                    if reached.rank <= level.rank:
                        giving[(person, need, reached)].append(column)
    levels_of: dict[tuple[int, NeedType], list[int]] = defaultdict(list)
    for (person, need, reached), columns in giving.items():
        gain = model.need_gain(person, need, reached)
        if gain <= 1e-12:
            continue
        reach = solver.column(gain, 1.0, integer=False)
        levels_of[(person, need)].append(reach)
        solver.at_most([(reach, 1.0), *[(column, -1.0) for column in columns]], 0.0)
    for reaches in levels_of.values():
        solver.at_most([(reach, 1.0) for reach in reaches], 1.0)


def _limit_rows(
    solver: _Model,
    usable: list[Offer],
    takes: Mapping[tuple[int, int], int],
    runs: Mapping[int, int],
    limits: Limits,
) -> None:
    """Slots, hours, budget, the room, and a leader who is not in the audience."""
    solver.at_most([(runs[o.id], float(o.parts)) for o in usable], float(limits.slots))
    by_person: dict[int, list[tuple[int, float]]] = defaultdict(list)
    money: list[tuple[int, float]] = []
    hours = {o.id: o.module.hours for o in usable}
    costs = {o.id: o.cost for o in usable}
    for (module_id, person), column in takes.items():
        by_person[person].append((column, hours[module_id]))
        if costs[module_id]:
            money.append((column, costs[module_id]))
        if limits.capacity is None:
            solver.at_most([(column, 1.0), (runs[module_id], -1.0)], 0.0)
    for person, terms in by_person.items():
        solver.at_most(terms, limits.hours_left.get(person, 0.0))
    solver.at_most(money, max(0.0, limits.budget - limits.spent))
    for offer in usable:
        audience = [column for (m, _), column in takes.items() if m == offer.id]
        if limits.capacity is not None:
            solver.at_most(
                [*[(c, 1.0) for c in audience], (runs[offer.id], -float(limits.capacity))], 0.0
            )
        if not offer.external:
            leading = [takes[(offer.id, p)] for p in offer.leaders if (offer.id, p) in takes]
            if len(leading) == len(offer.leaders):  # every leader could be in the audience
                # runs at all (0/1) >= runs / most; then one leader at least stays out (one
                # leader can lead every run).
                most = max(1.0, solver.upper(runs[offer.id]))
                used = solver.column(0.0, 1.0, integer=True)
                solver.at_most([(runs[offer.id], 1.0), (used, -most)], 0.0)
                solver.at_most([(used, 1.0), *[(c, 1.0) for c in leading]], float(len(leading)))


def _runs_of(
    offer: Offer, audience: list[int], capacity: int | None, model: GainModel
) -> list[Choice]:
    """The chosen audience in runs the room holds, each with the gap it closes."""
    size = capacity or max(1, len(audience))
    return [
        Choice(offer, tuple(group), sum(model.gain(p, offer.module) for p in group))
        for group in (audience[i : i + size] for i in range(0, len(audience), size))
        if group
    ]


def _break_symmetry(
    solver: _Model,
    usable: list[Offer],
    takes: Mapping[tuple[int, int], int],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
) -> None:
    """Staff who are alike in every way the model sees (role, training, confidence, hours,
    the pupils they work with, what they can lead) can swap plans without changing its
    worth; the solver would search every swap. Of two such people, the first takes the
    modules whose numbers, read as a binary number, are at least the second's: any plan
    can be reordered to meet that, so nothing better is cut off."""
    alike: dict[tuple[object, ...], list[int]] = defaultdict(list)
    leads = {person: frozenset(o.id for o in usable if person in o.leaders) for person in staff}
    for person, member in staff.items():
        signature = (
            member.role,
            tuple(sorted((n.value, lv.value) for n, lv in model.levels.get(person, {}).items())),
            tuple(sorted((n.value, r) for n, r in model.confidence.get(person, {}).items())),
            round(limits.hours_left.get(person, 0.0), 6),
            tuple(
                sorted(
                    (e.need.value, e.required.value, round(e.share, 9))
                    for e in model.exposed.get(person, ())
                )
            ),
            leads[person],
        )
        alike[signature].append(person)
    if len(usable) > SYMMETRY_MODULES:
        return  # the order's weights would pass what the solver reads exactly
    weights = {offer.id: float(2**index) for index, offer in enumerate(usable)}
    for people in alike.values():
        for first, second in pairwise(people):
            terms = [
                (column, -weights[module_id])
                for (module_id, person), column in takes.items()
                if person == first
            ] + [
                (column, weights[module_id])
                for (module_id, person), column in takes.items()
                if person == second
            ]
            solver.at_most(terms, 0.0)
