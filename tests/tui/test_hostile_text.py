"""Text people type is shown as typed: square brackets are not markup, nothing crashes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from sencoplan.domain.models import Module, Pupil, School, StaffMember
from sencoplan.store.catalogue import save_module
from sencoplan.store.db import open_database
from sencoplan.store.pupils import save_pupil
from sencoplan.store.schools import save_school
from sencoplan.store.staff import save_staff
from sencoplan.tui.app import create_app
from tests.tui.conftest import TODAY, settle, text_of


async def test_names_with_brackets_are_shown_not_parsed(tmp_path: Path) -> None:
    db_path = tmp_path / "odd.db"
    db = open_database(db_path)
    school = save_school(db, School(name="St [Bride's] [/] School"))
    assert school.id is not None
    save_pupil(
        db,
        Pupil(
            school_id=school.id,
            display_name="Test Bracket [/]",
            year_group="3",
            tier="targeted",
            primary_need="SLCN",
            reg_group="[b]3",
        ),
    )
    save_staff(db, StaffMember(school_id=school.id, name="[red]Ms Odd[/red]", role="teacher"))
    save_module(db, Module(code="X1", title="Brackets [/b] course", needs=("SLCN",)))
    db.close()

    app = create_app(db_path, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        assert app.title == "sencoplan — St [Bride's] [/] School"
        table = app.screen.query_one("#pupils", DataTable)
        assert str(table.get_row_at(0)[0]) == "Test Bracket [/]"
        for key, table_id in (("2", "#staff"), ("3", "#modules"), ("4", "#priorities")):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen.query_one(table_id, DataTable).row_count == 1
        assert "[red]Ms Odd[/red]" in text_of(app.screen.query_one("#need-detail", Static))
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#field-upn", Input).value = "[/b]"
        app.screen.query_one("#field-year_group", Input).value = "[b]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "'[/b]'" in text_of(app.screen.query_one("#error-upn", Static))
        assert "'[b]'" in text_of(app.screen.query_one("#error-year_group", Static))
