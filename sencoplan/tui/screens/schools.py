"""The school switcher, for a file that holds a trust."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from sencoplan.domain.models import School
from sencoplan.store.schools import SchoolEntry


class SchoolSwitcher(ModalScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="cancel-school", tooltip="Stay here"),
    ]

    def __init__(self, schools: list[SchoolEntry], current: School | None) -> None:
        super().__init__()
        self.schools = schools
        self.current = current

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with Vertical(classes="dialog", id="school-switcher"):
            yield Label("Switch school", classes="dialog-title")
            yield OptionList(
                *(
                    Option(Text(f"{school.name}  ({school.phase.label})"), id=str(school.id))
                    for school in self.schools
                ),
                id="school-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current is not None:
            options.highlighted = next(
                (i for i, school in enumerate(self.schools) if school.id == self.current.id), 0
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id else None)
