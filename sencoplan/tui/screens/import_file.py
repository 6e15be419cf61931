"""Import from inside the app: choose a file, watch the progress, read every bad row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
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

from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.importers import IMPORTERS, import_table
from sencoplan.io.importers.guess import guess_kind
from sencoplan.io.report import ImportReport
from sencoplan.io.tabular import read_table
from sencoplan.store.db import connect
from sencoplan.store.errors import friendly_error
from sencoplan.tui.screens.base import sencoplan_app

if TYPE_CHECKING:
    from sencoplan.tui.app import SencoplanApp

KIND_LABELS = {
    "pupils": "Pupils (the roll from your MIS)",
    "staff": "Staff",
    "modules": "Training modules (the catalogue)",
    "training": "Training records",
    "confidence": "Confidence survey",
    "supports": "Who teaches or supports whom",
    "provisions": "Provisions (each pupil's support, its cost)",
    "rates": "Hourly rates by staff role (to cost provisions)",
    "levels": "Training levels by relationship and tier",
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


def _file_problem(error: RowError) -> str:
    """A problem with the file itself, as a line of the paragraph under the heading."""
    where = [f"line {error.line}"] if error.line else []
    if error.column:
        where.append(f"column {error.column}")
    return f"{', '.join(where)}: {error.reason}" if where else error.reason


class ProblemsTable(DataTable[Text]):
    """The rows to correct, one problem a row: Line, Column and the Problem, which wraps
    onto as many lines as it needs in the width the table has (never cut off)."""

    class Resized(Message):
        """The table took a new size (its rows' heights are known only once it has)."""

    MIN_PROBLEM_WIDTH = 20
    MAX_COLUMN_SHARE = 4
    """The Column column takes at most a quarter of the width (a long heading wraps)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.problems: list[RowError] = []
        self._laid_out_for = 0

    def show(self, problems: list[RowError]) -> None:
        """List these problems (none: the table is hidden)."""
        self.problems = problems
        self._laid_out_for = 0
        self.display = bool(problems)
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()
        if self.problems:
            self.post_message(self.Resized())

    def _lay_out(self) -> None:
        """Columns fitted to the width there is, and every row as tall as its text."""
        width = self.size.width - self.styles.scrollbar_size_vertical
        if not self.problems:
            self.clear(columns=True)
            return
        if width <= 0 or width == self._laid_out_for:
            return  # not laid out yet (a resize will come), or already fitted to this width
        self._laid_out_for = width
        row = self.cursor_row
        line_width = max(cell_len("Line"), *(len(str(p.line)) for p in self.problems))
        column_width = min(
            max(cell_len("Column"), *(cell_len(p.column) for p in self.problems)),
            max(cell_len("Column"), width // self.MAX_COLUMN_SHARE),
        )
        padding = 2 * self.cell_padding
        problem_width = max(width - line_width - column_width - 3 * padding, self.MIN_PROBLEM_WIDTH)
        self.clear(columns=True)
        self.add_column("Line", width=line_width)
        self.add_column("Column", width=column_width)
        self.add_column("Problem", width=problem_width)
        for problem in self.problems:
            # height None: as many lines as the wrapped text takes. Text, not a string,
            # so a value quoted from the file is shown as typed (never read as markup).
            self.add_row(
                Text(str(problem.line)), Text(problem.column), Text(problem.reason), height=None
            )
        self.move_cursor(row=min(row, self.row_count - 1))


class SpreadsheetTree(DirectoryTree):
    """Folders, and only the files sencoplan can read."""

    def filter_paths(self, paths: object) -> list[Path]:
        return [
            path
            for path in paths  # type: ignore[attr-defined]
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in {".csv", ".xlsx", ".xlsm", ".txt"})
        ]


def _start_folder() -> Path:
    """Where the file tree opens: Documents, where schools' exports are saved, else home
    (never the folder the app happened to be started in)."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class ImportScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="import-close", tooltip="Close the import"),
        Binding("ctrl+s", "run_import", "Import", id="import-run", tooltip="Import the file"),
    ]

    def __init__(self, school_name: str, start: Path | None = None) -> None:
        super().__init__()
        self.school_name = school_name
        self.start = start or _start_folder()
        self.imported = False
        self._kind_by_hand = False
        """Whether the user chose the kind: a file's headings then only say what it fits."""
        self._kind_offered = "pupils"
        """The kind the dialog set (at first, or from a file's headings)."""

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with Vertical(classes="dialog wide", id="import-dialog"):
            yield Label("Import a file", classes="dialog-title")
            with VerticalScroll(id="import-scroll"):
                # Tab goes the way a file is imported: its path (or the tree), what it
                # holds and for which school, the options, then Import.
                yield Input(placeholder="path to a .csv or .xlsx file", id="import-path")
                yield SpreadsheetTree(self.start, id="import-tree")
                with Horizontal(classes="row"):
                    yield Select(
                        [(label, kind) for kind, label in KIND_LABELS.items()],
                        value=self._kind_offered,
                        allow_blank=False,
                        id="import-kind",
                    )
                    yield Input(self.school_name, placeholder="school name", id="import-school")
                yield Static("", id="import-guess", markup=False)  # the kind the file fits
                # Side by side in the dialog's width (one under another on a narrow
                # terminal); each says more when the mouse rests on it.
                with Horizontal(classes="row", id="import-options"):
                    yield Checkbox(
                        "Check only (dry run)",
                        id="import-dry-run",
                        tooltip="Check the file and report, write nothing",
                    )
                    yield Checkbox(
                        "Partial roll: keep missing pupils",
                        id="import-partial",
                        tooltip="Pupils: the file is not the whole roll, so pupils missing "
                        "from it are not marked as left",
                    )
                    yield Checkbox(
                        "Allow many leavers",
                        id="import-many-leavers",
                        tooltip="Pupils: accept a whole roll that marks more than half of the "
                        "pupils on roll as left (refused otherwise, in case the file is only "
                        "part of the roll)",
                    )
                with Horizontal(classes="buttons"):
                    yield Button("Import", variant="primary", id="import-run")
                    yield Button("Close", id="import-close")
                yield ProgressBar(id="import-progress", show_eta=False)
                yield Static("", id="import-result")
                yield ProblemsTable(id="import-errors")

    def on_mount(self) -> None:
        self.query_one("#import-errors", ProblemsTable).display = False
        self.query_one("#import-path", Input).focus()

    @property
    def sencoplan(self) -> SencoplanApp:
        return sencoplan_app(self.app)

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)

    @on(Input.Changed, "#import-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#import-guess", Static).update("")
        self._guess(event.value.strip())

    @work(thread=True, exclusive=True, group="guess", exit_on_error=False)
    def _guess(self, typed: str) -> None:
        """Read the file's headings off the UI thread and offer the kind they fit (a path
        still being typed is no file: nothing is said)."""
        path = Path(typed).expanduser()
        try:
            headings = read_table(path).headings if typed and path.is_file() else []
        except (ImportRejected, OSError):
            return  # Import says what is wrong with it
        kind = guess_kind(headings, IMPORTERS)
        if kind is not None:
            self.app.call_from_thread(self._offer_kind, typed, kind)

    def _offer_kind(self, typed: str, kind: str) -> None:
        if self.query_one("#import-path", Input).value.strip() != typed:
            return  # another path since
        chosen = self.query_one("#import-kind", Select)
        name, fits = Path(typed).name, KIND_LABELS[kind].split(" (")[0]
        guess = self.query_one("#import-guess", Static)
        if chosen.value == kind:
            guess.update(f"{name} looks like {fits}, as chosen")
        elif self._kind_by_hand:  # the user's choice stands: said, not changed
            guess.update(f"{name} looks like {fits}: change the kind above if it is")
        else:
            self._kind_offered = kind
            with self.prevent(Select.Changed):
                chosen.value = kind
            guess.update(f"{name} looks like {fits}: chosen above (change it if not)")

    @on(Select.Changed, "#import-kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        if event.value != self._kind_offered:
            self._kind_by_hand = True

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
        self.query_one("#import-errors", ProblemsTable).show([])

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
        self._show_progress(True)
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
            with self.sencoplan.file_watch.writing():
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

    def _show_progress(self, running: bool) -> None:
        """The bar from nothing read while an import runs; out of sight once one is refused
        or fails (a bar left at 0% read as an import still to finish)."""
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = running

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
        self._show_progress(False)
        message = Text("The import failed, nothing was imported: ", style="bold red")
        message.append(friendly_error(error), style="")
        self.query_one("#import-result", Static).update(message)
        self.notify(friendly_error(error), severity="error", timeout=10, markup=False)

    def _rejected(self, rejected: ImportRejected) -> None:
        self._enable()
        self._show_progress(False)
        self.call_after_refresh(self.query_one("#import-result").scroll_visible)
        # The file's own problems (or all of them, when the file itself is at fault) are
        # read as a paragraph under the heading; rows to correct go in the table.
        in_rows = [e for e in rejected.errors if e.line and not rejected.whole_file]
        in_file = [e for e in rejected.errors if e not in in_rows]
        message = Text(rejected.summary, style="bold red")
        message.append(f"\n{_problems_heading(rejected)}", style="")
        for error in in_file:
            message.append(f"\n{_file_problem(error)}", style="")
        self.query_one("#import-result", Static).update(message)
        self.query_one("#import-errors", ProblemsTable).show(in_rows)

    @on(ProblemsTable.Resized)
    def _problems_shown(self) -> None:
        """The message and the problems in view together, or as much as fits from the
        message down."""
        self.query_one("#import-errors").scroll_visible(animate=False)
        self.query_one("#import-result").scroll_visible(animate=False)

    @on(Button.Pressed, "#import-close")
    def action_close(self) -> None:
        self.dismiss(self.imported)
