"""The school's table of training levels needed, by relationship and tier (l on Priorities)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database

from sencoplan.domain.codes import REGISTER_TIERS, Tier
from sencoplan.domain.levels import RELATIONSHIPS, LevelTable
from sencoplan.domain.staff_codes import ModuleLevel, SupportKind
from sencoplan.store.levels import level_table, save_level_table
from sencoplan.tui.screens.form import Field, RecordForm, options_of


class SchoolLevels(BaseModel):
    """A school's levels as the form edits them: a cell's name -> its level."""

    school_id: int
    cells: dict[str, ModuleLevel]

    def table(self) -> LevelTable:
        table = LevelTable()
        for kind in RELATIONSHIPS:
            for tier in REGISTER_TIERS:
                table = table.with_level(kind, tier, self.cells[_cell(kind, tier)])
        return table


def _cell(kind: SupportKind, tier: Tier) -> str:
    return f"{kind.value}__{tier.value}"


def _save(db: Database, levels: SchoolLevels) -> SchoolLevels:
    save_level_table(db, levels.school_id, levels.table())
    return levels


def _current(db: Database, school_id: int) -> SchoolLevels:
    table = level_table(db, school_id)
    return SchoolLevels(
        school_id=school_id, cells={_cell(k, t): level for k, t, level in table.cells()}
    )


def levels_form(db_path: Path, school_id: int, table: LevelTable) -> RecordForm[SchoolLevels]:
    """Twelve choices: for each relationship to a pupil, the level needed at each tier. A
    table where a closer relationship or a higher tier needs less is refused, saying where."""
    fields = [
        Field(
            _cell(kind, tier),
            f"{kind.label}: {tier.label}",
            level.value,
            parse=ModuleLevel,
            options=options_of(list(ModuleLevel)),
            required=True,
        )
        for kind, tier, level in table.cells()
    ]

    def build(values: dict[str, Any]) -> SchoolLevels:
        return SchoolLevels(school_id=school_id, cells=values)

    original = SchoolLevels(
        school_id=school_id, cells={_cell(k, t): level for k, t, level in table.cells()}
    )
    return RecordForm(
        "Training levels needed, by relationship to the pupil and tier",
        fields,
        build,
        _save,
        db_path,
        original=original,
        current=lambda db, _: _current(db, school_id),
    )
