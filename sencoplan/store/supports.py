"""Which staff teach or support which pupils (one pupil, or a whole class)."""

from __future__ import annotations

from sqlite_utils import Database

from sencoplan.domain.models import Support
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row


def list_supports(db: Database, school_id: int) -> list[Support]:
    rows = fetch(db, "SELECT * FROM supports WHERE school_id = ? ORDER BY id", (school_id,))
    return [from_row(Support, row) for row in rows]


def save_support(db: Database, support: Support) -> Support:
    row_id = save_row(db, "supports", to_row(support), support.id)
    return support.model_copy(update={"id": row_id})


def delete_support(db: Database, support_id: int) -> None:
    delete_row(db, "supports", support_id)


def pupils_supported_count(db: Database, staff_id: int) -> int:
    """Distinct pupils this person works with, directly or through a class they teach."""
    row = db.execute(
        """
        SELECT COUNT(DISTINCT pupil_id) FROM (
            SELECT p.id AS pupil_id FROM supports s
            JOIN pupils p ON p.id = s.pupil_id AND p.school_id = s.school_id
            WHERE s.staff_id = :staff
            UNION ALL
            SELECT p.id FROM supports s
            JOIN pupils p ON p.school_id = s.school_id AND p.reg_group = s.reg_group
            WHERE s.staff_id = :staff
        )
        """,
        {"staff": staff_id},
    ).fetchone()
    return int(row[0])


def count_supports(db: Database, school_id: int) -> int:
    return int(
        db.execute("SELECT COUNT(*) FROM supports WHERE school_id = ?", (school_id,)).fetchone()[0]
    )


def clear_supports(db: Database, school_id: int) -> None:
    """A supports file is the school's whole picture: its earlier links go first."""
    db.execute("DELETE FROM supports WHERE school_id = ?", (school_id,))
