"""A screen's loading indicator always ends, and the newest load is the one shown.

Found in a new-user walkthrough: after a long session the Priorities screen showed only
its side panel and the loading indicator, for good (also after switching screens and
back), until v was pressed twice. The indicator is put up by a timer whose callback
Textual queues on the screen (set_timer goes through call_next), while the data arrives
by call_from_thread: a load ending just as the timer fired was shown, and then the queued
callback put the indicator up with nothing left to take it down.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.timer import Timer
from textual.widgets import DataTable, Label, ProgressBar
from textual.worker import Worker, WorkerState

from sencoplan.domain.models import School
from sencoplan.store.db import StoreError
from sencoplan.store.schools import save_school
from sencoplan.tui import app as app_module
from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens import base, priorities
from sencoplan.tui.screens.priorities import PrioritiesScreen
from tests.tui.conftest import PATIENCE, TODAY, outside, settle, text_of


class Gate:
    """PrioritiesScreen.fetch held until the test lets each call through, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[threading.Event] = []
        self.results: list[object] = []
        self.lock = threading.Lock()
        fetch = PrioritiesScreen.fetch
        gate = self

        def held(screen: PrioritiesScreen, *args: Any) -> object:
            opened = threading.Event()
            with gate.lock:
                gate.calls.append(opened)
            assert opened.wait(PATIENCE), "the test never let this load through"
            result = fetch(screen, *args)
            gate.results.append(result)
            return result

        monkeypatch.setattr(PrioritiesScreen, "fetch", held)

    def open(self, index: int) -> None:
        self.calls[index].set()

    def open_all(self) -> None:
        for opened in self.calls:
            opened.set()


async def until(condition: Callable[[], bool]) -> None:
    """Wait without pilot.pause, which waits for the screen (kept busy in some tests)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "the app did not get there in time"
        await asyncio.sleep(0.01)


def timer_fired(timer: Timer | None) -> bool:
    """A one-off timer has gone off: its callback is queued on the screen (Textual's timer
    task ends once it has posted it)."""
    task = getattr(timer, "_task", None)
    return task is not None and task.done()


def loads(app: SencoplanApp) -> list[Worker[Any]]:
    return [w for w in app.workers if w.node is app.screen and w.group == "load"]


def loading(app: SencoplanApp) -> bool:
    return any(table.loading for table in app.screen.query(DataTable))


async def on_priorities(pilot: Pilot[None], app: SencoplanApp) -> PrioritiesScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(app.screen, PrioritiesScreen)
    assert not loading(app)
    return app.screen


@pytest.fixture
def quick_indicator(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(base, "SLOW_LOAD", 0.05)
    yield


async def test_a_load_ending_as_the_indicator_is_due_leaves_no_indicator(
    quick_indicator: None, small_app: SencoplanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        screen = await on_priorities(pilot, small_app)
        gate = Gate(monkeypatch)
        busy, holding = asyncio.Event(), asyncio.Event()

        async def hold() -> None:  # the screen is handling something else for a moment
            holding.set()
            await busy.wait()

        screen.call_later(hold)
        await until(holding.is_set)
        screen.reload()
        [worker] = loads(small_app)
        await until(lambda: len(gate.calls) == 1)
        await until(lambda: timer_fired(screen._slow))  # its callback is queued, not run
        assert not loading(small_app)
        gate.open(0)
        await until(lambda: worker.state is WorkerState.SUCCESS)
        busy.set()  # the screen gets to the queued callback after the data was shown
        await settle(pilot)
        assert not loading(small_app)
        assert screen.query_one("#priorities", DataTable).row_count == 2

        await pilot.press("1")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert not loading(small_app)


async def test_an_overtaken_load_shows_nothing_and_the_indicator_stays_for_the_newer(
    quick_indicator: None, small_app: SencoplanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older load that had finished reading when a newer one began: its data is dropped
    (it may be from before the change that asked for the newer one), and the indicator
    stays up until the newer load's data is shown."""
    async with small_app.run_test(size=(160, 45)) as pilot:
        screen = await on_priorities(pilot, small_app)
        gate = Gate(monkeypatch)
        shown: list[object] = []
        show = PrioritiesScreen.show

        def showing(self: PrioritiesScreen, data: Any) -> None:
            shown.append(data)
            show(self, data)

        monkeypatch.setattr(PrioritiesScreen, "show", showing)
        handing_over = threading.Event()
        call_from_thread = small_app.call_from_thread

        def handing(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            if getattr(callback, "__name__", "") == "_loaded":
                handing_over.set()
            return call_from_thread(callback, *args, **kwargs)

        monkeypatch.setattr(small_app, "call_from_thread", handing)
        landed: list[object] = []
        loaded = PrioritiesScreen._loaded

        def _loaded(self: PrioritiesScreen, worker: Worker[None], data: Any) -> None:
            landed.append(worker)
            loaded(self, worker, data)

        monkeypatch.setattr(PrioritiesScreen, "_loaded", _loaded)

        screen.reload()  # the older load
        await until(lambda: len(gate.calls) == 1)
        await until(lambda: loading(small_app))
        gate.open(0)
        assert handing_over.wait(PATIENCE)  # its data is on the way to the screen...
        screen.reload()  # ...when a newer load begins (the UI thread has not let it land)
        await until(lambda: len(gate.calls) == 2)
        await until(lambda: len(landed) == 1)  # the older load's data reached the screen
        assert shown == [], "the overtaken load's data was shown"
        assert loading(small_app), "the indicator went while the newer load was running"
        gate.open(1)
        await settle(pilot)
        assert shown == [gate.results[1]]
        assert not loading(small_app)


async def test_a_failed_load_is_tried_again_when_the_screen_is_next_shown(
    quick_indicator: None, small_app: SencoplanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with small_app.run_test(size=(160, 45)) as pilot:
        screen = await on_priorities(pilot, small_app)
        fetch = PrioritiesScreen.fetch
        calls = []

        def busy_once(self: PrioritiesScreen, *args: Any) -> object:
            calls.append(args)
            if len(calls) == 1:
                time.sleep(0.2)
                raise StoreError("the database is busy")
            return fetch(self, *args)

        monkeypatch.setattr(PrioritiesScreen, "fetch", busy_once)
        screen.query_one("#priorities", DataTable).clear()
        screen.reload()
        [worker] = loads(small_app)
        await until(lambda: worker.state is WorkerState.ERROR)  # (settle would raise it)
        await pilot.pause()
        await pilot.pause()
        assert not loading(small_app)
        assert any("busy" in str(n.message) for n in small_app._notifications)
        assert screen.query_one("#priorities", DataTable).row_count == 0

        await pilot.press("1")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert len(calls) == 2
        assert not loading(small_app)
        assert screen.query_one("#priorities", DataTable).row_count == 2


async def test_an_overtaken_whole_file_load_does_not_report_progress(
    small_app: SencoplanApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """v for every school (the first time: its lines worked out, with a progress bar), v
    back before that ends: the school's view stays as it is, with no bar from the other."""
    async with small_app.run_test(size=(160, 45)) as pilot:
        screen = await on_priorities(pilot, small_app)
        load_priorities = priorities.load_priorities  # type: ignore[attr-defined]
        opened, finished = threading.Event(), threading.Event()

        def slow_whole_file(db: Any, today: Any, school_id: Any, **kwargs: Any) -> Any:
            if school_id is None:
                assert opened.wait(PATIENCE)
                kwargs["progress"](1, 3)
            result = load_priorities(db, today, school_id, **kwargs)
            if school_id is None:
                finished.set()
            return result

        monkeypatch.setattr(priorities, "load_priorities", slow_whole_file)
        await pilot.press("v")
        await pilot.press("v")
        await settle(pilot)  # the school's load (the whole file's was overtaken, and waits)
        scope = screen.query_one("#priorities-scope", Label)
        assert "Oak Primary" in text_of(scope)
        opened.set()
        await until(finished.is_set)
        await settle(pilot)
        assert "Oak Primary" in text_of(scope)
        assert not screen.query_one("#priorities-progress", ProgressBar).display
        assert not loading(small_app)


async def test_an_overtaken_load_of_the_schools_does_not_bring_back_an_older_list(
    no_watch: None, small_app: SencoplanApp, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two reloads of the schools (another process wrote twice): the older one, ending
    last, does not put back the list it read before the second write."""
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        list_schools = app_module.school_entries  # type: ignore[attr-defined]
        read_first, go_on = threading.Event(), threading.Event()

        def held(db: Any) -> Any:
            schools = list_schools(db)
            if not read_first.is_set():
                read_first.set()
                assert go_on.wait(PATIENCE)
            return schools

        handed_over = threading.Event()
        call_from_thread = small_app.call_from_thread

        def handing(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            result = call_from_thread(callback, *args, **kwargs)
            if getattr(callback, "__name__", "") == "_schools_loaded" and go_on.is_set():
                handed_over.set()
            return result

        monkeypatch.setattr(app_module, "school_entries", held)
        monkeypatch.setattr(small_app, "call_from_thread", handing)
        small_app.load_schools()  # reads one school, then waits
        await until(read_first.is_set)
        outside(small_db, lambda db: save_school(db, School(name="Birch Academy")))
        small_app.load_schools()
        await until(lambda: "Birch Academy" in [s.name for s in small_app.schools])
        go_on.set()
        await until(handed_over.is_set)
        await settle(pilot)
        assert "Birch Academy" in [s.name for s in small_app.schools]


async def test_a_school_asked_for_is_shown_when_a_reload_overtakes_its_load(
    no_watch: None, small_db: Path
) -> None:
    """w, a school chosen, and at once a reload for a write by another process (before the
    first load had begun): the reload shows the school chosen."""
    outside(small_db, lambda db: save_school(db, School(name="Yew Academy")))
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert app.school is not None and app.school.name == "Oak Primary"
        yew = next(s.id for s in app.schools if s.name == "Yew Academy")
        app.load_schools(select_id=yew)
        app.load_schools()  # the first load is cancelled before its thread began
        await settle(pilot)
        assert app.school is not None and app.school.name == "Yew Academy"
