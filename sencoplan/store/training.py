"""Who holds which training, their qualifications, and how confident they feel."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlite_utils import Database

from sencoplan.domain.models import ConfidenceRating, Qualification, TrainingRecord
from sencoplan.store.catalogue import list_modules
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row


def list_training(db: Database, school_id: int) -> list[TrainingRecord]:
    rows = fetch(
        db,
        """
        SELECT t.* FROM training_records t JOIN staff s ON s.id = t.staff_id
        WHERE s.school_id = ? ORDER BY t.completed DESC, t.id
        """,
        (school_id,),
    )
    return [from_row(TrainingRecord, row) for row in rows]


def training_for_staff(db: Database, staff_id: int) -> list[TrainingRecord]:
    rows = fetch(
        db,
        "SELECT * FROM training_records WHERE staff_id = ? ORDER BY completed DESC",
        (staff_id,),
    )
    return [from_row(TrainingRecord, row) for row in rows]


def save_training(db: Database, record: TrainingRecord) -> TrainingRecord:
    """Keep a record. One typed for the same person, module and day as a record a session's
    delivery made takes that record over as the school's own (so marking the session
    planned again no longer removes it)."""
    if record.id is None:
        made = db.execute(
            "SELECT id FROM training_records WHERE staff_id = ? AND module_id = ? "
            "AND completed = ? AND session_id IS NOT NULL",
            (record.staff_id, record.module_id, record.completed.isoformat()),
        ).fetchone()
        if made is not None:
            record = record.model_copy(update={"id": made[0], "session_id": None})
    record_id = save_row(db, "training_records", to_row(record), record.id)
    return record.model_copy(update={"id": record_id})


def delete_training(db: Database, record_id: int) -> None:
    delete_row(db, "training_records", record_id)


def list_qualifications(db: Database, school_id: int) -> list[Qualification]:
    rows = fetch(
        db,
        """
        SELECT q.* FROM qualifications q JOIN staff s ON s.id = q.staff_id
        WHERE s.school_id = ? ORDER BY q.id
        """,
        (school_id,),
    )
    return [from_row(Qualification, row) for row in rows]


def save_qualification(db: Database, qualification: Qualification) -> Qualification:
    row_id = save_row(db, "qualifications", to_row(qualification), qualification.id)
    return qualification.model_copy(update={"id": row_id})


def list_confidence(db: Database, school_id: int) -> list[ConfidenceRating]:
    rows = fetch(
        db,
        """
        SELECT c.* FROM confidence c JOIN staff s ON s.id = c.staff_id
        WHERE s.school_id = ? ORDER BY c.rated_on DESC, c.id
        """,
        (school_id,),
    )
    return [from_row(ConfidenceRating, row) for row in rows]


def save_confidence(db: Database, rating: ConfidenceRating) -> ConfidenceRating:
    row_id = save_row(db, "confidence", to_row(rating), rating.id)
    return rating.model_copy(update={"id": row_id})


def module_holders(db: Database, school_id: int, on: dt.date) -> dict[int, set[int]]:
    """module id -> staff who hold it, valid on that date (and so could lead it)."""
    modules = {m.id: m for m in list_modules(db)}
    holders: dict[int, set[int]] = defaultdict(set)
    for record in list_training(db, school_id):
        module = modules.get(record.module_id)
        if module is not None and record.valid_on(module, on):
            holders[record.module_id].add(record.staff_id)
    return dict(holders)


def training_keys(
    db: Database, school_id: int
) -> dict[tuple[int, int | None, str], tuple[int, int | None]]:
    """(staff, module, completed day) -> (record id, the session that made it, if any), for
    a school's training records: what an import checks its rows against."""
    return {
        (staff_id, module_id, completed): (record_id, session_id)
        for record_id, staff_id, module_id, completed, session_id in db.execute(
            "SELECT t.id, t.staff_id, t.module_id, t.completed, t.session_id "
            "FROM training_records t JOIN staff s ON s.id = t.staff_id WHERE s.school_id = ?",
            (school_id,),
        ).fetchall()
    }


def confidence_keys(db: Database, school_id: int) -> dict[tuple[int, str, str], tuple[int, int]]:
    """(staff, need, day rated) -> (rating id, rating), for a school's survey answers."""
    return {
        (staff_id, need, rated_on): (row_id, rating)
        for row_id, staff_id, need, rated_on, rating in db.execute(
            "SELECT c.id, c.staff_id, c.need, c.rated_on, c.rating FROM confidence c "
            "JOIN staff s ON s.id = c.staff_id WHERE s.school_id = ?",
            (school_id,),
        ).fetchall()
    }
