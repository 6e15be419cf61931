"""Reading a trust's schools side by side: who could lead training for whom, and what the
trust board's paper says (its own figures, coverage by school, succession, spend and the
pupils joining)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import Priority
from sencoplan.domain.provision_map import school_year
from sencoplan.domain.succession import RiskKind, review_school
from sencoplan.domain.training import modules_for
from sencoplan.domain.trust import (
    Joining,
    NeedLink,
    Spend,
    TrustPaper,
    link_schools,
    one_session_for_several,
)
from sencoplan.store.catalogue import list_modules
from sencoplan.store.priority_cache import file_result, school_lines
from sencoplan.store.schools import school_names
from sencoplan.store.shared import term_spend
from sencoplan.store.staff import list_staff
from sencoplan.store.succession import school_facts, who_can_lead
from sencoplan.store.terms import list_terms
from sencoplan.store.transition import load_transition

BOARD_RISKS = (RiskKind.VACANT, RiskKind.NPQ_DUE)


def _leaders(
    db: Database, school_id: int, today: dt.date, modules: list[Module]
) -> dict[NeedType, list[tuple[str, list[str]]]]:
    """Each need with its own modules, and the school's staff who can lead them: each
    person once, with their modules, those who can lead the highest level first."""
    can = who_can_lead(db, school_id, today)
    staff = {m.id: m.name for m in list_staff(db, school_id) if m.id is not None}
    found: dict[NeedType, list[tuple[str, list[str]]]] = {}
    for need in NeedType:
        led: dict[int, list[tuple[int, str]]] = {}
        for module in modules_for(need, modules):
            for person in can.get(module.id or 0, set()):
                led.setdefault(person, []).append((module.level.rank, module.code))
        people = sorted(led, key=lambda p: (-max(led[p])[0], staff.get(p, "")))
        if people:
            found[need] = [
                (staff.get(p, "someone"), [c for _, c in sorted(led[p], reverse=True)])
                for p in people
            ]
    return found


def trust_links(
    db: Database,
    today: dt.date,
    lines: dict[int, list[Priority]] | None = None,
    modules: list[Module] | None = None,
) -> list[NeedLink]:
    """Each need where one school is strong and another weak, and who could lead (each
    school's own lines and the catalogue, read here unless given)."""
    names = school_names(db)
    if lines is None:
        lines = {school: each.own for school, each in school_lines(db, today).items()}
    modules = list_modules(db) if modules is None else modules
    leaders = {school: _leaders(db, school, today, modules) for school in names}
    trainable = {need for need in NeedType if modules_for(need, modules)}
    return [link for link in link_schools(lines, names, leaders) if link.need in trainable]


def _spend(db: Database, school_id: int, today: dt.date) -> list[Spend]:
    """This school year's terms from the one around today, each one's spend."""
    last = school_year(today)[1]
    return [
        term_spend(db, term)
        for term in list_terms(db, school_id)
        if term.id is not None and term.end >= today and term.start <= last
    ]


def _joining(db: Database, school_id: int, today: dt.date) -> Joining:
    transition = load_transition(db, school_id, today)
    inside = sum(1 for joiner in transition.joiners if joiner.sender is not None)
    return Joining(len(transition.joiners), len(transition.with_sen()), inside)


def trust_paper(db: Database, today: dt.date) -> TrustPaper:
    names = school_names(db)
    lines = {school: each.own for school, each in school_lines(db, today).items()}
    modules = list_modules(db)
    risks = {}
    for school in names:
        review = review_school(school_facts(db, school, today), today)
        risks[school] = [risk.what for risk in review.risks if risk.kind in BOARD_RISKS]
    return TrustPaper(
        names=names,
        priorities=file_result(db, today).priorities,
        lines=lines,
        links=trust_links(db, today, lines, modules),
        shared=one_session_for_several(lines, names, modules),
        risks=risks,
        spend={school: _spend(db, school, today) for school in names},
        joining={school: _joining(db, school, today) for school in names},
    )
