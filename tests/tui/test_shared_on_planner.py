"""A session another school in the trust shares: on this school's Planner, marked, and
changed only where it is run."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Select

from sencoplan.cli import main
from sencoplan.store.db import open_database
from sencoplan.tui.app import create_app
from sencoplan.tui.screens.form import RecordForm
from sencoplan.tui.screens.planner import PlannerScreen
from tests.tui.conftest import TODAY, settle


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, int, int]:
    """The sample trust, Riverside's spring planned and its first session shared with
    Oakfield: the file, Oakfield's spring term and the shared session."""
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    argv = ["plan", "suggest", "--term", "Spring 2027", "--school", "riverside", "--save"]
    assert main([*argv, "--db", str(path)]) == 0
    db = open_database(path)
    (session,) = db.execute("SELECT MIN(id) FROM sessions").fetchone()
    (term,) = db.execute(
        "SELECT t.id FROM terms t JOIN schools s ON s.id = t.school_id "
        "WHERE s.name LIKE 'Oak%' AND t.name = 'Spring 2027'"
    ).fetchone()
    db.close()
    assert main(["session", "share", str(session), "--with", "oakfield", "--db", str(path)]) == 0
    return path, term, session


async def test_the_shared_session_is_on_the_guest_planner_and_not_changed_there(
    shared: tuple[Path, int, int],
) -> None:
    path, term, session = shared
    app = create_app(path, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        assert app.school is not None and app.school.name.startswith("Oakfield")
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlannerScreen)
        screen.query_one("#planner-term", Select).value = term
        await settle(pilot)
        table = screen.query_one("#planner-sessions", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        (row,) = [r for r in rows if r[0] == str(session)]
        assert row[4].endswith("(shared across the trust)")
        table.focus()
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)  # changed on Riverside's Planner
