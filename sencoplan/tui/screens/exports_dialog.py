"""Choosing the exports folder: where x and p write, kept from then on."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from sencoplan.io.exports_folder import choose_exports_folder, exports_folder


class ExportsFolderScreen(ModalScreen[Path | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="exports-cancel", tooltip="Keep it as it is"),
    ]

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with Vertical(classes="dialog form"):
            yield Label("Exports folder", classes="dialog-title")
            yield Static(
                "Where the app writes what you export (x, p): reports, plans, calendars. "
                "Made if it is not there, readable by you only.",
                classes="field-help",
            )
            yield Input(id="exports-folder")  # the current folder, filled from a worker
            yield Static("", id="exports-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._current()

    @work(thread=True, group="exports-current")
    def _current(self) -> None:
        """The folder in use (the settings file is read here, off the UI thread)."""
        folder = str(exports_folder())
        self.app.call_from_thread(self._fill, folder)

    def _fill(self, folder: str) -> None:
        field = self.query_one("#exports-folder", Input)
        if not field.value:  # not over what was typed meanwhile
            field.value = folder

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#exports-folder", Input).value.strip()
        if not text:
            self.query_one("#exports-error", Static).update("give a folder")
            return
        self._choose(Path(text))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _choose(self, folder: Path) -> None:
        try:
            chosen = choose_exports_folder(folder)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self.app.call_from_thread(
                self.query_one("#exports-error", Static).update, f"cannot use it: {reason}"
            )
            return
        self.app.call_from_thread(self.dismiss, chosen)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
