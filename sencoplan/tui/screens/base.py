"""What every main screen shares: a header and footer, and loading its data in a worker."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from sqlite_utils import Database
from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from sencoplan.domain.models import StaffMember
from sencoplan.domain.names import ids_from_names

if TYPE_CHECKING:
    from sencoplan.tui.app import SencoplanApp

T = TypeVar("T")

SLOW_LOAD = 0.3
"""Seconds a screen's data may take before its tables show a loading indicator."""


def panel_binding(description: str, key: str = "space") -> Binding:
    """A key (space unless the screen's focused widgets take it) for what a screen's side
    panel shows, in a dialog. The panel is hidden (or cut to a strip) on a narrow
    terminal, under the app's NARROW columns; the key is offered only there."""
    return Binding(
        key,
        "panel",
        description,
        id="side-panel",
        tooltip="What the side panel shows (hidden on a narrow terminal), whole",
    )


def sencoplan_app(app: object) -> SencoplanApp:
    """The running app, typed: screens reach the database path, today and the school here."""
    from sencoplan.tui.app import SencoplanApp

    assert isinstance(app, SencoplanApp)
    return app


class DataScreen(Screen[None], Generic[T]):
    """A screen that shows one school's data, reloaded whenever the data changes.

    Only the newest load counts: its data is the one shown, and the loading indicator is
    up only while it runs. An older load (overtaken by a newer one) shows nothing, and
    neither its end nor its failure touches the indicator. A load that ends without
    showing anything (it failed, or was cancelled) leaves the screen marked out of date,
    so it loads again the next time it is shown.
    """

    _loaded_version = -1
    _slow: Timer | None = None
    _latest: Worker[None] | None = None
    """The newest load started."""
    _waiting = False
    """Whether the newest load's data is still to come (the indicator may be up)."""

    @property
    def sencoplan(self) -> SencoplanApp:
        return sencoplan_app(self.app)

    def on_screen_resume(self) -> None:
        if self._loaded_version != self.sencoplan.data_version:
            self.reload()
        elif getattr(self, "_shown_presenter", None) not in (None, self.sencoplan.presenter):
            self.presenter_changed()

    PANEL: ClassVar[str | None] = None
    """The Static whose content the side panel shows, for a screen with `panel_binding`."""

    def action_panel(self) -> None:
        from sencoplan.tui.screens.detail import DetailScreen

        if self.PANEL is not None:
            self.app.push_screen(DetailScreen(self.query_one(self.PANEL, Static).content))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The side panel's key only where the panel is hidden."""
        if action == "panel":
            return self.app.has_class("-narrow")
        return True

    def presenter_changed(self) -> None:
        """Presenter mode turned on or off: a screen that names pupils shows what it holds
        (`_view`) again at once, not after a reload, so no name stays a moment longer."""
        held = getattr(self, "_view", None)
        if held is not None:
            self.show(held)

    def reload(self) -> None:
        school = self.sencoplan.school
        if school is None or school.id is None:
            return
        self._loaded_version = self.sencoplan.data_version
        self._waiting = True
        if self._slow is None:
            self._slow = self.set_timer(SLOW_LOAD, self._show_loading)
        self._latest = self._load(school.id)

    def is_latest(self, worker: Worker[Any]) -> bool:
        """Whether this worker is the screen's newest load (what it reports is wanted)."""
        return worker is self._latest

    def _show_loading(self) -> None:
        """Still working after a moment (a whole trust, a national file): say so.

        The timer's callback is queued on the screen (Textual's set_timer calls it through
        call_next), so it may run after the data has arrived and the timer was stopped:
        then there is nothing to wait for, and no indicator."""
        if not self._waiting:
            return
        for table in self.query(DataTable):
            table.loading = True

    def _finished(self) -> None:
        """The newest load has ended: the indicator goes (or never comes)."""
        self._waiting = False
        if self._slow is not None:
            self._slow.stop()
            self._slow = None
        for table in self.query(DataTable):
            table.loading = False

    def _loaded(self, worker: Worker[None], data: T) -> None:
        if not self.is_latest(worker):  # a newer load was started: its data is newer
            return
        indicated = any(table.loading for table in self.query(DataTable))
        self._finished()
        if indicated:
            # Rows added in the same turn as a table's loading indicator goes are never
            # measured (Textual 8): columns stay as wide as their headings ("£5,1" for
            # £5,193). Added once the table is uncovered, they are.
            self.call_after_refresh(self.show, data)
        else:
            self.show(data)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, school_id: int) -> None:
        worker = get_current_worker()
        db = self.sencoplan.connect()
        try:
            with self.sencoplan.file_watch.reading(db):  # storing priority lines is no news
                data = self.fetch(db, school_id)
        finally:
            db.close()
        if worker.is_cancelled:  # a newer load was started: no need to hand this over
            return
        self.app.call_from_thread(self._loaded, worker, data)

    def fetch(self, db: Database, school_id: int) -> T:
        """Read what the screen shows (runs in a worker thread)."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Put the data on screen (runs on the UI thread)."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Worker messages do not bubble: hand failures to the app's one handler.

        The newest load ending without its data shown (it failed, or was cancelled): no
        indicator, and the screen loads again when next shown."""
        unshown = event.state in (WorkerState.ERROR, WorkerState.CANCELLED) or (
            event.state is WorkerState.SUCCESS and self._waiting
        )
        if unshown and self.is_latest(event.worker):
            self._finished()
            self._loaded_version = -1
        self.sencoplan.on_worker_state_changed(event)


def staff_ids_from_names(staff: Mapping[int, StaffMember], text: str) -> tuple[int, ...]:
    """'Amira Khan; Ben Jones' -> staff ids, in order; an unknown name is an error."""
    return ids_from_names({i: member.name for i, member in staff.items()}, text)


def staff_id_from_name(staff: Mapping[int, StaffMember], text: str) -> int:
    """One person, by name (any case)."""
    ids = staff_ids_from_names(staff, text)
    if len(ids) != 1:
        raise ValueError("give one member of staff's name")
    return ids[0]


def file_stem(*parts: str) -> str:
    """A file name from names people type: 'Spring 2026/27' -> 'spring-2026-27'."""
    stem = re.sub(r"[^\w]+", "-", " ".join(parts).casefold()).strip("-")
    return stem or "sencoplan"


def plain_row(table: DataTable[Any], *values: object, key: str | None = None) -> None:
    """Add a row whose text is shown as typed: a name like 'Bracket [/]' is not markup."""
    table.add_row(
        *(value if isinstance(value, Text) else Text(str(value)) for value in values), key=key
    )


def selected_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return row_key.value


def restore_cursor(table: DataTable[Any], key: str | None) -> None:
    """After a reload, put the cursor back on the same record if it is still there."""
    if key is None:
        return
    try:
        table.move_cursor(row=table.get_row_index(key))
    except Exception:  # the row has gone (deleted or filtered out)
        table.move_cursor(row=0)
