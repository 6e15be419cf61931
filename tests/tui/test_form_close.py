"""Escape on a form: at once when nothing was changed; asked first when something was, so
half an hour's typing is not lost to one key."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from sencoplan.tui.app import create_app
from sencoplan.tui.screens.confirm import ConfirmScreen
from sencoplan.tui.screens.form import RecordForm
from sencoplan.tui.screens.planner import PlannerScreen
from tests.tui.conftest import TODAY, add_spring_term, count, settle


async def test_escape_closes_an_untouched_form_and_asks_for_a_changed_one(
    small_db: Path,
) -> None:
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")  # a new session: its module list picks nothing by itself
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)

        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-title", Input).value = "Zones of regulation"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep typing
        await settle(pilot)
        back: object = app.screen
        assert back is form  # the same form, with what was typed
        assert form.query_one("#field-title", Input).value == "Zones of regulation"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)
    assert count(small_db, "SELECT COUNT(*) FROM sessions") == 0
