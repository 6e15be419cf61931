"""Reading what the SENCO's weeks hold: sessions led, reviews due, other tasks."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.calendar import Term
from sencoplan.domain.reviews import ReviewDue
from sencoplan.domain.workload import MissingReviews, WeekLoad, WorkloadTask, weekly_workload
from sencoplan.store.reviews import school_review_steps
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row
from sencoplan.store.sessions import list_sessions

SENCO_ROLES = ("senco",)


def list_tasks(db: Database, term_id: int) -> list[WorkloadTask]:
    rows = fetch(db, "SELECT * FROM workload_tasks WHERE term_id = ? ORDER BY day", (term_id,))
    return [from_row(WorkloadTask, row) for row in rows]


def save_task(db: Database, task: WorkloadTask) -> WorkloadTask:
    task_id = save_row(db, "workload_tasks", to_row(task), task.id)
    return task.model_copy(update={"id": task_id})


def delete_task(db: Database, task_id: int) -> None:
    delete_row(db, "workload_tasks", task_id)


def senco_ids(db: Database, school_id: int, on: dt.date) -> list[int]:
    """The school's SENCO(s) in post."""
    marks = ",".join("?" * len(SENCO_ROLES))
    rows = db.execute(
        f"SELECT id FROM staff WHERE school_id = ? AND role IN ({marks}) "
        "AND (leaving_date IS NULL OR leaving_date >= ?)",
        (school_id, *SENCO_ROLES, on.isoformat()),
    ).fetchall()
    return [row[0] for row in rows]


def load_workload(
    db: Database, term: Term, reviews: list[ReviewDue] | None = None
) -> list[WeekLoad]:
    """The SENCO's term, week by week (reviews counted from the pupils' due dates and the
    reports still to go, each step in its own week)."""
    assert term.id is not None
    return weekly_workload(
        term,
        list_sessions(db, term.id),
        senco_ids(db, term.school_id, term.start),
        reviews=school_review_steps(db, term.school_id) if reviews is None else reviews,
        tasks=list_tasks(db, term.id),
    )


def missing_reviews(db: Database, term: Term) -> MissingReviews:
    """Pupils on roll at some point in the term whose EHCP or ISP has no review date."""
    ehcp, isp = db.execute(
        "SELECT "
        "COUNT(CASE WHEN tier = 'specialist' AND ehcp_review_due IS NULL THEN 1 END), "
        "COUNT(CASE WHEN tier IN ('targeted', 'targeted_plus') AND plan_review_due IS NULL "
        "THEN 1 END) "
        "FROM pupils WHERE school_id = ? AND (on_roll_to IS NULL OR on_roll_to >= ?) "
        "AND (on_roll_from IS NULL OR on_roll_from <= ?)",
        (term.school_id, term.start.isoformat(), term.end.isoformat()),
    ).fetchone()
    return MissingReviews(ehcp=ehcp, isp=isp)
