"""Succession: each SEND role's holder and bench, the risks, and the development due.

For deputies and leaders reviewing the plan each term. Risks are computed from the
records (README: how succession risks are worked out), never typed; each says what
would clear it. `v` shows every
school in the file, with what the trust could do across schools.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static

from sencoplan.domain.codes import parse_needs
from sencoplan.domain.messages import counted
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    ModuleLeader,
    Qualification,
    SuccessionRole,
)
from sencoplan.domain.staff_codes import Provider
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
    ActionStatus,
    QualificationKind,
    QualificationStatus,
    Readiness,
    SuccessionRoleKind,
    parse_action_status,
    parse_readiness,
)
from sencoplan.io.dates import parse_date
from sencoplan.io.files import write_private
from sencoplan.io.succession_report import succession_markdown
from sencoplan.store.schools import list_schools
from sencoplan.store.succession import (
    delete_candidate,
    delete_role,
    save_action,
    save_candidate,
    save_leader,
    save_role,
    school_facts,
)
from sencoplan.store.terms import current_term
from sencoplan.store.training import save_qualification
from sencoplan.tui.screens.base import (
    DataScreen,
    file_stem,
    plain_row,
    restore_cursor,
    selected_key,
    staff_id_from_name,
)
from sencoplan.tui.screens.form import Field, RecordForm, date_text, options_of

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
    # (show=False) are in F1, the README and the command palette.
    BINDINGS: ClassVar[list[BindingType]] = [
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
        yield Footer()

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
        text.append(f", {len(risks)} in all; development due by {data.term_end:%d/%m/%Y} below")
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
            for action in review.actions_due_by(data.term_end):
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

    def action_toggle_trust(self) -> None:
        self.trust = not self.trust
        self.reload()

    def _staff_of(self, review: SchoolReview) -> Any:
        return lambda text: staff_id_from_name(review.facts.staff, text)

    def action_add_candidate(self) -> None:
        chosen = self._role_or_warn()
        if chosen is None:
            return
        review, line = chosen
        role = line.role
        on_bench = {c.staff_id for c, _ in line.bench}

        def new_candidate(values: dict[str, Any]) -> list[tuple[str, str]]:
            person = values.get("staff_id")
            if person is not None and person == role.holder_id:
                return [("staff_id", f"they hold {role.title}: a holder cannot be its candidate")]
            if person in on_bench:
                return [("staff_id", "already on the bench: highlight them and press e")]
            return []

        fields = [
            Field("staff_id", "Name", "", parse=self._staff_of(review), required=True),
            Field(
                "readiness",
                "Ready",
                Readiness.ONE_TO_TWO_YEARS.value,
                parse=parse_readiness,
                options=options_of(list(Readiness)),
                required=True,
            ),
            Field("notes", "Notes", ""),
        ]

        def build(values: dict[str, Any]) -> Candidate:
            return Candidate.model_validate({**values, "role_id": role.id or 0})

        def save(db: Database, candidate: Candidate) -> Candidate:
            role_id = role.id if role.id is not None else save_role(db, role).id
            assert role_id is not None
            return save_candidate(db, candidate.model_copy(update={"role_id": role_id}))

        self._form(f"Candidate for {role.title}", fields, build, save, new_candidate)

    def action_add_action(self) -> None:
        chosen = self._role_or_warn()
        if chosen is None:
            return
        review, line = chosen
        role = line.role
        person = self._person(review, role)
        module_id = _module_code(review, internal_only=False)

        fields = [
            Field(
                "staff_id",
                "Who",
                review.facts.name(person) if person else "",
                parse=self._staff_of(review),
                required=True,
            ),
            Field(
                "action",
                "Action",
                "",
                required=True,
                placeholder="e.g. NPQ for SENCOs; shadow EHCP reviews; Leading SEND CPD",
            ),
            Field("by_whom", "With / by", "", placeholder="e.g. the SENCO, the trust, a hub"),
            Field("due", "Due", "", parse=parse_date),
            Field("module_id", "Module code", "", parse=module_id, help="optional, e.g. LEAD-CPD"),
        ]

        def build(values: dict[str, Any]) -> DevelopmentAction:
            values = {k: v for k, v in values.items() if v is not None}
            return DevelopmentAction.model_validate(
                {**values, "school_id": review.facts.school_id, "role_id": role.id}
            )

        self._form(f"Development for {role.title}", fields, build, save_action)

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
        if chosen is None:
            return
        review, line = chosen
        person = self._person(review, line.role)
        fields = [
            Field(
                "staff_id",
                "Who",
                review.facts.name(person) if person else "",
                parse=self._staff_of(review),
                required=True,
            ),
            Field(
                "kind",
                "Qualification",
                QualificationKind.NPQ_SENCO.value,
                parse=QualificationKind,
                options=options_of(list(QualificationKind)),
                required=True,
            ),
            Field(
                "status",
                "Status",
                QualificationStatus.STUDYING.value,
                parse=QualificationStatus,
                options=[(s.value, s.value) for s in QualificationStatus],
                required=True,
            ),
            Field("title", "Title", "", help="for another qualification, its name"),
            Field("started", "Started", "", parse=parse_date),
            Field("expected", "Expected to complete", "", parse=parse_date),
            Field("completed", "Completed", "", parse=parse_date),
        ]

        def build(values: dict[str, Any]) -> Qualification:
            return Qualification.model_validate({k: v for k, v in values.items() if v})

        self._form("Qualification", fields, build, save_qualification)

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
        review, action = found
        fields = [
            Field("action", "Action", action.action, required=True),
            Field("by_whom", "With / by", action.by_whom or ""),
            Field("due", "Due", date_text(action.due), parse=parse_date),
            Field(
                "status",
                "Status",
                action.status.value,
                parse=parse_action_status,
                options=options_of(list(ActionStatus)),
                required=True,
            ),
        ]

        def build(values: dict[str, Any]) -> DevelopmentAction:
            return DevelopmentAction.model_validate({**action.model_dump(), **values})

        self._form(f"{review.facts.name(action.staff_id)}: development", fields, build, save_action)

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
            self._candidate_form(*picked)
            return
        chosen = self._role_or_warn()
        if chosen is not None:
            self._role_form(chosen[0], chosen[1].role)

    def _candidate_form(self, review: SchoolReview, candidate: Candidate, name: str) -> None:
        fields = [
            Field(
                "readiness",
                "Ready",
                candidate.readiness.value,
                parse=parse_readiness,
                options=options_of(list(Readiness)),
                required=True,
            ),
            Field("notes", "Notes", candidate.notes or ""),
        ]

        def build(values: dict[str, Any]) -> Candidate:
            return Candidate.model_validate({**candidate.model_dump(), **values})

        self._form(f"Candidate: {name}", fields, build, save_candidate)

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
        self._role_form(review, blank, new=True)

    def _role_form(self, review: SchoolReview, role: SuccessionRole, new: bool = False) -> None:
        fields = [
            Field(
                "title",
                "Role",
                "" if new else role.title,
                required=True,
                placeholder="e.g. Lead practitioner: autism",
            ),
            Field(
                "holder_id",
                "Holder",
                review.facts.name(role.holder_id) if role.holder_id else "",
                parse=self._staff_of(review),
                help="blank: vacant",
            ),
            Field(
                "holder_since",
                "In the role since",
                date_text(role.holder_since),
                parse=parse_date,
                help="for the SENCO, the NPQ for SENCOs is due 3 years on",
            ),
        ]
        if new:
            fields[1:1] = [
                Field(
                    "kind",
                    "Kind",
                    role.kind.value,
                    parse=SuccessionRoleKind,
                    options=options_of(list(SuccessionRoleKind)),
                    required=True,
                ),
                Field("need", "Need led", "", parse=_one_need, help="e.g. SLCN (optional)"),
            ]

        def build(values: dict[str, Any]) -> SuccessionRole:
            merged = {**role.model_dump(), **values}
            return SuccessionRole.model_validate(merged)

        self._form("New role" if new else f"Role: {role.title}", fields, build, save_role)

    def _form(
        self, title: str, fields: list[Field], build: Any, save: Any, problems: Any = None
    ) -> None:
        def saved(record: object | None) -> None:
            if record is not None:
                self.notify(f"Saved: {title}", markup=False)
                self.sencoplan.data_changed()

        form = RecordForm(title, fields, build, save, self.sencoplan.db_path, problems=problems)
        self.app.push_screen(form, saved)

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
        if review is None:
            return
        fields = [
            Field("staff_id", "Name", "", parse=self._staff_of(review), required=True),
            Field(
                "module_id",
                "Module code",
                "",
                parse=_module_code(review, internal_only=True),
                required=True,
            ),
        ]

        def build(values: dict[str, Any]) -> ModuleLeader:
            return ModuleLeader.model_validate(values)

        self._form("Someone who can lead a module", fields, build, save_leader)

    def action_export(self) -> None:
        view = self._view
        if view is None or not view.reviews:
            return
        today = self.sencoplan.today
        text = succession_markdown(view.reviews, today=today, trust_risks=view.trust_risks)
        scope = "trust" if view.trust else view.reviews[0].facts.school.name
        self._write(Path.cwd() / f"succession-{file_stem(scope)}-{today}.md", text)

    @work(thread=True, group="export", exit_on_error=False)
    def _write(self, path: Path, text: str) -> None:
        write_private(path, text)
        self.app.call_from_thread(self.notify, f"Wrote {path}", markup=False)


def _module_code(review: SchoolReview, *, internal_only: bool) -> Callable[[str], int]:
    """A form parser: a module code (any case) -> its id; leaders only for our own modules."""
    modules = {m.code.casefold(): m for m in review.facts.modules if m.id is not None}

    def module_id(text: str) -> int:
        found = modules.get(text.strip().casefold())
        if found is None or found.id is None:
            raise ValueError(f"no module with the code {text.strip()!r}")
        if internal_only and found.provider is not Provider.INTERNAL:
            raise ValueError(f"{found.code} is bought in from {found.organisation or 'outside'}")
        return found.id

    return module_id


def _short(text: str, width: int) -> str:
    """Long free text cut to keep the columns after it in view (the paper has it whole)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _append_risk(text: Text, risk: Risk) -> None:
    text.append(f"{risk.severity.value} · {risk.subject}: ", style=SEVERITY_STYLE[risk.severity])
    text.append(f"{risk.what}\n")
    text.append(f"  to clear it: {risk.clear_by}\n", style="italic dim")


def _one_need(text: str) -> Any:
    needs = parse_needs(text)
    if len(needs) != 1:
        raise ValueError("give one need, e.g. SLCN")
    return needs[0]
