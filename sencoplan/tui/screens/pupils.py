"""Pupils: the SEN register, filtered by tier, need and year, with counts at a glance."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, DataTable, Footer, Header, Label, Select, Static
from textual.widgets.data_table import ColumnKey

from sencoplan.domain.codes import NeedType, Tier, parse_need, parse_tier
from sencoplan.domain.messages import counted
from sencoplan.domain.models import Pupil
from sencoplan.domain.names import initials
from sencoplan.domain.rules import pupil_problems
from sencoplan.domain.upn import normalise_upn
from sencoplan.domain.years import YEAR_GROUPS, parse_year_group
from sencoplan.io.dates import parse_date, past_date
from sencoplan.store.pupils import (
    delete_pupil,
    get_pupil,
    incoming_counts,
    list_pupils,
    register_counts,
    save_pupil,
)
from sencoplan.tui.screens.base import (
    DataScreen,
    panel_binding,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.confirm import ConfirmScreen
from sencoplan.tui.screens.detail import DetailScreen
from sencoplan.tui.screens.form import Field, RecordForm, date_text

SEN_TIERS = [tier for tier in Tier if tier.has_sen]
NAME_WIDTH = 26
"""Names longer than this are cut in the table (the form shows them whole); the column is
as wide as the longest name shown, up to this, so the review and roll fit beside it."""
NAME_COLUMN = "name"
HIDDEN = "hidden"
"""What presenter mode shows in place of a UPN."""


@dataclass
class RegisterView:
    pupils: list[Pupil]
    counts: Counter[tuple[str, str]]
    incoming: Counter[tuple[str, str]]


OPENS_SEN_ONLY = True
"""The register opens on the pupils with SEN (the box ticked)."""


def opening_filters(today: dt.date) -> dict[str, Any]:
    """The filters the register opens with: the pupils with SEN on roll today."""
    return {"tier": None, "need": None, "year_group": None, "sen_only": OPENS_SEN_ONLY, "on": today}


def register_view(
    db: Database, school_id: int, today: dt.date, filters: dict[str, Any]
) -> RegisterView:
    """What the register shows: the pupils the filters choose, and the counts by need."""
    return RegisterView(
        pupils=list_pupils(db, school_id, **filters),
        counts=register_counts(db, school_id, today),
        incoming=incoming_counts(db, school_id, today),
    )


@dataclass(frozen=True)
class FirstRegister:
    """The register read with the schools, in the same step as opening the file: the first
    screen shows it without a second trip to the file."""

    school_id: int
    filters: dict[str, Any]
    view: RegisterView


def counts_table(
    counts: Counter[tuple[str, str]], incoming: Counter[tuple[str, str]] | None = None
) -> Table:
    """Pupils on roll by primary need (rows) and tier (columns)."""
    # One space between columns (two as the width allows): the panel stays narrow.
    table = Table(
        box=None,
        pad_edge=False,
        expand=True,
        header_style="bold",
        padding=(0, 0, 0, 1),
        caption="By primary need. Priorities (4) count secondary needs and pupils joining too.",
        caption_justify="left",
    )
    table.add_column("Primary need")
    # A tier no pupil is in (targeted plus, until a file records it) would be a column
    # blank on every row: it is left out.
    tiers = [t for t in SEN_TIERS if any(c for (_, x), c in counts.items() if x == t.value)]
    tiers = tiers or list(SEN_TIERS)
    for tier in tiers:
        short = {Tier.TARGETED_PLUS: "T+", Tier.SPECIALIST: "EHCP"}.get(tier, tier.label)
        table.add_column(short, justify="right", no_wrap=True)
    table.add_column("All", justify="right")
    for need in NeedType:
        row = [counts.get((need.value, tier.value), 0) for tier in tiers]
        if sum(row):
            table.add_row(need.value, *(str(n or "") for n in row), str(sum(row)))
    totals = [sum(c for (_, t), c in counts.items() if t == tier.value) for tier in tiers]
    table.add_row("[b]SEN[/b]", *(f"[b]{n}[/b]" for n in totals), f"[b]{sum(totals)}[/b]")
    on_roll = sum(counts.values())
    share = f"{100 * sum(totals) / on_roll:.1f}%" if on_roll else "-"
    blank = [""] * len(tiers)
    table.add_row("On roll", *blank, str(on_roll))
    table.add_row("SEN share", *blank, share)
    if incoming:
        joining = sum(incoming.values())
        joining_sen = sum(c for (_, tier), c in incoming.items() if tier != Tier.UNIVERSAL.value)
        table.add_row("Joining", *blank, str(joining))
        table.add_row("  with SEN", *blank, str(joining_sen))
    return table


class PupilsScreen(DataScreen[RegisterView]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="pupil-add", tooltip="Add a pupil"),
        Binding("e", "edit", "Edit", id="pupil-edit", tooltip="Edit the highlighted pupil"),
        Binding("d", "delete", "Delete", id="pupil-delete", tooltip="Delete the pupil"),
        # The filters are in view above the register (tab reaches them too): no room at 80.
        Binding(
            "f", "filters", "Filter", id="pupil-filter", tooltip="Jump to the filters", show=False
        ),
        Binding(
            "j",
            "joining",
            "Joining",
            id="pupil-joining",
            show=False,
            tooltip="The pupils joining: by need and tier, where from, and the training to "
            "plan before they arrive",
        ),
        Binding(
            "v",
            "review_held",
            "Review",
            id="pupil-review",
            tooltip="Record the highlighted pupil's ISP or EHCP review as held (or its "
            "report sent)",
        ),
        # Importing the roll is where a term starts: shown here, where the footer has room.
        Binding("i", "app.import_file", "Import", tooltip="Import a CSV or XLSX file"),
        panel_binding("Counts"),
    ]
    PANEL = "#counts"
    AUTO_FOCUS = "#pupils"
    """The register has the focus when the screen opens, so the arrow keys move through
    pupils; tab still goes on to the filters above it (f jumps there too)."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: dict[int, Pupil] = {}
        self._data: RegisterView | None = None
        self._shown_presenter = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                [(tier.label, tier.value) for tier in Tier],
                prompt="Any tier",
                id="filter-tier",
            )
            yield Select(
                [(f"{need.value} – {need.label}", need.value) for need in NeedType],
                prompt="Any need",
                id="filter-need",
            )
            yield Select(
                [(f"Year {y}" if y.isdigit() else y, y) for y in YEAR_GROUPS],
                prompt="Any year",
                id="filter-year",
            )
            yield Checkbox("SEN only", value=OPENS_SEN_ONLY, id="filter-sen")
            yield Checkbox("Include leavers", value=False, id="filter-left")
        with Horizontal(id="register"):
            with Vertical(id="register-side"):
                yield Label("On roll by need and tier", classes="panel-title")
                yield Static(id="counts")
            with Vertical(id="register-main"):
                yield Static("", id="pupil-count")
                # The name stays in view when the table is scrolled sideways (a terminal
                # of 120 columns, the counts beside it).
                yield DataTable(id="pupils", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#pupils", DataTable)
        table.add_column("Name", width=NAME_WIDTH, key=NAME_COLUMN)
        table.add_columns("UPN", "Year", "Class", "Tier", "Need", "2nd", "Next review")
        table.add_column("Roll")
        self.reload()

    def _filters(self) -> dict[str, Any]:
        tier = self.query_one("#filter-tier", Select).value
        need = self.query_one("#filter-need", Select).value
        year = self.query_one("#filter-year", Select).value
        return {
            "tier": Tier(str(tier)) if tier is not Select.NULL else None,
            "need": NeedType(str(need)) if need is not Select.NULL else None,
            "year_group": str(year) if year is not Select.NULL else None,
            "sen_only": self.query_one("#filter-sen", Checkbox).value,
            "on": None if self.query_one("#filter-left", Checkbox).value else self.sencoplan.today,
        }

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filter_changed(self) -> None:
        self.reload()

    def fetch(self, db: Database, school_id: int) -> RegisterView:
        return register_view(db, school_id, self.sencoplan.today, self._filters_snapshot)

    def reload(self) -> None:
        # Filters are read here, on the UI thread, before the worker starts.
        self._filters_snapshot = self._filters()
        school = self.sencoplan.school
        first = self.sencoplan.take_first_register()
        if (
            first is not None
            and school is not None
            and (first.school_id, first.filters) == (school.id, self._filters_snapshot)
        ):
            self._loaded_version = self.sencoplan.data_version
            self.show(first.view)
            return
        super().reload()

    def presenter_changed(self) -> None:
        """Presenter mode turned on or off: the table again, from what it holds (at once,
        not after a reload, so no name stays on screen a moment longer)."""
        if self._data is not None:
            self.show(self._data)

    def on_screen_resume(self) -> None:
        # (DataScreen's handler runs too: Textual calls each class's handler in turn.)
        if self._shown_presenter != self.sencoplan.presenter:
            self.presenter_changed()

    def show(self, data: RegisterView) -> None:
        self._data = data
        presenter = self._shown_presenter = self.sencoplan.presenter
        self.query_one("#counts", Static).update(counts_table(data.counts, data.incoming))
        table = self.query_one("#pupils", DataTable)
        keep = selected_key(table)
        table.clear()
        self._shown = {pupil.id: pupil for pupil in data.pupils if pupil.id is not None}
        today = self.sencoplan.today
        names = [
            (initials(pupil.display_name) or "(no name)")
            if presenter
            else (pupil.display_name or "(no name)")
            for pupil in data.pupils
        ]
        longest = max((cell_len(name) for name in names), default=0)
        table.columns[ColumnKey(NAME_COLUMN)].width = max(
            cell_len("Name"), min(NAME_WIDTH, longest)
        )
        for pupil, name in zip(data.pupils, names, strict=True):
            due = [
                (day, kind)
                for day, kind in ((pupil.ehcp_review_due, "EHCP"), (pupil.plan_review_due, "ISP"))
                if day is not None
            ]
            next_review = Text()
            if due and presenter:  # a review's date can point at one child
                next_review = Text(HIDDEN)
            elif due:
                day, kind = min(due)
                overdue = day < today
                next_review = Text(
                    f"{kind} {day:%d/%m/%y}{' late' if overdue else ''}",
                    style="bold red" if overdue else "",
                )
            if not pupil.on_roll(today):
                roll = "left"
            elif pupil.incoming(today):
                roll = "joining" if presenter else f"joins {pupil.on_roll_from:%d/%m/%y}"
            else:
                roll = "on roll"
            plain_row(
                table,
                name,
                HIDDEN if presenter and pupil.upn else (pupil.upn or ""),
                pupil.year_group,
                HIDDEN if presenter and pupil.reg_group else (pupil.reg_group or ""),
                pupil.tier.label,
                pupil.primary_need.value if pupil.primary_need else "",
                pupil.secondary_need.value if pupil.secondary_need else "",
                next_review,
                roll,
                key=str(pupil.id),
            )
        restore_cursor(table, keep)
        self.query_one("#pupil-count", Static).update(_count_shown(data.pupils, today))

    # -- editing ------------------------------------------------------------------

    def _pupil_form(self, pupil: Pupil | None) -> RecordForm[Pupil]:
        school = self.sencoplan.school
        assert school is not None and school.id is not None
        school_id = school.id
        fields = [
            Field("display_name", "Name", pupil.display_name or "" if pupil else ""),
            Field(
                "upn",
                "UPN",
                pupil.upn or "" if pupil else "",
                parse=normalise_upn,
                placeholder="13 characters, e.g. B801200005001",
            ),
            Field(
                "date_of_birth",
                "Date of birth",
                date_text(pupil.date_of_birth if pupil else None),
                parse=past_date(self.sencoplan.today, "date of birth"),
                placeholder="dd/mm/yyyy",
            ),
            Field(
                "year_group",
                "Year group",
                pupil.year_group if pupil else "",
                parse=parse_year_group,
                required=True,
                placeholder="N1, N2, R or 1–14",
            ),
            Field("reg_group", "Class / form", pupil.reg_group or "" if pupil else ""),
            Field(
                "tier",
                "Tier",
                pupil.tier.value if pupil else Tier.UNIVERSAL.value,
                parse=parse_tier,
                options=[(f"{t.label} ({t.provision.value})", t.value) for t in Tier],
                required=True,
            ),
            Field(
                "primary_need",
                "Primary need",
                pupil.primary_need.value if pupil and pupil.primary_need else "",
                parse=parse_need,
                options=[(f"{n.value} – {n.label}", n.value) for n in NeedType],
            ),
            Field(
                "secondary_need",
                "Secondary need",
                pupil.secondary_need.value if pupil and pupil.secondary_need else "",
                parse=parse_need,
                options=[(f"{n.value} – {n.label}", n.value) for n in NeedType],
            ),
            Field(
                "on_roll_from",
                "Admission date",
                date_text(pupil.on_roll_from if pupil else None),
                parse=parse_date,
                placeholder="dd/mm/yyyy (a future date: joining)",
            ),
            Field(
                "on_roll_to",
                "Leaving date",
                date_text(pupil.on_roll_to if pupil else None),
                parse=parse_date,
                placeholder="dd/mm/yyyy",
            ),
            Field(
                "ehcp_review_due",
                "EHCP annual review due",
                date_text(pupil.ehcp_review_due if pupil else None),
                parse=parse_date,
            ),
            Field(
                "plan_review_due",
                "ISP review due",
                date_text(pupil.plan_review_due if pupil else None),
                parse=parse_date,
            ),
        ]

        def build(values: dict[str, Any]) -> Pupil:
            values["tier"] = values["tier"] or Tier.UNIVERSAL
            return Pupil.model_validate(
                {**values, "school_id": school_id, "id": pupil.id if pupil else None}
            )

        def problems(values: dict[str, Any]) -> list[tuple[str, str]]:
            return pupil_problems(
                values["tier"] or Tier.UNIVERSAL,
                values["primary_need"],
                values["secondary_need"],
                values["on_roll_from"],
                values["on_roll_to"],
                entered=True,
            )

        title = f"Edit {pupil.display_name or 'pupil'}" if pupil else "Add a pupil"
        return RecordForm(
            title,
            fields,
            build,
            save_pupil,
            self.sencoplan.db_path,
            problems,
            original=pupil,
            current=get_pupil,
        )

    def _current(self) -> int | None:
        key = selected_key(self.query_one("#pupils", DataTable))
        return int(key) if key else None

    def _presenting(self, then: str = "add or edit a pupil") -> bool:
        """The form shows a pupil's name, UPN and date of birth whole: not in presenter mode.

        Nor does a delete ask about a pupil by initials (which of two A. S.?).
        """
        if self.sencoplan.presenter:
            self.notify(
                "Presenter mode is on (pupils by initials): press ctrl+r to turn it off, "
                f"then {then}",
                severity="warning",
            )
        return self.sencoplan.presenter

    def action_add(self) -> None:
        if not self._presenting():
            self.app.push_screen(self._pupil_form(None), self._saved)

    def action_edit(self) -> None:
        pupil_id = self._current()
        if pupil_id is None:
            self.notify("No pupil is highlighted", severity="warning")
            return
        self._edit(pupil_id)

    def _edit(self, pupil_id: int) -> None:
        pupil = self._shown.get(pupil_id)
        if pupil is not None and not self._presenting():
            self.app.push_screen(self._pupil_form(pupil), self._saved)

    def action_joining(self) -> None:
        school = self.sencoplan.school
        if school is not None and school.id is not None:
            self._joining(school.id, self.sencoplan.today, self.sencoplan.presenter)

    @work(thread=True, group="joining", exit_on_error=False)
    def _joining(self, school_id: int, today: dt.date, presenter: bool) -> None:
        """The transition paper: each pupil by name for the SENCO, counts only in
        presenter mode."""
        from sencoplan.io.transition_report import training_lines, transition_markdown
        from sencoplan.store.catalogue import list_modules
        from sencoplan.store.priorities import load_priorities
        from sencoplan.store.transition import load_transition

        db = self.sencoplan.connect()
        try:
            transition = load_transition(db, school_id, today)
            lines = load_priorities(db, today, school_id, staff_views=False).priorities
            training = training_lines(transition, lines, list_modules(db), exact=not presenter)
        finally:
            db.close()
        text = transition_markdown(transition, training, names=not presenter)
        self.app.call_from_thread(self.app.push_screen, DetailScreen(Markdown(text)))

    def action_review_held(self) -> None:
        pupil_id = self._current()
        pupil = self._shown.get(pupil_id) if pupil_id is not None else None
        if pupil is None:
            self.notify("No pupil is highlighted", severity="warning")
            return
        if self._presenting("record the review"):
            return
        from sencoplan.tui.screens.review_form import review_held_form

        def recorded(review: object | None) -> None:
            if review is not None:
                name = pupil.display_name or "the pupil"
                self.notify(f"Recorded the review for {name}", markup=False)
                self.sencoplan.data_changed()

        form = review_held_form(pupil, self.sencoplan.db_path, self.sencoplan.today)
        self.app.push_screen(form, recorded)

    def _saved(self, pupil: Pupil | None) -> None:
        if pupil is not None:
            self.notify(f"Saved {pupil.display_name or 'the pupil'}", markup=False)
            self.sencoplan.data_changed()

    @on(DataTable.RowSelected, "#pupils")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._edit(int(event.row_key.value))

    def action_delete(self) -> None:
        pupil_id = self._current()
        if pupil_id is None or self._presenting("delete the pupil"):
            return
        table = self.query_one("#pupils", DataTable)
        name = str(table.get_row(str(pupil_id))[0])

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.sencoplan.run_write(
                    lambda db: delete_pupil(db, pupil_id), f"Deleted {name} from the register"
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Delete {name} from the register? (To record a leaver, edit the "
                "leaving date instead.)"
            ),
            confirmed,
        )

    def action_filters(self) -> None:
        self.query_one("#filter-tier", Select).focus()


def _count_shown(pupils: list[Pupil], today: dt.date) -> str:
    """'208 pupils shown, 5 of them joining': the counts beside the register are of those
    on roll today, so the joiners the list shows are said."""
    said = f"{counted(len(pupils), 'pupil')} shown"
    joining = sum(1 for pupil in pupils if pupil.incoming(today))
    return said + (f", {joining} of them joining" if joining else "")
