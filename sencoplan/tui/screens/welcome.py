"""An empty database: offer the sample trust, an import, or a first school."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState

from sencoplan.domain.models import School
from sencoplan.domain.staff_codes import Phase, Setting, parse_phase, parse_setting
from sencoplan.store.schools import save_school
from sencoplan.tui.screens.base import sencoplan_app
from sencoplan.tui.screens.form import Field, RecordForm, options_of

if TYPE_CHECKING:
    from sencoplan.tui.app import SencoplanApp

WELCOME = (
    "[b]Welcome to sencoplan[/b]\n\n"
    "This file is empty. sencoplan holds your SEN register, your staff and the training "
    "they hold, so that you can see which training the children on roll need that your "
    "staff lack.\n\n"
    "Start with the invented sample trust to look around, or bring in your own school: "
    "import the roll exported from your MIS (CSV or XLSX), then your staff list."
)


class WelcomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "sample",
            "Sample trust",
            id="welcome-sample",
            tooltip="Load the invented sample trust into this file",
        ),
        Binding("i", "app.import_file", "Import", tooltip="Import a CSV or XLSX file"),
        Binding(
            "n", "new_school", "New school", id="welcome-school", tooltip="Add your school by hand"
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="welcome", classes="dialog"):
            yield Static(WELCOME, id="welcome-text")
            yield Button(
                "Open the sample trust (a separate demo file)", variant="primary", id="sample"
            )
            yield Button("Import a file (roll, staff…)", id="import")
            yield Button("Add a school by hand", id="new-school")
            yield ProgressBar(id="sample-progress", show_eta=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sample-progress").display = False
        self.query_one("#sample", Button).focus()

    @property
    def sencoplan(self) -> SencoplanApp:
        return sencoplan_app(self.app)

    @on(Button.Pressed, "#sample")
    def action_sample(self) -> None:
        self.query_one("#sample", Button).disabled = True
        self.query_one("#sample-progress").display = True
        self._load_sample()

    @work(thread=True, exclusive=True, group="sample", exit_on_error=False)
    def _load_sample(self) -> None:
        """Open the invented trust in its own demo file, building it if it is not there.

        Your own file stays as it was: invented pupils never mix with real ones.
        """
        from sencoplan.io.sample import SCHOOL_FILES, load_sample
        from sencoplan.store.db import open_database
        from sencoplan.store.schools import list_schools

        demo = self.sencoplan.demo_path
        bar = self.query_one("#sample-progress", ProgressBar)
        steps = 2 + 2 * len(SCHOOL_FILES)
        self.app.call_from_thread(bar.update, total=steps, progress=0)
        db = open_database(demo)
        try:
            if not list_schools(db):
                load_sample(
                    db,
                    today=self.sencoplan.today,
                    on_import=lambda report: self.app.call_from_thread(bar.advance, 1),
                )
        finally:
            db.close()
        self.app.call_from_thread(self._loaded, demo)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A sample that fails to build says why, and the button can be pressed again."""
        if event.state is WorkerState.ERROR:
            self.query_one("#sample", Button).disabled = False
            self.query_one("#sample-progress").display = False
        self.sencoplan.on_worker_state_changed(event)

    def _loaded(self, demo: Path) -> None:
        self.notify(
            f"Opened the invented sample trust in {demo} (your own file is untouched)",
            markup=False,
        )
        self.sencoplan.use_database(demo)

    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        self.sencoplan.action_import_file()

    @on(Button.Pressed, "#new-school")
    def action_new_school(self) -> None:
        fields = [
            Field("name", "School name", required=True),
            Field("urn", "URN", placeholder="6 or 7 digits"),
            Field(
                "phase",
                "Phase",
                Phase.PRIMARY.value,
                parse=parse_phase,
                options=options_of(list(Phase)),
                required=True,
            ),
            Field(
                "setting",
                "Setting",
                Setting.MAINSTREAM.value,
                parse=parse_setting,
                options=options_of(list(Setting)),
                required=True,
            ),
        ]

        def build(values: dict[str, Any]) -> School:
            return School.model_validate(values)

        def saved(school: School | None) -> None:
            if school is not None:
                self.sencoplan.load_schools(select_id=school.id)

        self.app.push_screen(
            RecordForm("Add a school", fields, build, save_school, self.sencoplan.db_path),
            saved,
        )
