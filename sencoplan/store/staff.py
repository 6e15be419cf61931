"""Staff of each school."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.models import StaffMember
from sencoplan.domain.names import name_sort_key
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row


def list_staff(db: Database, school_id: int) -> list[StaffMember]:
    """In alphabetical order of name, ignoring case and accents ('Łukasz' before 'Zoe')."""
    rows = fetch(db, "SELECT * FROM staff WHERE school_id = ?", (school_id,))
    staff = [from_row(StaffMember, row) for row in rows]
    return sorted(
        staff, key=lambda member: (name_sort_key(member.name), member.name, member.id or 0)
    )


def get_staff(db: Database, staff_id: int) -> StaffMember | None:
    rows = fetch(db, "SELECT * FROM staff WHERE id = ?", (staff_id,))
    return from_row(StaffMember, rows[0]) if rows else None


def staff_by_name(db: Database, school_id: int) -> dict[str, StaffMember]:
    """Keyed by lower-cased name: how the import files refer to staff."""
    return {member.name.casefold(): member for member in list_staff(db, school_id)}


def save_staff(db: Database, member: StaffMember) -> StaffMember:
    staff_id = save_row(db, "staff", to_row(member), member.id)
    return member.model_copy(update={"id": staff_id})


def delete_staff(db: Database, staff_id: int) -> None:
    delete_row(db, "staff", staff_id)


def staff_in_post_count(db: Database, on: dt.date) -> int:
    """How many staff in the file are in post on a day (not yet past their leaving date)."""
    return int(
        db.execute(
            "SELECT COUNT(*) FROM staff WHERE leaving_date IS NULL OR leaving_date >= ?",
            (on.isoformat(),),
        ).fetchone()[0]
    )
