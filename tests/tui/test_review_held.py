"""Recording a pupil's review as held on the Pupils screen: the next review moves on, and
the Planner's overdue line goes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from sencoplan.store.db import open_database
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.form import RecordForm
from tests.tui.conftest import TODAY, settle, text_of


def _held(small_db: Path) -> list[tuple[object, ...]]:
    db = open_database(small_db)
    try:
        return db.execute(
            "SELECT r.kind, r.held_on, r.report_sent_on, p.ehcp_review_due, p.plan_review_due "
            "FROM pupil_reviews r JOIN pupils p ON p.id = r.pupil_id ORDER BY r.id"
        ).fetchall()
    finally:
        db.close()


async def test_an_annual_review_recorded_moves_the_next_one_a_year_on(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = small_app.screen.query_one("#pupils", DataTable)
        table.focus()
        table.move_cursor(row=0)  # Ann Smith, who has an EHCP
        await pilot.press("v")
        await settle(pilot)
        form = small_app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-kind", Select).value == "ehcp"
        assert form.query_one("#field-held_on", Input).value == f"{TODAY:%d/%m/%Y}"
        form.query_one("#field-held_on", Input).value = "02/12/2026"  # after TODAY
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = text_of(form.query_one("#error-held_on", Static))
        assert "is after today" in error
        assert _held(small_db) == []

        form.query_one("#field-held_on", Input).value = "16/11/2026"
        form.query_one("#field-next_due", Input).value = "17/11/2027"  # past the 12 months
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = text_of(form.query_one("#error-next_due", Static))
        assert "more than 12 months on" in error and "by 16/11/2027 at the latest" in error
        form.query_one("#field-next_due", Input).value = "16/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not after the review held" in text_of(form.query_one("#error-next_due", Static))
        assert _held(small_db) == []

        form.query_one("#field-next_due", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(small_app.screen, RecordForm)
        assert _held(small_db) == [("ehcp", "2026-11-16", None, "2027-11-16", None)]

        # The report goes a week later: the same review, saved again with it.
        table.move_cursor(row=0)
        await pilot.press("v")
        await settle(pilot)
        form = small_app.screen
        form.query_one("#field-held_on", Input).value = "16/11/2026"
        form.query_one("#field-report_sent_on", Input).value = "23/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _held(small_db) == [("ehcp", "2026-11-16", "2026-11-23", "2027-11-16", None)]


async def test_an_isp_review_has_no_report_and_takes_the_next_date_given(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = small_app.screen.query_one("#pupils", DataTable)
        table.focus()
        table.move_cursor(row=1)  # Zoë O'Brien, on SEN support
        await pilot.press("v")
        await settle(pilot)
        form = small_app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-kind", Select).value == "isp"
        form.query_one("#field-report_sent_on", Input).value = "20/11/2026"
        form.query_one("#field-next_due", Input).value = "10/02/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no report" in text_of(form.query_one("#error-report_sent_on", Static))
        form.query_one("#field-report_sent_on", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
    expected = ("isp", f"{TODAY:%Y-%m-%d}", None, None, dt.date(2027, 2, 10).isoformat())
    assert _held(small_db) == [expected]


async def test_the_planner_says_what_is_overdue_until_it_is_recorded(
    small_app: SencoplanApp, small_db: Path
) -> None:
    db = open_database(small_db)
    db.execute("UPDATE pupils SET ehcp_review_due = '2026-11-02' WHERE display_name = 'Ann Smith'")
    db.conn.commit()
    db.close()
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        said = text_of(small_app.screen.query_one("#planner-conflicts", Static))
        assert "Overdue: 1 EHCP annual review not recorded as held (due before 23/11/2026)" in said
        assert "Ann Smith: EHCP annual review due 02/11/2026" in said
        await pilot.press("ctrl+r")  # presenter mode: initials only
        await settle(pilot)
        shared = text_of(small_app.screen.query_one("#planner-conflicts", Static))
        assert "A. S.: EHCP annual review\n" in shared and "Ann" not in shared
        assert "02/11/2026" not in shared  # initials and a date can point at one child
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        table = small_app.screen.query_one("#pupils", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("v")
        await settle(pilot)
        small_app.screen.query_one("#field-held_on", Input).value = "02/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        said = text_of(small_app.screen.query_one("#planner-conflicts", Static))
        # Held, the meeting is no longer overdue: its report is, two weeks on.
        assert "annual review not recorded" not in said
        assert "Overdue: 1 EHCP review report not sent to the local authority" in said
        assert "Ann Smith: EHCP review report to the LA due 16/11/2026" in said
