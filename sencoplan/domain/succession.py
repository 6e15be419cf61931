"""Succession: who could step into each SEND role, and the risks, computed not typed.

A school must never depend on one person (docs/how-it-works.md).
For each role: its holder, the candidates and how soon they could step in; for the SENCO,
the NPQ for SENCOs due three years after taking the post (NASENCO holders are exempt); for
the training catalogue, who can lead each module, whether they were trained to lead adult
learning, and the modules only one person can lead. Every risk says what would clear it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from sencoplan.domain.codes import NeedType
from sencoplan.domain.messages import counted
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    Module,
    Qualification,
    School,
    StaffMember,
    SuccessionRole,
)
from sencoplan.domain.npq import NPQ_YEARS, NpqStanding, npq_standing, qualification_text
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.staff_codes import Provider, Role
from sencoplan.domain.succession_codes import (
    Readiness,
    SuccessionRoleKind,
)

LEADING_ROLES = frozenset(
    {
        Role.SENCO,
        Role.DEPUTY_SENCO,
        Role.ASSISTANT_SENCO,
        Role.LEAD_PRACTITIONER,
        Role.SLT,
        Role.PASTORAL_LEAD,
    }
)
"""Roles whose holders of a module can lead it without being named as its leader."""

ALWAYS_KEPT = (SuccessionRoleKind.SENCO, SuccessionRoleKind.DEPUTY_SENCO)
"""Roles every school keeps a bench for, even before anyone records them."""


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    WATCH = "watch"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "watch": 2}[self.value]


class RiskKind(StrEnum):
    VACANT = "vacant"
    NO_READY_CANDIDATE = "no_ready_candidate"
    NPQ_DUE = "npq_due"
    SINGLE_LEADER = "single_leader"
    NO_LEADER_FOR_NEED = "no_leader_for_need"
    UNTRAINED_LEADER = "untrained_leader"
    OVERDUE_ACTION = "overdue_action"
    COVER_FROM_ANOTHER_SCHOOL = "cover_from_another_school"


@dataclass(frozen=True)
class Risk:
    school_id: int
    kind: RiskKind
    severity: Severity
    subject: str
    what: str
    clear_by: str
    due: dt.date | None = None


@dataclass
class SchoolFacts:
    """Everything the succession review of one school reads."""

    school: School
    staff: dict[int, StaffMember]
    roles: list[SuccessionRole]
    candidates: list[Candidate] = field(default_factory=list)
    qualifications: list[Qualification] = field(default_factory=list)
    actions: list[DevelopmentAction] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    holders: Mapping[int, set[int]] = field(default_factory=dict)
    """module id -> staff holding it, valid today."""
    named_leaders: Mapping[int, set[int]] = field(default_factory=dict)
    """module id -> staff named as able to lead it."""
    sessions: list[CpdSession] = field(default_factory=list)
    """This term's sessions (the term around today, or the next), to check who leads them."""
    needs_on_roll: Mapping[NeedType, int] = field(default_factory=dict)

    @property
    def school_id(self) -> int:
        return self.school.id or 0

    def name(self, staff_id: int | None) -> str:
        member = self.staff.get(staff_id or 0)
        return member.name if member is not None else "nobody"

    def leaders(self) -> dict[int, set[int]]:
        return module_leaders(self.modules, self.staff, self.holders, self.named_leaders)

    def qualifications_of(self, staff_id: int) -> list[str]:
        return [qualification_text(q) for q in self.qualifications if q.staff_id == staff_id]

    def trained_to_lead(self) -> set[int]:
        return trained_to_lead(self.modules, self.holders)

    def bench(self, role: SuccessionRole) -> list[Candidate]:
        """The role's candidates, readiest first."""
        order = list(Readiness)
        chosen = [
            c
            for c in self.candidates
            if role.id is not None
            and c.role_id == role.id
            and c.staff_id in self.staff
            and c.staff_id != role.holder_id  # a holder cannot stand in for themselves
        ]
        return sorted(chosen, key=lambda c: (order.index(c.readiness), self.name(c.staff_id)))


def effective_roles(
    stored: Iterable[SuccessionRole], staff: Mapping[int, StaffMember], school_id: int
) -> list[SuccessionRole]:
    """The roles recorded, plus the ones every school has (SENCO, deputy SENCO) and the
    ones its staff list implies (assistant SENCOs, lead practitioners), not yet saved."""
    roles = [
        role
        if role.holder_id is None or role.holder_id in staff
        else role.model_copy(update={"holder_id": None, "holder_since": None})  # they left
        for role in stored
        if role.school_id == school_id
    ]
    held = {role.holder_id for role in roles if role.holder_id is not None}
    kinds = {role.kind for role in roles}
    people = sorted(staff.values(), key=lambda member: member.name)
    for kind in SuccessionRoleKind:
        if kind.staff_role is None:
            continue
        if kind in kinds and kind is not SuccessionRoleKind.LEAD_PRACTITIONER:
            continue
        in_role = [m for m in people if m.role is kind.staff_role and m.id not in held]
        if kind is SuccessionRoleKind.LEAD_PRACTITIONER:
            roles.extend(_implied(kind, member, school_id) for member in in_role)
        elif in_role:
            roles.append(_implied(kind, in_role[0], school_id))
        elif kind in ALWAYS_KEPT:
            roles.append(SuccessionRole(school_id=school_id, kind=kind, title=kind.label))
    order = list(SuccessionRoleKind)
    return sorted(roles, key=lambda role: (order.index(role.kind), role.title.casefold()))


def _implied(kind: SuccessionRoleKind, member: StaffMember, school_id: int) -> SuccessionRole:
    several = kind is SuccessionRoleKind.LEAD_PRACTITIONER
    return SuccessionRole(
        school_id=school_id,
        kind=kind,
        title=f"{kind.label} ({member.name})" if several else kind.label,
        holder_id=member.id,
        holder_since=member.start_date,
    )


def module_leaders(
    modules: Iterable[Module],
    staff: Mapping[int, StaffMember],
    holders: Mapping[int, set[int]],
    named: Mapping[int, set[int]],
) -> dict[int, set[int]]:
    """module id -> who can lead it here: anyone named as its leader, and anyone in a
    leading role (SENCO team, lead practitioners, SLT, pastoral lead) who holds it."""
    leaders: dict[int, set[int]] = {}
    for module in modules:
        if module.id is None:
            continue
        chosen = {p for p in named.get(module.id, set()) if p in staff}
        chosen |= {
            p
            for p in holders.get(module.id, set())
            if p in staff and staff[p].role in LEADING_ROLES
        }
        leaders[module.id] = chosen
    return leaders


def trained_to_lead(modules: Iterable[Module], holders: Mapping[int, set[int]]) -> set[int]:
    """Staff holding a module that trains people to lead adult learning."""
    return {
        person
        for module in modules
        if module.trains_leaders and module.id is not None
        for person in holders.get(module.id, set())
    }


def _months_between(today: dt.date, later: dt.date) -> int:
    gap = relativedelta(later, today)
    return gap.years * 12 + gap.months


def school_risks(facts: SchoolFacts, today: dt.date) -> list[Risk]:
    """Every risk in one school, most serious first."""
    risks = [
        *_role_risks(facts),
        *_npq_risks(facts, today),
        *_leading_risks(facts),
        *_action_risks(facts, today),
    ]
    return sorted(risks, key=lambda r: (r.severity.rank, list(RiskKind).index(r.kind), r.subject))


def _role_risks(facts: SchoolFacts) -> Iterable[Risk]:
    for role in facts.roles:
        bench = facts.bench(role)
        if role.holder_id is None or role.holder_id not in facts.staff:
            ready = [facts.name(c.staff_id) for c in bench if c.readiness is Readiness.READY_NOW]
            soon = [facts.name(c.staff_id) for c in bench if c.readiness.within_two_years]
            if ready:
                clear = f"appoint {' or '.join(ready)} (ready now)"
            elif soon:
                clear = f"develop {' or '.join(soon)} (1–2 years), or appoint from outside"
            else:
                clear = (
                    f"appoint {_article(role.title)} {role.title}, or name a candidate and "
                    "the development that gets them there"
                )
            high = role.kind in ALWAYS_KEPT and not ready
            yield Risk(
                facts.school_id,
                RiskKind.VACANT,
                Severity.HIGH if high else Severity.MEDIUM,
                role.title,
                f"{facts.school.name} has no {role.title}",
                clear,
            )
            continue
        if not any(_could_step_in(c, facts) for c in bench):
            yield Risk(
                facts.school_id,
                RiskKind.NO_READY_CANDIDATE,
                Severity.HIGH if role.kind is SuccessionRoleKind.SENCO else Severity.MEDIUM,
                role.title,
                f"no one could step in for {facts.name(role.holder_id)} within 2 years"
                + _bench_said(bench, facts),
                "name a candidate ready now, or one ready in 1–2 years with a development "
                "action planned for them",
            )


def _could_step_in(candidate: Candidate, facts: SchoolFacts) -> bool:
    """Ready now; or in 1–2 years with development planned (a name alone is not a plan)."""
    if candidate.readiness is Readiness.READY_NOW:
        return True
    return candidate.readiness is Readiness.ONE_TO_TWO_YEARS and any(
        action.staff_id == candidate.staff_id and action.status.open for action in facts.actions
    )


def _bench_said(bench: list[Candidate], facts: SchoolFacts) -> str:
    soon = [c for c in bench if c.readiness is Readiness.ONE_TO_TWO_YEARS]
    later = len(bench) - len(soon)
    said = []
    if soon:
        names = ", ".join(facts.name(c.staff_id) for c in soon)
        said.append(f"{names} 1–2 years away with no development action planned")
    if later:
        said.append(f"{counted(later, 'candidate')} 3+ years away")
    return f" ({'; '.join(said)})" if said else ""


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _npq_risks(facts: SchoolFacts, today: dt.date) -> Iterable[Risk]:
    for role in facts.roles:
        if role.kind is not SuccessionRoleKind.SENCO or role.holder_id is None:
            continue
        standing = npq_standing(role, facts.qualifications, facts.staff)
        if standing.met:
            continue
        name = facts.name(role.holder_id)
        due = standing.required_by
        if due is None:
            when = "the date they took the post is not recorded"
        elif due < today:
            ago = counted(_months_between(due, today), "month")
            when = f"it was required by {due:%d/%m/%Y}, {ago} ago"
        else:
            left = counted(_months_between(today, due), "month")
            when = f"required by {due:%d/%m/%Y}: {left} left"
        on_track = (
            standing.studying_until is not None
            and due is not None
            and today <= due
            and standing.studying_until <= due
        )
        if standing.studying:
            expected = (
                f", expected {standing.studying_until:%d/%m/%Y}"
                if standing.studying_until
                else " (no expected date recorded)"
            )
            what = f"{name} (SENCO) is studying the NPQ for SENCOs{expected}; {when}"
            clear = (
                "record when the NPQ is expected to be complete"
                if standing.studying_until is None
                else "complete the NPQ" + ("" if on_track else " before the deadline")
            )
        else:
            what = f"{name} (SENCO) holds neither the NPQ for SENCOs nor NASENCO; {when}"
            clear = (
                "enrol on the NPQ for SENCOs and record it as a qualification being studied, "
                "with the date it should be complete"
            )
        yield Risk(
            facts.school_id,
            RiskKind.NPQ_DUE,
            Severity.WATCH if on_track else Severity.HIGH,
            "NPQ for SENCOs",
            what,
            clear,
            due,
        )


def _leading_risks(facts: SchoolFacts) -> Iterable[Risk]:
    leaders = facts.leaders()
    trained = facts.trained_to_lead()
    internal = [m for m in facts.modules if m.provider is Provider.INTERNAL and m.id is not None]
    for module in internal:
        able = leaders.get(module.id or 0, set())
        if len(able) == 1:
            (only,) = able
            yield Risk(
                facts.school_id,
                RiskKind.SINGLE_LEADER,
                Severity.MEDIUM,
                module.code,
                f"only {facts.name(only)} can lead {module.code} {module.title}",
                "train or name a second person to lead it",
            )
    for need, pupils in sorted(facts.needs_on_roll.items(), key=lambda item: -item[1]):
        if pupils <= 0 or need is NeedType.NSA:
            continue  # 'no specialist assessment' is not something to train in
        about = [m for m in internal if need in m.needs and len(set(m.needs)) < len(NeedType)]
        if about and not any(leaders.get(m.id or 0) for m in about):
            codes = ", ".join(m.code for m in about)
            yield Risk(
                facts.school_id,
                RiskKind.NO_LEADER_FOR_NEED,
                Severity.MEDIUM,
                need.value,
                f"{need.value} is on roll but no one here can lead {codes}",
                "grow a lead practitioner in it (a development action), or buy training in",
            )
        elif not about:
            yield Risk(
                facts.school_id,
                RiskKind.NO_LEADER_FOR_NEED,
                Severity.WATCH,
                need.value,
                f"{need.value} is on roll and the catalogue has no internal module for it",
                "buy training in when it is needed, or write an internal module",
            )
    led: dict[int, int] = defaultdict(int)
    for session in facts.sessions:
        if session.active:
            for person in session.facilitators:
                led[person] += 1
    for person, count in sorted(led.items(), key=lambda item: facts.name(item[0])):
        if person not in trained and person in facts.staff:
            yield Risk(
                facts.school_id,
                RiskKind.UNTRAINED_LEADER,
                Severity.MEDIUM,
                facts.name(person),
                f"{facts.name(person)} leads {count} session(s) this term but has never been "
                "trained to lead CPD",
                "training to lead adult learning as a development action (e.g. LEAD-CPD)",
            )


def _action_risks(facts: SchoolFacts, today: dt.date) -> Iterable[Risk]:
    for action in facts.actions:
        if action.status.open and action.due is not None and action.due < today:
            yield Risk(
                facts.school_id,
                RiskKind.OVERDUE_ACTION,
                Severity.MEDIUM,
                facts.name(action.staff_id),
                f"{action.action} was due {action.due:%d/%m/%Y}",
                "do it, move its date, or drop it",
                action.due,
            )


def trust_risks(schools: list[SchoolFacts]) -> list[Risk]:
    """Across schools: a ready-now candidate in one school who could cover a role another
    school has no one ready for."""
    ready: dict[SuccessionRoleKind, list[tuple[SchoolFacts, Candidate]]] = defaultdict(list)
    for facts in schools:
        for role in facts.roles:
            for candidate in facts.bench(role):
                if candidate.readiness is Readiness.READY_NOW:
                    ready[role.kind].append((facts, candidate))
    risks = []
    for facts in schools:
        for role in facts.roles:
            if role.kind not in ALWAYS_KEPT:
                continue
            if any(c.readiness is Readiness.READY_NOW for c in facts.bench(role)):
                continue
            others = [(f, c) for f, c in ready[role.kind] if f.school_id != facts.school_id]
            if not others:
                continue
            names = ", ".join(f"{f.name(c.staff_id)} ({f.school.name})" for f, c in others)
            risks.append(
                Risk(
                    facts.school_id,
                    RiskKind.COVER_FROM_ANOTHER_SCHOOL,
                    Severity.WATCH,
                    role.title,
                    f"{facts.school.name} has no one ready now for {role.title}; "
                    f"ready now elsewhere in the trust: {names}",
                    "agree cover across the trust, and grow a candidate here",
                )
            )
    return risks


def lacks_deputy(facts: SchoolFacts) -> bool:
    return not any(
        role.kind is SuccessionRoleKind.DEPUTY_SENCO and role.holder_id is not None
        for role in facts.roles
    )


@dataclass(frozen=True)
class RoleLine:
    """One role at a glance: holder, their qualifications, and the bench."""

    role: SuccessionRole
    holder: str | None
    qualifications: list[str]
    bench: list[tuple[Candidate, str]]
    """(candidate, their name), readiest first."""
    since: dt.date | None = None
    """When the holder took the role (their start date where the role does not say)."""

    def count(self, readiness: Readiness) -> int:
        return sum(1 for candidate, _ in self.bench if candidate.readiness is readiness)


@dataclass(frozen=True)
class LeaderLine:
    """Who can lead one internal module, and which of them were trained to lead CPD."""

    module: Module
    leaders: list[str]
    trained: list[str]


@dataclass
class SchoolReview:
    """The succession review of one school: what the screen and the paper both show."""

    facts: SchoolFacts
    roles: list[RoleLine]
    risks: list[Risk]
    leaders: list[LeaderLine]
    actions: list[DevelopmentAction]

    def action_text(self, action: DevelopmentAction) -> str:
        """The action, with its module's code unless the words already name it."""
        code = next((m.code for m in self.facts.modules if m.id == action.module_id), None)
        if code is None or code.casefold() in action.action.casefold():
            return action.action
        return f"{action.action} ({code})"

    def qualifications_of(self, staff_id: int) -> list[str]:
        return self.facts.qualifications_of(staff_id)

    def actions_due_by(self, end: dt.date | None) -> list[DevelopmentAction]:
        """Open actions due by that day (this term's end), overdue ones included; with no
        day, every open action (those due later, and those with no date)."""
        return [
            a
            for a in self.actions
            if a.status.open and (end is None or (a.due is not None and a.due <= end))
        ]


def _since(role: SuccessionRole, staff: Mapping[int, StaffMember]) -> dt.date | None:
    if role.holder_since is not None or role.holder_id not in staff:
        return role.holder_since
    return staff[role.holder_id or 0].start_date


def review_school(facts: SchoolFacts, today: dt.date) -> SchoolReview:
    roles = [
        RoleLine(
            role,
            facts.name(role.holder_id) if role.holder_id else None,
            facts.qualifications_of(role.holder_id) if role.holder_id else [],
            [(c, facts.name(c.staff_id)) for c in facts.bench(role)],
            _since(role, facts.staff),
        )
        for role in facts.roles
    ]
    leaders = facts.leaders()
    trained = facts.trained_to_lead()
    lines = [
        LeaderLine(
            module,
            sorted(facts.name(p) for p in leaders.get(module.id or 0, set())),
            sorted(facts.name(p) for p in leaders.get(module.id or 0, set()) if p in trained),
        )
        for module in facts.modules
        if module.provider is Provider.INTERNAL and module.id is not None
    ]
    actions = sorted(
        facts.actions,
        key=lambda a: (not a.status.open, a.due or dt.date.max, facts.name(a.staff_id)),
    )
    return SchoolReview(facts, roles, school_risks(facts, today), lines, actions)


__all__ = [
    "LEADING_ROLES",
    "NPQ_YEARS",
    "LeaderLine",
    "NpqStanding",
    "Risk",
    "RiskKind",
    "RoleLine",
    "SchoolFacts",
    "SchoolReview",
    "Severity",
    "effective_roles",
    "lacks_deputy",
    "module_leaders",
    "npq_standing",
    "qualification_text",
    "review_school",
    "school_risks",
    "trained_to_lead",
    "trust_risks",
]
