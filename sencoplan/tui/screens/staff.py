"""Staff: roles, the training each person holds, what lapses this term, confidence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import ConfidenceRating, StaffMember, TrainingRecord
from sencoplan.domain.staff_codes import Role, parse_role
from sencoplan.domain.terms import TermDates, usual_term
from sencoplan.io.columns import parse_number
from sencoplan.io.dates import parse_date, past_date
from sencoplan.store.catalogue import list_modules
from sencoplan.store.overview import StaffOverview, staff_overview
from sencoplan.store.staff import delete_staff, get_staff, save_staff
from sencoplan.store.terms import current_term
from sencoplan.store.training import save_training
from sencoplan.tui.screens.base import (
    DataScreen,
    panel_binding,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.confirm import ConfirmScreen
from sencoplan.tui.screens.form import Field, RecordForm, date_text, options_of

StaffView = tuple[list[StaffOverview], list[tuple[str, str]], TermDates]
"""Everyone with their training, the modules to record, and the term 'this term' means."""


class StaffScreen(DataScreen[StaffView]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="staff-add", tooltip="Add a member of staff"),
        Binding("e", "edit", "Edit", id="staff-edit", tooltip="Edit the highlighted person"),
        Binding(
            "t",
            "add_training",
            "Record training",
            id="staff-train",
            tooltip="Record a module this person completed",
        ),
        Binding("d", "delete", "Delete", id="staff-delete", tooltip="Delete the person"),
        panel_binding("Details"),
    ]
    PANEL = "#staff-detail-text"

    def __init__(self) -> None:
        super().__init__()
        self._shown: dict[int, StaffOverview] = {}
        self._module_options: list[tuple[str, str]] = []
        self._term: TermDates = usual_term(dt.date.today())

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="staff-body"):
            yield DataTable(id="staff", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="staff-detail", classes="detail"):
                yield Static(id="staff-detail-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#staff", DataTable).add_columns(
            "Name", "Role", "FTE", "CPD h", "Trained", "Lapses this term", "Lapsed", "Pupils"
        )
        self.reload()

    def fetch(self, db: Database, school_id: int) -> StaffView:
        today = self.sencoplan.today
        modules = [(f"{m.code} – {m.title}", str(m.id)) for m in list_modules(db)]
        term = current_term(db, school_id, today)
        return staff_overview(db, school_id, today, term), modules, term

    def show(self, data: StaffView) -> None:
        people, modules, self._term = data
        self._module_options = modules
        table = self.query_one("#staff", DataTable)
        keep = selected_key(table)
        table.clear()
        self._shown = {p.member.id: p for p in people if p.member.id is not None}
        # With no supports recorded the priorities take every teacher as each pupil's class
        # teacher and all support staff as in-class support: the column says so.
        none_recorded = not any(person.pupils_supported for person in people)
        for person in people:
            member = person.member
            expiring = person.expiring
            lapsed = person.lapsed
            plain_row(
                table,
                member.name,
                member.role.label,
                f"{member.fte:g}",
                f"{member.cpd_hours:g}",
                str(person.valid_count),
                Text(", ".join(h.module.code for h in expiring), style="yellow"),
                Text(", ".join(h.module.code for h in lapsed), style="red"),
                _pupils_cell(person.pupils_supported, member.role.supports_pupils, none_recorded),
                key=str(member.id),
            )
        restore_cursor(table, keep)
        self._show_detail()

    @on(DataTable.RowHighlighted, "#staff")
    def _highlighted(self) -> None:
        self._show_detail()

    def _current(self) -> StaffOverview | None:
        key = selected_key(self.query_one("#staff", DataTable))
        return self._shown.get(int(key)) if key else None

    def _show_detail(self) -> None:
        person = self._current()
        detail = self.query_one("#staff-detail-text", Static)
        if person is None:
            detail.update("No staff yet: press a to add someone, or i to import a staff list.")
            return
        term = self._term
        text = Text()
        member = person.member
        text.append(f"{member.name}\n", style="bold")
        text.append(
            f"{member.role.label}, {member.fte:g} FTE, {member.cpd_hours:g} CPD hours a term\n"
        )
        if member.start_date:
            text.append(f"In post since {member.start_date:%d/%m/%Y}\n")
        if member.leaving_date:
            text.append(f"Leaving {member.leaving_date:%d/%m/%Y}\n", style="yellow")
        text.append(f"\nTraining ({term.name})\n", style="bold underline")
        if not person.training:
            text.append("none recorded\n", style="dim")
        for held in person.latest:
            if not held.valid:
                state, style = f"lapsed {held.expires:%d/%m/%Y}", "red"
            elif held.expires_this_term:
                state, style = f"lapses {held.expires:%d/%m/%Y}", "yellow"
            elif held.expires:
                state, style = f"valid to {held.expires:%d/%m/%Y}", ""
            else:
                state, style = "does not lapse", "dim"
            text.append(f"{held.module.code} {held.module.title}\n")
            how = f", session {held.record.session_id}" if held.record.session_id else ""
            text.append(f"   done {held.record.completed:%d/%m/%Y}{how}, {state}\n", style=style)
        if person.qualifications:
            text.append("\nQualifications\n", style="bold underline")
            for qualification in person.qualifications:
                text.append(
                    f"{qualification.kind.label} {qualification.title or ''} "
                    f"({qualification.status.value})\n"
                )
        if person.confidence:
            text.append("\nConfidence (1–5), each survey in turn\n", style="bold underline")
            by_need: dict[NeedType, list[ConfidenceRating]] = defaultdict(list)
            for rating in sorted(person.confidence, key=lambda r: (r.rated_on, r.id or 0)):
                by_need[rating.need].append(rating)
            for need, ratings in sorted(by_need.items(), key=lambda item: item[0].value):
                latest = ratings[-1].rating
                text.append(f"{need.value}: {'●' * latest}{'○' * (5 - latest)}  ")
                text.append(
                    " → ".join(f"{r.rating} ({r.rated_on:%d/%m/%Y})" for r in ratings) + "\n",
                    style="dim",
                )
        detail.update(text)

    # -- editing ------------------------------------------------------------------

    def _member_form(self, member: StaffMember | None) -> RecordForm[StaffMember]:
        school = self.sencoplan.school
        assert school is not None and school.id is not None
        school_id = school.id
        fields = [
            Field("name", "Name", member.name if member else "", required=True),
            Field(
                "role",
                "Role",
                member.role.value if member else "",
                parse=parse_role,
                options=options_of(list(Role)),
                required=True,
            ),
            Field("fte", "FTE", f"{member.fte:g}" if member else "1", parse=parse_number),
            Field(
                "cpd_hours",
                "CPD hours a term",
                f"{member.cpd_hours:g}" if member else "0",
                parse=parse_number,
            ),
            Field("email", "Email", member.email or "" if member else ""),
            Field(
                "start_date",
                "In post since",
                date_text(member.start_date if member else None),
                parse=parse_date,
                placeholder="dd/mm/yyyy",
            ),
            Field(
                "leaving_date",
                "Leaving date",
                date_text(member.leaving_date if member else None),
                parse=parse_date,
                placeholder="dd/mm/yyyy",
            ),
        ]

        def build(values: dict[str, Any]) -> StaffMember:
            values = {
                key: value
                for key, value in values.items()
                if value is not None or key in {"email", "start_date", "leaving_date"}
            }
            return StaffMember.model_validate(
                {**values, "school_id": school_id, "id": member.id if member else None}
            )

        title = f"Edit {member.name}" if member else "Add a member of staff"
        return RecordForm(
            title,
            fields,
            build,
            save_staff,
            self.sencoplan.db_path,
            original=member,
            current=get_staff,
        )

    def action_add(self) -> None:
        self.app.push_screen(self._member_form(None), self._saved)

    def action_edit(self) -> None:
        person = self._current()
        if person is None:
            self.notify("No one is highlighted", severity="warning")
            return
        self.app.push_screen(self._member_form(person.member), self._saved)

    @on(DataTable.RowSelected, "#staff")
    def _row_chosen(self) -> None:
        self.action_edit()

    def _saved(self, record: Any) -> None:
        if record is not None:
            what = record.name if isinstance(record, StaffMember) else "the training record"
            self.notify(f"Saved {what}", markup=False)
            self.sencoplan.data_changed()

    def action_add_training(self) -> None:
        person = self._current()
        if person is None or person.member.id is None:
            self.notify("Highlight a member of staff first", severity="warning")
            return
        staff_id = person.member.id
        today = self.sencoplan.today

        completed_on = past_date(today)

        fields = [
            Field(
                "module_id", "Module", "", parse=int, options=self._module_options, required=True
            ),
            Field(
                "completed",
                "Completed on",
                date_text(today),
                parse=completed_on,
                required=True,
                placeholder="dd/mm/yyyy",
            ),
        ]

        def build(values: dict[str, Any]) -> TrainingRecord:
            return TrainingRecord.model_validate({**values, "staff_id": staff_id})

        self.app.push_screen(
            RecordForm(
                f"Record training for {person.member.name}",
                fields,
                build,
                save_training,
                self.sencoplan.db_path,
            ),
            self._saved,
        )

    def action_delete(self) -> None:
        person = self._current()
        if person is None or person.member.id is None:
            return
        staff_id, name = person.member.id, person.member.name

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.sencoplan.run_write(lambda db: delete_staff(db, staff_id), f"Deleted {name}")

        self.app.push_screen(
            ConfirmScreen(
                f"Delete {name} and their training records? (To record a leaver, "
                "edit the leaving date instead.)"
            ),
            confirmed,
        )


def _pupils_cell(count: int, works_with_pupils: bool, none_recorded: bool) -> str:
    if none_recorded and works_with_pupils:
        return "all (no supports)"
    return str(count or "")
