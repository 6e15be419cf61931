"""The SEN register: pupils, with their tier and needs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Pupil
from sencoplan.domain.names import name_sort_key
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row


def list_pupils(
    db: Database,
    school_id: int,
    *,
    on: dt.date | None = None,
    tier: Tier | None = None,
    need: NeedType | None = None,
    year_group: str | None = None,
    sen_only: bool = False,
) -> list[Pupil]:
    """Pupils of a school; with `on`, only those on roll that day (joining later included).

    In alphabetical order of name, ignoring case and accents ('Amélie' before 'Amira').
    """
    where = ["school_id = ?"]
    params: list[Any] = [school_id]
    if on is not None:
        where.append("(on_roll_to IS NULL OR on_roll_to >= ?)")
        params.append(on.isoformat())
    if tier is not None:
        where.append("tier = ?")
        params.append(tier.value)
    if need is not None:
        where.append("(primary_need = ? OR secondary_need = ?)")
        params.extend([need.value, need.value])
    if year_group is not None:
        where.append("year_group = ?")
        params.append(year_group)
    if sen_only:
        where.append("tier != 'universal'")
    sql = f"SELECT * FROM pupils WHERE {' AND '.join(where)}"
    pupils = [from_row(Pupil, row) for row in fetch(db, sql, params)]
    return sorted(pupils, key=_register_order)


def _register_order(pupil: Pupil) -> tuple[bool, str, str, int]:
    """Alphabetical, ignoring case and accents (pupils without a name first, as before)."""
    name = pupil.display_name or ""
    return (pupil.display_name is not None, name_sort_key(name), name, pupil.id or 0)


def get_pupil(db: Database, pupil_id: int) -> Pupil | None:
    rows = fetch(db, "SELECT * FROM pupils WHERE id = ?", (pupil_id,))
    return from_row(Pupil, rows[0]) if rows else None


def pupils_by_upn(db: Database, school_id: int) -> dict[str, Pupil]:
    rows = fetch(db, "SELECT * FROM pupils WHERE school_id = ? AND upn IS NOT NULL", (school_id,))
    return {row["upn"]: from_row(Pupil, row) for row in rows}


def save_pupil(db: Database, pupil: Pupil) -> Pupil:
    pupil_id = save_row(db, "pupils", to_row(pupil), pupil.id)
    return pupil.model_copy(update={"id": pupil_id})


def delete_pupil(db: Database, pupil_id: int) -> None:
    delete_row(db, "pupils", pupil_id)


def register_counts(db: Database, school_id: int, on: dt.date) -> Counter[tuple[str, str]]:
    """Pupils on roll that day by (primary need, tier), counted in SQL: the register at a
    glance. Pupils joining later are not on roll yet (see `incoming_counts`)."""
    rows = db.execute(
        """
        SELECT COALESCE(primary_need, ''), tier, COUNT(*) FROM pupils
        WHERE school_id = :school
            AND (on_roll_from IS NULL OR on_roll_from <= :on)
            AND (on_roll_to IS NULL OR on_roll_to >= :on)
        GROUP BY 1, 2
        """,
        {"school": school_id, "on": on.isoformat()},
    ).fetchall()
    return Counter({(need, tier): count for need, tier, count in rows})


def incoming_counts(db: Database, school_id: int, on: dt.date) -> Counter[tuple[str, str]]:
    """Pupils joining after that day (the incoming cohort) by (primary need, tier)."""
    rows = db.execute(
        """
        SELECT COALESCE(primary_need, ''), tier, COUNT(*) FROM pupils
        WHERE school_id = :school
            AND on_roll_from > :on
        GROUP BY 1, 2
        """,
        {"school": school_id, "on": on.isoformat()},
    ).fetchall()
    return Counter({(need, tier): count for need, tier, count in rows})


def reg_groups(db: Database, school_id: int) -> set[str]:
    rows = db.execute(
        "SELECT DISTINCT reg_group FROM pupils WHERE school_id = ? AND reg_group IS NOT NULL",
        (school_id,),
    ).fetchall()
    return {row[0] for row in rows}
