"""Import from inside the app: choose a file, watch the progress, read every bad row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    DirectoryTree,
    Footer,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)

from sencoplan.io.errors import ImportRejected
from sencoplan.io.importers import IMPORTERS, import_table
from sencoplan.io.report import ImportReport
from sencoplan.io.tabular import read_table
from sencoplan.store.db import connect
from sencoplan.store.errors import friendly_error
from sencoplan.tui.screens.base import plain_row, sencoplan_app

if TYPE_CHECKING:
    from sencoplan.tui.app import SencoplanApp

KIND_LABELS = {
    "pupils": "Pupils (the roll from your MIS)",
    "staff": "Staff",
    "modules": "Training modules (the catalogue)",
    "training": "Training records",
    "confidence": "Confidence survey",
    "supports": "Who teaches or supports whom",
    "qualifications": "Qualifications",
    "terms": "Terms (dates, closures, CPD slots)",
    "roles": "Succession roles",
    "candidates": "Succession candidates",
    "actions": "Development actions",
    "leaders": "Who can lead which module",
    "schools": "Schools",
}


def _problems_heading(rejected: ImportRejected) -> str:
    """What the problems table lists: the file's own fault, or rows the SENCO can correct."""
    if rejected.whole_file:
        return "This file cannot be imported:"
    if any(not error.line for error in rejected.errors):
        return "Fix the file and these rows, then import it again:"
    return "Fix these rows and import the file again:"


class SpreadsheetTree(DirectoryTree):
    """Folders, and only the files sencoplan can read."""

    def filter_paths(self, paths: object) -> list[Path]:
        return [
            path
            for path in paths  # type: ignore[attr-defined]
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in {".csv", ".xlsx", ".xlsm", ".txt"})
        ]


class ImportScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="import-close", tooltip="Close the import"),
        Binding("ctrl+s", "run_import", "Import", id="import-run", tooltip="Import the file"),
    ]

    def __init__(self, school_name: str, start: Path | None = None) -> None:
        super().__init__()
        self.school_name = school_name
        self.start = start or Path.cwd()
        self.imported = False

    def compose(self) -> ComposeResult:
        yield Footer()
        with Vertical(classes="dialog wide", id="import-dialog"):
            yield Label("Import a file", classes="dialog-title")
            with VerticalScroll(id="import-scroll"):
                with Horizontal(classes="row"):
                    yield Select(
                        [(label, kind) for kind, label in KIND_LABELS.items()],
                        value="pupils",
                        allow_blank=False,
                        id="import-kind",
                    )
                    yield Input(self.school_name, placeholder="school name", id="import-school")
                yield Input(placeholder="path to a .csv or .xlsx file", id="import-path")
                yield SpreadsheetTree(self.start, id="import-tree")
                with Horizontal(classes="row"):
                    yield Checkbox("Check only (dry run)", id="import-dry-run")
                    yield Checkbox(
                        "Partial roll (don't mark missing pupils as left)", id="import-partial"
                    )
                    yield Checkbox("Many have left (allow many leavers)", id="import-many-leavers")
                with Horizontal(classes="buttons"):
                    yield Button("Import", variant="primary", id="import-run")
                    yield Button("Close", id="import-close")
                yield ProgressBar(id="import-progress", show_eta=False)
                yield Static("", id="import-result")
                yield DataTable(id="import-errors", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#import-errors", DataTable).add_columns("Line", "Column", "Problem")
        self.query_one("#import-errors").display = False
        self.query_one("#import-path", Input).focus()

    @property
    def sencoplan(self) -> SencoplanApp:
        return sencoplan_app(self.app)

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)

    @on(Input.Changed, "#import-path")
    @on(Select.Changed, "#import-kind")
    def _choice_changed(self) -> None:
        # What the dialog says belongs to the last file tried: another path (or another
        # kind of file) makes it stale.
        if not self.query_one("#import-run", Button).disabled:
            self._clear_result()

    def _clear_result(self) -> None:
        """No message and no problems table: nothing said yet about the file in the box."""
        self.query_one("#import-result", Static).update("")
        table = self.query_one("#import-errors", DataTable)
        table.clear()
        table.display = False

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-run")
    def action_run_import(self) -> None:
        if self.query_one("#import-run", Button).disabled:
            return  # an import is running (enter pressed in the path box again)
        self._clear_result()
        path_text = self.query_one("#import-path", Input).value.strip()
        result = self.query_one("#import-result", Static)
        if not path_text:
            result.update(Text("Choose a file first", style="bold red"))
            return
        path = Path(path_text).expanduser()
        if path.is_dir():
            result.update(
                Text(
                    f"{path} is a folder: type the path of a CSV or XLSX file in it",
                    style="bold red",
                )
            )
            return
        if not path.is_file():
            result.update(Text(f"There is no file at {path}", style="bold red"))
            return
        kind = str(self.query_one("#import-kind", Select).value)
        if kind not in IMPORTERS:
            return
        self.query_one("#import-run", Button).disabled = True
        result.update(Text(f"Reading {path.name}…"))
        self._run(
            kind,
            path,
            self.query_one("#import-school", Input).value.strip() or None,
            self.query_one("#import-dry-run", Checkbox).value,
            not self.query_one("#import-partial", Checkbox).value,
            self.query_one("#import-many-leavers", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _run(
        self,
        kind: str,
        path: Path,
        school: str | None,
        dry_run: bool,
        full: bool,
        many_leavers: bool,
    ) -> None:
        bar = self.query_one("#import-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        db = connect(self.sencoplan.db_path)
        try:
            table = read_table(path)
            report = import_table(
                db,
                kind,
                table,
                school=school if IMPORTERS[kind].school_scoped else None,
                dry_run=dry_run,
                full_roll=full,
                allow_many_leavers=many_leavers,
                today=self.sencoplan.today,
                progress=progress,
            )
        except ImportRejected as rejected:
            self.app.call_from_thread(self._rejected, rejected)
            return
        except Exception as error:
            # Anything else (a full disk, a locked file): said in the dialog, since a
            # worker's failure does not reach the app's handler from a modal screen.
            self.app.call_from_thread(self._failed, error)
            raise
        finally:
            db.close()
        self.app.call_from_thread(self._done, report)

    def _enable(self) -> None:
        self.query_one("#import-run", Button).disabled = False

    def _done(self, report: ImportReport) -> None:
        self._enable()
        self.call_after_refresh(self.query_one("#import-result").scroll_visible)
        self.query_one("#import-result", Static).update(
            Text("\n".join(report.lines()), style="green")
        )
        if not report.dry_run:
            self.imported = True

    def _failed(self, error: Exception) -> None:
        self._enable()
        self.query_one("#import-progress", ProgressBar).update(total=1, progress=0)
        message = Text("The import failed, nothing was imported: ", style="bold red")
        message.append(friendly_error(error), style="")
        self.query_one("#import-result", Static).update(message)
        self.notify(friendly_error(error), severity="error", timeout=10, markup=False)

    def _rejected(self, rejected: ImportRejected) -> None:
        self._enable()
        self.query_one("#import-progress", ProgressBar).update(total=1, progress=0)
        self.call_after_refresh(self.query_one("#import-result").scroll_visible)
        message = Text(rejected.summary, style="bold red")
        message.append(f"\n{_problems_heading(rejected)}", style="")
        self.query_one("#import-result", Static).update(message)
        table = self.query_one("#import-errors", DataTable)
        table.clear()
        for error in rejected.errors:
            plain_row(table, error.line or "file", error.column, error.reason)
        table.display = True

    @on(Button.Pressed, "#import-close")
    def action_close(self) -> None:
        self.dismiss(self.imported)
