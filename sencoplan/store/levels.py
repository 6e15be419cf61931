"""Each school's table of the training levels its adults need, by relationship and tier."""

from __future__ import annotations

from sqlite_utils import Database

from sencoplan.domain.codes import Tier
from sencoplan.domain.levels import DEFAULT_TABLE, LevelTable
from sencoplan.domain.staff_codes import ModuleLevel, SupportKind
from sencoplan.store.db import StoreError, write_transaction


class LevelsError(StoreError):
    """A table of levels was refused (a closer relationship or a higher tier would need
    less); the school's table is unchanged."""


def level_tables(db: Database, school_id: int | None = None) -> dict[int, LevelTable]:
    """school id -> its table, for the schools that depart from the default (one school's
    only when `school_id` is given)."""
    sql = "SELECT school_id, relationship, tier, level FROM training_levels"
    params: tuple[int, ...] = ()
    if school_id:
        sql += " WHERE school_id = ?"
        params = (school_id,)
    changes: dict[int, dict[tuple[SupportKind, Tier], ModuleLevel]] = {}
    for school, kind, tier, level in db.execute(sql, params).fetchall():
        changes.setdefault(school, {})[(SupportKind(kind), Tier(tier))] = ModuleLevel(level)
    return {school: LevelTable(cells) for school, cells in changes.items()}


def level_table(db: Database, school_id: int) -> LevelTable:
    """One school's table: the default where it has set nothing."""
    return level_tables(db, school_id).get(school_id, DEFAULT_TABLE)


def save_level_table(db: Database, school_id: int, table: LevelTable) -> None:
    """Keep a school's table (only its departures from the default), all or nothing."""
    problems = table.problems()
    if problems:
        raise LevelsError(
            "a closer relationship or a higher tier cannot need a lower level: "
            + "; ".join(problems)
        )
    with write_transaction(db):
        db.execute("DELETE FROM training_levels WHERE school_id = ?", (school_id,))
        db.conn.executemany(
            "INSERT INTO training_levels (school_id, relationship, tier, level) "
            "VALUES (?, ?, ?, ?)",
            [
                (school_id, kind.value, tier.value, level.value)
                for (kind, tier), level in table.changes.items()
            ],
        )
