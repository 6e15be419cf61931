"""Schools: one file may hold one school or a whole trust."""

from __future__ import annotations

from typing import NamedTuple

from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.domain.staff_codes import Phase
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row


def list_schools(db: Database) -> list[School]:
    return [from_row(School, row) for row in fetch(db, "SELECT * FROM schools ORDER BY name")]


class SchoolEntry(NamedTuple):
    """A school as a list of schools shows it."""

    id: int
    name: str
    phase: Phase


def school_entries(db: Database) -> list[SchoolEntry]:
    """Every school by name, as id, name and phase: what the app lists (to switch school)
    without building a School record for each of a national file's 22,000."""
    rows = db.execute("SELECT id, name, phase FROM schools ORDER BY name").fetchall()
    return [SchoolEntry(school_id, name, Phase(phase)) for school_id, name, phase in rows]


def school_names(db: Database) -> dict[int, str]:
    """id -> name for every school: what a trust view labels its lines with, without
    building 22,000 School records for a national file."""
    return dict(db.execute("SELECT id, name FROM schools").fetchall())


def get_school(db: Database, school_id: int) -> School | None:
    rows = fetch(db, "SELECT * FROM schools WHERE id = ?", (school_id,))
    return from_row(School, rows[0]) if rows else None


def find_school(db: Database, name: str) -> School | None:
    """By name, ignoring case (URN accepted too)."""
    rows = fetch(
        db, "SELECT * FROM schools WHERE name = ? COLLATE NOCASE OR urn = ?", (name.strip(), name)
    )
    return from_row(School, rows[0]) if rows else None


def save_school(db: Database, school: School) -> School:
    school_id = save_row(db, "schools", to_row(school), school.id)
    return school.model_copy(update={"id": school_id})


def delete_school(db: Database, school_id: int) -> None:
    delete_row(db, "schools", school_id)


def schools_matching(db: Database, text: str) -> list[School]:
    """The school a person means by `text`: the exact name or URN if one has it, else every
    school whose name contains the text (ignoring case). One school: found; none or several:
    the caller says so."""
    exact = find_school(db, text)
    if exact is not None:
        return [exact]
    wanted = text.strip().casefold()
    if not wanted:
        return []
    return [school for school in list_schools(db) if wanted in school.name.casefold()]


def match_school(db: Database, text: str) -> School | None:
    """For reports: the exact name or URN, else the one school whose name contains the text."""
    found = schools_matching(db, text)
    return found[0] if len(found) == 1 else None
