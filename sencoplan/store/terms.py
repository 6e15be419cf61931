"""Terms of each school: dates, closures (kept as JSON) and the CPD slot rule."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.calendar import Term
from sencoplan.domain.terms import TermDates, usual_term
from sencoplan.store.rows import delete_row, fetch, save_row, to_row


def _term(row: dict[str, Any]) -> Term:
    return Term.model_validate({**row, "closures": json.loads(row["closures"] or "[]")})


def list_terms(db: Database, school_id: int) -> list[Term]:
    rows = fetch(db, "SELECT * FROM terms WHERE school_id = ? ORDER BY start", (school_id,))
    return [_term(row) for row in rows]


def get_term(db: Database, term_id: int) -> Term | None:
    rows = fetch(db, "SELECT * FROM terms WHERE id = ?", (term_id,))
    return _term(rows[0]) if rows else None


def find_term(db: Database, school_id: int, name: str) -> Term | None:
    rows = fetch(
        db,
        "SELECT * FROM terms WHERE school_id = ? AND name = ? COLLATE NOCASE",
        (school_id, name.strip()),
    )
    return _term(rows[0]) if rows else None


def save_term(db: Database, term: Term) -> Term:
    row = to_row(term)
    row["closures"] = json.dumps(row["closures"])
    term_id = save_row(db, "terms", row, term.id)
    return term.model_copy(update={"id": term_id})


def delete_term(db: Database, term_id: int) -> None:
    delete_row(db, "terms", term_id)


def term_around(db: Database, school_id: int, today: dt.date) -> Term | None:
    """The school's term around today, or the next one: what 'this term' means on every
    screen; None when the school has recorded no such term."""
    terms = list_terms(db, school_id)
    around = next((t for t in terms if t.start <= today <= t.end), None)
    return around or next((t for t in terms if t.start > today), None)


def current_term(db: Database, school_id: int, today: dt.date) -> TermDates:
    """The dates of the term around today (or the next), else the usual term dates."""
    chosen = term_around(db, school_id, today)
    if chosen is None:
        return usual_term(today)
    return TermDates(chosen.name, chosen.start, chosen.end)
