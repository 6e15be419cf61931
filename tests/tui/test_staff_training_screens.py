"""The Staff and Training screens: what people hold, what lapses, recording training."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.staff import StaffScreen
from sencoplan.tui.screens.training import TrainingScreen
from tests.tui.conftest import count, settle, text_of


def table_rows(app: SencoplanApp, table_id: str) -> dict[str, list[str]]:
    table = app.screen.query_one(table_id, DataTable)
    found = {}
    for index in range(table.row_count):
        row = [str(cell) for cell in table.get_row_at(index)]
        found[row[0]] = row
    return found


async def test_staff_screen_shows_training_and_what_lapses(small_app: SencoplanApp) -> None:
    async with small_app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(small_app.screen, StaffScreen)
        staff = table_rows(small_app, "#staff")
        assert set(staff) == {"Amira Khan", "Ben Ó Briain", "Cara Jones"}
        assert staff["Amira Khan"][1] == "SENCO"
        # Cara's medication training (12-month refresh, done 10/10/2025) lapsed on 10/10/2026.
        assert staff["Cara Jones"][4] == "1"  # SLCN2 still valid
        assert staff["Cara Jones"][6] == "MED1"
        highlight(small_app, "Cara Jones")
        await settle(pilot)
        detail = text_of(small_app.screen.query_one("#staff-detail-text", Static))
        assert "MED1 Epilepsy and rescue medication" in detail
        assert "lapsed 10/10/2026" in detail


async def test_record_training_from_the_staff_screen(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        small_app.screen.query_one("#staff", DataTable).focus()  # Amira Khan is first
        await pilot.press("t")
        await settle(pilot)
        form = small_app.screen
        module = form.query_one("#field-module_id", Select)
        module.value = next(value for label, value in module._options if "AUT1" in str(label))
        form.query_one("#field-completed", Input).value = "01/12/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "future" in text_of(form.query_one("#error-completed", Static))
        form.query_one("#field-completed", Input).value = "20/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(small_app.screen, StaffScreen)
        assert table_rows(small_app, "#staff")["Amira Khan"][4] == "1"
    assert (
        count(
            small_db,
            "SELECT COUNT(*) FROM training_records t JOIN staff s ON s.id = t.staff_id "
            "WHERE s.name = 'Amira Khan' AND t.completed = '2026-11-20'",
        )
        == 1
    )


async def test_training_catalogue_add_module_with_validation(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(small_app.screen, TrainingScreen)
        modules = table_rows(small_app, "#modules")
        assert set(modules) == {"AUT1", "MED1", "SLCN2"}
        assert modules["AUT1"][8] == "1"  # Ben holds it
        assert modules["MED1"][8] == "0"  # Cara's has lapsed

        await pilot.press("a")
        await settle(pilot)
        form = small_app.screen
        form.query_one("#field-code", Input).value = "SEMH1"
        form.query_one("#field-title", Input).value = "Emotion coaching"
        form.query_one("#field-needs", Input).value = "SEMH; feelings"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown need type or broad area 'feelings'" in text_of(
            form.query_one("#error-needs", Static)
        )
        form.query_one("#field-needs", Input).value = "Social, emotional and mental health"
        form.query_one("#field-refresh_months", Input).value = "24"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(small_app.screen, TrainingScreen)
        assert "SEMH1" in table_rows(small_app, "#modules")
    assert count(small_db, "SELECT refresh_months FROM modules WHERE code = 'SEMH1'") == 24


async def test_deleting_a_module_in_use_is_refused_with_a_reason(
    small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        small_app.screen.query_one("#modules", DataTable).focus()  # AUT1 first, Ben holds it
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(small_app.screen, TrainingScreen)  # refused before asking
        messages = [notification.message for notification in small_app._notifications]
        assert any(
            "AUT1 cannot be deleted: 1 in this school have training records" in message
            for message in messages
        )
    assert count(small_db, "SELECT COUNT(*) FROM modules WHERE code = 'AUT1'") == 1


async def test_staff_screen_shows_each_persons_rating_history(
    small_app: SencoplanApp, small_db: Path
) -> None:
    """Not only the latest survey: each need's ratings in turn, so a re-survey shows."""
    from sencoplan.store.db import connect

    with connect(small_db) as db:
        cara = db.execute("SELECT id FROM staff WHERE name = 'Cara Jones'").fetchone()[0]
        db.execute("DELETE FROM confidence WHERE staff_id = ?", (cara,))
        for rating, day in ((2, "2026-09-01"), (4, "2026-11-02")):
            db.execute(
                "INSERT INTO confidence (staff_id, need, rating, rated_on) VALUES (?, 'ASD', ?, ?)",
                (cara, rating, day),
            )
        db.execute(
            "INSERT INTO confidence (staff_id, need, rating, rated_on) "
            "VALUES (?, 'SLCN', 3, '2026-09-01')",
            (cara,),
        )
        db.commit()
    async with small_app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        highlight(small_app, "Cara Jones")
        await settle(pilot)
        detail = text_of(small_app.screen.query_one("#staff-detail-text", Static))
        assert "ASD: ●●●●○  2 (01/09/2026) → 4 (02/11/2026)" in detail
        assert "SLCN: ●●●○○  3 (01/09/2026)" in detail


def highlight(app: SencoplanApp, name: str) -> None:
    """Put the Staff screen's cursor on a person's row, by name."""
    table = app.screen.query_one("#staff", DataTable)
    table.focus()
    key = next(str(k.value) for k in table.rows if str(table.get_row(k)[0]) == name)
    table.move_cursor(row=table.get_row_index(key))


async def test_the_pupils_column_says_when_no_supports_are_recorded(
    small_app: SencoplanApp,
) -> None:
    """No supports file: every teacher and support adult counts for every pupil, and the
    column says so rather than showing nothing."""
    async with small_app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = small_app.screen.query_one("#staff", DataTable)
        cells = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert cells and set(cells) == {"all (no supports)"}
