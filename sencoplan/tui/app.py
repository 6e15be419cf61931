"""The app factory and the app: a header, a footer, modes for the main screens.

Screens live in screens/; this file only wires them together and holds the shared state
(the database path, the school being looked at, and a version that changes on every write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from sqlite_utils import Database
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from sencoplan.domain.models import School
from sencoplan.store import engine
from sencoplan.store.db import (
    connect,
    demo_db_path,
    join_the_file,
    open_database,
    write_transaction,
)
from sencoplan.store.errors import friendly_error, opening_failure
from sencoplan.store.schools import SchoolEntry, get_school, school_entries
from sencoplan.tui.screens.pupils import (
    FirstRegister,
    PupilsScreen,
    opening_filters,
    register_view,
)
from sencoplan.tui.watch import RECORD_GONE, FileWatch, OutsideChange, record_gone

MAIN_SCREENS = {
    "pupils": "Pupils",
    "staff": "Staff",
    "training": "Training",
    "priorities": "Priorities",
    "planner": "Planner",
    "succession": "Succession",
    "provision": "Provision",
}


def lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A screen imported the first time it is shown: start-up loads only the register.

    (The planner and exports pull in iCalendar, the help its Markdown widget: a few
    hundred milliseconds a user should not wait for before seeing their school.)
    """

    def make() -> Screen[Any]:
        from importlib import import_module

        screen: type[Screen[Any]] = getattr(import_module(f"sencoplan.tui.screens.{module}"), name)
        return screen()

    return make


class SencoplanApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "sencoplan"
    MODES: ClassVar[dict[str, Any]] = {
        "welcome": lazy_screen("welcome", "WelcomeScreen"),
        "pupils": PupilsScreen,  # the first screen: imported with the app
        "staff": lazy_screen("staff", "StaffScreen"),
        "training": lazy_screen("training", "TrainingScreen"),
        "priorities": lazy_screen("priorities", "PrioritiesScreen"),
        "planner": lazy_screen("planner", "PlannerScreen"),
        "succession": lazy_screen("succession", "SuccessionScreen"),
        "provision": lazy_screen("provision", "ProvisionScreen"),
    }
    # Help and Quit come first: on a narrow terminal the footer cuts from the right, and
    # they must stay (the screens' numbers are in F1 and the palette too).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="Keys and what each screen does"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave sencoplan"),
        Binding("1", "show('pupils')", "Pupils", id="pupils", tooltip="The SEN register"),
        Binding("2", "show('staff')", "Staff", id="staff", tooltip="Staff and their training"),
        Binding("3", "show('training')", "Training", id="training", tooltip="The catalogue"),
        Binding(
            "4",
            "show('priorities')",
            "Priorities",
            id="priorities",
            tooltip="Which training the needs on roll call for",
        ),
        Binding("5", "show('planner')", "Planner", id="planner", tooltip="The term's CPD plan"),
        Binding(
            "6",
            "show('succession')",
            "Succession",
            id="succession",
            tooltip="Who could step into each SEND role, and the risks",
        ),
        Binding(
            "7",
            "show('provision')",
            "Provision",
            id="provision",
            tooltip="The costed provision map",
        ),
        Binding("w", "switch_school", "School", id="school", tooltip="Switch school"),
        Binding(
            "i",
            "import_file",
            "Import",
            id="import",
            tooltip="Import a CSV or XLSX file",
            show=False,
        ),
        Binding(
            "ctrl+r",
            "toggle_presenter",
            "Presenter",
            id="presenter",
            tooltip="Presenter mode: pupils by initials, no UPN or date of birth",
            show=False,
        ),
    ]

    WATCH_INTERVAL: ClassVar[float] = 2.0
    """Seconds between looks at the file for writes by other processes (see watch.py)."""

    school: reactive[School | None] = reactive(None, init=False)
    data_version: reactive[int] = reactive(0, init=False)

    def __init__(
        self,
        db_path: Path | str,
        today: dt.date | None = None,
        demo_path: Path | None = None,
        presenter: bool = False,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.demo_path = demo_path or demo_db_path()
        self.today = today or dt.date.today()
        self.schools: list[SchoolEntry] = []
        self._holder: Database | None = None
        """A connection kept open while the app shows the file, so that `sencoplan restore`
        (which needs the file to itself) refuses to replace it under the app."""
        self.file_watch = FileWatch(self)
        self.presenter = presenter
        """Presenter mode: pupils shown by initials, UPN and date of birth hidden, for a
        screen shared in a meeting (see PupilsScreen)."""
        self.sub_title = self._file_label()

    PRESENTER_LABEL = "presenter mode: initials only"

    def _file_label(self) -> str:
        labels = [
            "invented demo data" if self.db_path == self.demo_path else "",
            self.PRESENTER_LABEL if self.presenter else "",
        ]
        return " · ".join(label for label in labels if label)

    def use_database(self, path: Path) -> None:
        """Look at another file (the demo trust, from the welcome screen)."""
        self.db_path = path
        self.sub_title = self._file_label()
        self._selecting = None
        self.school = None
        self.load_schools()

    # -- data -------------------------------------------------------------------------

    def connect(self) -> Database:
        """A connection for the calling thread (every worker opens its own)."""
        return connect(self.db_path)

    NARROW = 120
    """Below this many columns, side panels are hidden so the tables keep their columns."""

    def on_mount(self) -> None:
        self.load_schools()

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < self.NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.screen.refresh_bindings()  # the side panel's key comes and goes

    _schools_load: Worker[None] | None = None
    """The newest load of the schools: only what it read is shown."""
    _selecting: int | None = None
    """The school asked for (switch school) and not yet shown: a reload that overtakes
    the load that was to show it (another process wrote meanwhile) shows it instead."""

    def load_schools(self, select_id: int | None = None) -> None:
        """Open (and migrate) the file, then show the register or the welcome screen: the
        schools and the screen read afresh, with anything another process wrote."""
        self.file_watch.caught_up()
        if select_id is not None:
            self._selecting = select_id
        self._schools_load = self._load_schools()

    _first_register: FirstRegister | None = None

    def take_first_register(self) -> FirstRegister | None:
        """The register read as the file was opened, once (later loads read afresh)."""
        first, self._first_register = self._first_register, None
        return first

    @work(thread=True, group="schools", exclusive=True, exit_on_error=False)
    def _load_schools(self) -> None:
        worker = get_current_worker()
        opening = self.school is None and self._selecting is None
        wanted = self._selecting or (self.school.id if self.school else None)
        db = open_database(self.db_path)
        try:
            schools = school_entries(db)
            ids = [entry.id for entry in schools]
            chosen = get_school(db, wanted if wanted in ids else ids[0]) if ids else None
            if opening and chosen is not None and chosen.id is not None:
                self._first_register = self._read_first_register(db, chosen.id)
        finally:
            db.close()
        holder = connect(self.db_path)
        join_the_file(holder)
        self._holder = holder  # the one it replaces closes when collected
        self.call_from_thread(self._schools_loaded, worker, schools, chosen)

    def _read_first_register(self, db: Database, school_id: int) -> FirstRegister | None:
        """The register the app opens on, read in the same step as the schools. A page of
        it that cannot be read leaves it to the register's own load, which says so with
        how to restore (the file itself opened: the app is not the place to stop)."""
        filters = opening_filters(self.today)
        try:
            view = register_view(db, school_id, self.today, filters)
        except engine.DatabaseError:
            return None
        return FirstRegister(school_id, filters, view)

    opened = False
    """Whether the file has opened since the app started (its schools read once)."""
    opening_failure: str | None = None
    """Why the file could not be opened at the start (the app stopped; the command line
    prints it, unwrapped, where the command was typed)."""

    def _schools_loaded(
        self, worker: Worker[None], schools: list[SchoolEntry], chosen: School | None
    ) -> None:
        """The schools listed, and the one to show (the one asked for, or still shown, if
        it is still there; else the first)."""
        if worker is not self._schools_load:  # overtaken: a newer load read them later
            return
        self._selecting = None
        self.opened = True
        self.file_watch.follow(self.db_path, self.WATCH_INTERVAL)
        self.schools = schools
        self.refresh_bindings()
        if chosen is None:
            self.school = None
            self.switch_mode("welcome")
            return
        self.school = chosen
        if self.current_mode in ("_default", "welcome"):
            self.switch_mode("pupils")
        else:
            self.data_changed()

    def watch_school(self, school: School | None) -> None:
        self.title = f"sencoplan — {school.name}" if school else "sencoplan"
        self.data_changed()

    def data_changed(self) -> None:
        """Something was written or the school changed: the visible screen reloads."""
        self.file_watch.absorb()  # the app's own write is no news to reload for again
        self.data_version += 1
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()

    def run_write(
        self,
        change: Callable[[Database], Any],
        success: str,
        after: Callable[[Any], None] | None = None,
    ) -> None:
        """Apply a change in one transaction off the UI thread, then refresh and say so."""
        self._write(change, success, after)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(
        self,
        change: Callable[[Database], Any],
        success: str,
        after: Callable[[Any], None] | None,
    ) -> None:
        db = self.connect()
        try:
            with self.file_watch.writing(), write_transaction(db):
                result = change(db)
        finally:
            db.close()
        self.call_from_thread(self._written, result, success, after)

    def _written(self, result: Any, success: str, after: Callable[[Any], None] | None) -> None:
        if success:  # else `after` says what was done
            self.notify(success, markup=False)
        self.data_changed()
        if after:
            after(result)

    def on_outside_change(self, _: OutsideChange) -> None:
        """Another process wrote to the file: the schools and the screen again. Not under a
        dialog (a form keeps what is typed in it): the watcher says so again after."""
        if isinstance(self.screen, ModalScreen):
            self.file_watch.ask_again()
        else:
            self.load_schools()

    def on_unmount(self) -> None:
        self.file_watch.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Worker failures become a message instead of a crash."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            if event.worker.group == "schools" and not self.opened:
                # The file never opened: stop (rather than show a register with nothing in
                # it), and the command line says why where it was typed.
                self.opening_failure = opening_failure(self.db_path, event.worker.error)
                self.exit(return_code=1)
                return
            self.report_failure(event.worker.error)

    def report_failure(self, error: BaseException) -> None:
        """The one place a failure is said (a form says its own beside its fields): a record
        removed meanwhile by another process is said plainly, and the lists reloaded."""
        if record_gone(error):
            self.notify(RECORD_GONE, severity="warning", timeout=10, markup=False)
            self.load_schools()
        elif getattr(error, "sqlite_errorname", "") in {"SQLITE_CORRUPT", "SQLITE_NOTADB"}:
            from sencoplan.store.backup import restore_hint

            # Damaged part way through: it will not mend itself, so it stays said (a minute).
            self.notify(
                f"{self.db_path} cannot be read: {error}. Quit, then {restore_hint(self.db_path)}.",
                title="The file is damaged",
                severity="error",
                timeout=60,
                markup=False,
            )
        else:
            self.notify(friendly_error(error), severity="error", timeout=10, markup=False)

    # -- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No switching screens underneath an open dialog, nor before a school exists."""
        if action in {"show", "switch_school", "import_file", "help"} and isinstance(
            self.screen, ModalScreen
        ):
            return False
        if action == "switch_school":
            return len(self.schools) > 1
        return not (action == "show" and self.school is None)

    def action_show(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_toggle_presenter(self) -> None:
        """Pupils by initials (and back), on the screen in front of you at once.

        Not under a dialog: a pupil's form or an import's errors would keep showing what
        presenter mode hides, so the dialog must be closed first.
        """
        if isinstance(self.screen, ModalScreen):
            self.notify("Close this dialog first, then press ctrl+r", severity="warning")
            return
        self.presenter = not self.presenter
        if self.presenter:
            self.clear_notifications()  # "Saved Zoë O'Brien" must not stay in view
        self.sub_title = self._file_label()
        changed = getattr(self.screen, "presenter_changed", None)
        if callable(changed):
            changed()
        self.notify(
            "Presenter mode on: pupils by initials, no UPN or date of birth"
            if self.presenter
            else "Presenter mode off: pupils' names shown"
        )

    def action_help(self) -> None:
        from sencoplan.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_switch_school(self) -> None:
        from sencoplan.tui.screens.schools import SchoolSwitcher

        def chosen(school_id: int | None) -> None:
            if school_id is not None:
                self.load_schools(select_id=school_id)

        self.push_screen(SchoolSwitcher(self.schools, self.school), chosen)

    def action_import_file(self) -> None:
        from sencoplan.tui.screens.import_file import ImportScreen

        if self.presenter:  # an import's report quotes the rows it refuses
            self.notify("Presenter mode is on: press ctrl+r to turn it off, then import")
            return

        def finished(imported: bool | None) -> None:
            if imported:
                self.load_schools()

        self.push_screen(ImportScreen(self.school.name if self.school else ""), finished)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every screen by its name in the command palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        if self.school is not None:
            for mode, name in MAIN_SCREENS.items():
                yield SystemCommand(
                    name, f"Open the {name} screen", lambda mode=mode: self.action_show(mode)
                )
            yield SystemCommand(
                "Switch school", "Look at another school", self.action_switch_school
            )
        yield SystemCommand("Import a file", "Import a CSV or XLSX file", self.action_import_file)
        yield SystemCommand(
            "Turn presenter mode " + ("off" if self.presenter else "on"),
            "Pupils' names shown again (ctrl+r)"
            if self.presenter
            else "For a shared screen: pupils by initials, no UPN or date of birth (ctrl+r)",
            self.action_toggle_presenter,
        )
        yield SystemCommand(
            "Exports folder",
            "Choose where x and p write reports, plans and calendars",
            self.action_exports_folder,
        )
        yield SystemCommand("Help", "Keys and what each screen does", self.action_help)

    def action_exports_folder(self) -> None:
        from sencoplan.tui.screens.exports_dialog import ExportsFolderScreen

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.notify(f"Exports go to {folder} from now on", markup=False)

        self.push_screen(ExportsFolderScreen(), chosen)


def create_app(
    db_path: Path | str,
    today: dt.date | None = None,
    demo_path: Path | None = None,
    *,
    presenter: bool = False,
) -> SencoplanApp:
    """The one way to make the app: used by the command line and by the tests."""
    return SencoplanApp(db_path, today=today, demo_path=demo_path, presenter=presenter)
