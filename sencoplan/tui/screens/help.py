"""F1: the reference pages of docs/ (the same pages the README links to), opening on the
app's screens and keys. Links between pages follow; the page list is on the left."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from sencoplan.io.exports_folder import exports_folder
from sencoplan.io.help_pages import PAGES, read_page


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close", id="close-help", tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        yield Label("", id="help-exports", markup=False)  # filled from a worker
        with Horizontal(id="help-body", classes="dialog"):
            yield OptionList(*(Option(page.title, id=page.file) for page in PAGES), id="help-pages")
            with VerticalScroll(id="help-text"):
                yield Markdown(id="help-page", open_links=False)

    def on_mount(self) -> None:
        self.query_one("#help-pages", OptionList).highlighted = 0
        self.show_page(PAGES[0].file)
        self._show_exports_folder()

    @work(thread=True, group="help-exports")
    def _show_exports_folder(self) -> None:
        """Where exports go (the settings file is read here, off the UI thread)."""
        said = (
            f"Exports (x, p) are written to {exports_folder()} (ctrl+p, Exports folder, to "
            "change it)"
        )
        self.app.call_from_thread(self.query_one("#help-exports", Label).update, said)

    @on(OptionList.OptionHighlighted, "#help-pages")
    def _chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show_page(event.option.id)

    @on(Markdown.LinkClicked)
    def _followed(self, event: Markdown.LinkClicked) -> None:
        """A link to another page opens it here; links anywhere else are left alone."""
        file = event.href.split("#", 1)[0].rsplit("/", 1)[-1]
        files = [page.file for page in PAGES]
        if file in files:
            self.query_one("#help-pages", OptionList).highlighted = files.index(file)

    @work(thread=True, exclusive=True, group="help")
    def show_page(self, file: str) -> None:
        text = read_page(file)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.query_one("#help-page", Markdown).update(text)
        self.query_one("#help-text", VerticalScroll).scroll_home(animate=False)
