"""A session shared across a trust: open to other schools' staff, on their planners and
calendars, each school paying for its own people."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.calendar import Term
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.trust import Spend
from sencoplan.store.catalogue import list_modules
from sencoplan.store.sessions import list_sessions, save_session
from sencoplan.store.staff import list_staff
from sencoplan.store.training import module_holders


def invitees(db: Database, session: CpdSession, school_id: int, today: dt.date) -> list[int]:
    """A school's staff the session's module is for: in post, in a role its audience
    names (any role that works with pupils, where it names none), not holding it today."""
    module = next((m for m in list_modules(db) if m.id == session.module_id), None)
    if module is None:
        return []
    holders = module_holders(db, school_id, today).get(module.id or 0, set())
    return [
        member.id
        for member in list_staff(db, school_id)
        if member.id is not None
        and member.in_post(today)
        and (member.role in module.audience if module.audience else member.role.supports_pupils)
        and member.id not in holders
    ]


def parts_of(db: Database, session: CpdSession) -> list[CpdSession]:
    """The session and the other parts of its module in its term (a module taught over
    several sessions is shared whole: training is recorded for those at every part)."""
    if session.module_id is None:
        return [session]
    return [
        s
        for s in list_sessions(db, session.term_id)
        if s.school_id == session.school_id
        and s.module_id == session.module_id
        and (s.active or s.id == session.id)
    ]


def share_session(
    db: Database,
    session: CpdSession,
    school_ids: list[int],
    today: dt.date,
    *,
    invite: bool = False,
    leaders: tuple[int, ...] = (),
) -> tuple[list[CpdSession], int]:
    """Open the session, with its module's other parts, to other schools; with `invite`,
    add to the audience their staff the module is for; with `leaders`, have them lead it
    (anyone in the trust who can lead the module). The sessions, and how many invited."""
    guests = [s for s in school_ids if s != session.school_id]
    invited: list[int] = []
    if invite:
        for school in guests:
            invited += [
                p for p in invitees(db, session, school, today) if p not in session.audience
            ]
    saved = []
    for part in parts_of(db, session):
        update: dict[str, object] = {
            "shared_with": tuple(dict.fromkeys((*part.shared_with, *guests))),
            "audience": tuple(dict.fromkeys((*part.audience, *invited))),
        }
        if leaders:
            update["facilitators"] = leaders
        saved.append(save_session(db, part.model_copy(update=update), today=today))
    return saved, len(invited)


def trust_leaders(db: Database, session: CpdSession, today: dt.date) -> dict[int, str]:
    """Everyone in the file who can lead the session's module (named leaders, holders in
    leading roles), by id: who may lead a session shared across the trust."""
    from sencoplan.store.schools import school_names
    from sencoplan.store.succession import who_can_lead

    found: dict[int, str] = {}
    for school in school_names(db):
        can = who_can_lead(db, school, today).get(session.module_id or 0, set())
        found.update(
            {m.id: m.name for m in list_staff(db, school) if m.id is not None and m.id in can}
        )
    return found


def term_spend(db: Database, term: Term) -> Spend:
    """A term's external training booked against its CPD budget: the school pays for its
    own people only (in a session shared across the trust, each school for its own)."""
    from sencoplan.domain.sessions import external_cost

    assert term.id is not None
    modules = {m.id: m for m in list_modules(db) if m.id is not None}
    own = {m.id for m in list_staff(db, term.school_id) if m.id is not None}
    sessions = [s for s in list_sessions(db, term.id) if s.active]
    return Spend(term.name, external_cost(sessions, modules, own), term.cpd_budget)


def spend_in_term(db: Database, school_id: int, day: dt.date) -> Spend | None:
    """A school's spend in the term around a day: what sharing a session with it costs it."""
    from sencoplan.store.terms import list_terms

    term = next((t for t in list_terms(db, school_id) if t.start <= day <= t.end), None)
    return None if term is None or term.id is None else term_spend(db, term)
