"""A pick list for a form: tick any number of people (the school's staff) from many.

With 80 staff a bare list of checkboxes is 35 presses of the down arrow to the SENCO and 80
ticks for a whole-staff session; here typing narrows the list by name or role, and
ctrl+t ticks everyone shown. What was ticked stays ticked while the list is narrowed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, SelectionList

from sencoplan.domain.names import name_sort_key

FILTER_FROM = 8
"""A list this long or longer gets a box to narrow it; a shorter one is read at a glance."""

_KIND = re.compile(r"\(([^()]*)\)\s*$")


def _kind(label: str) -> str:
    """The label's last bracketed part: 'Cara Jones (TA)' -> 'ta'."""
    found = _KIND.search(label)
    return name_sort_key(found.group(1)) if found else ""


def narrowed(picks: Sequence[tuple[str, str]], typed: str) -> list[tuple[str, str]]:
    """The picks that fit what was typed: a role named whole ('TA', 'teacher') gives
    everyone in it; anything else, the labels it is part of (accents and case ignored)."""
    wanted = name_sort_key(typed.strip())
    if not wanted:
        return list(picks)
    if wanted in {_kind(label) for label, _ in picks}:
        return [(label, value) for label, value in picks if _kind(label) == wanted]
    return [(label, value) for label, value in picks if wanted in name_sort_key(label)]


class PickList(Vertical):
    """The box to narrow the list (for a long one) above the list itself; `chosen` is
    every value ticked, shown or not, in the picks' order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+t",
            "tick_shown",
            "Tick all shown",
            id="picks-tick-shown",
            tooltip="Tick everyone the list shows (type a role first: TA, teacher)",
        ),
    ]

    def __init__(self, name: str, picks: Sequence[tuple[str, str]], ticked: set[str]) -> None:
        super().__init__(id=f"picks-{name}", classes="pick-list")
        self.field_name = name
        self.picks = list(picks)
        self.ticked = set(ticked)
        self._shown = {value for _, value in self.picks}

    def compose(self) -> ComposeResult:
        if len(self.picks) >= FILTER_FROM:
            yield Input(
                placeholder="type a name or a role to narrow the list; ctrl+t ticks all shown",
                id=f"filter-{self.field_name}",
                classes="pick-filter",
            )
        yield SelectionList[str](
            *[(label, value, value in self.ticked) for label, value in self.picks],
            id=f"field-{self.field_name}",
            classes="picks",
        )

    @property
    def _list(self) -> SelectionList[str]:
        return self.query_one(f"#field-{self.field_name}", SelectionList)

    def _now_ticked(self) -> set[str]:
        """Those ticked while hidden, and those ticked in the list as it shows now."""
        return (self.ticked - self._shown) | set(self._list.selected)

    def chosen(self) -> str:
        """The values ticked, separated by ; as the form's fields hold them."""
        ticked = self._now_ticked()
        return ";".join(value for _, value in self.picks if value in ticked)

    @on(Input.Changed, ".pick-filter")
    def _narrow(self, event: Input.Changed) -> None:
        event.stop()
        self.ticked = self._now_ticked()
        shown = narrowed(self.picks, event.value)
        self._list.clear_options()
        self._list.add_options([(label, value, value in self.ticked) for label, value in shown])
        self._list.highlighted = 0 if shown else None  # space ticks the first at once
        self._shown = {value for _, value in shown}

    @on(Input.Submitted, ".pick-filter")
    def _to_list(self, event: Input.Submitted) -> None:
        """Enter in the box goes on to the list (it does not save the form)."""
        event.stop()
        self._list.focus()

    def action_tick_shown(self) -> None:
        self._list.select_all()
