"""How good the suggested plan is: against the head-count plan, and against the best plan.

Run: `.venv/bin/python benchmarks/plan_quality.py` (`--seeds N` for more schools per shape).

For schools of several shapes, drawn at random with the sample catalogue, it prints:

- the suggestion (the exact model where it proves its plan the best in 2 s, else the greedy
  plan) against the head-count plan in the same staff hours: the gap each closes, the sum
  over needs of demand x (1 - coverage) before less after (goal: 1.5x or more);
- the greedy plan alone against the best plan the exact model finds with no time limit
  (goal: 95% or more of its gap), on shapes small enough to solve exactly;
- how long the exact model takes on a real-sized school (goal: under 2 s).

A report, not a test: speed and quality goals live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sencoplan.domain.calendar import Term  # noqa: E402
from sencoplan.domain.codes import NeedType, Tier  # noqa: E402
from sencoplan.domain.models import Module, StaffMember  # noqa: E402
from sencoplan.domain.planning import PlanInputs, suggest_plan  # noqa: E402
from sencoplan.domain.planning.baseline import headcount_plan  # noqa: E402
from sencoplan.domain.planning.measure import gap_closed, staff_hours  # noqa: E402
from sencoplan.domain.priorities import NeedGroup, StaffFacts  # noqa: E402
from sencoplan.domain.staff_codes import ModuleLevel, Provider, Role  # noqa: E402
from sencoplan.io.importers import import_file  # noqa: E402
from sencoplan.store.catalogue import list_modules  # noqa: E402
from sencoplan.store.db import open_database  # noqa: E402

TERM = Term(
    id=1,
    school_id=1,
    name="Spring 2027",
    start=dt.date(2027, 1, 4),
    end=dt.date(2027, 3, 26),
    slot_start=dt.time(15, 30),
    slot_minutes=60,
)
# Need shares on the register (DfE, January 2025, roughly): SEN support, then EHCPs.
SUPPORT_NEEDS = {"SLCN": 26, "SEMH": 22, "MLD": 16, "SPLD": 11, "ASD": 10, "OTH": 5, "PD": 3}
EHCP_NEEDS = {"ASD": 33, "SLCN": 21, "SEMH": 16, "MLD": 9, "SLD": 9, "PD": 5, "PMLD": 4, "HI": 3}


@dataclass(frozen=True)
class Shape:
    name: str
    pupils: int
    support_share: float
    ehcp_share: float
    staff: int
    teacher_share: float
    budget: float
    cpd_hours: float
    supports: bool
    trained: float
    """The chance a member of staff holds any one module already."""


SHAPES = [
    Shape("small primary", 180, 0.14, 0.03, 14, 0.55, 500, 8, False, 0.25),
    Shape("primary, supports", 320, 0.15, 0.04, 26, 0.5, 1000, 10, True, 0.3),
    Shape("secondary", 1000, 0.13, 0.04, 90, 0.7, 1500, 10, False, 0.3),
    Shape("secondary, supports", 1000, 0.13, 0.04, 90, 0.7, 3000, 12, True, 0.2),
    Shape("special school", 120, 0.0, 0.95, 60, 0.3, 2000, 15, True, 0.4),
    Shape("no budget, few hours", 400, 0.16, 0.05, 30, 0.5, 0, 4, False, 0.15),
]
SMALL = {"small primary", "primary, supports", "special school", "no budget, few hours"}


def catalogue() -> list[Module]:
    """The sample catalogue, read through the importer as a school would."""
    db = open_database(":memory:")
    import_file(db, "modules", HERE.parent / "sample_data" / "modules.csv", today=TERM.start)
    return list_modules(db)


def _draw(rng: random.Random, shares: dict[str, int]) -> NeedType:
    return NeedType(rng.choices(list(shares), weights=list(shares.values()))[0])


def school(shape: Shape, modules: list[Module], seed: int) -> PlanInputs:
    """One invented school of the shape: roll, staff, training held, who leads what."""
    rng = random.Random(seed)
    teachers = round(shape.staff * shape.teacher_share)
    staff = {
        i: StaffMember(
            id=i,
            school_id=1,
            name=f"Staff {i:03}",
            role=Role.TEACHER if i <= teachers else Role.TA,
            cpd_hours=shape.cpd_hours,
        )
        for i in range(1, shape.staff + 1)
    }
    held: dict[int, dict[NeedType, ModuleLevel]] = {i: {} for i in staff}
    holders: dict[int, set[int]] = {}
    for module in modules:
        for person in staff:
            if rng.random() < shape.trained * (
                0.5 if module.level is ModuleLevel.SPECIALIST else 1
            ):
                for need in module.needs:
                    if need not in held[person] or held[person][need].rank < module.level.rank:
                        held[person][need] = module.level
                if module.provider is Provider.INTERNAL and rng.random() < 0.3:
                    holders.setdefault(module.id or 0, set()).add(person)
    facts = [
        StaffFacts(
            i,
            1,
            m.name,
            m.role,
            levels=held[i],
            confidence={n: rng.randint(1, 5) for n in NeedType if rng.random() < 0.5},
        )
        for i, m in staff.items()
    ]
    groups = []
    tas = [i for i in staff if i > teachers]
    for tier, share, needs in (
        (Tier.TARGETED, shape.support_share * 0.7, SUPPORT_NEEDS),
        (Tier.TARGETED_PLUS, shape.support_share * 0.3, SUPPORT_NEEDS),
        (Tier.SPECIALIST, shape.ehcp_share, EHCP_NEEDS),
    ):
        for _ in range(round(shape.pupils * share)):
            need = _draw(rng, needs)
            if not shape.supports:
                groups.append(NeedGroup(1, need, tier))
                continue
            class_teachers = rng.sample(range(1, teachers + 1), k=min(teachers, 3))
            support = [rng.choice(tas)] if tas and tier is not Tier.TARGETED else []
            one = frozenset(support) if tier is Tier.SPECIALIST else frozenset()
            key = frozenset(support) - one
            groups.append(
                NeedGroup(
                    1,
                    need,
                    tier,
                    adults=frozenset([*class_teachers, *support]),
                    one_to_one=one,
                    key_adults=key,
                )
            )
    return PlanInputs(
        term=TERM.model_copy(update={"cpd_budget": shape.budget}),
        groups=groups,
        facts=facts,
        staff=staff,
        modules=modules,
        holders=holders,
        from_day=TERM.start,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="schools per shape (default 5)")
    args = parser.parse_args(argv)
    modules = catalogue()
    print(f"{'shape':<22}{'vs head-count':>22}{'greedy vs best':>22}{'exact s (max)':>15}")
    for shape in SHAPES:
        against_naive, against_best, seconds = [], [], []
        for seed in range(args.seeds):
            inputs = school(shape, modules, seed)
            started = time.perf_counter()
            plan = suggest_plan(inputs)
            seconds.append(time.perf_counter() - started)
            closed = gap_closed(inputs, plan.sessions)
            naive = gap_closed(inputs, headcount_plan(inputs, staff_hours(plan.sessions)))
            against_naive.append(closed / naive if naive > 1e-9 else float("inf"))
            if shape.name in SMALL:
                greedy = suggest_plan(replace(inputs, time_limit=0))
                best = suggest_plan(replace(inputs, time_limit=60))
                top = gap_closed(inputs, best.sessions)
                mine = gap_closed(inputs, greedy.sessions)
                against_best.append(mine / top if top > 1e-9 else 1.0)
        best_text = (
            f"{min(against_best):.1%} / {statistics.median(against_best):.1%}"
            if against_best
            else "not run"
        )
        naive_text = f"{min(against_naive):.2f}x / {statistics.median(against_naive):.2f}x"
        print(f"{shape.name:<22}{naive_text:>22}{best_text:>22}{max(seconds):>15.2f}")
    print(
        "\nvs head-count: gap closed by the suggestion / gap closed by the head-count plan in "
        "the same staff hours (inf: the head-count plan closes none).\ngreedy vs best: gap "
        "closed by the greedy plan alone / by the exact model's best plan (no time limit)."
    )
    print(f"{args.seeds} schools per shape: the worst / the median")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
