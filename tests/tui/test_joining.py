"""The pupils joining, from the Pupils screen (j): by name for the SENCO, counts only when
the screen is shared."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from sencoplan.store.db import open_database
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.detail import DetailScreen
from tests.tui.conftest import settle, text_of


async def test_the_joiners_paper_names_them_unless_the_screen_is_shared(
    small_app: SencoplanApp, small_db: Path
) -> None:
    db = open_database(small_db)
    db.execute(
        "UPDATE pupils SET on_roll_from = '2027-09-01' "
        "WHERE display_name IN ('Ann Smith', 'Zoë O''Brien')"
    )
    db.conn.commit()
    db.close()
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(small_app.screen, DetailScreen)
        paper = text_of(small_app.screen.query_one("#detail-text", Static))
        assert "Pupils joining Oak Primary" in paper and "# Pupils" not in paper  # rendered
        assert "2 joining (from 01/09/2027), 2 with SEN." in paper
        assert "Ann Smith" in paper and "Training before they arrive" in paper
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        shared = text_of(small_app.screen.query_one("#detail-text", Static))
        assert "Ann Smith" not in shared and "fewer than 5 joining" in shared
