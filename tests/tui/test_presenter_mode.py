"""Presenter mode, driven as a SENCO sharing their screen in a meeting: ctrl+r shows pupils
by initials with no UPN or date of birth, the header says so, and ctrl+r brings them back."""

from __future__ import annotations

import html
import re
from pathlib import Path

from textual.widgets import DataTable, Static

from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.confirm import ConfirmScreen
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import TODAY, count, settle, text_of

# Oak Primary's pupils with SEN (tests/tui/conftest.py), as the register shows them.
NAMES = ["Ann Smith", "Zoë O'Brien"]
INITIALS = ["A. S.", "Z. O."]
UPNS = ["V951000016049", "V951200005001"]
BIRTHS = ["01/02/2017", "03/04/2017", "2017-02-01", "2017-04-03", "1 February 2017"]
WHOLE = [*NAMES, "Smith", "O'Brien", *UPNS, *BIRTHS]
"""What must not be on screen in presenter mode (each surname alone too)."""
MARKER = "presenter mode: initials only"


def cells(app: SencoplanApp) -> list[list[str]]:
    table = app.screen.query_one("#pupils", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_text(app: SencoplanApp) -> str:
    """Everything the terminal shows, as plain text (from the app's own screenshot)."""
    svg = app.export_screenshot()
    text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
    return re.sub(r"[ \t]+", " ", text)


async def test_ctrl_r_shows_initials_hides_upns_and_brings_them_back(
    small_app: SencoplanApp, small_db: Path
) -> None:
    from sencoplan.store.db import open_database

    db = open_database(small_db)  # a review date: presenter mode hides it
    db.execute("UPDATE pupils SET ehcp_review_due = '2027-03-04' WHERE display_name = 'Ann Smith'")
    db.execute("UPDATE pupils SET on_roll_from = '2027-01-05' WHERE display_name = 'Zoë O''Brien'")
    db.conn.commit()
    db.close()
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
        before = cells(small_app)
        assert [row[:2] for row in before] == [[NAMES[0], UPNS[0]], [NAMES[1], UPNS[1]]]
        assert NAMES[0] in screen_text(small_app)  # the screen check can see a name
        assert MARKER not in small_app.sub_title

        await pilot.press("ctrl+r")
        await settle(pilot)
        shown = cells(small_app)
        assert [row[:2] for row in shown] == [[INITIALS[0], "hidden"], [INITIALS[1], "hidden"]]
        # The year group stays; the class and a review date, which can point at one child,
        # are hidden; the rest as it was.
        assert before[0][7] == "EHCP 04/03/27"
        assert [row[8] for row in before] == ["on roll", "joins 05/01/27"]
        # The counts beside are of those on roll today: the joiner shown is said.
        said = text_of(small_app.screen.query_one("#pupil-count", Static))
        assert said == "2 pupils shown, 1 of them joining"
        assert [row[8] for row in shown] == ["on roll", "joining"]  # the day is a date too
        for row, was in zip(shown, before, strict=True):
            assert row[2] == was[2]
            assert row[3] == ("hidden" if was[3] else "")
            assert row[7] == ("hidden" if was[7] else "")
            assert row[4:7] + row[9:] == was[4:7] + was[9:]
        flat = " ".join(cell for row in shown for cell in row)
        assert [word for word in WHOLE if word in flat] == []
        visible = screen_text(small_app)
        assert [word for word in WHOLE if word in visible] == []
        assert MARKER in small_app.sub_title and MARKER in visible
        assert small_app.presenter

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert cells(small_app) == before
        assert MARKER not in small_app.sub_title
        assert not small_app.presenter


async def test_no_pupil_form_opens_in_presenter_mode(small_app: SencoplanApp) -> None:
    """The form shows a pupil whole (name, UPN, date of birth), so it waits until it is off."""
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        small_app.screen.query_one("#pupils", DataTable).focus()
        for key in ("e", "enter", "a", "i"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(small_app.screen, PupilsScreen), key
        assert any("ctrl+r" in str(n.message) for n in small_app._notifications)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(small_app.screen, PupilsScreen)  # the form, once it is off
        assert small_app.screen.query_one("#field-display_name").value == NAMES[0]  # type: ignore[attr-defined]


async def test_no_pupil_is_deleted_by_initials_in_presenter_mode(
    small_app: SencoplanApp, small_db: Path
) -> None:
    """'Delete A. S. from the register?' cannot say which A. S.: delete waits until presenter
    mode is off, as the form does, and then asks about the pupil by name."""
    before = count(small_db, "SELECT COUNT(*) FROM pupils")
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        small_app.screen.query_one("#pupils", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)  # no question asked
        visible = " ".join(screen_text(small_app).split())
        assert "from the register?" not in visible
        assert (
            "Presenter mode is on (pupils by initials): press ctrl+r to turn it off, "
            "then delete the pupil"
        ) in [str(n.message) for n in small_app._notifications]
        assert count(small_db, "SELECT COUNT(*) FROM pupils") == before

        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(small_app.screen, ConfirmScreen)
        question = text_of(small_app.screen.query_one("#question", Static))
        assert question.startswith(f"Delete {NAMES[0]} from the register?")
        await pilot.press("y")
        await settle(pilot)
    assert count(small_db, "SELECT COUNT(*) FROM pupils") == before - 1
    assert count(small_db, "SELECT COUNT(*) FROM pupils WHERE display_name = 'Ann Smith'") == 0


async def test_turned_on_elsewhere_the_register_opens_with_initials(
    small_app: SencoplanApp,
) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert MARKER in small_app.sub_title  # on every screen, not only the register
        await pilot.press("1")
        await settle(pilot)
        assert [row[:2] for row in cells(small_app)] == [
            [INITIALS[0], "hidden"],
            [INITIALS[1], "hidden"],
        ]
        assert [word for word in WHOLE if word in screen_text(small_app)] == []


async def test_saved_names_in_notifications_go_when_it_turns_on(
    small_app: SencoplanApp,
) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        small_app.notify(f"Saved {NAMES[1]}")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert all(NAMES[1] not in str(n.message) for n in small_app._notifications)


async def test_started_in_presenter_mode_and_offered_in_the_palette(small_db: Path) -> None:
    """`sencoplan --presenter` opens the app this way; the palette turns it on and off."""
    app = create_app(small_db, today=TODAY, presenter=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert [row[0] for row in cells(app)] == INITIALS
        assert MARKER in app.sub_title
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Turn presenter mode off" in titles
        command = next(
            c for c in app.get_system_commands(app.screen) if "presenter mode" in c.title
        )
        command.callback()
        await settle(pilot)
        assert [row[0] for row in cells(app)] == NAMES
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Turn presenter mode on" in titles
