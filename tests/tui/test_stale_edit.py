"""Two windows on one file: a save never silently overwrites a change someone else made
after the form opened (a lost update); it says so, and saving again is a choice."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from sencoplan.store.db import connect
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import edit_pupil, outside, settle, wait_until

ZOE = "V951200005001"


def zoe(db_path: Path) -> tuple[str, str]:
    """Zoë's tier and registration group as the file holds them."""
    db = connect(db_path)
    try:
        row = db.execute("SELECT tier, reg_group FROM pupils WHERE upn = ?", (ZOE,)).fetchone()
        return str(row[0]), str(row[1])
    finally:
        db.close()


async def test_a_change_made_elsewhere_is_not_overwritten_unasked(
    no_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        tier_before = zoe(small_db)[0]
        assert tier_before != "targeted_plus"
        form = await edit_pupil(pilot, small_app, row=1)  # Zoë O'Brien
        # Another window moves Zoë to targeted plus while this form is open.
        outside(
            small_db,
            lambda db: db.execute("UPDATE pupils SET tier = 'targeted_plus' WHERE upn = ?", (ZOE,)),
        )
        field = form.query_one("#field-reg_group", Input)
        field.value = "4J"
        await pilot.press("ctrl+s")
        error = form.query_one("#form-error", Static)
        await wait_until(pilot, lambda: "Someone changed this record" in str(error.content))
        assert "Someone changed this record (Tier) since you opened it" in str(
            error.content
        )  # what saving again would put back
        assert small_app.screen is form  # what was typed is still there
        assert field.value == "4J"
        assert zoe(small_db) == ("targeted_plus", "4K")  # theirs kept, nothing of ours

        # Saving again is the deliberate choice: ours replaces theirs, whole.
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(small_app.screen, PupilsScreen))
        assert zoe(small_db) == (tier_before, "4J")


async def test_an_unchanged_record_saves_at_once(
    no_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        tier_before = zoe(small_db)[0]
        form = await edit_pupil(pilot, small_app, row=1)  # Zoë O'Brien
        form.query_one("#field-reg_group", Input).value = "4J"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(small_app.screen, PupilsScreen))
        assert zoe(small_db) == (tier_before, "4J")
        assert not any("Someone changed" in str(n.message) for n in small_app._notifications)
