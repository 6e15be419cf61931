"""The suggested plan: within everyone's limits, and better than the obvious plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sencoplan.cli import main
from sencoplan.domain.codes import NeedType
from sencoplan.domain.planning.explain import how_many_have_the_hours, listed
from sencoplan.domain.priorities import compute_priorities, general_level
from sencoplan.domain.sessions import find_conflicts
from sencoplan.domain.staff_codes import Provider
from sencoplan.io.csv_export import priorities_csv
from sencoplan.store.catalogue import list_modules
from sencoplan.store.db import open_database
from sencoplan.store.planning import suggest_for_term
from sencoplan.store.priorities import load_priorities, need_groups, staff_facts
from sencoplan.store.sessions import list_sessions
from sencoplan.store.staff import list_staff
from sencoplan.store.terms import find_term

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize("school_id", [1, 2])
def test_the_suggestion_keeps_within_every_limit(demo: Path, school_id: int) -> None:
    db = open_database(demo)
    term = find_term(db, school_id, "Spring 2027")
    assert term is not None
    plan = suggest_for_term(db, term, TODAY)
    staff = {m.id: m for m in list_staff(db, school_id) if m.id is not None}
    modules = {m.id: m for m in list_modules(db) if m.id is not None}
    assert plan.sessions, "the sample school has gaps and free slots"
    slots = set(term.slots())
    assert all(s.begins in slots for s in plan.sessions)
    conflicts = find_conflicts(term, plan.sessions, staff, modules)
    assert conflicts == []
    for session in plan.sessions:
        assert session.reason and str(len(session.audience)) in session.reason
        module = modules[session.module_id or 0]
        assert len(set(module.needs)) < 13  # never a general-practice module
    needs_after = {n: after for n, (_, after) in plan.coverage.items()}
    assert all(after >= before - 1e-9 for before, after in plan.coverage.values())
    assert any(needs_after[n] > before + 0.05 for n, (before, _) in plan.coverage.items())


def test_it_closes_more_of_the_gap_than_training_everyone_in_the_commonest_need(
    demo: Path,
) -> None:
    db = open_database(demo)
    term = find_term(db, 2, "Spring 2027")
    assert term is not None
    plan = suggest_for_term(db, term, TODAY)
    groups, facts = need_groups(db, TODAY, 2), staff_facts(db, TODAY, 2)
    catalogue = list_modules(db)
    before = compute_priorities(groups, facts, modules=catalogue)
    staff_hours = sum(s.minutes * len(s.audience) for s in plan.sessions) / 60

    # The obvious plan: the need with the most pupils, its internal modules, for as many
    # staff as the same staff-hours allow.
    commonest = max(before.priorities, key=lambda line: line.pupils).need
    module = max(
        (
            m
            for m in catalogue
            if commonest in m.needs and len(m.needs) < 13 and m.provider is Provider.INTERNAL
        ),
        key=lambda m: m.level.rank,
    )
    people = int(staff_hours // module.hours)
    chosen = {f.id for f in facts[:people]}
    naive = [
        replace(f, levels={**f.levels, **{n: general_level(module) for n in module.needs}})
        if f.id in chosen
        else f
        for f in facts
    ]
    naive_gap = sum(p.gap for p in compute_priorities(groups, naive, modules=catalogue).priorities)
    start_gap = sum(p.gap for p in before.priorities)
    planned_gap = start_gap - sum(
        (after - now) * p.demand
        for p in before.priorities
        for need, (now, after) in plan.coverage.items()
        if need is p.need
    )
    assert start_gap - planned_gap > 1.2 * (start_gap - naive_gap)


def test_cli_suggest_json_and_save(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["plan", "suggest", "--db", str(demo), "--school", "oak", "--term", "Spring 2027"]
    args += ["--from", "23/11/2026"]  # the test does not depend on the real date
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    first = out["sessions"][0]
    for key in ("date", "start", "minutes", "module", "needs", "facilitator", "audience", "reason"):
        assert key in first
    assert set(out["coverage"]["SEMH"]) == {"before", "after"}
    db = open_database(demo)
    term = find_term(db, 1, "Spring 2027")
    assert term is not None and term.id is not None
    assert list_sessions(db, term.id) == []
    assert main([*args, "--save"]) == 0
    saved = list_sessions(db, term.id)
    assert len(saved) == len(out["sessions"])
    assert Counter(s.day for s in saved).most_common(1)[0][1] == 1
    capsys.readouterr()
    # With the slots now taken, a new suggestion has nothing left to place.
    assert main([*args, "--format", "json"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert full["sessions"] == []
    # and what it leaves open says so, not that a module is longer than "the 0 free slots"
    assert all("0 free" not in why for why in full["not_placed"])


def test_with_no_free_slot_left_the_plan_says_so(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not that a module is longer than "the 0 free slots" (found in a walkthrough)."""
    args = ["plan", "suggest", "--db", str(demo), "--school", "oak", "--term", "Autumn 2026"]
    assert main([*args, "--from", "16/12/2026", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["sessions"] == [] and plan["not_placed"]
    assert all("0 free" not in why for why in plan["not_placed"])
    assert all("no free CPD slots are left this term" in why for why in plan["not_placed"])


def test_the_plan_says_why_a_top_need_is_left_open(demo: Path) -> None:
    """Riverside's SEMH (third) needs external training, and the autism training for its
    top need spends the budget: the plan says so, and the reason follows the facts."""
    db = open_database(demo)
    term = find_term(db, 2, "Spring 2027")
    assert term is not None
    plan = suggest_for_term(db, term, TODAY)
    assert any(
        session.title.startswith("Attention and shared attention") for session in plan.sessions
    )
    semh = [why for why in plan.not_placed if why.startswith("SEMH hardly moves")]
    assert semh == [
        "SEMH hardly moves: the budget is too small: SEMH-S costs £180 a person and SEMH-T "
        "costs £110 a person, and the budget is spent"
    ]
    richer = term.model_copy(update={"cpd_budget": 50_000})
    money_only = suggest_for_term(db, richer, TODAY)
    semh = [why for why in money_only.not_placed if why.startswith("SEMH hardly moves")]
    assert semh == ["SEMH hardly moves: the free slots or the staff's CPD hours ran out first"]


def test_an_internal_module_no_one_can_lead_is_named(demo: Path) -> None:
    db = open_database(demo)
    term = find_term(db, 2, "Spring 2027")
    assert term is not None
    modules = {m.code: m for m in list_modules(db)}
    internal_semh = modules["SEMH-U"]
    for table in ("training_records", "module_leaders"):
        db.execute(
            f"DELETE FROM {table} WHERE module_id = ? AND staff_id IN "
            "(SELECT id FROM staff WHERE school_id = 2)",
            (internal_semh.id,),
        )
    plan = suggest_for_term(db, term, TODAY)
    db.conn.rollback()
    assert any(
        "SEMH-U" in why and "no one here can lead" in why and "(name or train a leader)" in why
        for why in plan.not_placed
    ), plan.not_placed


def test_reasons_that_travel_into_exports_band_small_counts(demo: Path) -> None:
    """A session's reason goes into its plan and the calendar: no count under 5 in it."""
    db = open_database(demo)
    reasons = []
    for school_id in (1, 2):
        term = find_term(db, school_id, "Spring 2027")
        assert term is not None
        reasons += [s.reason for s in suggest_for_term(db, term, TODAY).sessions]
    assert reasons
    for reason in reasons:
        pupil_counts = re.findall(r"(\d+) (?:pupils?|with an? EHCPs?|with EHCPs|joining)", reason)
        assert all(int(n) == 0 or int(n) >= 5 for n in pupil_counts), reason
    assert any("fewer than 5" in reason for reason in reasons)


@pytest.mark.parametrize(
    "able, audience, says",
    [
        (0, 1, "the one member of staff it is for does not have that many CPD hours"),
        (0, 10, "none of the 10 staff it is for has that many CPD hours"),
        (1, 7, "only 1 of the 7 staff it is for has that many CPD hours"),
        (3, 7, "only 3 of the 7 staff it is for have that many CPD hours"),
    ],
)
def test_who_has_the_hours_reads_as_english(able: int, audience: int, says: str) -> None:
    assert how_many_have_the_hours(able, audience) == says


def test_a_sessions_reason_hides_what_the_priorities_export_hides(demo: Path) -> None:
    """Session plans and calendars carry the priority reason: read beside the priorities
    export, a need's exact total there would give its banded count back."""
    db = open_database(demo)
    term = find_term(db, 1, "Spring 2027")
    assert term is not None
    plan = suggest_for_term(db, term, TODAY)
    exported = {
        row["Need"]: row["Reason"]
        for row in csv.DictReader(io.StringIO(priorities_csv(load_priorities(db, TODAY, 1), {})))
    }
    db.close()
    withheld = [reason for reason in exported.values() if "5 or more pupils" in reason]
    assert withheld, "the sample school has a need whose total is withheld"
    for session in plan.sessions:
        need = session.reason.split(":", 1)[0]
        # The need's reason as exported, then what the session adds ("It covers SLCN too.",
        # "This session is for 10 of the staff.").
        assert session.reason.startswith(exported[need] + ". "), need
        assert "This session is for" in session.reason


def test_a_list_reads_as_a_sentence() -> None:
    assert listed(["AUT-S takes 12 hours"]) == "AUT-S takes 12 hours"
    assert listed(["a", "b", "c"]) == "a, b and c"


def _spring_saved_then(
    demo: Path, capsys: pytest.CaptureFixture[str], name: str, term: str, start: str
) -> tuple[set[tuple[str, str]], dict[str, Any]]:
    """Riverside's Spring plan saved, then another term suggested (JSON): who Spring
    booked on what (module code, name), and the other term's suggestion."""
    import shutil

    path = demo.parent / name
    shutil.copy(demo, path)
    args = ["plan", "suggest", "--db", str(path), "--school", "River"]
    assert main([*args, "--term", "Spring 2027", "--from", "01/01/2027", "--save"]) == 0
    capsys.readouterr()
    assert main([*args, "--term", term, "--from", start, "--format", "json"]) == 0
    other = json.loads(capsys.readouterr().out)
    db = open_database(path)
    spring = find_term(db, 2, "Spring 2027")
    assert spring is not None and spring.id is not None
    modules = {m.id: m.code for m in list_modules(db)}
    names = {m.id: m.name for m in list_staff(db, 2)}
    booked = {
        (modules[s.module_id], names[p])
        for s in list_sessions(db, spring.id)
        if s.module_id in modules
        for p in s.audience
    }
    db.close()
    return booked, other


def test_saving_spring_then_suggesting_summer_books_no_one_twice(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Training planned in an earlier term counts as training to come."""
    booked, summer = _spring_saved_then(demo, capsys, "twice.db", "Summer 2027", "01/04/2027")
    again = {(s["module"], person) for s in summer["sessions"] for person in s["audience"]}
    assert booked and summer["sessions"]
    assert not booked & again
    for slot in summer["unused_slots"]:
        assert slot["reason"]


def test_a_term_planned_out_of_order_books_no_one_twice(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Spring saved first, then Autumn planned from September: a later term's bookings
    count as training to come too (found in a new-user walkthrough)."""
    booked, autumn = _spring_saved_then(
        demo, capsys, "out-of-order.db", "Autumn 2026", "01/09/2026"
    )
    assert booked and autumn["sessions"]
    assert not booked & {(s["module"], p) for s in autumn["sessions"] for p in s["audience"]}


def test_a_rating_made_later_does_not_change_an_earlier_days_figures(demo: Path) -> None:
    """Impact's 'coverage at the term's start' moved when a December survey was imported."""
    import shutil

    path = demo.parent / "later-rating.db"
    shutil.copy(demo, path)
    db = open_database(path)
    start = dt.date(2026, 9, 1)
    before = {line.need: line.coverage for line in load_priorities(db, start, 1).priorities}
    db.execute(
        "INSERT INTO confidence (staff_id, need, rating, rated_on) "
        "SELECT id, 'SEMH', 1, '2026-12-01' FROM staff WHERE school_id = 1"
    )
    db.conn.commit()
    again = {line.need: line.coverage for line in load_priorities(db, start, 1).priorities}
    later = {
        line.need: line.coverage
        for line in load_priorities(db, TODAY + dt.timedelta(days=9), 1).priorities
    }
    db.close()
    assert again == before
    assert later[NeedType.SEMH] != before[NeedType.SEMH]  # the rating counts from its day
