"""Succession: each SEND role's holder and bench, the risks, and the development due.

For deputies and leaders reviewing the plan each term. Risks are computed from the
records (docs/how-it-works.md), never typed; each says what
would clear it. `v` shows every
school in the file, with what the trust could do across schools.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static

from sencoplan.domain.messages import counted
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    SuccessionRole,
)
from sencoplan.domain.succession import (
    Risk,
    RoleLine,
    SchoolReview,
    Severity,
    lacks_deputy,
    review_school,
    trust_risks,
)
from sencoplan.domain.succession_codes import (
    Readiness,
    SuccessionRoleKind,
)
from sencoplan.io.exports_folder import ready_exports_folder
from sencoplan.io.files import write_private
from sencoplan.io.succession_report import succession_markdown
from sencoplan.store.schools import list_schools
from sencoplan.store.succession import (
    delete_candidate,
    delete_role,
    school_facts,
)
from sencoplan.store.terms import current_term
from sencoplan.tui.screens import succession_forms as forms
from sencoplan.tui.screens.base import (
    DataScreen,
    file_stem,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.form import FormSpec, date_text, open_form

SEVERITY_STYLE = {Severity.HIGH: "bold red", Severity.MEDIUM: "yellow", Severity.WATCH: "dim"}


@dataclass
class SuccessionView:
    reviews: list[SchoolReview]
    trust_risks: list[Risk]
    term_end: dt.date
    trust: bool


def _role_key(review: SchoolReview, index: int) -> str:
    return f"{review.facts.school_id}:{index}"


class SuccessionScreen(DataScreen[SuccessionView]):
    # The footer shows the most used keys (a, d, e, x) and fits 160 columns; the rest
    # (show=False) are in F1 (docs/app.md) and the command palette.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "o",
            "toggle_actions",
            "All open",
            id="succession-all-actions",
            show=False,
            tooltip="Development actions: due by the end of this term, or every open one",
        ),
        Binding(
            "a",
            "add_candidate",
            "Add candidate",
            id="succession-candidate",
            tooltip="Name someone who could step into the highlighted role",
        ),
        Binding(
            "d",
            "add_action",
            "Development",
            id="succession-action",
            tooltip="Plan a development action (a course, the NPQ, training to lead CPD)",
        ),
        Binding(
            "u",
            "update_action",
            "Update action",
            id="succession-update",
            show=False,
            tooltip="Change the highlighted development action: status, date",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="succession-role",
            tooltip="Change the highlighted role (holder, since) or candidate (readiness, notes)",
        ),
        Binding(
            "delete",
            "delete",
            "Delete",
            id="succession-delete",
            show=False,
            tooltip="Take the highlighted candidate off the bench, or remove a role",
        ),
        Binding(
            "n",
            "add_qualification",
            "Qualification",
            id="succession-qualification",
            show=False,
            tooltip="Record a qualification held or being studied (NPQ for SENCOs, NASENCO...)",
        ),
        Binding(
            "r",
            "add_role",
            "New role",
            id="succession-new-role",
            show=False,
            tooltip="Add a role",
        ),
        Binding(
            "l",
            "leaders",
            "Who can lead",
            id="succession-leaders",
            show=False,
            tooltip="Who can lead each internal module, and who was trained to lead CPD",
        ),
        Binding(
            "m",
            "name_leader",
            "Name a leader",
            id="succession-name-leader",
            show=False,
            tooltip="Record that someone can lead a module",
        ),
        Binding(
            "v",
            "toggle_trust",
            "School/trust",
            id="succession-trust",
            show=False,
            tooltip="This school, or every school in the file",
        ),
        Binding(
            "x",
            "export",
            "Export",
            id="succession-export",
            tooltip="Write the succession review as markdown (a board paper)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.trust = False
        self._view: SuccessionView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="succession-summary")
        with Horizontal(id="succession-body"):
            with Vertical(id="succession-main"):
                yield DataTable(id="succession-roles", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="succession-bench", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="succession-actions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="succession-side", classes="detail"):
                yield Label("Risks", classes="panel-title")
                yield Static(id="succession-risks")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#succession-bench", DataTable).add_columns(
            "Candidate", "For", "Readiness", "Open actions", "Notes", "Qualifications"
        )
        self.query_one("#succession-actions", DataTable).add_columns(
            "Who", "Due", "Status", "Action", "With"
        )
        self.reload()

    # -- data ---------------------------------------------------------------------------

    def fetch(self, db: Database, school_id: int) -> SuccessionView:
        today = self.sencoplan.today
        ids = [s.id for s in list_schools(db) if s.id is not None] if self.trust else [school_id]
        facts = [school_facts(db, i, today) for i in ids]
        reviews = [review_school(f, today) for f in facts]
        across = trust_risks(facts) if self.trust else []
        term_end = current_term(db, school_id, today).end
        return SuccessionView(reviews, across, term_end, self.trust)

    def show(self, data: SuccessionView) -> None:
        self._view = data
        self._show_summary(data)
        self._show_roles(data)
        self._show_bench()
        self._show_actions(data)
        self._show_risks(data)

    def _show_summary(self, data: SuccessionView) -> None:
        risks = [r for review in data.reviews for r in review.risks] + data.trust_risks
        high = sum(1 for r in risks if r.severity is Severity.HIGH)
        scope = (
            f"{len(data.reviews)} schools"
            if data.trust
            else (data.reviews[0].facts.school.name if data.reviews else "")
        )
        text = Text(f"{scope}: ")
        text.append(counted(high, "high risk"), style="bold red" if high else "green")
        shown = (
            "every open development action below (o: due this term)"
            if self.all_actions
            else f"development due by {data.term_end:%d/%m/%Y} below (o: every open one)"
        )
        text.append(f", {len(risks)} in all; {shown}")
        if data.trust:
            without = [r.facts.school.name for r in data.reviews if lacks_deputy(r.facts)]
            text.append(f"; without a deputy SENCO: {', '.join(without) or 'none'}")
        self.query_one("#succession-summary", Label).update(text)

    def _show_roles(self, data: SuccessionView) -> None:
        table = self.query_one("#succession-roles", DataTable)
        keep = selected_key(table)
        table.clear(columns=True)
        school = ["School"] if data.trust else []
        table.add_columns(
            *school, "Role", "Holder", "Since", "Ready now", "1–2 yrs", "3+ yrs", "Qualifications"
        )
        for review in data.reviews:
            for index, line in enumerate(review.roles):
                holder = Text(line.holder or "vacant", style="" if line.holder else "bold red")
                plain_row(
                    table,
                    *([review.facts.school.name] if data.trust else []),
                    line.role.title,
                    holder,
                    date_text(line.since),
                    *(line.count(r) or "–" for r in Readiness),
                    _short("; ".join(line.qualifications), 48),
                    key=_role_key(review, index),
                )
        restore_cursor(table, keep)

    def _selected_role(self) -> tuple[SchoolReview, int] | None:
        view = self._view
        key = selected_key(self.query_one("#succession-roles", DataTable))
        if view is None or key is None:
            return None
        school, index = (int(part) for part in key.split(":"))
        review = next((r for r in view.reviews if r.facts.school_id == school), None)
        return (review, index) if review is not None else None

    def _show_bench(self) -> None:
        table = self.query_one("#succession-bench", DataTable)
        table.clear()
        chosen = self._selected_role()
        if chosen is None:
            return
        review, index = chosen
        line = review.roles[index]
        for candidate, name in line.bench:
            open_actions = sum(
                1 for a in review.actions if a.staff_id == candidate.staff_id and a.status.open
            )
            plain_row(
                table,
                name,
                line.role.title,
                candidate.readiness.label,
                open_actions,
                _short(candidate.notes or "", 40),
                _short("; ".join(review.qualifications_of(candidate.staff_id)), 48),
                key=str(candidate.staff_id),
            )

    @on(DataTable.RowHighlighted, "#succession-roles")
    def _role_highlighted(self) -> None:
        self._show_bench()

    def _show_actions(self, data: SuccessionView) -> None:
        table = self.query_one("#succession-actions", DataTable)
        keep = selected_key(table)
        table.clear()
        today = self.sencoplan.today
        for review in data.reviews:
            for action in review.actions_due_by(None if self.all_actions else data.term_end):
                overdue = action.due is not None and action.due < today
                plain_row(
                    table,
                    review.facts.name(action.staff_id),
                    Text(date_text(action.due), style="bold red" if overdue else ""),
                    action.status.label,
                    _short(review.action_text(action), 60),
                    _short(action.by_whom or "", 40),
                    key=str(action.id),
                )
        restore_cursor(table, keep)

    def _show_risks(self, data: SuccessionView) -> None:
        text = Text()
        if data.trust_risks:
            text.append("Across the trust\n", style="bold underline")
            for risk in data.trust_risks:
                _append_risk(text, risk)
        for review in data.reviews:
            if data.trust:
                text.append(f"{review.facts.school.name}\n", style="bold underline")
            for risk in review.risks:
                _append_risk(text, risk)
        if not text.plain:
            text.append("None: every role has someone ready.", style="green")
        self.query_one("#succession-risks", Static).update(text)

    # -- actions ------------------------------------------------------------------------

    all_actions = False
    """Every open development action, not only those due by this term's end."""

    def action_toggle_actions(self) -> None:
        self.all_actions = not self.all_actions
        if self._view is not None:
            self.show(self._view)

    def action_toggle_trust(self) -> None:
        self.trust = not self.trust
        self.reload()

    def action_add_candidate(self) -> None:
        chosen = self._role_or_warn()
        if chosen is not None:
            self._form(forms.new_candidate_form(*chosen))

    def action_add_action(self) -> None:
        chosen = self._role_or_warn()
        if chosen is not None:
            review, line = chosen
            person = self._person(review, line.role)
            open_form(self, forms.new_action_form(review, line.role, person), self._action_saved)

    def _action_saved(self, action: DevelopmentAction) -> None:
        """An action due after this term (or undated) would vanish from the list of this
        term's: the list shows every open one instead, and says so."""
        view = self._view
        if self.all_actions or view is None:
            return
        if action.due is None or action.due > view.term_end:
            self.all_actions = True
            self.notify("It is due after this term: every open action is shown (o: this term's)")

    def _role_or_warn(self) -> tuple[SchoolReview, RoleLine] | None:
        """The highlighted role, or a word to the user that one is needed."""
        chosen = self._selected_role()
        if chosen is None:
            self.notify("Highlight a role first", severity="warning")
            return None
        review, index = chosen
        return review, review.roles[index]

    def _person(self, review: SchoolReview, role: SuccessionRole) -> int | None:
        """The highlighted candidate if the bench has the cursor, else the role's holder."""
        bench = self.query_one("#succession-bench", DataTable)
        who = selected_key(bench) if bench.has_focus else None
        return int(who) if who else role.holder_id

    def action_add_qualification(self) -> None:
        chosen = self._role_or_warn()
        if chosen is not None:
            review, line = chosen
            self._form(forms.qualification_form(review, self._person(review, line.role)))

    def action_update_action(self) -> None:
        view = self._view
        key = selected_key(self.query_one("#succession-actions", DataTable))
        found = next(
            (
                (review, action)
                for review in (view.reviews if view else [])
                for action in review.actions
                if key is not None and str(action.id) == key
            ),
            None,
        )
        if found is None:
            self.notify("Highlight a development action first", severity="warning")
            return
        self._form(forms.action_form(*found))

    def _selected_candidate(self) -> tuple[SchoolReview, Candidate, str] | None:
        """The candidate under the cursor, when the bench has the focus."""
        bench = self.query_one("#succession-bench", DataTable)
        chosen = self._selected_role()
        key = selected_key(bench)
        if not bench.has_focus or chosen is None or key is None:
            return None
        review, index = chosen
        found = next(
            ((c, name) for c, name in review.roles[index].bench if str(c.staff_id) == key), None
        )
        return (review, *found) if found else None

    def action_edit(self) -> None:
        picked = self._selected_candidate()
        if picked is not None:
            _, candidate, name = picked
            self._form(forms.candidate_form(candidate, name))
            return
        chosen = self._role_or_warn()
        if chosen is not None:
            self._form(forms.role_form(chosen[0], chosen[1].role))

    def action_delete(self) -> None:
        from sencoplan.tui.screens.confirm import ConfirmScreen

        picked = self._selected_candidate()
        chosen = self._selected_role()
        if picked is not None:
            _, candidate, name = picked
            question = f"Take {name} off this role's bench? (their development actions stay)"
            candidate_id = candidate.id

            def forget(db: Database) -> None:
                assert candidate_id is not None
                delete_candidate(db, candidate_id)

        elif chosen is not None:
            role = chosen[0].roles[chosen[1]].role
            role_id = role.id
            if role_id is None:
                self.notify(
                    f"{role.title} comes from the staff list (or every school keeps it): "
                    "change the person's role on the Staff screen",
                    severity="warning",
                    markup=False,
                )
                return
            question = f"Remove the role {role.title} and its bench?"

            def forget(db: Database) -> None:
                delete_role(db, role_id)

        else:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.sencoplan.run_write(forget, "Removed")

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_add_role(self) -> None:
        view = self._view
        if view is None or not view.reviews:
            return
        chosen = self._selected_role()
        review = chosen[0] if chosen else view.reviews[0]
        blank = SuccessionRole(
            school_id=review.facts.school_id,
            kind=SuccessionRoleKind.LEAD_PRACTITIONER,
            title="new role",
        )
        self._form(forms.role_form(review, blank, new=True))

    def _form(self, spec: FormSpec) -> None:
        open_form(self, spec)

    def _school_review(self) -> SchoolReview | None:
        chosen = self._selected_role()
        if chosen is not None:
            return chosen[0]
        view = self._view
        return view.reviews[0] if view and view.reviews else None

    def action_leaders(self) -> None:
        from sencoplan.tui.screens.detail import DetailScreen

        review = self._school_review()
        if review is None:
            return
        text = Text()
        text.append(f"Who can lead training: {review.facts.school.name}\n", style="bold")
        text.append("✓ trained to lead CPD\n\n", style="dim")
        for line in review.leaders:
            style = "bold red" if not line.leaders else ("yellow" if len(line.leaders) == 1 else "")
            text.append(f"{line.module.code} ", style="bold")
            text.append(f"{line.module.title}\n")
            if not line.leaders:
                text.append("  no one\n", style=style)
            for name in line.leaders:
                mark = " ✓" if name in line.trained else ""
                text.append(f"  {name}{mark}\n", style=style)
        text.append("\nm names a leader; escape closes", style="dim")
        self.app.push_screen(DetailScreen(text))

    def action_name_leader(self) -> None:
        review = self._school_review()
        if review is not None:
            self._form(forms.leader_form(review))

    def action_export(self) -> None:
        view = self._view
        if view is None or not view.reviews:
            return
        today = self.sencoplan.today
        text = succession_markdown(view.reviews, today=today, trust_risks=view.trust_risks)
        scope = "trust" if view.trust else view.reviews[0].facts.school.name
        self._write(f"succession-{file_stem(scope)}-{today}.md", text)

    @work(thread=True, group="export", exit_on_error=False)
    def _write(self, name: str, text: str) -> None:
        path = ready_exports_folder() / name
        write_private(path, text)
        self.app.call_from_thread(self.notify, f"Wrote {path}", markup=False)


def _short(text: str, width: int) -> str:
    """Long free text cut to keep the columns after it in view (the paper has it whole)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _append_risk(text: Text, risk: Risk) -> None:
    text.append(f"{risk.severity.value} · {risk.subject}: ", style=SEVERITY_STYLE[risk.severity])
    text.append(f"{risk.what}\n")
    text.append(f"  to clear it: {risk.clear_by}\n", style="italic dim")
