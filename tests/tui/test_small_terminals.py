"""At 80x24 the side panels give way to the tables: space opens what a panel shows, and the
footer offers the key only where the panel is hidden."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from sencoplan.domain.models import DevelopmentAction
from sencoplan.store.db import open_database
from sencoplan.store.succession import save_action
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.detail import DetailScreen
from tests.tui.conftest import footer, screen_lines, settle, text_of


async def _panel(app: SencoplanApp, pilot: Pilot[None], key: str, table: str) -> str:
    """Go to the screen, highlight the first row, press space: the dialog's text."""
    await pilot.press(key)
    await settle(pilot)
    app.screen.query_one(f"#{table}", DataTable).focus()
    await pilot.press("space")
    await settle(pilot)
    assert isinstance(app.screen, DetailScreen)
    said = text_of(app.screen.query_one("#detail-text", Static))
    await pilot.press("escape")
    await settle(pilot)
    return said


async def test_space_shows_each_hidden_panel_at_80_columns(small_app: SencoplanApp) -> None:
    async with small_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "space Counts" in footer(small_app)
        assert small_app.screen.query_one("#register-side").region.width == 0  # hidden
        counts = await _panel(small_app, pilot, "1", "pupils")
        assert "ASD" in counts and "On roll" in counts and "SEN share" in counts
        staff = await _panel(small_app, pilot, "2", "staff")
        # The first row is Amira Khan (SENCO); her detail shows her training section.
        assert "Amira Khan" in staff and "Training (" in staff
        held = await _panel(small_app, pilot, "3", "modules")
        assert "Held now (1)" in held and "Ben Ó Briain" in held


async def test_the_key_is_not_offered_where_the_panel_shows(small_app: SencoplanApp) -> None:
    async with small_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "Details" not in footer(small_app)
        await pilot.press("space")
        await settle(pilot)
        assert not isinstance(small_app.screen, DetailScreen)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert "space Details" in footer(small_app)


async def test_succession_shows_development_due_at_80x24(
    small_app: SencoplanApp, small_db: Path
) -> None:
    db = open_database(small_db)
    try:
        school_id, amira = db.execute(
            "SELECT school_id, id FROM staff WHERE name = 'Amira Khan'"
        ).fetchone()
        save_action(
            db,
            DevelopmentAction(
                school_id=school_id,
                staff_id=amira,
                action="Shadow EHCP annual reviews",
                due=dt.date(2026, 12, 15),
            ),
        )
    finally:
        db.close()
    async with small_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        actions = small_app.screen.query_one("#succession-actions", DataTable)
        assert actions.row_count == 1
        assert actions.region.height >= 4  # a heading, a row and room for two more
        assert any("Shadow EHCP annual reviews" in line for line in screen_lines(small_app))
        assert any(line.lstrip().startswith("Risks") for line in screen_lines(small_app))


async def test_f1_says_where_exports_go_whole_at_80x24(
    small_app: SencoplanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A path short enough to wrap at its spaces (a test's own folder is longer than the
    # line, and a word that long is folded wherever the line ends).
    exports = Path("/tmp/sencoplan-exports")
    monkeypatch.setenv("SENCOPLAN_EXPORTS", str(exports))
    async with small_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        region = small_app.screen.query_one("#help-exports").region
        lines = screen_lines(small_app)[region.y : region.bottom]
        said = " ".join(" ".join(line[region.x : region.right].split()) for line in lines)
        assert said == (
            f"Exports (x, p) are written to {exports} (ctrl+p, Exports folder, to change it)"
        )


async def test_a_form_error_that_wraps_is_scrolled_into_view_whole(
    small_app: SencoplanApp,
) -> None:
    """At 80x24 the review form's refusal wraps to two lines: both are on screen."""
    async with small_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = small_app.screen.query_one("#pupils", DataTable)
        table.focus()
        table.move_cursor(row=0)  # Ann Smith, who has an EHCP
        await pilot.press("v")
        await settle(pilot)
        small_app.screen.query_one("#field-next_due", Input).value = "20/01/2028"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = small_app.screen.query_one("#error-next_due")
        scroller = small_app.screen.query_one(".form-fields")
        assert error.region.height == 2
        assert scroller.region.contains_region(error.region)  # not half under the edge
        shown = " ".join(" ".join(line.split()) for line in screen_lines(small_app))
        assert "by 23/11/2027 at the latest" in shown


@pytest.mark.parametrize("width", [80, 100, 160])
async def test_the_help_box_is_centred(small_app: SencoplanApp, width: int) -> None:
    """The exports line above the pages is as wide as they are, so both stay centred."""
    async with small_app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        body = small_app.screen.query_one("#help-body").region
        line = small_app.screen.query_one("#help-exports").region
        assert (line.x, line.width) == (body.x, body.width)
        assert abs(body.x - (width - body.right)) <= 1  # as much room each side


async def test_the_planner_s_notes_whole_with_o_under_120_columns(
    small_app: SencoplanApp, small_db: Path
) -> None:
    """The notes strip under the Planner's tables is a few lines high: o shows the reviews
    overdue by name, which a wide terminal shows beside the tables."""
    db = open_database(small_db)
    db.execute("UPDATE pupils SET ehcp_review_due = '2026-11-02' WHERE display_name = 'Ann Smith'")
    db.conn.commit()
    db.close()
    async with small_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert "o Notes" in footer(small_app)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(small_app.screen, DetailScreen)
        said = text_of(small_app.screen.query_one("#detail-text", Static))
        assert "Ann Smith: EHCP annual review due 02/11/2026" in said
