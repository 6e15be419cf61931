"""Succession records: roles, candidates, development actions and named module leaders,
and gathering the facts the succession review reads for a school."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    ModuleLeader,
    SuccessionRole,
)
from sencoplan.domain.succession import SchoolFacts, effective_roles, module_leaders
from sencoplan.store.catalogue import list_modules
from sencoplan.store.db import write_transaction
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row
from sencoplan.store.schools import get_school
from sencoplan.store.sessions import list_sessions
from sencoplan.store.staff import list_staff
from sencoplan.store.terms import term_around
from sencoplan.store.training import list_qualifications, module_holders


def list_roles(db: Database, school_id: int) -> list[SuccessionRole]:
    rows = fetch(db, "SELECT * FROM succession_roles WHERE school_id = ? ORDER BY id", (school_id,))
    return [from_row(SuccessionRole, row) for row in rows]


def save_role(db: Database, role: SuccessionRole) -> SuccessionRole:
    """Save the role; a new holder leaves the role's bench (they hold it now): both in one
    transaction, so the holder is never left on the bench."""
    with write_transaction(db):
        role_id = save_row(db, "succession_roles", to_row(role), role.id)
        if role.holder_id is not None:
            db.execute(
                "DELETE FROM succession_candidates WHERE role_id = ? AND staff_id = ?",
                (role_id, role.holder_id),
            )
    return role.model_copy(update={"id": role_id})


def delete_role(db: Database, role_id: int) -> None:
    delete_row(db, "succession_roles", role_id)


def list_candidates(db: Database, school_id: int) -> list[Candidate]:
    rows = fetch(
        db,
        """
        SELECT c.* FROM succession_candidates c JOIN succession_roles r ON r.id = c.role_id
        WHERE r.school_id = ? ORDER BY c.id
        """,
        (school_id,),
    )
    return [from_row(Candidate, row) for row in rows]


def save_candidate(db: Database, candidate: Candidate) -> Candidate:
    """Add a candidate, or update the one already on that role's bench.

    The checks and the write are one write transaction: another window adding the same
    person at the same moment is then found, not met with a uniqueness error."""
    with write_transaction(db):
        holder = db.execute(
            "SELECT holder_id FROM succession_roles WHERE id = ?", (candidate.role_id,)
        ).fetchone()
        if holder and holder[0] == candidate.staff_id:
            raise ValueError("they hold this role already: a holder cannot be its candidate")
        row = to_row(candidate)
        if candidate.id is None:
            found = db.execute(
                "SELECT id FROM succession_candidates WHERE role_id = ? AND staff_id = ?",
                (candidate.role_id, candidate.staff_id),
            ).fetchone()
            candidate_id = save_row(db, "succession_candidates", row, found[0] if found else None)
        else:
            candidate_id = save_row(db, "succession_candidates", row, candidate.id)
    return candidate.model_copy(update={"id": candidate_id})


def delete_candidate(db: Database, candidate_id: int) -> None:
    delete_row(db, "succession_candidates", candidate_id)


def list_actions(db: Database, school_id: int) -> list[DevelopmentAction]:
    rows = fetch(
        db,
        "SELECT * FROM development_actions WHERE school_id = ? ORDER BY due IS NULL, due, id",
        (school_id,),
    )
    return [from_row(DevelopmentAction, row) for row in rows]


def save_action(db: Database, action: DevelopmentAction) -> DevelopmentAction:
    action_id = save_row(db, "development_actions", to_row(action), action.id)
    return action.model_copy(update={"id": action_id})


def delete_action(db: Database, action_id: int) -> None:
    delete_row(db, "development_actions", action_id)


def named_leaders(db: Database, school_id: int) -> dict[int, set[int]]:
    """module id -> staff of this school named as able to lead it."""
    leaders: dict[int, set[int]] = defaultdict(set)
    for module_id, staff_id in db.execute(
        "SELECT l.module_id, l.staff_id FROM module_leaders l JOIN staff s ON s.id = l.staff_id "
        "WHERE s.school_id = ?",
        (school_id,),
    ).fetchall():
        leaders[module_id].add(staff_id)
    return dict(leaders)


def save_leader(db: Database, leader: ModuleLeader) -> ModuleLeader:
    """Name someone as able to lead a module (once: the look-up and the insert are one
    write transaction, so two windows naming them together both succeed)."""
    with write_transaction(db):
        found = db.execute(
            "SELECT id FROM module_leaders WHERE staff_id = ? AND module_id = ?",
            (leader.staff_id, leader.module_id),
        ).fetchone()
        if found:
            return leader.model_copy(update={"id": found[0]})
        leader_id = save_row(db, "module_leaders", to_row(leader), None)
    return leader.model_copy(update={"id": leader_id})


def delete_leader(db: Database, staff_id: int, module_id: int) -> None:
    with write_transaction(db):  # waits its turn; a long wait is a StoreError, said plainly
        db.execute(
            "DELETE FROM module_leaders WHERE staff_id = ? AND module_id = ?",
            (staff_id, module_id),
        )


def needs_on_roll(db: Database, school_id: int, today: dt.date) -> dict[NeedType, int]:
    """Pupils by primary need, on roll today or joining: the needs someone must be able to
    lead training in."""
    rows = db.execute(
        """
        SELECT primary_need, COUNT(*) FROM pupils
        WHERE school_id = ? AND primary_need IS NOT NULL
            AND (on_roll_to IS NULL OR on_roll_to >= ?)
        GROUP BY primary_need
        """,
        (school_id, today.isoformat()),
    ).fetchall()
    return {NeedType(need): count for need, count in rows}


def who_can_lead(db: Database, school_id: int, on: dt.date) -> dict[int, set[int]]:
    """module id -> staff who can lead it that day: named leaders, and holders in leading
    roles (the one rule the planner and the succession review share)."""
    staff = {m.id: m for m in list_staff(db, school_id) if m.id is not None and m.in_post(on)}
    return module_leaders(
        list_modules(db), staff, module_holders(db, school_id, on), named_leaders(db, school_id)
    )


def school_facts(db: Database, school_id: int, today: dt.date) -> SchoolFacts:
    """Everything the succession review of one school reads, as of today."""
    school = get_school(db, school_id)
    if school is None:
        raise LookupError(f"no school with id {school_id}")
    staff = {m.id: m for m in list_staff(db, school_id) if m.id is not None and m.in_post(today)}
    term = term_around(db, school_id, today)
    sessions = list_sessions(db, term.id) if term is not None and term.id is not None else []
    return SchoolFacts(
        school=school,
        staff=staff,
        roles=effective_roles(list_roles(db, school_id), staff, school_id),
        candidates=list_candidates(db, school_id),
        qualifications=list_qualifications(db, school_id),
        actions=list_actions(db, school_id),
        modules=list_modules(db),
        holders=module_holders(db, school_id, today),
        named_leaders=named_leaders(db, school_id),
        sessions=sessions,
        needs_on_roll=needs_on_roll(db, school_id, today),
    )
