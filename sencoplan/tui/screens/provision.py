"""Provision: the costed provision map of this school year, each provision with its pupils,
adults' hours, who delivers it, its cost, cost per pupil and what its reviews found; under
it the highlighted provision's places, one a pupil, with their review dates (overdue in
red). `a`, `e`, `n` and `v` add, change, end and review a place; `x` writes the map as
markdown for governors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static

from sencoplan.domain.messages import pounds
from sencoplan.domain.models import Pupil
from sencoplan.domain.names import initials
from sencoplan.domain.provision import ProvisionReview, PupilProvision, reviews_by_place
from sencoplan.domain.provision_map import (
    Outcomes,
    ProvisionMap,
    place_cost,
    places_between,
    school_year,
)
from sencoplan.io.provision_report import hours, school_map_text, summary_lines
from sencoplan.store.provision import MapInputs, map_inputs
from sencoplan.store.pupils import list_pupils
from sencoplan.store.schools import get_school
from sencoplan.tui.screens.base import (
    DataScreen,
    file_stem,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.form import FormSpec, open_form
from sencoplan.tui.screens.provision_forms import (
    ProvisionFacts,
    end_form,
    place_form,
    review_form,
    whose,
)

EMPTY = (
    "No provisions this school year: import the school's provision map (sencoplan import "
    "provisions FILE, or i and choose Provisions), or press a to add a pupil's place."
)


@dataclass
class ProvisionView:
    map: ProvisionMap
    inputs: MapInputs
    places: list[PupilProvision]
    """This school year's places."""
    pupils: dict[int, Pupil]
    reviews: dict[int, list[ProvisionReview]]
    """Each place's reviews, by `id(place)` (worked out with the data, off the UI thread)."""


class ProvisionScreen(DataScreen[ProvisionView | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add place", id="provision-add", tooltip="Add a pupil's place"),
        Binding("e", "edit", "Change", id="provision-edit", tooltip="Change the highlighted place"),
        Binding("n", "end", "End", id="provision-end", tooltip="End the highlighted place"),
        Binding(
            "v",
            "review",
            "Review",
            id="provision-review",
            tooltip="Record the highlighted place's review: progress against its target",
        ),
        Binding(
            "x",
            "export",
            "Export",
            id="provision-export",
            tooltip="Write the provision map as markdown (pupil counts banded)",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="provision-body"):
            with Vertical(id="provision-main"):
                yield DataTable(id="provisions", cursor_type="row", zebra_stripes=True)
                yield Label("", id="places-title")
                yield DataTable(id="places", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="provision-side", classes="detail"):
                yield Static(id="provision-summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The columns a SENCO reads first come first: on a small terminal the rest scroll.
        self.query_one("#provisions", DataTable).add_columns(
            "Provision",
            "Pupils",
            "Cost",
            "Per pupil",
            "Targets met",
            "Hours/week",
            "Delivered by",
            "Needs",
            "Kind",
        )
        self.query_one("#places", DataTable).add_columns(
            "Pupil", "Cost", "Review", "Last review", "Delivered by", "How much", "From", "To"
        )
        self._view: ProvisionView | None = None
        self.reload()

    def fetch(self, db: Database, school_id: int) -> ProvisionView | None:
        school = get_school(db, school_id)
        if school is None:
            return None
        inputs = map_inputs(db, school_id)
        year = school_year(self.sencoplan.today)
        pupils = {p.id: p for p in list_pupils(db, school_id) if p.id is not None}
        found = inputs.worked_out(school, year)
        reviews = reviews_by_place(inputs.places, inputs.reviews)
        return ProvisionView(found, inputs, places_between(inputs.places, *year), pupils, reviews)

    def show(self, data: ProvisionView | None) -> None:
        table = self.query_one("#provisions", DataTable)
        self._view = data
        self._shown_presenter = self.sencoplan.presenter
        keep = selected_key(table)
        table.clear()
        summary = self.query_one("#provision-summary", Static)
        if data is None or not data.map.lines:
            summary.update(Text(EMPTY))
            self._show_places()
            return
        for line in data.map.lines:
            plain_row(
                table,
                line.provision.name,
                len(line.pupils),
                pounds(line.cost) + (f" ({line.unpriced} not priced)" if line.unpriced else ""),
                "" if line.cost_per_pupil is None else pounds(line.cost_per_pupil),
                _targets_met(line.outcomes),
                hours(line.adult_hours),
                ", ".join(sorted(line.staff)),
                ", ".join(need.value for need in line.provision.needs),
                line.provision.kind.label,
                key=str(line.provision.id),
            )
        restore_cursor(table, keep)
        summary.update(Text("\n".join(_summary(data.map, self.sencoplan.today))))
        self._show_places()

    @on(DataTable.RowHighlighted, "#provisions")
    def _show_places(self) -> None:
        """The highlighted provision's places this year, one a pupil."""
        table = self.query_one("#places", DataTable)
        keep = selected_key(table)
        table.clear()
        view = self._view
        key = selected_key(self.query_one("#provisions", DataTable))
        title = self.query_one("#places-title", Label)
        if view is None or key is None:
            title.update("")
            return
        line = next(x for x in view.map.lines if str(x.provision.id) == key)
        title.update(Text(f"{line.provision.name}: each pupil's place", style="bold"))
        today = self.sencoplan.today
        for place in (p for p in view.places if str(p.provision_id) == key):
            plain_row(table, *self._place_cells(view, place, today), key=str(place.id))
        restore_cursor(table, keep)

    def _place_cells(self, view: ProvisionView, place: PupilProvision, today: dt.date) -> list[Any]:
        pupil = view.pupils.get(place.pupil_id)
        name = (pupil.display_name or pupil.upn or "") if pupil else ""
        if self.sencoplan.presenter:
            name = initials(name)
        if pupil is not None:  # two pupils can share a name: the year tells them apart
            name += f", Y{pupil.year_group}"
        member = view.inputs.staff.get(place.staff_id or 0)
        cost = place_cost(place, view.inputs.staff, view.inputs.rates)
        reviews = view.reviews.get(id(place), [])
        return [
            name,
            "not priced" if cost is None else pounds(cost),
            *(
                ("hidden", "hidden")  # presenter mode: a date can point at one child
                if self.sencoplan.presenter
                else (_review_due(place, reviews, today), _last_review(reviews))
            ),
            member.name if member else (place.provider or "not named"),
            f"{place.sessions_per_week:g} x {place.minutes} min, {place.weeks} wk"
            + (f", group of {place.group_size}" if place.group_size > 1 else ""),
            f"{place.start:%d/%m/%y}" if place.start else "",
            f"{place.end:%d/%m/%y}" if place.end else "",
        ]

    def _selected_place(self) -> PupilProvision | None:
        key = selected_key(self.query_one("#places", DataTable))
        view = self._view
        if key is None or view is None:
            self.notify(
                "No place is highlighted (choose a provision, then its pupil)", severity="warning"
            )
            return None
        return next((p for p in view.places if str(p.id) == key), None)

    def _facts(self) -> ProvisionFacts | None:
        view = self._view
        school = self.sencoplan.school
        school_id = school.id if school else None
        if school_id is None:
            return None
        if view is None:
            return ProvisionFacts(school_id, {}, {}, [], self.sencoplan.today)
        return ProvisionFacts(
            school_id, view.pupils, view.inputs.staff, view.inputs.provisions, self.sencoplan.today
        )

    def _blocked(self) -> bool:
        """The forms show pupils whole: not in presenter mode."""
        if self.sencoplan.presenter:
            self.notify(
                "Presenter mode is on (pupils by initials): press ctrl+r to turn it off first",
                severity="warning",
            )
        return self.sencoplan.presenter

    def action_add(self) -> None:
        """A new place, starting from the highlighted provision's (its group, its adult)."""
        facts = self._facts()
        if facts is None or self._blocked():
            return
        key = selected_key(self.query_one("#places", DataTable))
        places = [p for p in self._view.places if str(p.id) == key] if self._view else []
        self._form(place_form(facts, None, like=places[0] if places else None))

    def action_edit(self) -> None:
        place, facts = self._selected_place(), self._facts()
        if place is not None and facts is not None and not self._blocked():
            self._form(place_form(facts, place))

    def action_end(self) -> None:
        place, facts = self._selected_place(), self._facts()
        if place is not None and facts is not None and not self._blocked():
            self._form(end_form(place, self.sencoplan.today, whose(facts, place)))

    def action_review(self) -> None:
        place, facts = self._selected_place(), self._facts()
        if place is not None and facts is not None and not self._blocked():
            self._form(review_form(place, self.sencoplan.today, whose(facts, place)))

    def _form(self, spec: FormSpec) -> None:
        open_form(self, spec)

    def action_export(self) -> None:
        view = self._view
        if view is None or not view.map.lines:
            self.notify("No provisions to write yet", severity="warning")
            return
        name = f"provision-map-{file_stem(view.map.school.name)}-{self.sencoplan.today}.md"
        self._write(name, school_map_text(view.map, markdown=True))

    @work(thread=True, group="export", exit_on_error=False)
    def _write(self, name: str, text: str) -> None:
        from sencoplan.io.exports_folder import ready_exports_folder
        from sencoplan.io.files import write_private

        path = ready_exports_folder() / name
        write_private(path, text)
        self.app.call_from_thread(self.notify, f"Wrote {path}", markup=False)


def _targets_met(outcomes: Outcomes) -> str:
    """'2 of 3 met, 1 partly (+2)': the reviews, and the average change on the measure."""
    gain = outcomes.progress
    return outcomes.said() + ("" if gain is None else f" ({gain:+.1f})")


def _review_due(place: PupilProvision, reviews: list[ProvisionReview], today: dt.date) -> Text:
    """The place's next review, in red once it has passed with no review since."""
    due = place.review_date
    if due is None:
        return Text("")
    reviewed = any(r.reviewed_on >= due for r in reviews)
    if due < today and not reviewed:
        return Text(f"{due:%d/%m/%y} overdue", style="bold red")
    return Text(f"{due:%d/%m/%y}")


def _last_review(reviews: list[ProvisionReview]) -> str:
    if not reviews:
        return ""
    last = max(reviews, key=lambda r: r.reviewed_on)
    said = f"{last.outcome.label} {last.reviewed_on:%d/%m/%y}"
    if (gain := last.progress()) is not None:
        said += f" ({gain:+g})"
    return said


def _summary(data: ProvisionMap, today: dt.date) -> list[str]:
    """The year shown, then the paper's own summary lines."""
    first, last = school_year(today)
    return [f"{first.year}/{last.year % 100:02d}", *summary_lines(data)]
