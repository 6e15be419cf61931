"""Getting around: the command palette, F1 help, the welcome screen, switching school."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Markdown, OptionList

from sencoplan.domain.models import School
from sencoplan.store.db import open_database
from sencoplan.store.schools import save_school
from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.help import HelpScreen
from sencoplan.tui.screens.pupils import PupilsScreen
from sencoplan.tui.screens.staff import StaffScreen
from sencoplan.tui.screens.welcome import WelcomeScreen
from tests.tui.conftest import TODAY, count, settle, wait_until

DOCS = Path(__file__).resolve().parents[2] / "docs"


def offered_first(app: SencoplanApp, text: str) -> bool:
    """The command palette's search has come back, with `text` highlighted first."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or found.first().option_count == 0:
        return False
    commands = found.first()
    highlighted = commands.highlighted if commands.highlighted is not None else 0
    return text in str(commands.get_option_at_index(highlighted).prompt)


async def test_every_screen_is_reachable_from_the_command_palette(
    small_app: SencoplanApp,
) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Staff")
        await wait_until(pilot, lambda: offered_first(small_app, "Staff"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(small_app.screen, StaffScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Pupils")
        await wait_until(pilot, lambda: offered_first(small_app, "Pupils"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)


async def test_f1_shows_help_and_escape_closes_it(small_app: SencoplanApp) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = small_app.screen
        assert isinstance(help_screen, HelpScreen)
        page = help_screen.query_one(Markdown)
        await wait_until(pilot, lambda: "ctrl+p" in page.source)  # docs/app.md, as shipped
        assert page.source == (DOCS / "app.md").read_text(encoding="utf-8")
        await pilot.press("down", "down")  # the page list has the focus: the next pages
        await wait_until(pilot, lambda: page.source.startswith("# The command line"))
        # A link to another page opens it in the help.
        page.post_message(
            Markdown.LinkClicked(page, "how-it-works.md#how-priorities-are-worked-out")
        )
        await wait_until(pilot, lambda: "How priorities are worked out" in page.source)
        assert help_screen.query_one("#help-pages", OptionList).highlighted == 5
        await pilot.press("2")  # screen keys do nothing under a dialog
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)


async def test_an_empty_file_welcomes_and_offers_a_school(tmp_path: Path) -> None:
    db_path = tmp_path / "new.db"
    app = create_app(db_path, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.click("#new-school")
        await settle(pilot)
        await pilot.press(*"Elm Primary")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PupilsScreen)
        assert app.title == "sencoplan — Elm Primary"
    assert count(db_path, "SELECT COUNT(*) FROM schools") == 1
    assert oct(db_path.stat().st_mode & 0o777) == "0o600"


async def test_school_switcher_changes_the_school_shown(small_db: Path) -> None:
    db = open_database(small_db)
    save_school(db, School(name="Ash Academy", phase="secondary"))
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert app.title == "sencoplan — Ash Academy"  # first by name
        await pilot.press("w")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        options.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.title == "sencoplan — Oak Primary"
        assert isinstance(app.screen, PupilsScreen)
        from textual.widgets import DataTable

        assert app.screen.query_one("#pupils", DataTable).row_count == 2


async def test_welcome_loads_the_sample_trust_and_every_screen_shows_real_data(
    tmp_path: Path,
) -> None:
    from textual.widgets import DataTable

    db_path = tmp_path / "fresh.db"
    demo_path = tmp_path / "demo.db"
    app = create_app(db_path, today=TODAY, demo_path=demo_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.click("#sample")
        await settle(pilot)
        assert isinstance(app.screen, PupilsScreen)
        assert app.title == "sencoplan — Oakfield Primary School"
        assert app.screen.query_one("#pupils", DataTable).row_count > 50
        for key, table_id in (("2", "#staff"), ("3", "#modules")):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen.query_one(table_id, DataTable).row_count > 20
    assert count(demo_path, "SELECT COUNT(*) FROM schools") == 2
    assert count(demo_path, "SELECT COUNT(*) FROM pupils") > 1400
    # The person's own file is untouched: invented pupils never mix with real ones.
    assert count(db_path, "SELECT COUNT(*) FROM schools") == 0


async def test_a_narrow_terminal_hides_side_panels_so_tables_keep_their_columns(
    small_app: SencoplanApp,
) -> None:
    async with small_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert small_app.has_class("-narrow")
        assert not small_app.screen.query_one("#register-side").display
    async with create_app(small_app.db_path, today=TODAY).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert pilot.app.screen.query_one("#register-side").display


async def test_a_slow_screen_says_it_is_loading_and_never_freezes(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole national file takes minutes to rank: the table shows it is loading, and
    the app still answers keys meanwhile."""
    import threading

    from textual.widgets import DataTable

    from sencoplan.tui.screens.priorities import PrioritiesScreen

    release = threading.Event()
    real_fetch = PrioritiesScreen.fetch

    def slow_fetch(self: PrioritiesScreen, db: Any, school_id: int) -> Any:
        release.wait(timeout=10)
        return real_fetch(self, db, school_id)

    monkeypatch.setattr(PrioritiesScreen, "fetch", slow_fetch)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        table = app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.loading)  # the indicator comes up
        await pilot.press("1")  # the app answers while the ranking is worked out
        assert app.current_mode == "pupils"
        await pilot.press("4")
        release.set()
        await settle(pilot)
        assert not table.loading and table.row_count > 0
