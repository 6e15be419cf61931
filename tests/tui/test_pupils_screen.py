"""The Pupils screen driven as a SENCO would: look, filter, add, edit, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import TODAY, count, outside, screen_lines, settle, text_of


def rows(app: SencoplanApp) -> list[list[str]]:
    table = app.screen.query_one("#pupils", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_opens_on_the_register_with_counts(small_app: SencoplanApp) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
        assert small_app.title == "sencoplan — Oak Primary"
        names = [row[0] for row in rows(small_app)]
        assert names == ["Ann Smith", "Zoë O'Brien"]  # SEN only, by name
        counts = text_of(small_app.screen.query_one("#counts", Static))
        assert "SLCN" in counts and "ASD" in counts
        assert "66.7%" in counts  # 2 of 3 on roll have SEN
        # No pupil is targeted plus: no column blank on every row.
        heading = counts.splitlines()[0].split()
        assert heading == ["Primary", "need", "Targeted", "EHCP", "All"]


async def test_filters_by_need_and_shows_everyone_on_roll(small_app: SencoplanApp) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        small_app.screen.query_one("#filter-need", Select).value = "ASD"
        await settle(pilot)
        assert [row[0] for row in rows(small_app)] == ["Ann Smith"]
        small_app.screen.query_one("#filter-need", Select).value = Select.NULL
        await pilot.click("#filter-sen")
        await settle(pilot)
        assert not small_app.screen.query_one("#filter-sen", Checkbox).value
        assert len(rows(small_app)) == 3


async def test_add_pupil_shows_errors_beside_fields_then_saves(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = small_app.screen
        await pilot.click("#field-display_name")
        await pilot.press(*"Noor Ali")
        form.query_one("#field-upn", Input).value = "A951200005001"  # wrong check letter
        form.query_one(
            "#field-date_of_birth", Input
        ).value = "01/01/2030"  # the importer refuses it
        form.query_one("#field-year_group", Input).value = "3"
        form.query_one("#field-tier", Select).value = "specialist"
        await pilot.press("ctrl+s")
        await settle(pilot)
        upn_error = text_of(form.query_one("#error-upn", Static))
        assert "check letter A, expected" in upn_error
        assert text_of(form.query_one("#error-date_of_birth", Static)) == (
            "date of birth 01/01/2030 is in the future"
        )
        form.query_one("#field-date_of_birth", Input).value = "01/09/2017"
        assert count(small_db, "SELECT COUNT(*) FROM pupils") == 3

        form.query_one("#field-upn", Input).value = "R951200005003".replace("R", "")  # 12 chars
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "has 12 characters, not 13" in text_of(form.query_one("#error-upn", Static))

        from sencoplan.domain.upn import check_letter

        form.query_one("#field-upn", Input).value = check_letter("951200005003") + "951200005003"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "must have a primary need" in text_of(form.query_one("#error-primary_need", Static))
        form.query_one("#field-primary_need", Select).value = "SEMH"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
        assert "Noor Ali" in [row[0] for row in rows(small_app)]
    assert count(small_db, "SELECT COUNT(*) FROM pupils WHERE display_name = 'Noor Ali'") == 1

    # It survives a restart.
    again = create_app(small_db, today=TODAY)
    async with again.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "Noor Ali" in [row[0] for row in rows(again)]


async def test_edit_and_delete(small_app: SencoplanApp, small_db: Path) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = small_app.screen.query_one("#pupils", DataTable)
        table.focus()
        table.move_cursor(row=1)  # Zoë O'Brien
        await pilot.press("e")
        await settle(pilot)
        small_app.screen.query_one("#field-tier", Select).value = "targeted_plus"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM pupils WHERE tier = 'targeted_plus'") == 1
        assert rows(small_app)[1][4] == "Targeted plus"

        table.move_cursor(row=0)  # Ann Smith
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")  # changed my mind
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM pupils") == 3
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert count(small_db, "SELECT COUNT(*) FROM pupils WHERE display_name = 'Ann Smith'") == 0
        assert [row[0] for row in rows(small_app)] == ["Zoë O'Brien"]


async def test_the_register_has_the_focus_when_it_opens(small_app: SencoplanApp) -> None:
    """The arrow keys move through pupils at once; tab still reaches the filters."""
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = small_app.screen
        assert isinstance(screen, PupilsScreen)
        table = screen.query_one("#pupils", DataTable)

        def focused() -> object:  # read afresh after each key (mypy would keep the first)
            return screen.focused

        assert focused() is table
        assert table.cursor_row == 0
        await pilot.press("down")
        assert table.cursor_row == 1
        await pilot.press("tab")
        assert focused() is screen.query_one("#filter-tier", Select)
        await pilot.press("shift+tab")
        assert focused() is table
        # Back from a dialog, the register still has the focus (and its row).
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert small_app.screen is screen
        assert screen.focused is table and table.cursor_row == 1


@pytest.mark.parametrize("width", [160, 150, 119])
async def test_every_column_reads_in_full(small_db: Path, width: int) -> None:
    """At 150 and 160 columns, the counts beside it, and below 120, the counts hidden: each pupil's
    row is on screen whole, to the overdue review and the date a joiner joins (a walkthrough
    found 'ISP 12/11/26 overdu' and no Roll column at all)."""
    outside(
        small_db,
        lambda db: (
            db.execute(
                "UPDATE pupils SET ehcp_review_due = '2026-11-02' WHERE display_name = 'Ann Smith'"
            ),
            db.execute(
                "UPDATE pupils SET tier = 'targeted_plus', secondary_need = 'SEMH', "
                "plan_review_due = '2026-11-20', on_roll_from = '2027-01-04' "
                "WHERE display_name = 'Zoë O''Brien'"
            ),
        ),
    )
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(width, 45)) as pilot:
        await settle(pilot)
        region = app.screen.query_one("#pupils").region
        shown = [" ".join(line[region.x : region.right].split()) for line in screen_lines(app)]
        assert "Name UPN Year Class Tier Need 2nd Next review Roll" in shown
        assert "Ann Smith V951000016049 4 4K Specialist ASD SLCN EHCP 02/11/26 late on roll" in (
            shown
        )
        assert (
            "Zoë O'Brien V951200005001 4 4K Targeted plus SLCN SEMH ISP 20/11/26 late "
            "joins 04/01/27"
        ) in shown


async def test_the_register_opens_from_the_same_read_as_the_schools(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the app reads the file once: the schools and the register they open on come
    in one step, and the register screen shows them without loading again."""
    fetched: list[int] = []
    fetch = PupilsScreen.fetch

    def counted(self: PupilsScreen, db: Any, school_id: int) -> Any:
        fetched.append(school_id)
        return fetch(self, db, school_id)

    monkeypatch.setattr(PupilsScreen, "fetch", counted)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#pupils", DataTable)
        assert table.row_count == 2 and fetched == []
        await pilot.click("#filter-left")  # a filter changed: read afresh
        await settle(pilot)
        assert fetched == [app.school.id if app.school else -1]
