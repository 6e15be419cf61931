"""The suggested plan on small schools built here: no hidden cap, every slot used or said,
training to come counted, money spent where it closes more, never behind the head-count plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sencoplan.domain.calendar import Term
from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.planning import PlanInputs, suggest_plan
from sencoplan.domain.planning.baseline import headcount_plan
from sencoplan.domain.planning.measure import gap_closed, staff_hours
from sencoplan.domain.priorities import NeedGroup, StaffFacts
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.domain.staff_codes import ModuleLevel, Role

ASD, SEMH, SLCN = NeedType.ASD, NeedType.SEMH, NeedType.SLCN
U, T, S = ModuleLevel.UNIVERSAL, ModuleLevel.TARGETED, ModuleLevel.SPECIALIST
TERM = Term(
    id=1,
    school_id=1,
    name="Spring 2027",
    start=dt.date(2027, 1, 4),
    end=dt.date(2027, 3, 26),
    slot_rule="FREQ=WEEKLY;BYDAY=TU",
    slot_start=dt.time(15, 30),
    slot_minutes=60,
    cpd_budget=0,
)
SLOTS = len(TERM.slots())


def module(
    ident: int, code: str, needs: tuple[NeedType, ...], level: ModuleLevel, **more: object
) -> Module:
    return Module.model_validate(
        {
            "id": ident,
            "code": code,
            "title": f"{code} course",
            "needs": needs,
            "level": level,
            **more,
        }
    )


def school(
    people: int,
    *,
    teachers: int | None = None,
    hours: float = 12,
    held: dict[NeedType, ModuleLevel] | None = None,
) -> tuple[dict[int, StaffMember], list[StaffFacts]]:
    """`people` staff (the first `teachers` teachers, the rest TAs), `hours` of CPD each."""
    teachers = people if teachers is None else teachers
    staff = {
        i: StaffMember(
            id=i,
            school_id=1,
            name=f"Staff {i:03}",
            role=Role.TEACHER if i <= teachers else Role.TA,
            cpd_hours=hours,
        )
        for i in range(1, people + 1)
    }
    facts = [StaffFacts(i, 1, m.name, m.role, levels=dict(held or {})) for i, m in staff.items()]
    return staff, facts


def inputs(**values: object) -> PlanInputs:
    values.setdefault("term", TERM)
    values.setdefault("holders", {})
    values.setdefault("from_day", TERM.start)
    return PlanInputs(**values)  # type: ignore[arg-type]


def test_a_universal_module_for_the_top_need_reaches_everyone_who_lacks_it() -> None:
    """93 staff, none with autism training, 40 pupils with autism: one session for all 93
    (the old plan stopped at 30 without saying so)."""
    staff, facts = school(93)
    awareness = module(1, "AUT-U", (ASD,), U, hours=1)
    plan = suggest_plan(
        inputs(
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=40)],
            facts=facts,
            staff=staff,
            modules=[awareness],
            holders={1: {1}},
        )
    )
    first = plan.sessions[0]
    assert first.module_id == 1
    assert len(first.audience) == 92  # everyone but the one who leads it (and holds it)
    assert first.facilitators == (1,)


def test_a_room_capacity_is_the_terms_to_set_and_the_plan_runs_it_again() -> None:
    staff, facts = school(50)
    awareness = module(1, "AUT-U", (ASD,), U, hours=1)
    plan = suggest_plan(
        inputs(
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=40)],
            facts=facts,
            staff=staff,
            modules=[awareness, module(2, "LEAD", (SEMH,), S)],
            holders={1: {1}},
            capacity=20,
        )
    )
    runs = [len(s.audience) for s in plan.sessions if s.module_id == 1]
    assert runs == [20, 20, 9]  # 49 who lack it, 20 at a time


def test_every_free_slot_is_used_or_said_why_not() -> None:
    """11 slots, one 1-hour module that helps: 1 session, 10 slots said to be empty, why."""
    staff, facts = school(10)
    plan = suggest_plan(
        inputs(
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=5)],
            facts=facts,
            staff=staff,
            modules=[
                module(1, "AUT-U", (ASD,), U, hours=1),
                module(2, "AUT-S", (ASD,), S, hours=30),
            ],
            holders={1: {1}},
        )
    )
    assert len(plan.sessions) == 1
    assert len(plan.unused_slots) == SLOTS - 1
    assert {u.begins for u in plan.unused_slots} | {plan.sessions[0].begins} == set(TERM.slots())
    (why,) = {u.reason for u in plan.unused_slots}
    assert "no one here can lead AUT-S (name or train a leader)" in why


def test_training_to_come_counts_so_no_one_is_booked_twice() -> None:
    staff, facts = school(12)
    awareness = module(1, "AUT-U", (ASD,), U, hours=1)
    earlier = CpdSession(
        id=9,
        term_id=0,
        school_id=1,
        day=dt.date(2026, 11, 3),
        start=dt.time(15, 30),
        minutes=60,
        module_id=1,
        audience=tuple(range(2, 8)),
        status=SessionStatus.PLANNED,
    )
    plan = suggest_plan(
        inputs(
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=10)],
            facts=facts,
            staff=staff,
            modules=[awareness],
            holders={1: {1}},
            to_come=[earlier],
        )
    )
    booked = {p for s in plan.sessions for p in s.audience}
    assert booked == set(range(8, 13))  # 2-7 have it to come; 1 leads it


def test_the_budget_buys_a_module_where_it_closes_more_and_says_so() -> None:
    """Twelve TAs work one-to-one with pupils with EHCPs and autism: a specialist course
    from outside closes far more than the awareness session the school can lead."""
    staff, facts = school(12, teachers=0, hours=20)
    ones = frozenset(range(1, 13))
    groups = [
        NeedGroup(1, ASD, Tier.SPECIALIST, adults=frozenset({i}), one_to_one=frozenset({i}))
        for i in ones
    ]
    catalogue = [
        module(1, "AUT-U", (ASD,), U, hours=1),
        module(2, "AUT-S", (ASD,), S, hours=3, provider="external", cost=100, organisation="LA"),
    ]
    term = TERM.model_copy(update={"cpd_budget": 600})
    plan = suggest_plan(
        inputs(
            term=term, groups=groups, facts=facts, staff=staff, modules=catalogue, holders={1: {1}}
        )
    )
    bought = [s for s in plan.sessions if s.module_id == 2]
    assert bought and len(bought[0].audience) == 6  # £600 buys six places
    assert "Bought in: £600 for 6 places" in bought[0].reason
    # Awareness for all came first (most gap per slot); after it, nothing led here helps.
    assert plan.sessions[0].module_id == 1
    assert "and nothing more the school can lead itself would close any" in bought[0].reason


# --- never behind the head-count plan --------------------------------------------------------


CATALOGUE = [
    module(1, "AUT-U", (ASD,), U, hours=1),
    module(2, "AUT-T", (ASD,), T, hours=3),
    module(3, "SEMH-U", (SEMH,), U, hours=1),
    module(4, "SEMH-T", (SEMH,), T, hours=2),
    module(5, "SLCN-T", (SLCN,), T, hours=2, provider="external", cost=50),
]


def small_school(
    counts: list[int], tiers: list[Tier], people: int, hours: float, budget: float
) -> PlanInputs:
    """A school built from a draw: pupils with autism, SEMH and SLCN at drawn tiers, half
    teachers and half TAs with the same CPD hours, the catalogue above, a budget."""
    staff, facts = school(people, teachers=people // 2, hours=hours)
    groups = [
        NeedGroup(1, need, tier, count=count)
        for need, tier, count in zip((ASD, SEMH, SLCN), tiers, counts, strict=True)
        if count
    ]
    return inputs(
        term=TERM.model_copy(update={"cpd_budget": budget}),
        groups=groups,
        facts=facts,
        staff=staff,
        modules=CATALOGUE,
        holders={1: {1}, 2: {1}, 3: {2}, 4: {2}},
    )


SMALL_SCHOOLS = st.builds(
    small_school,
    counts=st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3),
    tiers=st.lists(
        st.sampled_from([Tier.TARGETED, Tier.TARGETED_PLUS, Tier.SPECIALIST]),
        min_size=3,
        max_size=3,
    ),
    people=st.integers(min_value=2, max_value=25),
    hours=st.sampled_from([2.0, 4.0, 8.0]),
    budget=st.sampled_from([0, 200, 1000]),
)


@settings(max_examples=40, deadline=None)
@given(plan_inputs=SMALL_SCHOOLS)
def test_the_plan_closes_at_least_the_gap_of_the_head_count_plan_in_the_same_hours(
    plan_inputs: PlanInputs,
) -> None:
    plan = suggest_plan(plan_inputs)
    used = staff_hours(plan.sessions)
    naive = headcount_plan(plan_inputs, staff_hours=used)
    assert staff_hours(naive) <= used + 1e-9
    assert gap_closed(plan_inputs, plan.sessions) >= gap_closed(plan_inputs, naive) - 1e-9


def test_on_a_school_where_the_commonest_need_is_covered_the_plan_closes_far_more() -> None:
    """SLCN has the most pupils but its staff are trained; autism has fewer pupils and no
    one trained: the head-count plan spends its hours on SLCN, the suggestion on autism."""
    staff, facts = school(20, teachers=10, hours=6, held={SLCN: T})
    plan_inputs = inputs(
        groups=[
            NeedGroup(1, SLCN, Tier.TARGETED, count=40),
            NeedGroup(1, ASD, Tier.TARGETED_PLUS, count=15),
        ],
        facts=facts,
        staff=staff,
        modules=[module(1, "AUT-U", (ASD,), U, hours=1), module(2, "SLCN-S", (SLCN,), S, hours=1)],
        holders={1: {1}, 2: {1}},
    )
    plan = suggest_plan(plan_inputs)
    naive = headcount_plan(plan_inputs, staff_hours=staff_hours(plan.sessions))
    assert gap_closed(plan_inputs, plan.sessions) >= 1.5 * gap_closed(plan_inputs, naive)


# --- the exact model -------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(plan_inputs=SMALL_SCHOOLS)
def test_the_exact_plan_closes_at_least_the_greedy_plans_gap(plan_inputs: PlanInputs) -> None:
    exact = suggest_plan(replace(plan_inputs, time_limit=30))
    greedy = suggest_plan(replace(plan_inputs, time_limit=0))
    assert (exact.method, greedy.method) == ("exact", "greedy")
    assert (
        gap_closed(plan_inputs, exact.sessions) >= gap_closed(plan_inputs, greedy.sessions) - 1e-6
    )


def test_without_the_solver_the_greedy_plan_is_used_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    real = importlib.import_module

    def missing(name: str, *args: object) -> object:
        if name == "highspy":
            raise ImportError("no highspy")
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib, "import_module", missing)
    staff, facts = school(10)
    plan = suggest_plan(
        inputs(
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=5)],
            facts=facts,
            staff=staff,
            modules=[module(1, "AUT-U", (ASD,), U, hours=1)],
            holders={1: {1}},
        )
    )
    assert plan.sessions
    assert plan.method == "greedy"
    assert "the exact model could not run (HiGHS not installed)" in plan.method_note


def test_the_solvers_banner_never_reaches_a_report(tmp_path: Path) -> None:
    """HiGHS prints a banner from C the first time it runs: JSON on standard output must
    stay JSON (a real process, as a script would read it)."""
    import json
    import subprocess
    import sys

    path = tmp_path / "demo.db"
    run = [sys.executable, "-m", "sencoplan"]
    assert (
        subprocess.run(
            [*run, "demo", "--no-tui", "--db", str(path)], capture_output=True
        ).returncode
        == 0
    )
    done = subprocess.run(
        [
            *run,
            "plan",
            "suggest",
            "--school",
            "Oak",
            "--term",
            "Spring 2027",
            "--from",
            "01/01/2027",
            "--format",
            "json",
            "--db",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    plan = json.loads(done.stdout)
    assert plan["method"] == "exact"
    assert "HiGHS" not in done.stderr


def test_people_a_planned_module_leaves_out_are_named_with_why() -> None:
    """One member of staff has no CPD hours left; the budget buys two of three places."""
    staff, facts = school(4, hours=6)
    staff[4] = staff[4].model_copy(update={"cpd_hours": 0.5})
    course = module(
        1, "AUT-T", (ASD,), T, hours=1, provider="external", cost=100, organisation="LA"
    )
    plan = suggest_plan(
        inputs(
            term=TERM.model_copy(update={"cpd_budget": 200}),
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=6)],
            facts=facts,
            staff=staff,
            modules=[course],
        )
    )
    assert [len(s.audience) for s in plan.sessions] == [2]
    assert (
        "AUT-T AUT-T course: 1 more (Staff 004) it would help has too few CPD hours left this "
        "term for its 1 hours"
    ) in plan.not_placed
    assert any(
        "1 more (Staff 00" in why and "the budget is spent; £100 more would buy their places" in why
        for why in plan.not_placed
    )


def test_one_leader_can_lead_every_run_of_a_module_in_the_exact_plan() -> None:
    """With a room capacity and one leader who would gain from it too, the exact model
    allowed one run only (found in review): two slots left, 20 staff, 10 a room."""
    staff, facts = school(21)
    last_two = TERM.slots()[-2].date()
    plan = suggest_plan(
        inputs(
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=30)],
            facts=facts,
            staff=staff,
            modules=[module(1, "AUT-U", (ASD,), U, hours=1)],
            holders={1: {1}},
            capacity=10,
            from_day=last_two,
        )
    )
    assert plan.method == "exact"
    assert [len(s.audience) for s in plan.sessions] == [10, 10]
    assert all(s.facilitators == (1,) for s in plan.sessions)


def test_a_module_only_the_senco_can_lead_goes_to_a_week_they_have_time() -> None:
    """The SENCO's first weeks are full of reviews: the session goes to the first week
    with room, not refused (the placing tried only the earliest slots)."""
    staff, facts = school(6)
    staff[1] = staff[1].model_copy(update={"role": Role.SENCO})
    facts = [replace(f, role=Role.SENCO) if f.id == 1 else f for f in facts]
    slots = TERM.slots()
    full = {s.date() - dt.timedelta(days=s.weekday()): 3.0 for s in slots[:3]}
    plan = suggest_plan(
        inputs(
            term=TERM.model_copy(update={"senco_hours": 4}),
            groups=[NeedGroup(1, ASD, Tier.TARGETED, count=8)],
            facts=facts,
            staff=staff,
            modules=[module(1, "AUT-U", (ASD,), U, hours=1)],
            holders={1: {1}},
            senco_ids=frozenset({1}),
            senco_load=full,
        )
    )
    (session,) = [s for s in plan.sessions if s.module_id == 1]
    assert session.begins == slots[3]  # 3 + 2 (leading and preparing) > 4 before then
    assert session.facilitators == (1,)


def test_money_is_said_to_buy_more_only_against_a_module_the_plan_does_not_run() -> None:
    """Three slots left: the bought course takes all three; the school's own short SEMH
    session, which it does not run, would close less."""
    staff, facts = school(12, teachers=0, hours=20)
    groups = [
        *[
            NeedGroup(1, ASD, Tier.SPECIALIST, adults=frozenset({i}), one_to_one=frozenset({i}))
            for i in range(1, 13)
        ],
        NeedGroup(1, SEMH, Tier.TARGETED, count=2),
    ]
    catalogue = [
        module(1, "SEMH-U", (SEMH,), U, hours=1),
        module(2, "AUT-S", (ASD,), S, hours=3, provider="external", cost=100, organisation="LA"),
    ]
    plan = suggest_plan(
        inputs(
            term=TERM.model_copy(update={"cpd_budget": 2000}),
            groups=groups,
            facts=facts,
            staff=staff,
            modules=catalogue,
            holders={1: {1}},
            from_day=TERM.slots()[-3].date(),
        )
    )
    assert {s.module_id for s in plan.sessions} == {2}
    reason = plan.sessions[0].reason
    assert "Bought in: £1,200 for 12 places; in its 3 slots it closes" in reason
    assert "more than the" in reason and "of SEMH-U, the best the school could still lead" in reason
