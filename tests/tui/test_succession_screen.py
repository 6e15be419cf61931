"""The Succession screen: a deputy sees the risks, adds a candidate and an action, exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from sencoplan.domain.models import Qualification
from sencoplan.domain.succession_codes import QualificationKind
from sencoplan.store.db import open_database
from sencoplan.store.training import save_qualification
from sencoplan.tui.app import create_app
from sencoplan.tui.screens.detail import DetailScreen
from sencoplan.tui.screens.succession import SuccessionScreen
from tests.tui.conftest import APP_FOOTER_KEYS, TODAY, count, footer, outside, settle, text_of


def _rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_deputy_sees_the_risks_adds_a_candidate_and_an_action_and_exports(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SuccessionScreen)
        roles = screen.query_one("#succession-roles", DataTable)
        assert [row[:3] for row in _rows(roles)] == [
            ["SENCO", "Amira Khan", "23/05/2024"],
            ["Deputy SENCO", "vacant", ""],
        ]
        risks = text_of(screen.query_one("#succession-risks", Static))
        assert "Amira Khan (SENCO) holds neither the NPQ for SENCOs nor NASENCO" in risks
        assert "required by 23/05/2027: 6 months left" in risks
        assert "Oak Primary has no Deputy SENCO" in risks
        assert "no one could step in for Amira Khan within 2 years" in risks

        roles.focus()
        roles.move_cursor(row=0)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#field-staff_id", Input).value = "Nobody"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no member of staff called 'Nobody'" in text_of(
            app.screen.query_one("#error-staff_id", Static)
        )
        app.screen.query_one("#field-staff_id", Input).value = "ben ó briain"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM succession_roles WHERE kind = 'senco'") == 1
        assert count(small_db, "SELECT COUNT(*) FROM succession_candidates") == 1
        bench = screen.query_one("#succession-bench", DataTable)
        assert _rows(bench)[0][:3] == ["Ben Ó Briain", "SENCO", "1–2 years"]
        risks = text_of(screen.query_one("#succession-risks", Static))
        # A name alone is not a plan: 1–2 years away, with no development planned yet.
        assert "Ben Ó Briain 1–2 years away with no development action planned" in risks

        await pilot.press("d")
        await settle(pilot)
        app.screen.query_one("#field-staff_id", Input).value = "Ben Ó Briain"
        app.screen.query_one("#field-action", Input).value = "Shadow EHCP annual reviews"
        app.screen.query_one("#field-due", Input).value = "01/11/2026"
        app.screen.query_one("#field-module_id", Input).value = "AUT1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM development_actions") == 1
        actions = screen.query_one("#succession-actions", DataTable)
        assert _rows(actions)[0] == [
            "Ben Ó Briain",
            "01/11/2026",
            "planned",
            "Shadow EHCP annual reviews (AUT1)",
            "",
        ]
        risks = text_of(screen.query_one("#succession-risks", Static))
        assert "Shadow EHCP annual reviews was due 01/11/2026" in risks
        assert "no one could step in for Amira Khan" not in risks  # development planned

        actions.focus()
        await pilot.press("u")
        await settle(pilot)
        app.screen.query_one("#field-due", Input).value = "31/01/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "was due" not in text_of(screen.query_one("#succession-risks", Static))

        await pilot.press("x")
        await settle(pilot)
        shown = text_of(screen.query_one("#succession-risks", Static))
    paper = (exports / f"succession-oak-primary-{TODAY}.md").read_text(encoding="utf-8")
    assert paper.startswith("# SENCO succession review: Oak Primary")
    assert "| SENCO | Amira Khan | 23/05/2024 |  | – | Ben Ó Briain | – |" in paper
    assert "required by 23/05/2027: 6 months left" in paper and "6 months left" in shown
    assert "Shadow EHCP annual reviews (AUT1)" in paper
    for pupil in ("Zoë", "O'Brien", "Smith", "Patel", "V951200005001"):
        assert pupil not in paper


async def test_a_senco_with_nasenco_is_not_a_risk(small_db: Path) -> None:
    db = open_database(small_db)
    save_qualification(
        db,
        Qualification(staff_id=1, kind=QualificationKind.NASENCO, completed=dt.date(2015, 7, 1)),
    )
    db.conn.commit()
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        risks = text_of(app.screen.query_one("#succession-risks", Static))
        assert "NPQ" not in risks
        roles = app.screen.query_one("#succession-roles", DataTable)
        assert _rows(roles)[0][6] == "NASENCO"
        await pilot.press("v")
        await settle(pilot)
        assert _rows(roles)[0][:2] == ["Oak Primary", "SENCO"]
        summary = str(app.screen.query_one("#succession-summary").render())
        assert "without a deputy SENCO: Oak Primary" in summary


async def test_name_who_can_lead_a_module_and_see_the_single_leader(small_db: Path) -> None:
    from sencoplan.tui.screens.detail import DetailScreen

    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#field-staff_id", Input).value = "Ben Ó Briain"
        app.screen.query_one("#field-module_id", Input).value = "NOPE"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no module with the code 'NOPE'" in text_of(
            app.screen.query_one("#error-module_id", Static)
        )
        app.screen.query_one("#field-module_id", Input).value = "AUT"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = text_of(app.screen.query_one("#error-module_id", Static))
        assert "no module with the code 'AUT' (did you mean AUT1?)" in error
        # Our own modules' codes are offered as you type (right arrow takes one).
        field = app.screen.query_one("#field-module_id", Input)
        field.value = ""
        field.focus()
        await pilot.press("a", "u", "right")
        await settle(pilot)
        assert field.value == "AUT1"
        field.value = "aut1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM module_leaders") == 1
        risks = text_of(app.screen.query_one("#succession-risks", Static))
        assert "only Ben Ó Briain can lead AUT1 Autism awareness" in risks
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        shown = text_of(app.screen.query_one("#detail-text", Static))
        assert "AUT1 Autism awareness\n  Ben Ó Briain\n" in shown


async def test_recording_the_senco_npq_clears_the_deadline_risk(small_db: Path) -> None:
    from textual.widgets import Select

    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        app.screen.query_one("#succession-roles", DataTable).focus()
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#field-staff_id", Input).value == "Amira Khan"
        form.query_one("#field-started", Input).value = "01/10/2025"
        form.query_one("#field-expected", Input).value = "31/07/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        risks = text_of(app.screen.query_one("#succession-risks", Static))
        assert "is studying the NPQ for SENCOs, expected 31/07/2027" in risks  # after the deadline
        assert count(small_db, "SELECT COUNT(*) FROM qualifications") == 1

        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#field-status", Select).value = "held"
        app.screen.query_one("#field-completed", Input).value = "01/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        risks = text_of(app.screen.query_one("#succession-risks", Static))
        assert "NPQ" not in risks


async def test_the_bench_is_edited_and_a_holder_is_never_their_own_candidate(
    small_db: Path,
) -> None:
    from sencoplan.tui.screens.confirm import ConfirmScreen

    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        roles = screen.query_one("#succession-roles", DataTable)
        roles.focus()
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#field-staff_id", Input).value = "Amira Khan"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "a holder cannot be its candidate" in text_of(
            app.screen.query_one("#error-staff_id", Static)
        )
        app.screen.query_one("#field-staff_id", Input).value = "Cara Jones"
        app.screen.query_one("#field-notes", Input).value = "Acting SENCO [trial]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#field-staff_id", Input).value = "cara jones"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "already on the bench" in text_of(app.screen.query_one("#error-staff_id", Static))
        await pilot.press("escape")  # a name was typed: closing asks first
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)

        bench = screen.query_one("#succession-bench", DataTable)
        bench.focus()
        await pilot.press("e")
        await settle(pilot)
        from textual.widgets import Select

        app.screen.query_one("#field-readiness", Select).value = "ready_now"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _rows(bench)[0][:5] == [
            "Cara Jones",
            "SENCO",
            "ready now",
            "0",
            "Acting SENCO [trial]",
        ]

        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM succession_candidates") == 0
        assert bench.row_count == 0


def test_a_new_holder_leaves_the_bench(small_db: Path) -> None:
    from sencoplan.domain.models import Candidate, SuccessionRole
    from sencoplan.domain.succession_codes import Readiness, SuccessionRoleKind
    from sencoplan.store.succession import save_candidate, save_role

    db = open_database(small_db)
    role = save_role(
        db, SuccessionRole(school_id=1, kind=SuccessionRoleKind.DEPUTY_SENCO, title="Deputy")
    )
    assert role.id is not None
    save_candidate(db, Candidate(role_id=role.id, staff_id=2, readiness=Readiness.READY_NOW))
    save_role(db, role.model_copy(update={"holder_id": 2}))
    assert db.execute("SELECT COUNT(*) FROM succession_candidates").fetchone()[0] == 0
    with pytest.raises(ValueError, match="a holder cannot be its candidate"):
        save_candidate(db, Candidate(role_id=role.id, staff_id=2))
    db.close()


async def test_the_footer_reads_in_full_at_160_columns(small_db: Path) -> None:
    """Every key the footer shows fits, to 'q Quit' (a walkthrough found it stopping at
    'v School/trust'); the keys it leaves to F1 and the command palette still work."""
    from sencoplan.domain.models import School
    from sencoplan.store.schools import save_school

    outside(small_db, lambda db: save_school(db, School(name="Yew Primary")))  # w shows
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, SuccessionScreen)
        shown = footer(app)
        for key in ["a Add candidate", "d Development", "e Edit", "x Export", *APP_FOOTER_KEYS]:
            assert key in shown, (key, shown)
        for hidden in ["Update action", "Delete", "Qualification", "New role", "lead"]:
            assert hidden not in shown, hidden
        await pilot.press("l")  # not in the footer, still a key
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)


async def test_a_role_is_added_with_the_need_it_leads_then_given_a_holder(
    small_db: Path,
) -> None:
    from textual.widgets import Select

    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        await pilot.press("r")
        await settle(pilot)
        app.screen.query_one("#field-title", Input).value = "Lead practitioner: speech"
        app.screen.query_one("#field-kind", Select).value = "lead_practitioner"
        app.screen.query_one("#field-need", Input).value = "SLCN; ASD"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "give one need" in text_of(app.screen.query_one("#error-need", Static))
        app.screen.query_one("#field-need", Input).value = "slcn"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        db = open_database(small_db)
        try:
            ((need, holder),) = db.execute(
                "SELECT need, holder_id FROM succession_roles WHERE title = ?",
                ["Lead practitioner: speech"],
            ).fetchall()
        finally:
            db.close()
        assert (need, holder) == ("SLCN", None)

        roles = screen.query_one("#succession-roles", DataTable)
        titles = [str(roles.get_row_at(i)[0]) for i in range(roles.row_count)]
        roles.focus()
        roles.move_cursor(row=titles.index("Lead practitioner: speech"))
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-holder_id", Input).value = "Cara Jones"
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = [str(cell) for cell in roles.get_row_at(roles.cursor_row)]
        assert row[:2] == ["Lead practitioner: speech", "Cara Jones"]


async def test_o_shows_every_open_development_action(small_db: Path) -> None:
    from sencoplan.store.db import open_database

    db = open_database(small_db)
    (staff,) = db.execute("SELECT id FROM staff WHERE name = 'Cara Jones'").fetchone()
    db.execute(
        "INSERT INTO development_actions (school_id, staff_id, action, due, status) "
        "VALUES (1, ?, 'Start the NPQ for SENCOs', '2027-06-30', 'planned')",
        (staff,),
    )
    db.conn.commit()
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        actions = app.screen.query_one("#succession-actions", DataTable)
        assert actions.row_count == 0  # due after this term
        await pilot.press("o")
        await settle(pilot)
        assert [row[0] for row in _rows(actions)] == ["Cara Jones"]
        summary = text_of(app.screen.query_one("#succession-summary", Static))
        assert "every open development action below" in summary


async def test_a_staff_name_is_offered_as_it_is_typed(small_db: Path) -> None:
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        roles = app.screen.query_one("#succession-roles", DataTable)
        roles.focus()
        await pilot.press("a")
        await settle(pilot)
        field = app.screen.query_one("#field-staff_id", Input)
        field.focus()
        await pilot.press(*"ben")
        await settle(pilot)
        await pilot.press("right")  # takes the name offered
        assert field.value == "Ben Ó Briain"


async def test_an_action_added_for_after_this_term_stays_in_view(small_db: Path) -> None:
    """Saved with no date (or one after this term) it would vanish from this term's list:
    the list shows every open action instead, and says so."""
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        app.screen.query_one("#succession-roles", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        app.screen.query_one("#field-staff_id", Input).value = "Ben Ó Briain"
        app.screen.query_one("#field-action", Input).value = "Shadow EHCP annual reviews"
        await pilot.press("ctrl+s")
        await settle(pilot)
        actions = app.screen.query_one("#succession-actions", DataTable)
        assert [row[0] for row in _rows(actions)] == ["Ben Ó Briain"]
        said = [str(n.message) for n in app._notifications]
        assert any("due after this term: every open action is shown" in m for m in said), said
