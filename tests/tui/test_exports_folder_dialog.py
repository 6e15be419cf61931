"""Choosing the exports folder in the app, and x writing there."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from sencoplan.io.exports_folder import exports_folder
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.exports_dialog import ExportsFolderScreen
from tests.tui.conftest import settle, text_of


async def test_the_folder_chosen_is_where_exports_go(
    small_app: SencoplanApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SENCOPLAN_EXPORTS")
    monkeypatch.chdir(tmp_path)
    chosen = tmp_path / "papers"
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        small_app.action_exports_folder()
        await settle(pilot)
        dialog = small_app.screen
        assert isinstance(dialog, ExportsFolderScreen)
        dialog.query_one("#exports-folder", Input).value = str(tmp_path / "taken" / "x")
        (tmp_path / "taken").write_text("a file", encoding="utf-8")
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot use it" in text_of(dialog.query_one("#exports-error", Static))
        dialog.query_one("#exports-folder", Input).value = str(chosen)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(small_app.screen, ExportsFolderScreen)
        assert exports_folder() == chosen.resolve()
        await pilot.press("6")  # Succession: x writes the review
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
    assert list(chosen.glob("succession-*.md"))
    assert not list(tmp_path.glob("succession-*.md"))  # never the folder it started in
