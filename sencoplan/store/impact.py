"""Gathering a term's impact: its delivered sessions, everyone's ratings, coverage then and now."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.calendar import Term
from sencoplan.domain.impact import ModuleImpact, Ratings, term_impact
from sencoplan.store.catalogue import list_modules
from sencoplan.store.priorities import load_priorities
from sencoplan.store.sessions import list_sessions
from sencoplan.store.staff import list_staff
from sencoplan.store.training import list_confidence


def load_impact(db: Database, term: Term, today: dt.date) -> list[ModuleImpact]:
    """Each module delivered in the term, with confidence before and after and coverage
    at the term's start and today."""
    assert term.id is not None
    modules = {m.id: m for m in list_modules(db) if m.id is not None}
    colleagues = {
        m.id
        for m in list_staff(db, term.school_id)
        if m.id is not None and m.in_post(today) and m.role.supports_pupils
    }
    start = load_priorities(db, term.start, term.school_id, staff_views=False)
    now = load_priorities(db, today, term.school_id, staff_views=False)
    return term_impact(
        list_sessions(db, term.id),
        modules,
        Ratings(list_confidence(db, term.school_id)),
        colleagues=colleagues,
        weeks=term.impact_weeks,
        coverage_start={line.need: line.coverage for line in start.priorities},
        coverage_now={line.need: line.coverage for line in now.priorities},
    )
