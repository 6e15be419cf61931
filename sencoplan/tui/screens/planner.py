"""Planner: the term as weeks with their sessions, closures, SENCO hours and conflicts.

Conflicts are shown, never silently fixed. `s` asks for a suggested plan to take or
ignore; `e` edits (moves) a session, `c` cancels it, `d` marks it delivered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from sencoplan.domain.calendar import (
    Term,
    rule_said,
    usual_term_around,
    usual_year,
)
from sencoplan.domain.impact import ModuleImpact
from sencoplan.domain.messages import counted
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.planning import SuggestedPlan, unused_words
from sencoplan.domain.reviews import ReviewDue, overdue_sentences
from sencoplan.domain.sessions import Conflict, CpdSession, SessionStatus, find_conflicts
from sencoplan.domain.workload import MissingReviews, WeekLoad, WorkloadTask
from sencoplan.io.columns import parse_number
from sencoplan.io.dates import parse_date
from sencoplan.io.exports_folder import ready_exports_folder
from sencoplan.io.files import write_private
from sencoplan.io.session_export import (
    leader_names,
    session_markdown,
    term_calendar,
    term_markdown,
)
from sencoplan.store.catalogue import list_modules
from sencoplan.store.impact import load_impact
from sencoplan.store.planning import save_plan, suggest_for_term
from sencoplan.store.reviews import overdue_by_pupil, school_review_steps
from sencoplan.store.sessions import list_sessions, save_session, set_delivered
from sencoplan.store.staff import list_staff
from sencoplan.store.terms import list_terms, save_term
from sencoplan.store.workload import load_workload, missing_reviews, save_task
from sencoplan.tui.screens.base import (
    DataScreen,
    file_stem,
    panel_binding,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.form import Field, RecordForm, date_text
from sencoplan.tui.screens.impact import impact_text
from sencoplan.tui.screens.planner_notes import planner_notes, senco_allocation, week_rows
from sencoplan.tui.screens.session_form import edit_session_form, new_session_form
from sencoplan.tui.screens.term_form import term_form


@dataclass
class PlannerView:
    terms: list[Term]
    term: Term | None
    sessions: list[CpdSession]
    weeks: list[WeekLoad]
    conflicts: list[Conflict]
    staff: dict[int, StaffMember]
    modules: dict[int, Module]
    missing: MissingReviews = field(default_factory=MissingReviews)
    overdue: list[str] = field(default_factory=list)
    overdue_pupils: list[tuple[str, ReviewDue]] = field(default_factory=list)


class PlannerScreen(DataScreen[PlannerView]):
    # The footer shows the session keys used week by week (s, e, d, a) and fits 160
    # columns; the rest (show=False) are in F1 (docs/app.md) and the command palette.
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
            show=False,
            tooltip="Cancel the highlighted session",
        ),
        Binding(
            "d",
            "set_status('delivered')",
            "Delivered",
            id="planner-delivered",
            tooltip="Mark the highlighted session delivered: the training of those who "
            "attended every part of its module is recorded",
        ),
        Binding(
            "m",
            "impact",
            "Impact",
            id="planner-impact",
            show=False,
            tooltip="The term's impact: confidence before and after each module, coverage, spend",
        ),
        Binding(
            "u",
            "set_status('planned')",
            "Planned again",
            id="planner-planned",
            show=False,
            tooltip="Mark the highlighted session planned again (its delivery's training "
            "records are removed)",
        ),
        Binding(
            "a",
            "add_session",
            "Add",
            id="planner-add",
            tooltip="Add a session at any time (a slot, or ad hoc)",
        ),
        Binding(
            "k",
            "add_task",
            "Task",
            id="planner-task",
            show=False,
            tooltip="Add a task to the SENCO's workload (hours on a day)",
        ),
        Binding(
            "p",
            "export_session",
            "Session plan",
            id="planner-session-plan",
            show=False,
            tooltip="Write the highlighted session's plan as markdown",
        ),
        Binding(
            "t",
            "edit_term",
            "Term",
            id="planner-term-edit",
            show=False,
            tooltip="Set up the term: dates, closures, slot rule, budget, SENCO time",
        ),
        Binding(
            "n",
            "new_year",
            "New year",
            id="planner-new-year",
            show=False,
            tooltip="Add next school year's terms in the usual English shape, to edit",
        ),
        Binding(
            "x",
            "export",
            "Export",
            id="planner-export",
            show=False,
            tooltip="Write the term plan as markdown and its sessions as a calendar file",
        ),
        panel_binding("Notes", key="o"),  # the term's Select takes space
    ]
    PANEL = "#planner-conflicts"

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
                yield Label("The highlighted session", classes="panel-title")
                yield Static(id="planner-people")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#planner-weeks", DataTable).add_columns(
            "Week of", "Sessions", "Closed", "Reviews due", "SENCO hours"
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
        steps = school_review_steps(db, school_id)  # read once: overdue, and the weeks
        late = overdue_by_pupil(db, steps, today)
        overdue = overdue_sentences([step for _, step in late], today)
        if term is None or term.id is None:
            return PlannerView(
                terms, None, [], [], [], staff, modules, overdue=overdue, overdue_pupils=late
            )
        sessions = list_sessions(db, term.id)
        for school in {o for s in sessions for o in (s.school_id, *s.shared_with)} - {school_id}:
            # a session shared across the trust: the other schools' people, by name
            staff.update({m.id: m for m in list_staff(db, school) if m.id is not None})
        weeks = load_workload(db, term, steps)
        conflicts = find_conflicts(
            term,
            sessions,
            staff,
            modules,
            senco_weekly_hours={week.week: week.total for week in weeks},
        )
        missing = missing_reviews(db, term)
        return PlannerView(
            terms, term, sessions, weeks, conflicts, staff, modules, missing, overdue, late
        )

    def show(self, data: PlannerView) -> None:
        self._view = data
        self._shown_presenter = self.sencoplan.presenter
        picker = self.query_one("#planner-term", Select)
        options = [(Text(t.name), t.id) for t in data.terms if t.id is not None]
        with picker.prevent(Select.Changed):
            picker.set_options(options)
            if data.term is not None and data.term.id is not None:
                picker.value = data.term.id
                self.term_id = data.term.id
        summary = self.query_one("#planner-summary", Label)
        if data.term is None:
            summary.update(
                "No terms yet: press t to set up this term, n for the usual school year, or "
                "import a terms file (i, kind: terms)."
            )
        else:
            term = data.term
            summary.update(
                Text(
                    f"{term.start:%d/%m/%Y}–{term.end:%d/%m/%Y}, "
                    f"CPD {rule_said(term.slot_rule)} at {term.slot_start:%H:%M}: "
                    f"{counted(len(term.slots()), 'slot')}, "
                    f"{counted(len([s for s in data.sessions if s.active]), 'session')}, budget "
                    f"£{term.cpd_budget:,.0f}, SENCO {senco_allocation(term)}"
                )
            )
        self._show_weeks(data)
        self._show_sessions(data)
        notes = planner_notes(data, self.sencoplan.today, presenter=self.sencoplan.presenter)
        self.query_one("#planner-conflicts", Static).update(notes)

    def _show_weeks(self, data: PlannerView) -> None:
        table = self.query_one("#planner-weeks", DataTable)
        table.clear()
        for cells in week_rows(data):
            plain_row(table, *cells)

    def _show_sessions(self, data: PlannerView) -> None:
        table = self.query_one("#planner-sessions", DataTable)
        keep = selected_key(table)
        table.clear()
        troubled = {i for c in data.conflicts for i in c.session_ids}
        names = {i: member.name for i, member in data.staff.items()}
        for session in data.sessions:
            leaders = leader_names(session, names, data.modules.get(session.module_id or 0))
            style = "red" if session.id in troubled else ("dim" if not session.active else "")
            plain_row(
                table,
                Text(str(session.id), style=style),
                Text(f"{session.day:%a %d/%m/%Y}", style=style),
                f"{session.start:%H:%M}",
                session.minutes,
                session.title + (" (shared across the trust)" if session.shared_with else ""),
                leaders,
                len(session.audience),
                session.status.value,
                key=str(session.id),
            )
        restore_cursor(table, keep)
        self._show_people()

    @on(DataTable.RowHighlighted, "#planner-sessions")
    def _show_people(self) -> None:
        """Who leads the highlighted session, who it is for and who came, by name."""
        session, view = self._current(), self._view
        text = Text()
        if session is None or view is None:
            text.append("No session highlighted.", style="dim")
        else:
            names = {i: member.name for i, member in view.staff.items()}
            module = view.modules.get(session.module_id or 0)
            text.append(f"{session.title}\n", style="bold")
            text.append(f"Led by: {leader_names(session, names, module)}\n")
            text.append(f"For ({len(session.audience)}): ")
            text.append(", ".join(names.get(i, f"#{i}") for i in session.audience) or "no one yet")
            if session.status is SessionStatus.DELIVERED:
                missed = [
                    names.get(i, f"#{i}") for i in session.audience if i not in session.attended
                ]
                text.append(f"\nAttended: {len(session.attended)} of {len(session.audience)}")
                if missed:
                    text.append(f"; missed: {', '.join(missed)}")
        self.query_one("#planner-people", Static).update(text)

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

    def _own(self) -> CpdSession | None:
        """The highlighted session, if this school runs it: a session another school in
        the trust shares with this one is changed on that school's Planner."""
        session = self._current()
        if session is None:
            self.notify("Highlight a session first", severity="warning")
            return None
        school = self.sencoplan.school
        if school is not None and session.school_id != school.id:
            runs = next(
                (entry.name for entry in self.sencoplan.schools if entry.id == session.school_id),
                "another school",
            )
            self.notify(
                f"Session {session.id} is run by {runs} and shared with this school: change "
                f"it on {runs}'s Planner (w switches school)",
                severity="warning",
                markup=False,
            )
            return None
        return session

    def action_set_status(self, status: str) -> None:
        session = self._own()
        if session is None:
            return
        today = self.sencoplan.today
        if status == SessionStatus.DELIVERED and session.id is not None and self._view:
            # Everyone in the audience unless attendance was marked: e changes it. What
            # was recorded (or is waiting for parts to come) is said once it is done.
            names = {i: member.name for i, member in self._view.staff.items()}
            session_id = session.id
            self.sencoplan.run_write(
                lambda db: set_delivered(db, session_id, today=today),
                "",
                lambda done: self.notify(done.said(names), markup=False, timeout=8),
            )
            return
        changed = session.model_copy(update={"status": SessionStatus(status)})
        said = f"{session.title}: {status}"
        self.sencoplan.run_write(lambda db: save_session(db, changed, today=today), said)

    def action_edit(self) -> None:
        session, view = self._own(), self._view
        if session is None or view is None:
            return

        def saved(record: CpdSession | None) -> None:
            if record is not None:
                self.notify(f"Saved {record.title}", markup=False)
                self.sencoplan.data_changed()

        form = edit_session_form(session, view.staff, self.sencoplan.today, self.sencoplan.db_path)
        self.app.push_screen(form, saved)

    def action_impact(self) -> None:
        if self._view is None or self._view.term is None:
            self.notify("No term yet: press n to add the usual school year", severity="warning")
            return
        self._impact(self._view.term)

    @work(thread=True, exclusive=True, group="impact", exit_on_error=False)
    def _impact(self, term: Term) -> None:
        db = self.sencoplan.connect()
        try:
            lines = load_impact(db, term, self.sencoplan.today)
        finally:
            db.close()
        self.app.call_from_thread(self._show_impact, term, lines)

    def _show_impact(self, term: Term, lines: list[ModuleImpact]) -> None:
        from sencoplan.tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(impact_text(term, lines, self.sencoplan.today)))

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
            why = "; ".join(plan.not_placed)
            self.notify(
                "No free slot can close a gap within everyone's limits"
                + (f". Left open: {why}" if why else ""),
                markup=False,
                timeout=10,
            )
            return
        view = self._view
        text = Text()
        text.append(f"Suggested: {len(plan.sessions)} sessions\n\n", style="bold")
        for session in plan.sessions:
            text.append(
                f"{session.day:%a %d/%m} {session.start:%H:%M} {session.title}, "
                f"{len(session.audience)} staff\n"
            )
        text.append(
            "\nCoverage now (with sessions already planned) → after this plan\n", style="bold"
        )
        for need, (now, later) in plan.coverage.items():
            text.append(f"  {need.value}: {now:.0%} → {later:.0%}\n")
        left_open = [*plan.not_placed, *unused_words(plan.unused_slots)]
        if left_open:
            text.append("\nWhat the plan leaves open, and why\n", style="bold")
            for why in left_open:
                text.append(f"  {why}\n", style="yellow")
        if plan.note:
            text.append(f"\n{plan.note}\n", style="dim")
        text.append(f"\n{plan.method_note}\n", style="dim")
        text.append("\nenter: take it into the plan   escape: ignore it", style="dim")
        assert view is not None

        def answer(take: bool | None) -> None:
            if take:
                self.sencoplan.run_write(
                    lambda db: save_plan(db, plan), f"Added {len(plan.sessions)} sessions"
                )

        self.app.push_screen(DetailScreen(text, answer_on_enter=True), answer)

    def action_edit_term(self) -> None:
        """The term shown, to change; with none yet, the usual term around today to set
        up (n adds a whole year)."""
        view, school = self._view, self.sencoplan.school
        if view is None or school is None or school.id is None:
            return
        term = view.term or usual_term_around(school.id, self.sencoplan.today)

        def saved(record: Term | None) -> None:
            if record is not None:
                self.notify(f"Saved {record.name}", markup=False)
                self.sencoplan.data_changed()

        self.app.push_screen(term_form(term, self.sencoplan.db_path), saved)

    def action_new_year(self) -> None:
        """The usual English school year after the last term held (or this one), to edit."""
        school = self.sencoplan.school
        if school is None or school.id is None:
            return
        terms = self._view.terms if self._view else []
        today = self.sencoplan.today
        last = max((t.end for t in terms), default=None)
        # The school year (named by its autumn) the last term belongs to, else this one;
        # if every term of it is there already, the year after.
        anchor = last or today
        year = anchor.year if anchor.month >= 9 else anchor.year - 1
        school_id = school.id
        names = {t.name.casefold() for t in terms}
        new = [t for t in usual_year(school_id, year) if t.name.casefold() not in names]
        if not new:
            new = [t for t in usual_year(school_id, year + 1) if t.name.casefold() not in names]

        def add(db: Database) -> None:
            for term in new:
                save_term(db, term)

        self.sencoplan.run_write(
            add, "Added " + ", ".join(t.name for t in new) + ": press t to edit the dates"
        )

    def action_export(self) -> None:
        view = self._view
        school = self.sencoplan.school
        if view is None or view.term is None or school is None:
            return
        term = view.term
        markdown = term_markdown(
            term, view.sessions, modules=view.modules, staff=view.staff, school_name=school.name
        )
        calendar = term_calendar(
            term, view.sessions, modules=view.modules, school_name=school.name, staff=view.staff
        )
        self._write_plan(f"cpd-{file_stem(school.name, term.name)}", markdown, calendar)

    @work(thread=True, group="export", exit_on_error=False)
    def _write_plan(self, name: str, markdown: str, calendar: bytes) -> None:
        stem = ready_exports_folder() / name
        write_private(stem.with_suffix(".md"), markdown)
        write_private(stem.with_suffix(".ics"), calendar)
        self.app.call_from_thread(
            self.notify,
            f"Wrote {stem.with_suffix('.md')} and {stem.with_suffix('.ics')}",
            markup=False,
        )

    def action_add_session(self) -> None:
        view = self._view
        if view is None or view.term is None or view.term.id is None:
            self.notify("No term yet: press n to add the usual school year", severity="warning")
            return

        def saved(record: CpdSession | None) -> None:
            if record is not None:
                self.notify(f"Added {record.title or 'the session'}", markup=False)
                self.sencoplan.data_changed()

        form = new_session_form(
            view.term, view.staff, view.modules, self.sencoplan.today, self.sencoplan.db_path
        )
        self.app.push_screen(form, saved)

    def action_add_task(self) -> None:
        view = self._view
        if view is None or view.term is None or view.term.id is None:
            return
        term_id = view.term.id
        today = self.sencoplan.today
        day = today if view.term.start <= today <= view.term.end else view.term.start
        fields = [
            Field("title", "Task", "", required=True, placeholder="e.g. LA panel, Y6 visits"),
            Field("day", "Date", date_text(day), parse=parse_date, required=True),
            Field("hours", "Hours", "1", parse=parse_number, required=True),
        ]

        def build(values: dict[str, Any]) -> WorkloadTask:
            return WorkloadTask.model_validate({**values, "term_id": term_id})

        def saved(record: WorkloadTask | None) -> None:
            if record is not None:
                self.notify(f"Added {record.title}", markup=False)
                self.sencoplan.data_changed()

        self.app.push_screen(
            RecordForm("Add a SENCO task", fields, build, save_task, self.sencoplan.db_path),
            saved,
        )

    def action_export_session(self) -> None:
        session, view = self._current(), self._view
        if session is None or view is None or view.term is None:
            self.notify("Highlight a session first", severity="warning")
            return
        text = session_markdown(
            session,
            term=view.term,
            module=view.modules.get(session.module_id or 0),
            staff=view.staff,
        )
        self._write_text(f"session-{session.id}-{session.day}.md", text)

    @work(thread=True, group="export", exit_on_error=False)
    def _write_text(self, name: str, text: str) -> None:
        path = ready_exports_folder() / name
        write_private(path, text)
        self.app.call_from_thread(self.notify, f"Wrote {path}", markup=False)
