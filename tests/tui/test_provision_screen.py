"""The Provision screen: the costed map from a provisions file, and its export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from sencoplan.io.importers import import_file
from sencoplan.store.db import open_database
from sencoplan.tui.app import create_app
from sencoplan.tui.screens.provision import ProvisionScreen
from tests.tui.conftest import TODAY, settle, text_of

ZOE = "V951200005001"  # on the small school's roll, SLCN


def _provisions(small_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "provisions.csv"
    path.write_text(
        "UPN,Provision,Need,Kind,Delivered By,Group Size,Sessions Per Week,Minutes,Weeks,"
        "Cost Per Hour\n"
        f"{ZOE},Talk Boost,SLCN,small group,Cara Jones,1,3,30,10,£14\n",
        encoding="utf-8",
    )
    db = open_database(small_db)
    try:
        import_file(db, "provisions", path, school="Oak Primary", today=TODAY)
    finally:
        db.close()


async def test_the_provision_screen_shows_the_costed_map_and_writes_it(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProvisionScreen)
        assert "No provisions yet" in text_of(screen.query_one("#provision-summary", Static))

    _provisions(small_db, tmp_path)
    monkeypatch.chdir(tmp_path)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        table = app.screen.query_one("#provisions", DataTable)
        # £14 x 0.5 h x 3 a week x 10 weeks, a group of one: £210.
        assert [str(cell) for cell in table.get_row_at(0)] == [
            "Talk Boost",
            "small group",
            "SLCN",
            "1",
            "1.5",
            "Cara Jones",
            "£210",
        ]
        summary = text_of(app.screen.query_one("#provision-summary", Static))
        assert "Total £210" in summary and "0 pupils' support costs more than £6,000" in summary
        await pilot.press("x")
        await settle(pilot)
    (written,) = tmp_path.glob("provision-map-*.md")
    assert "| Talk Boost | small group | SLCN | fewer than 5 |" in written.read_text("utf-8")
    assert ZOE not in written.read_text("utf-8")
    if os.name == "posix":
        assert written.stat().st_mode & 0o077 == 0
