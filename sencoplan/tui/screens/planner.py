"""Planner: the term as weeks with their sessions, closures, SENCO hours and conflicts.

Conflicts are shown, never silently fixed. `s` asks for a suggested plan to take or
ignore; `e` edits (moves) a session, `c` cancels it, `d` marks it delivered.
"""

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
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from sencoplan.domain.calendar import Term
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.planning import SuggestedPlan
from sencoplan.domain.sessions import Conflict, CpdSession, SessionStatus, find_conflicts
from sencoplan.domain.workload import WeekLoad, monday
from sencoplan.io.dates import parse_date
from sencoplan.io.importers.terms import parse_time
from sencoplan.store.catalogue import list_modules
from sencoplan.store.planning import save_plan, suggest_for_term
from sencoplan.store.sessions import list_sessions, save_session
from sencoplan.store.staff import list_staff
from sencoplan.store.terms import list_terms
from sencoplan.store.workload import load_workload
from sencoplan.tui.screens.base import DataScreen, plain_row, restore_cursor, selected_key
from sencoplan.tui.screens.form import Field, RecordForm, date_text, options_of


@dataclass
class PlannerView:
    terms: list[Term]
    term: Term | None
    sessions: list[CpdSession]
    weeks: list[WeekLoad]
    conflicts: list[Conflict]
    staff: dict[int, StaffMember]
    modules: dict[int, Module]


class PlannerScreen(DataScreen[PlannerView]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "suggest",
            "Suggest",
            id="planner-suggest",
            tooltip="Suggest sessions for the free slots, to take or ignore",
        ),
        Binding(
            "e",
            "edit",
            "Edit/move",
            id="planner-edit",
            tooltip="Change the highlighted session's date, time, room or objectives",
        ),
        Binding(
            "c",
            "set_status('cancelled')",
            "Cancel",
            id="planner-cancel",
            tooltip="Cancel the highlighted session",
        ),
        Binding(
            "d",
            "set_status('delivered')",
            "Delivered",
            id="planner-delivered",
            tooltip="Mark the highlighted session delivered",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.term_id: int | None = None
        self._view: PlannerView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="planner-top"):
            yield Select[int]([], prompt="Term", id="planner-term")
            yield Label("", id="planner-summary")
        with Horizontal(id="planner-body"):
            with Vertical(id="planner-main"):
                yield DataTable(id="planner-weeks", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="planner-sessions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="planner-side", classes="detail"):
                yield Label("Conflicts", classes="panel-title")
                yield Static(id="planner-conflicts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#planner-weeks", DataTable).add_columns(
            "Week of", "Sessions", "Closed", "SENCO hours"
        )
        self.query_one("#planner-sessions", DataTable).add_columns(
            "#", "Date", "Time", "Min", "Session", "Led by", "Staff", "Status"
        )
        self.reload()

    def fetch(self, db: Database, school_id: int) -> PlannerView:
        today = self.sencoplan.today
        terms = list_terms(db, school_id)
        term = next((t for t in terms if t.id == self.term_id), None)
        if term is None:
            term = next((t for t in terms if t.end >= today), terms[-1] if terms else None)
        staff = {m.id: m for m in list_staff(db, school_id) if m.id is not None}
        modules = {m.id: m for m in list_modules(db) if m.id is not None}
        if term is None or term.id is None:
            return PlannerView(terms, None, [], [], [], staff, modules)
        sessions = list_sessions(db, term.id)
        weeks = load_workload(db, term)
        conflicts = find_conflicts(
            term,
            sessions,
            staff,
            modules,
            senco_weekly_hours={week.week: week.total for week in weeks},
        )
        return PlannerView(terms, term, sessions, weeks, conflicts, staff, modules)

    def show(self, data: PlannerView) -> None:
        self._view = data
        picker = self.query_one("#planner-term", Select)
        options = [(t.name, t.id) for t in data.terms if t.id is not None]
        with picker.prevent(Select.Changed):
            picker.set_options(options)
            if data.term is not None and data.term.id is not None:
                picker.value = data.term.id
                self.term_id = data.term.id
        summary = self.query_one("#planner-summary", Label)
        if data.term is None:
            summary.update("No terms yet: import a terms file (i, kind: terms).")
        else:
            term = data.term
            summary.update(
                Text(
                    f"{term.start:%d/%m/%Y}–{term.end:%d/%m/%Y}, {len(term.slots())} slots, "
                    f"{len([s for s in data.sessions if s.active])} sessions, budget "
                    f"£{term.cpd_budget:,.0f}, SENCO {term.senco_hours:g} h/week"
                )
            )
        self._show_weeks(data)
        self._show_sessions(data)
        conflicts = Text()
        for conflict in data.conflicts:
            conflicts.append(f"• {conflict.message}\n", style="red")
        if not data.conflicts:
            conflicts.append("None.", style="green")
        self.query_one("#planner-conflicts", Static).update(conflicts)

    def _show_weeks(self, data: PlannerView) -> None:
        table = self.query_one("#planner-weeks", DataTable)
        table.clear()
        if data.term is None:
            return
        by_week: dict[dt.date, list[CpdSession]] = {}
        for session in data.sessions:
            by_week.setdefault(monday(session.day), []).append(session)
        for week in data.weeks:
            closed = sorted(
                {
                    c.label or "closed"
                    for c in data.term.closures
                    if c.start <= week.week + dt.timedelta(days=4) and c.end >= week.week
                }
            )
            sessions = ", ".join(
                f"{s.day:%a} {s.title or 'session'}" + (" (cancelled)" if not s.active else "")
                for s in by_week.get(week.week, [])
            )
            hours = Text(
                f"{week.total:g} / {week.allocated:g}", style="bold red" if week.over else ""
            )
            plain_row(table, f"{week.week:%d/%m/%Y}", sessions, ", ".join(closed), hours)

    def _show_sessions(self, data: PlannerView) -> None:
        table = self.query_one("#planner-sessions", DataTable)
        keep = selected_key(table)
        table.clear()
        troubled = {i for c in data.conflicts for i in c.session_ids}
        for session in data.sessions:
            leaders = (
                ", ".join(data.staff[f].name for f in session.facilitators if f in data.staff)
                or "external"
            )
            style = "red" if session.id in troubled else ("dim" if not session.active else "")
            plain_row(
                table,
                Text(str(session.id), style=style),
                Text(f"{session.day:%a %d/%m/%Y}", style=style),
                f"{session.start:%H:%M}",
                session.minutes,
                session.title,
                leaders,
                len(session.audience),
                session.status.value,
                key=str(session.id),
            )
        restore_cursor(table, keep)

    @on(Select.Changed, "#planner-term")
    def _term_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.term_id:
            self.term_id = event.value
            self.reload()

    def _current(self) -> CpdSession | None:
        key = selected_key(self.query_one("#planner-sessions", DataTable))
        if key is None or self._view is None:
            return None
        return next((s for s in self._view.sessions if str(s.id) == key), None)

    def action_set_status(self, status: str) -> None:
        session = self._current()
        if session is None:
            self.notify("Highlight a session first", severity="warning")
            return
        changed = session.model_copy(update={"status": SessionStatus(status)})
        self.sencoplan.run_write(lambda db: save_session(db, changed), f"{session.title}: {status}")

    def action_edit(self) -> None:
        session = self._current()
        if session is None:
            self.notify("Highlight a session first", severity="warning")
            return
        fields = [
            Field("day", "Date", date_text(session.day), parse=parse_date, required=True),
            Field("start", "Start", f"{session.start:%H:%M}", parse=parse_time, required=True),
            Field("minutes", "Minutes", str(session.minutes), parse=int, required=True),
            Field("room", "Room", session.room),
            Field("objectives", "Objectives (Know / Understand / Adapt)", session.objectives),
            Field(
                "status",
                "Status",
                session.status.value,
                parse=SessionStatus,
                options=options_of(list(SessionStatus)),
                required=True,
            ),
        ]

        def build(values: dict[str, Any]) -> CpdSession:
            values = {k: v for k, v in values.items() if v is not None}
            return CpdSession.model_validate({**session.model_dump(), **values})

        def saved(record: CpdSession | None) -> None:
            if record is not None:
                self.notify(f"Saved {record.title}", markup=False)
                self.sencoplan.data_changed()

        self.app.push_screen(
            RecordForm(
                f"Session {session.id}", fields, build, save_session, self.sencoplan.db_path
            ),
            saved,
        )

    def action_suggest(self) -> None:
        if self._view is None or self._view.term is None:
            self.notify("Import a terms file first", severity="warning")
            return
        self._suggest(self._view.term)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _suggest(self, term: Term) -> None:
        db = self.sencoplan.connect()
        try:
            plan = suggest_for_term(db, term, self.sencoplan.today)
        finally:
            db.close()
        self.app.call_from_thread(self._offer, plan)

    def _offer(self, plan: SuggestedPlan) -> None:
        from sencoplan.tui.screens.detail import DetailScreen

        if not plan.sessions:
            self.notify("No free slot can close a gap within everyone's limits")
            return
        view = self._view
        text = Text()
        text.append(f"Suggested: {len(plan.sessions)} sessions\n\n", style="bold")
        for session in plan.sessions:
            text.append(
                f"{session.day:%a %d/%m} {session.start:%H:%M} {session.title}, "
                f"{len(session.audience)} staff\n"
            )
        text.append("\nExpected coverage\n", style="bold")
        for need, (now, later) in plan.coverage.items():
            text.append(f"  {need.value}: {now:.0%} → {later:.0%}\n")
        text.append("\nenter: take it into the plan   escape: ignore it", style="dim")
        assert view is not None

        def answer(take: bool | None) -> None:
            if take:
                self.sencoplan.run_write(
                    lambda db: save_plan(db, plan), f"Added {len(plan.sessions)} sessions"
                )

        self.app.push_screen(DetailScreen(text, answer_on_enter=True), answer)
