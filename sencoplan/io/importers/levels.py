"""Training levels: the level of training each relationship to a pupil needs, by tier.

One row per relationship, a column per tier, as docs/importing.md's table reads. The file is the
school's whole table: relationships it leaves out keep the default.
"""

from __future__ import annotations

from sencoplan.domain.codes import REGISTER_TIERS, Tier
from sencoplan.domain.levels import DEFAULT_TABLE
from sencoplan.domain.staff_codes import ModuleLevel, SupportKind, parse_level, parse_support_kind
from sencoplan.io.columns import Column
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import Progress
from sencoplan.store.levels import level_table, save_level_table

columns = [
    Column("relationship", ("Relationship", "Kind", "Support"), required=True),
    Column("targeted", ("Targeted", "Targeted Tier", "SEN Support"), required=True),
    Column("targeted_plus", ("Targeted Plus", "Targeted Plus Tier"), required=True),
    Column("specialist", ("Specialist", "Specialist Tier", "EHCP"), required=True),
]
school_scoped = True


def prepare(ctx: ImportContext) -> Writer:
    table = DEFAULT_TABLE
    seen: dict[SupportKind, int] = {}
    for reader in ctx.rows():
        kind = reader.read("relationship", parse_support_kind, required=True)
        levels: dict[Tier, ModuleLevel] = {}
        for tier in REGISTER_TIERS:
            level = reader.read(tier.value, parse_level, required=True)
            if level is not None:
                levels[tier] = level
        if kind is None or not reader.ok:
            continue
        reader.once("relationship", kind, seen, kind.label.lower())
        if not reader.ok:
            continue
        for tier, level in levels.items():
            table = table.with_level(kind, tier, level)
    ctx.reject_if_errors()
    problems = table.problems()
    if problems:
        reason = "a closer relationship or a higher tier cannot need a lower level: "
        raise ImportRejected(
            ctx.table.source, [RowError(0, "", reason + "; ".join(problems))], whole_file=False
        )
    before = level_table(ctx.db, ctx.school_id)
    for kind in seen:  # one row per relationship: a row is updated if any of its levels moved
        moved = any(
            before.required(kind, tier) is not table.required(kind, tier) for tier in REGISTER_TIERS
        )
        if moved:
            ctx.report.updated += 1
        else:
            ctx.report.unchanged += 1

    def write(progress: Progress) -> None:
        progress(0, 1)
        save_level_table(ctx.db, ctx.school_id, table)
        progress(1, 1)

    return write
