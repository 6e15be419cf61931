"""Pupils' ISP and EHCP reviews in the file: the next due from each pupil's record, the
reviews held (and whether an EHCP review's report has gone to the local authority)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.reviews import (
    ReviewDue,
    ReviewHeld,
    ReviewKind,
    next_review,
    overdue_sentences,
    review_steps,
)
from sencoplan.store.db import write_transaction
from sencoplan.store.rows import fetch, from_row

_DUE_COLUMN = {ReviewKind.EHCP: "ehcp_review_due", ReviewKind.ISP: "plan_review_due"}


def _due(db: Database, school_id: int, column: str) -> dict[int, dt.date]:
    """Each pupil's next review, where they are on roll on the day it falls due (a pupil
    who leaves first, or joins after, has it at another school)."""
    rows = db.execute(
        f"SELECT id, {column} FROM pupils WHERE school_id = ? AND {column} IS NOT NULL "
        f"AND (on_roll_to IS NULL OR on_roll_to >= {column}) "
        f"AND (on_roll_from IS NULL OR on_roll_from <= {column})",
        (school_id,),
    ).fetchall()
    return {pupil: dt.date.fromisoformat(day) for pupil, day in rows}


def list_held(
    db: Database, school_id: int, *, report_outstanding: bool = False
) -> list[ReviewHeld]:
    """Reviews held, oldest first (only EHCP reviews whose report has not gone, if asked)."""
    where = " AND kind = 'ehcp' AND report_sent_on IS NULL" if report_outstanding else ""
    rows = fetch(
        db,
        f"SELECT * FROM pupil_reviews WHERE school_id = ?{where} ORDER BY held_on, id",
        (school_id,),
    )
    return [from_row(ReviewHeld, row) for row in rows]


def school_review_steps(db: Database, school_id: int) -> list[ReviewDue]:
    """Every review step in the school, by day: the next review of each pupil on roll,
    and the steps of the reviews held (the work they took stays in its weeks)."""
    return review_steps(
        _due(db, school_id, _DUE_COLUMN[ReviewKind.EHCP]),
        _due(db, school_id, _DUE_COLUMN[ReviewKind.ISP]),
        list_held(db, school_id),
    )


def record_held(db: Database, held: ReviewHeld, next_due: dt.date | None = None) -> ReviewHeld:
    """A review held (or its report sent, saying the same day again): kept, and the
    pupil's next review moved on (by default 12 months for an EHCP, 3 for an ISP)."""
    due = next_due or next_review(held.kind, held.held_on)
    with write_transaction(db):
        db.execute(
            "INSERT INTO pupil_reviews (school_id, pupil_id, kind, held_on, report_sent_on) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (pupil_id, kind, held_on) "
            "DO UPDATE SET report_sent_on = excluded.report_sent_on",
            (
                held.school_id,
                held.pupil_id,
                held.kind.value,
                held.held_on.isoformat(),
                held.report_sent_on.isoformat() if held.report_sent_on else None,
            ),
        )
        (held_id,) = db.execute(
            "SELECT id FROM pupil_reviews WHERE pupil_id = ? AND kind = ? AND held_on = ?",
            (held.pupil_id, held.kind.value, held.held_on.isoformat()),
        ).fetchone()
        db.execute(
            f"UPDATE pupils SET {_DUE_COLUMN[held.kind]} = ? WHERE id = ?",
            (due.isoformat(), held.pupil_id),
        )
    return held.model_copy(update={"id": held_id})


def overdue_reviews(db: Database, school_id: int, today: dt.date) -> list[str]:
    """What is overdue in the school's reviews, in sentences."""
    return overdue_sentences(school_review_steps(db, school_id), today)


def overdue_by_pupil(
    db: Database, steps: list[ReviewDue], today: dt.date
) -> list[tuple[str, ReviewDue]]:
    """Each of these steps that is overdue, with its pupil's name, the longest overdue
    first."""
    late = [step for step in steps if step.overdue(today)]
    ids = sorted({step.pupil_id for step in late})
    marks = ",".join("?" * len(ids))
    names = (
        dict(
            db.execute(
                f"SELECT id, COALESCE(display_name, upn, '') FROM pupils WHERE id IN ({marks})", ids
            ).fetchall()
        )
        if ids
        else {}
    )
    return [(str(names.get(step.pupil_id, "")), step) for step in late]
