"""The Succession screen's forms: a candidate, a development action, a qualification, a
role, someone who can lead a module. Each is the form's title, its fields, how the values
become a record and how the record is saved; the screen shows it and reloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, parse_needs
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    ModuleLeader,
    Qualification,
    SuccessionRole,
)
from sencoplan.domain.names import nearest
from sencoplan.domain.staff_codes import Provider
from sencoplan.domain.succession import RoleLine, SchoolReview
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
from sencoplan.store.succession import (
    save_action,
    save_candidate,
    save_leader,
    save_role,
)
from sencoplan.store.training import save_qualification
from sencoplan.tui.screens.base import staff_id_from_name
from sencoplan.tui.screens.form import Field, FormSpec, date_text, options_of


def staff_of(review: SchoolReview) -> Callable[[str], int]:
    """A form parser: a name on the school's staff -> its id."""
    return lambda text: staff_id_from_name(review.facts.staff, text)


def staff_names(review: SchoolReview) -> list[str]:
    """The school's staff by name, offered as a name is typed."""
    return sorted(member.name for member in review.facts.staff.values())


def module_codes(review: SchoolReview, *, internal_only: bool) -> list[str]:
    """The catalogue's codes, offered as a code is typed (our own modules, for leaders)."""
    return sorted(
        m.code for m in review.facts.modules if not internal_only or m.provider is Provider.INTERNAL
    )


def module_code(review: SchoolReview, *, internal_only: bool) -> Callable[[str], int]:
    """A form parser: a module code (any case) -> its id; leaders only for our own modules."""
    modules = {m.code.casefold(): m for m in review.facts.modules if m.id is not None}

    def module_id(text: str) -> int:
        found = modules.get(text.strip().casefold())
        if found is None or found.id is None:
            near = nearest(text.strip().upper(), module_codes(review, internal_only=internal_only))
            raise ValueError(f"no module with the code {text.strip()!r}{near}")
        if internal_only and found.provider is not Provider.INTERNAL:
            raise ValueError(f"{found.code} is bought in from {found.organisation or 'outside'}")
        return found.id

    return module_id


def one_need(text: str) -> NeedType:
    needs = parse_needs(text)
    if len(needs) != 1:
        raise ValueError("give one need, e.g. SLCN")
    return needs[0]


def readiness_field(value: Readiness) -> Field:
    return Field(
        "readiness",
        "Ready",
        value.value,
        parse=parse_readiness,
        options=options_of(list(Readiness)),
        required=True,
    )


def new_candidate_form(review: SchoolReview, line: RoleLine) -> FormSpec:
    """Someone who could step into the role; not its holder, not twice on its bench."""
    role = line.role
    on_bench = {c.staff_id for c, _ in line.bench}

    def problems(values: dict[str, Any]) -> list[tuple[str, str]]:
        person = values.get("staff_id")
        if person is not None and person == role.holder_id:
            return [("staff_id", f"they hold {role.title}: a holder cannot be its candidate")]
        if person in on_bench:
            return [("staff_id", "already on the bench: highlight them and press e")]
        return []

    fields = [
        Field(
            "staff_id",
            "Name",
            "",
            parse=staff_of(review),
            suggest=staff_names(review),
            required=True,
        ),
        readiness_field(Readiness.ONE_TO_TWO_YEARS),
        Field("notes", "Notes", ""),
    ]

    def build(values: dict[str, Any]) -> Candidate:
        return Candidate.model_validate({**values, "role_id": role.id or 0})

    def save(db: Database, candidate: Candidate) -> Candidate:
        # A role the staff list implies is saved the first time someone joins its bench.
        role_id = role.id if role.id is not None else save_role(db, role).id
        assert role_id is not None
        return save_candidate(db, candidate.model_copy(update={"role_id": role_id}))

    return FormSpec(f"Candidate for {role.title}", fields, build, save, problems)


def candidate_form(candidate: Candidate, name: str) -> FormSpec:
    """How ready a candidate on the bench is, and notes."""
    fields = [readiness_field(candidate.readiness), Field("notes", "Notes", candidate.notes or "")]

    def build(values: dict[str, Any]) -> Candidate:
        return Candidate.model_validate({**candidate.model_dump(), **values})

    return FormSpec(f"Candidate: {name}", fields, build, save_candidate)


def who_field(review: SchoolReview, person: int | None) -> Field:
    return Field(
        "staff_id",
        "Who",
        review.facts.name(person) if person else "",
        parse=staff_of(review),
        suggest=staff_names(review),
        required=True,
    )


def new_action_form(review: SchoolReview, role: SuccessionRole, person: int | None) -> FormSpec:
    """A development action for someone towards the role: a course, shadowing, a module."""
    fields = [
        who_field(review, person),
        Field(
            "action",
            "Action",
            "",
            required=True,
            placeholder="e.g. NPQ for SENCOs; shadow EHCP reviews; Leading SEND CPD",
        ),
        Field("by_whom", "With / by", "", placeholder="e.g. the SENCO, the trust, a hub"),
        Field("due", "Due", "", parse=parse_date),
        Field(
            "module_id",
            "Module code",
            "",
            parse=module_code(review, internal_only=False),
            suggest=module_codes(review, internal_only=False),
            help="optional, e.g. LEAD-CPD: the catalogue's codes are offered as you type",
        ),
    ]

    def build(values: dict[str, Any]) -> DevelopmentAction:
        values = {k: v for k, v in values.items() if v is not None}
        return DevelopmentAction.model_validate(
            {**values, "school_id": review.facts.school_id, "role_id": role.id}
        )

    return FormSpec(f"Development for {role.title}", fields, build, save_action)


def action_form(review: SchoolReview, action: DevelopmentAction) -> FormSpec:
    """A development action's wording, due date and status."""
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

    title = f"{review.facts.name(action.staff_id)}: development"
    return FormSpec(title, fields, build, save_action)


def qualification_form(review: SchoolReview, person: int | None) -> FormSpec:
    """A qualification held or being studied for (the NPQ for SENCOs first)."""
    fields = [
        who_field(review, person),
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

    return FormSpec("Qualification", fields, build, save_qualification)


def role_form(review: SchoolReview, role: SuccessionRole, *, new: bool = False) -> FormSpec:
    """A role's title, holder and since when; a new one also its kind and the need it leads."""
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
            parse=staff_of(review),
            suggest=staff_names(review),
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
            Field("need", "Need led", "", parse=one_need, help="e.g. SLCN (optional)"),
        ]

    def build(values: dict[str, Any]) -> SuccessionRole:
        return SuccessionRole.model_validate({**role.model_dump(), **values})

    return FormSpec("New role" if new else f"Role: {role.title}", fields, build, save_role)


def leader_form(review: SchoolReview) -> FormSpec:
    """Someone who can lead one of the school's own modules."""
    fields = [
        Field(
            "staff_id",
            "Name",
            "",
            parse=staff_of(review),
            suggest=staff_names(review),
            required=True,
        ),
        Field(
            "module_id",
            "Module code",
            "",
            parse=module_code(review, internal_only=True),
            suggest=module_codes(review, internal_only=True),
            required=True,
        ),
    ]

    def build(values: dict[str, Any]) -> ModuleLeader:
        return ModuleLeader.model_validate(values)

    return FormSpec("Someone who can lead a module", fields, build, save_leader)
