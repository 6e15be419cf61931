"""The open app notices what another process writes to its file (a `sencoplan import` or a
purge in a terminal, a second window), and says plainly when a record it shows is gone."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Pupil, School
from sencoplan.store.db import connect, write_transaction
from sencoplan.store.pupils import save_pupil
from sencoplan.store.schools import save_school
from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.confirm import ConfirmScreen
from sencoplan.tui.screens.form import RecordForm
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import (
    PATIENCE,
    TODAY,
    count,
    edit_pupil,
    outside,
    settle,
    wait_until,
)

QUICK = 0.05
"""The watcher's interval in these tests (seconds)."""


@pytest.fixture
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SencoplanApp, "WATCH_INTERVAL", QUICK)


async def watcher_looks(pilot: Pilot[None], app: SencoplanApp, times: int = 3) -> None:
    """Let the watcher look at the file a few more times (for what must NOT happen)."""
    await settle(pilot)
    start = app.file_watch.looks
    await wait_until(pilot, lambda: app.file_watch.looks >= start + times)
    await settle(pilot)


def names(app: SencoplanApp) -> list[str]:
    table = app.screen.query_one("#pupils", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def school_id(app: SencoplanApp) -> int:
    assert app.school is not None and app.school.id is not None
    return app.school.id


def new_pupil(school: int) -> Callable[..., object]:
    pupil = Pupil(
        school_id=school,
        display_name="Noor Ali",
        year_group="3",
        tier=Tier.TARGETED,
        primary_need=NeedType.SEMH,
    )
    return lambda db: save_pupil(db, pupil)


def dump(db_path: Path) -> list[tuple[object, ...]]:
    db = connect(db_path)
    try:
        return [tuple(row) for row in db.execute("SELECT * FROM pupils ORDER BY id").fetchall()]
    finally:
        db.close()


def gone_said(app: SencoplanApp) -> bool:
    return any("no longer in the file" in str(n.message) for n in app._notifications)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many times the register read its pupils, and the app its schools."""
    calls = {"register": 0, "schools": 0}
    fetch, load = PupilsScreen.fetch, SencoplanApp.load_schools

    def counting_fetch(self: PupilsScreen, *args: object) -> object:
        calls["register"] += 1
        return fetch(self, *args)  # type: ignore[arg-type]

    def counting_load(self: SencoplanApp, *args: object) -> None:
        calls["schools"] += 1
        load(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PupilsScreen, "fetch", counting_fetch)
    monkeypatch.setattr(SencoplanApp, "load_schools", counting_load)
    yield calls


async def test_a_pupil_and_a_school_written_outside_appear(
    quick_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "Noor Ali" not in names(small_app)
        outside(small_db, new_pupil(school_id(small_app)))
        await wait_until(pilot, lambda: "Noor Ali" in names(small_app))

        outside(small_db, lambda db: save_school(db, School(name="Birch Academy")))
        await wait_until(pilot, lambda: "Birch Academy" in [s.name for s in small_app.schools])
        assert small_app.school is not None and small_app.school.name == "Oak Primary"


async def test_a_school_imported_on_the_command_line_appears(
    quick_watch: None, small_app: SencoplanApp, small_db: Path, tmp_path: Path
) -> None:
    """`sencoplan import` in a terminal, while the app is open on the same file."""
    source = tmp_path / "birch-staff.csv"
    source.write_text("Name,Role,FTE,CPD Hours,Start Date\nDee Okafor,SENCO,1,20,\n", "utf-8")
    command = [sys.executable, "-m", "sencoplan", "import", "staff", str(source)]
    command += ["--school", "Birch Academy", "--db", str(small_db)]
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=Path(__file__).parents[2],
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, errors = await asyncio.wait_for(process.communicate(), PATIENCE)
        assert process.returncode == 0, errors.decode()
        await wait_until(pilot, lambda: "Birch Academy" in [s.name for s in small_app.schools])


async def test_the_apps_own_edit_is_not_reloaded_twice(
    quick_watch: None, small_app: SencoplanApp, small_db: Path, counted: dict[str, int]
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await watcher_looks(pilot, small_app)
        before = dict(counted)
        await edit_pupil(pilot, small_app, row=1)  # Zoë O'Brien
        small_app.screen.query_one("#field-tier", Select).value = "targeted_plus"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await watcher_looks(pilot, small_app)
        assert counted["register"] == before["register"] + 1  # the reload after saving
        assert counted["schools"] == before["schools"]

        # the same watcher does notice a write from outside
        outside(small_db, new_pupil(school_id(small_app)))
        await wait_until(pilot, lambda: "Noor Ali" in names(small_app))
        await watcher_looks(pilot, small_app)  # and reloading is not itself news
        assert counted["schools"] == before["schools"] + 1
        assert counted["register"] == before["register"] + 2


async def test_a_look_between_the_apps_commit_and_its_reload_is_not_news(
    quick_watch: None,
    small_app: SencoplanApp,
    counted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app's save commits in a worker, and the app reloads a moment later: a look in
    between (likely on a busy machine; made certain here) must not take it for news."""
    dismiss = RecordForm.dismiss

    def slowly(form: RecordForm[Any], result: Any = None) -> Any:
        deadline = time.monotonic() + PATIENCE
        looked = small_app.file_watch.looks
        while small_app.file_watch.looks < looked + 3:  # the watcher looks, and looks again
            assert time.monotonic() < deadline
            time.sleep(QUICK)
        return dismiss(form, result)

    monkeypatch.setattr(RecordForm, "dismiss", slowly)
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await watcher_looks(pilot, small_app)
        before = dict(counted)
        await edit_pupil(pilot, small_app, row=1)  # Zoë O'Brien
        small_app.screen.query_one("#field-tier", Select).value = "targeted_plus"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(small_app.screen, PupilsScreen))
        await watcher_looks(pilot, small_app)
        assert counted["register"] == before["register"] + 1  # the reload after saving
        assert counted["schools"] == before["schools"]  # and no reload for "news"


async def test_lines_the_priorities_screen_keeps_are_not_news(
    quick_watch: None, small_app: SencoplanApp, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its trust view stores the priority lines it worked out: a write, but the app's own."""
    from sencoplan.tui.screens.priorities import PrioritiesScreen

    loads = []
    fetch = PrioritiesScreen.fetch

    def counting_fetch(self: PrioritiesScreen, *args: object) -> object:
        loads.append(1)
        return fetch(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PrioritiesScreen, "fetch", counting_fetch)
    assert count(small_db, "SELECT COUNT(*) FROM priority_cache") == 0
    async with small_app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: len(loads) == 1)
        await settle(pilot)
        await pilot.press("v")  # every school in the file
        await wait_until(pilot, lambda: len(loads) == 2)
        await watcher_looks(pilot, small_app)
        assert count(small_db, "SELECT COUNT(*) FROM priority_cache") == 1
        assert len(loads) == 2


async def test_a_write_just_before_lines_are_kept_is_still_noticed(
    no_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    """A school added outside, then (before the watcher's next look) a load that keeps lines:
    the outside write is told, not taken for the app's own."""
    async with small_app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        outside(small_db, lambda db: save_school(db, School(name="Birch Academy")))
        await pilot.press("v")
        await wait_until(pilot, lambda: "Birch Academy" in [s.name for s in small_app.schools])
        assert count(small_db, "SELECT COUNT(*) FROM priority_cache") == 2


async def test_an_open_form_is_left_alone_until_it_closes(
    quick_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        form = await edit_pupil(pilot, small_app, row=1)  # Zoë O'Brien
        field = form.query_one("#field-reg_group", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"4J half typed")
        outside(small_db, new_pupil(school_id(small_app)))
        await watcher_looks(pilot, small_app)
        assert small_app.screen is form
        assert field.value == "4J half typed" and field.has_focus
        await pilot.press("escape")  # what was typed would be lost: asked first
        await settle(pilot)
        assert isinstance(small_app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert small_app.screen is form and field.value == "4J half typed"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(small_app.screen, PupilsScreen))
        await wait_until(pilot, lambda: "Noor Ali" in names(small_app))


async def test_editing_a_pupil_removed_outside_is_said_plainly(
    no_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert names(small_app) == ["Ann Smith", "Zoë O'Brien"]
        outside(small_db, lambda db: db.execute("DELETE FROM pupils WHERE upn = 'V951200005001'"))
        before = dump(small_db)
        # Zoë O'Brien, still shown: the app has not looked yet
        await edit_pupil(pilot, small_app, row=1)
        small_app.screen.query_one("#field-tier", Select).value = "targeted_plus"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: gone_said(small_app))
        await wait_until(pilot, lambda: names(small_app) == ["Ann Smith"])  # reloaded
        assert isinstance(small_app.screen, PupilsScreen)
        assert not any("NotFound" in str(n.message) for n in small_app._notifications)
        assert dump(small_db) == before


async def test_deleting_a_pupil_removed_outside_is_said_plainly(
    no_watch: None, small_app: SencoplanApp, small_db: Path
) -> None:
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        outside(small_db, lambda db: db.execute("DELETE FROM pupils WHERE upn = 'V951200005001'"))
        before = dump(small_db)
        table = small_app.screen.query_one("#pupils", DataTable)
        table.focus()
        table.move_cursor(row=1)  # Zoë O'Brien
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await wait_until(pilot, lambda: gone_said(small_app))
        await wait_until(pilot, lambda: names(small_app) == ["Ann Smith"])
        messages = [str(n.message) for n in small_app._notifications]
        assert not any("NotFound" in message for message in messages)
        assert not any(message.startswith("Deleted") for message in messages)
        assert dump(small_db) == before


async def test_the_watcher_stops_with_the_app(quick_watch: None, small_db: Path) -> None:
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await watcher_looks(pilot, app)
        assert app.file_watch.running
    deadline = time.monotonic() + PATIENCE
    while app.file_watch.running:
        assert time.monotonic() < deadline, "the watcher's thread is still running"
        time.sleep(0.05)


async def test_a_load_that_keeps_what_it_worked_out_part_way_is_not_news(
    quick_watch: None,
    small_app: SencoplanApp,
    counted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A whole file's priority lines are kept a hundred schools at a time, each batch its
    own commit: a look between two batches must not take the first for news (which
    reloaded and restarted the load every couple of seconds; found in review)."""
    fetch = PupilsScreen.fetch
    armed = {"on": False, "kept": False}

    def watcher_looks_from_a_thread(times: int) -> None:
        looked = small_app.file_watch.looks
        deadline = time.monotonic() + PATIENCE
        while small_app.file_watch.looks < looked + times:
            assert time.monotonic() < deadline
            time.sleep(QUICK)

    def keeps_part_way(self: PupilsScreen, db: Any, school: int) -> Any:
        if armed["on"]:
            armed["on"] = False
            watcher_looks_from_a_thread(2)  # past the look that takes the reload's own write
            with write_transaction(db):  # a batch kept, committed
                db.execute(
                    "INSERT OR REPLACE INTO priority_cache (school_id, computed_on, lines) "
                    "VALUES (?, '2026-11-23', '[]')",
                    (school,),
                )
            watcher_looks_from_a_thread(3)  # the watcher looks between the batches
            armed["kept"] = True
        return fetch(self, db, school)

    monkeypatch.setattr(PupilsScreen, "fetch", keeps_part_way)
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await watcher_looks(pilot, small_app)
        before = dict(counted)
        armed["on"] = True
        small_app.data_changed()  # a reload, whose load writes part way
        await wait_until(pilot, lambda: armed["kept"])
        await watcher_looks(pilot, small_app)
        assert counted["schools"] == before["schools"]  # no reload for "news"
