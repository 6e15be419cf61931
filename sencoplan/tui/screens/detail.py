"""A dialog that shows one block of text: a need's detail, or a suggestion to take."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.visual import VisualType
from textual.widgets import Footer, Static


class DetailScreen(ModalScreen[bool]):
    """Escape closes (False); enter closes too, with True when it means 'take it'."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close(False)", "Close", id="close-detail", tooltip="Close"),
        Binding("enter", "close(True)", "OK", id="accept-detail", tooltip="Accept"),
    ]

    def __init__(self, text: VisualType, *, answer_on_enter: bool = False) -> None:
        super().__init__()
        self.text = text
        self.answer_on_enter = answer_on_enter

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with VerticalScroll(classes="dialog wide", id="detail-dialog"):
            yield Static(self.text, id="detail-text")

    def action_close(self, accept: bool) -> None:
        self.dismiss(accept and self.answer_on_enter)
