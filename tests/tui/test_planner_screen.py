"""The Planner: take a suggested plan, move a session onto half term, see the conflict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from sencoplan.domain.calendar import Term
from sencoplan.domain.sessions import CpdSession
from sencoplan.store.db import connect, open_database
from sencoplan.store.sessions import save_session
from sencoplan.store.terms import save_term
from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.detail import DetailScreen
from sencoplan.tui.screens.planner import PlannerScreen
from tests.tui.conftest import (
    APP_FOOTER_KEYS,
    TODAY,
    add_spring_term,
    count,
    footer,
    offered,
    outside,
    settle,
    text_of,
    tick,
)


async def test_suggest_take_move_onto_half_term_and_see_the_conflict(small_db: Path) -> None:
    add_spring_term(small_db)
    db = open_database(small_db)
    db.execute("UPDATE pupils SET ehcp_review_due = '2027-01-13' WHERE tier = 'specialist'")
    db.execute("UPDATE pupils SET plan_review_due = '2027-01-12' WHERE tier = 'targeted'")
    db.conn.commit()
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)
        weeks = app.screen.query_one("#planner-weeks", DataTable)
        second_week = [str(cell) for cell in weeks.get_row_at(1)]
        assert second_week[0] == "11/01/2027"
        assert second_week[3] == "EHCP: 1 meeting; 1 ISP review"
        # A third of the EHCP review's 3 h for its meeting (papers and report in other
        # weeks), 1 h for the ISP.
        assert second_week[4] == "2 / 10"
        summary = str(app.screen.query_one("#planner-summary").render())
        assert "11 slots, 0 sessions, budget £1,000" in summary
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        offer = text_of(app.screen.query_one("#detail-text", Static))
        assert offer.startswith("Suggested: ")
        await pilot.press("enter")
        await settle(pilot)
        planned = count(small_db, "SELECT COUNT(*) FROM sessions")
        assert planned > 0
        sessions = app.screen.query_one("#planner-sessions", DataTable)
        assert sessions.row_count == planned
        assert text_of(app.screen.query_one("#planner-conflicts", Static)).strip() == "None."

        sessions.focus()
        sessions.move_cursor(row=0)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-day", Input).value = "16/02/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        conflicts = text_of(app.screen.query_one("#planner-conflicts", Static))
        assert "Tue 16/02/2027 falls in Half term: the school is closed to CPD" in conflicts
        assert count(small_db, "SELECT COUNT(*) FROM sessions WHERE day = '2027-02-16'") == 1

        await pilot.press("c")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM sessions WHERE status = 'cancelled'") == 1
        # The part cancelled leaves the module short: said, not fixed.
        conflicts = text_of(app.screen.query_one("#planner-conflicts", Static))
        assert "Half term" not in conflicts
        assert (
            "SLCN2 Language for learning takes 6 h, but its sessions this term add up to 5 h"
            in conflicts
        )


async def test_a_school_with_no_terms_is_told_how_to_add_one(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        summary = str(small_app.screen.query_one("#planner-summary").render())
        assert "No terms yet: press t to set up this term, n for the usual school year" in summary
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(small_app.screen, PlannerScreen)
        # t sets up the one term around today, from the usual dates, to edit.
        await pilot.press("t")
        await settle(pilot)
        form = small_app.screen
        assert form.query_one("#field-name", Input).value == "Autumn 2026"
        assert form.query_one("#field-start", Input).value == "01/09/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # No SENCO hours set yet: said so, and the weeks give hours, not 'of 0'.
        summary = str(small_app.screen.query_one("#planner-summary").render())
        assert "SENCO hours not set (t)" in summary
        weeks = small_app.screen.query_one("#planner-weeks", DataTable)
        hours = [str(weeks.get_row_at(i)[4]) for i in range(weeks.row_count)]
        assert hours and not any("/" in cell for cell in hours), hours
    assert count(small_db, "SELECT COUNT(*) FROM terms WHERE name = 'Autumn 2026'") == 1
    assert count(small_db, "SELECT COUNT(*) FROM terms") == 1


async def test_new_year_edit_term_and_export(
    small_app: SencoplanApp,
    small_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    exports: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    async with small_app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM terms") == 3
        summary = str(small_app.screen.query_one("#planner-summary").render())
        assert summary.startswith("01/09/2026–18/12/2026")  # the autumn term around today
        await pilot.press("t")
        await settle(pilot)
        small_app.screen.query_one("#field-closures", Input).value = "23/11/2026 INSET; junk"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "'junk' is not 'dd/mm/yyyy'" in text_of(
            small_app.screen.query_one("#error-closures", Static)
        )
        small_app.screen.query_one(
            "#field-closures", Input
        ).value = "01/09/2026 INSET; 26/10/2026-30/10/2026 Half term"
        small_app.screen.query_one("#field-cpd_budget", Input).value = "2,500"
        small_app.screen.query_one("#field-ehcp_review_hours", Input).value = "4.5"
        # The slots in words: Tuesday is ticked; add Thursday, every other week.
        assert offered(small_app.screen, "#field-slot_days")[:2] == ["Monday", "Tuesday"]
        tick(small_app.screen, "#field-slot_days", "Thursday")
        small_app.screen.query_one("#field-slot_every", Select).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT cpd_budget FROM terms WHERE name = 'Autumn 2026'") == 2500
        rule = "SELECT slot_rule FROM terms WHERE name = 'Autumn 2026'"
        with connect(small_db) as db:
            assert db.execute(rule).fetchone()[0] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"
        summary = str(small_app.screen.query_one("#planner-summary").render())
        assert "CPD every other Tuesday and Thursday at 15:45" in summary
        assert (
            count(small_db, "SELECT ehcp_review_hours * 10 FROM terms WHERE name = 'Autumn 2026'")
            == 45
        )
        await pilot.press("x")
        await settle(pilot)
    written = sorted(path.name for path in exports.glob("cpd-*"))
    assert written == ["cpd-oak-primary-autumn-2026.ics", "cpd-oak-primary-autumn-2026.md"]


async def test_add_a_session_and_a_task_then_export_the_session_plan(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: Path
) -> None:

    monkeypatch.chdir(tmp_path)
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        module = form.query_one("#field-module_id", Select)
        module.value = next(value for label, value in module._options if "AUT1" in str(label))
        # People are ticked from the school's staff, not typed.
        assert offered(form, "#field-audience") == ["Amira Khan", "Ben Ó Briain", "Cara Jones"]
        tick(form, "#field-facilitators", "Ben Ó Briain")
        form.query_one("#field-audience").focus()
        await pilot.press("space")  # the first, Amira, as a person would
        tick(form, "#field-audience", "Cara Jones")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM session_people WHERE part = 'audience'") == 2
        assert count(small_db, "SELECT COUNT(*) FROM sessions WHERE day = '2027-01-05'") == 1

        await pilot.press("k")
        await settle(pilot)
        app.screen.query_one("#field-title", Input).value = "LA panel"
        app.screen.query_one("#field-day", Input).value = "06/01/2027"
        app.screen.query_one("#field-hours", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        conflicts = text_of(app.screen.query_one("#planner-conflicts", Static))
        assert "week of 04/01/2027: the SENCO has 12 hours of work, over the 10 allocated" in (
            conflicts
        )
        sessions = app.screen.query_one("#planner-sessions", DataTable)
        sessions.focus()
        await pilot.press("e")
        await settle(pilot)
        # Attendance is ticked from those the session is for.
        assert offered(app.screen, "#field-attended") == ["Amira Khan", "Cara Jones"]
        tick(app.screen, "#field-attended", "Cara Jones")
        app.screen.query_one("#field-evaluation", Input).value = "Useful: start with visuals"
        app.screen.query_one("#field-status", Select).value = "delivered"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # 5 January is after today (23 November): it cannot be delivered yet.
        assert "in the future: it can be marked delivered on or after its day" in text_of(
            app.screen.query_one("#form-error", Static)
        )
        app.screen.query_one("#field-status", Select).value = "planned"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM session_people WHERE attended = 1") == 1
        assert count(small_db, "SELECT COUNT(*) FROM sessions WHERE status = 'delivered'") == 0
        await pilot.press("p")
        await settle(pilot)
    plans = list(exports.glob("session-*.md"))
    assert len(plans) == 1
    text = plans[0].read_text(encoding="utf-8")
    assert text.startswith("# Autism awareness")
    assert "- **Led by**: Ben Ó Briain" in text and "- **For**: 2 staff" in text


async def test_a_session_needs_a_name_and_the_senco_gets_preparation_time(
    small_db: Path,
) -> None:
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "give the session a module or a title" in text_of(
            form.query_one("#error-title", Static)
        )
        form.query_one("#field-title", Input).value = "Writing one-page profiles"
        form.query_one("#field-start", Input).value = "23:30"
        form.query_one("#field-minutes", Input).value = "90"
        tick(form, "#field-facilitators", "Amira Khan")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "run past midnight" in text_of(form.query_one("#form-error", Static))
        form.query_one("#field-start", Input).value = "15:45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT prep_minutes FROM sessions") == 90  # the SENCO leads


async def test_conflicts_stay_in_view_on_a_narrow_terminal(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: Path
) -> None:
    """At 100 columns the conflicts sit under the tables; a term named with a '/' exports."""
    monkeypatch.chdir(tmp_path)
    add_spring_term(small_db)
    db = open_database(small_db)
    db.execute("UPDATE terms SET name = 'Spring 2026/27 [draft]'")
    db.conn.commit()
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#field-title", Input).value = "Autism awareness"
        app.screen.query_one("#field-day", Input).value = "16/02/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        side = app.screen.query_one("#planner-side")
        assert side.display and side.region.width >= 90 and side.region.height > 0
        conflicts = text_of(app.screen.query_one("#planner-conflicts", Static))
        assert "falls in Half term" in conflicts
        await pilot.press("x")
        await settle(pilot)
    written = sorted(path.name for path in exports.glob("cpd-*"))
    assert written == [
        "cpd-oak-primary-spring-2026-27-draft.ics",
        "cpd-oak-primary-spring-2026-27-draft.md",
    ]


async def test_the_footer_reads_in_full_at_160_columns(
    small_app: SencoplanApp, small_db: Path
) -> None:
    """Every key the footer shows fits, to 'q Quit' (a walkthrough found it stopping at
    '3 Training'); the keys it leaves to F1 and the command palette still work."""
    from sencoplan.domain.models import School
    from sencoplan.store.schools import save_school

    outside(small_db, lambda db: save_school(db, School(name="Yew Primary")))  # w shows
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(small_app.screen, PlannerScreen)
        shown = footer(small_app)
        for key in ["s Suggest", "e Edit/move", "d Delivered", "a Add", *APP_FOOTER_KEYS]:
            assert key in shown, (key, shown)
        for hidden in ["Cancel", "Task", "Session plan", "Term", "New year", "Export"]:
            assert hidden not in shown, hidden
        assert count(small_db, "SELECT COUNT(*) FROM terms") == 0
        await pilot.press("n")  # not in the footer, still a key
        await settle(pilot)
    assert count(small_db, "SELECT COUNT(*) FROM terms") > 0


async def test_the_planner_says_when_reviews_have_no_date(small_db: Path) -> None:
    """The small school's roll has no review dates: the quiet weeks are not quiet."""
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        side = text_of(app.screen.query_one("#planner-conflicts", Static))
        assert "1 pupil with an EHCP has no annual review date: the workload leaves them out" in (
            " ".join(side.split())
        )
        assert 'column "EHCP Review Due"' in side


async def test_delivering_a_session_records_training_and_planned_again_removes_it(
    small_db: Path,
) -> None:
    """d on a past session: everyone in its audience attended (none was marked), so each
    gets the module; u puts it back to planned and the records go."""
    db = open_database(small_db)
    module_id = db.execute("SELECT id FROM modules ORDER BY id LIMIT 1").fetchone()[0]
    staff = [row[0] for row in db.execute("SELECT id FROM staff ORDER BY id LIMIT 2").fetchall()]
    db.close()
    autumn_session(small_db, module_id=module_id, audience=tuple(staff))
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        side = " ".join(text_of(app.screen.query_one("#planner-conflicts", Static)).split())
        assert "1 session before today still planned: mark each delivered (d)" in side
        app.screen.query_one("#planner-sessions", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        side = " ".join(text_of(app.screen.query_one("#planner-conflicts", Static)).split())
        assert "before today still planned" not in side
        made = "SELECT COUNT(*) FROM training_records WHERE session_id IS NOT NULL"
        assert count(small_db, made) == 2
        assert count(small_db, "SELECT COUNT(*) FROM session_people WHERE attended = 1") == 2
        said = [str(n.message) for n in app._notifications]
        assert any(
            "delivered: 2 of 2 attended; training recorded for 2 (every part attended)" in m
            for m in said
        ), said
        table = app.screen.query_one("#planner-sessions", DataTable)
        assert [str(c) for c in table.get_row_at(0)][-1] == "delivered"
        people = " ".join(text_of(app.screen.query_one("#planner-people", Static)).split())
        assert "For (2): Amira Khan, Ben Ó Briain" in people
        assert "Attended: 2 of 2" in people
        await pilot.press("u")
        await settle(pilot)
        assert count(small_db, made) == 0


async def test_delivering_part_one_says_the_training_waits_for_part_two(
    small_db: Path,
) -> None:
    """Part 1 of 2 delivered records nothing yet, and the message says why, not that the
    training 'is recorded'."""
    db = open_database(small_db)
    module_id = db.execute("SELECT id FROM modules ORDER BY id LIMIT 1").fetchone()[0]
    staff = [row[0] for row in db.execute("SELECT id FROM staff ORDER BY id LIMIT 2").fetchall()]
    db.close()
    autumn_session(small_db, module_id=module_id, audience=tuple(staff))
    db = open_database(small_db)
    (term_id,) = db.execute("SELECT id FROM terms WHERE name = 'Autumn 2026'").fetchone()
    part_two = CpdSession(
        term_id=term_id,
        school_id=1,
        day=dt.date(2026, 12, 1),
        start=dt.time(15, 30),
        minutes=60,
        title="Autism awareness (part 2 of 2)",
        module_id=module_id,
        audience=tuple(staff),
    )
    save_session(db, part_two, today=TODAY)
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        table = app.screen.query_one("#planner-sessions", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("d")
        await settle(pilot)
    assert (
        count(small_db, "SELECT COUNT(*) FROM training_records WHERE session_id IS NOT NULL") == 0
    )
    said = [str(n.message) for n in app._notifications]
    assert any(
        "the training is recorded when every part of the module is delivered (1 still to come)" in m
        for m in said
    ), said


async def test_unticking_every_leader_makes_it_an_external_trainers_session(
    small_db: Path,
) -> None:
    """An empty pick list was read as 'unchanged' (found in review)."""
    from textual.widgets import SelectionList

    autumn_session(small_db, facilitators=(1,), audience=(2, 3))
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#planner-sessions", DataTable).focus()
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-facilitators", SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert count(small_db, "SELECT COUNT(*) FROM session_people WHERE part = 'facilitator'") == 0
    assert count(small_db, "SELECT COUNT(*) FROM session_people WHERE part = 'audience'") == 2


def autumn_session(db_path: Path, **people: object) -> None:
    """An Autumn 2026 term and one session in it on Tuesday 17 November, before TODAY."""
    db = open_database(db_path)
    term = save_term(
        db,
        Term(school_id=1, name="Autumn 2026", start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 18)),
    )
    assert term.id is not None
    values: dict[str, object] = {
        "term_id": term.id,
        "school_id": 1,
        "day": dt.date(2026, 11, 17),
        "start": dt.time(15, 30),
        "minutes": 60,
        "title": "Autism awareness",
        **people,
    }
    save_session(db, CpdSession.model_validate(values), today=TODAY)
    db.close()


async def test_at_80_by_24_the_weeks_scroll_to_the_last(small_db: Path) -> None:
    """The smallest terminal shows a few weeks at a time; tab to them and every week
    of the term can be reached."""
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        weeks = app.screen.query_one("#planner-weeks", DataTable)
        assert weeks.row_count == 12 and weeks.size.height < weeks.row_count
        for _ in range(10):  # tab until the weeks have the focus
            if app.focused is weeks:
                break
            await pilot.press("tab")
        assert app.focused is weeks
        for _ in range(weeks.row_count):
            await pilot.press("down")
        await settle(pilot)
        assert weeks.cursor_row == weeks.row_count - 1
        assert weeks.scroll_y > 0  # the last week is in view


async def test_typing_in_a_field_tabbed_into_adds_to_it(small_db: Path) -> None:
    """Tab into the closures and type: the closures already there stay (the field's text
    was selected on focus, so typing replaced it: found in a walk-through)."""
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        closures = app.screen.query_one("#field-closures", Input)
        before = closures.value
        assert before
        app.screen.query_one("#field-end", Input).focus()
        await pilot.press("tab")
        await settle(pilot)
        assert app.screen.focused is closures
        await pilot.press(*"; 12/02/2027 INSET day")
        assert closures.value == before + "; 12/02/2027 INSET day"
