"""Retention: the records of pupils and staff who left are kept for the period their school
sets, then purged, because special category data about children must not be kept longer
than it is needed.

The rule, one per school (`schools.retention_months`, migration 0008): a pupil whose last day
on roll (`on_roll_to`) or a member of staff whose leaving date is more than that many months
ago is due to be purged. No period set: nothing is ever due (sencoplan never guesses a
school's policy). Purging a pupil removes who supported them; purging a member of staff
removes their training, qualifications, confidence ratings, places in sessions, succession
candidacies, development actions and module leads, and leaves a role they held vacant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from sencoplan.domain.codes import Tier
from sencoplan.domain.staff_codes import Role
from sencoplan.store import engine
from sencoplan.store.db import StoreError, write_transaction

MAX_MONTHS = 1200
"""A hundred years: anything longer is a typing mistake."""

PEOPLE = ("pupils", "staff")

_DUE = {
    "pupils": "school_id = ? AND on_roll_to IS NOT NULL AND on_roll_to < ?",
    "staff": "school_id = ? AND leaving_date IS NOT NULL AND leaving_date < ?",
}


class RetentionError(StoreError):
    """A purge could not be done; nothing was purged."""


@dataclass(frozen=True)
class DueRecord:
    """A leaver's record past the school's period, said without a UPN or date of birth."""

    kind: Literal["pupil", "staff"]
    id: int
    left: dt.date
    detail: str
    """A pupil's year group and tier, a member of staff's role."""
    name: str | None
    """Shown only when asked for (to check before a purge), never in an export."""


@dataclass(frozen=True)
class SchoolRetention:
    school_id: int
    school: str
    months: int | None
    keep_from: dt.date | None
    """Records of those who left before this day are due (None: no period set)."""
    due: list[DueRecord] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for record in self.due if record.kind == kind)


@dataclass(frozen=True)
class PurgeResult:
    removed: dict[str, int]
    """Rows removed, by table (the people and the rows that went with them)."""
    backup: Path | None


def keep_from(today: dt.date, months: int) -> dt.date:
    """The first leaving day still kept: anyone who left before it is due."""
    return today - relativedelta(months=months)


def check_months(months: int | None) -> None:
    if months is not None and not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"a retention period is 1 to {MAX_MONTHS} months")


def set_retention(db: Database, school_id: int, months: int | None) -> None:
    """Set (or, with None, clear) the school's period."""
    check_months(months)
    with write_transaction(db):
        db.execute("UPDATE schools SET retention_months = ? WHERE id = ?", (months, school_id))


def _due_in(db: Database, school_id: int, before: dt.date) -> list[DueRecord]:
    day = before.isoformat()
    pupils = db.execute(
        f"SELECT id, on_roll_to, year_group, tier, display_name FROM pupils "
        f"WHERE {_DUE['pupils']} ORDER BY on_roll_to, id",
        (school_id, day),
    ).fetchall()
    staff = db.execute(
        f"SELECT id, leaving_date, role, name FROM staff WHERE {_DUE['staff']} "
        "ORDER BY leaving_date, id",
        (school_id, day),
    ).fetchall()
    return [
        DueRecord("pupil", row[0], dt.date.fromisoformat(row[1]), _year(row[2], row[3]), row[4])
        for row in pupils
    ] + [
        DueRecord("staff", row[0], dt.date.fromisoformat(row[1]), _label(Role, row[2]), row[3])
        for row in staff
    ]


def _label(codes: type[Role] | type[Tier], value: str) -> str:
    try:
        return codes(value).label
    except ValueError:
        return value


def _year(year_group: str, tier: str) -> str:
    year = year_group if year_group in {"N1", "N2", "R"} else f"Year {year_group}"
    return f"{year}, {_label(Tier, tier).lower()}"


def due_records(
    db: Database, today: dt.date, school_ids: list[int] | None = None
) -> list[SchoolRetention]:
    """Each school (or the ones named), its period, and the records past it."""
    rows = db.execute("SELECT id, name, retention_months FROM schools ORDER BY name").fetchall()
    found: list[SchoolRetention] = []
    for school_id, name, months in rows:
        if school_ids is not None and school_id not in school_ids:
            continue
        if months is None:
            found.append(SchoolRetention(school_id, name, None, None))
            continue
        before = keep_from(today, months)
        found.append(
            SchoolRetention(school_id, name, months, before, _due_in(db, school_id, before))
        )
    return found


def _tables_about_people(db: Database) -> list[str]:
    """pupils, staff and every table whose rows refer to them (found from the schema, so a
    later migration's table is counted too)."""
    tables = list(PEOPLE)
    for table in db.table_names():
        for row in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            if row[2] in PEOPLE and table not in tables:
                tables.append(table)
    return tables


def _counts(db: Database, tables: list[str]) -> dict[str, int]:
    return {table: db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0] for table in tables}


def purge(
    db: Database, db_path: Path | None, today: dt.date, school_ids: list[int] | None = None
) -> PurgeResult:
    """Delete the records past each school's period, all or nothing, after a backup.

    `db_path` is where the automatic backup goes (beside it, in backups/); None only for a
    database in memory. The records are chosen again inside the write transaction, so what
    is deleted is what was due when the lock was taken.
    """
    if db.execute("PRAGMA foreign_keys").fetchone()[0] != 1:
        raise RetentionError("foreign keys are off: purging would leave orphan rows")
    schools = [s for s in due_records(db, today, school_ids) if s.due]
    if not schools:
        return PurgeResult({}, None)
    backup = None
    if db_path is not None:
        from sencoplan.store.backup import automatic_backup

        backup = automatic_backup(db, db_path, "purge")
    tables = _tables_about_people(db)
    try:
        with write_transaction(db):
            before = _counts(db, tables)
            for school in schools:
                assert school.keep_from is not None
                for table in PEOPLE:
                    db.execute(
                        f"DELETE FROM {table} WHERE {_DUE[table]}",
                        (school.school_id, school.keep_from.isoformat()),
                    )
            after = _counts(db, tables)
    except engine.IntegrityError as error:
        raise RetentionError(
            f"nothing was purged: another record still needs one of them ({error})"
        ) from error
    removed = {table: before[table] - after[table] for table in tables}
    return PurgeResult({t: n for t, n in removed.items() if n}, backup)
