"""Gathering what the plan suggester needs for one term, and saving what it suggests."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.calendar import Term
from sencoplan.domain.planning import PlanInputs, SuggestedPlan, suggest_plan
from sencoplan.domain.sessions import SessionStatus
from sencoplan.store.catalogue import list_modules
from sencoplan.store.db import write_transaction
from sencoplan.store.levels import level_table
from sencoplan.store.priorities import load_weights, need_groups, staff_facts
from sencoplan.store.sessions import list_sessions, save_session
from sencoplan.store.staff import list_staff
from sencoplan.store.succession import who_can_lead
from sencoplan.store.terms import list_terms
from sencoplan.store.workload import load_workload, senco_ids


def plan_inputs(db: Database, term: Term, today: dt.date) -> PlanInputs:
    """What a suggestion for the term rests on, read from the file: the roll and staff as on
    the day planning starts, this term's sessions, and the sessions planned or delivered in
    any of the school's terms (training to come)."""
    assert term.id is not None
    on = max(today, term.start)
    committed = {
        week.week: week.reviews + week.tasks + week.leading + week.preparing
        for week in load_workload(db, term)
    }
    # Every term's sessions, later ones too: a term planned out of order (Autumn after
    # Spring) must not book anyone on a module they are booked on already.
    terms = list_terms(db, term.school_id)
    to_come = [s for t in terms if t.id is not None for s in list_sessions(db, t.id)]
    return PlanInputs(
        term=term,
        groups=need_groups(db, on, term.school_id),
        facts=staff_facts(db, on, term.school_id),
        staff={m.id: m for m in list_staff(db, term.school_id) if m.id is not None},
        modules=list_modules(db),
        holders=who_can_lead(db, term.school_id, on),
        existing=list_sessions(db, term.id),
        # Delivered sessions are in the training records already (with their expiry, and
        # only for those who attended every part); planned ones are training to come.
        to_come=[s for s in to_come if s.status is SessionStatus.PLANNED],
        senco_ids=frozenset(senco_ids(db, term.school_id, on)),
        senco_load=committed,
        weights=load_weights(db, term.school_id),
        from_day=on,
        levels=level_table(db, term.school_id),
        capacity=term.room_capacity,
    )


def suggest_for_term(db: Database, term: Term, today: dt.date) -> SuggestedPlan:
    return suggest_plan(plan_inputs(db, term, today))


def save_plan(db: Database, plan: SuggestedPlan) -> int:
    """Keep the suggested sessions as planned sessions, all or none; returns how many."""
    with write_transaction(db):
        for session in plan.sessions:
            save_session(db, session)
    return len(plan.sessions)
