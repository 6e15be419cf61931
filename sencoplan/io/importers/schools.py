"""Schools of a trust: name, URN, phase and setting, and the two figures the provision map
sets its costs against (the notional SEN budget, the high-cost threshold)."""

from __future__ import annotations

from sencoplan.domain.models import School
from sencoplan.domain.staff_codes import parse_phase, parse_setting
from sencoplan.io.columns import Column, parse_number
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import Progress
from sencoplan.store.schools import find_school, save_school

columns = [
    Column("name", ("Name", "School", "School Name"), required=True),
    Column("urn", ("URN",)),
    Column("phase", ("Phase",)),
    Column("setting", ("Setting",)),
    Column("notional_sen_budget", ("Notional SEN Budget", "SEN Budget")),
    Column("high_cost_threshold", ("High Cost Threshold", "Top-up Threshold")),
]
school_scoped = False


def prepare(ctx: ImportContext) -> Writer:
    to_save: list[School] = []
    seen: dict[str, int] = {}
    for reader in ctx.rows():
        name = reader.read("name", str, required=True)
        if name is not None:
            reader.once("name", name.casefold(), seen, repr(name))
        phase = reader.read("phase", parse_phase)
        setting = reader.read("setting", parse_setting)
        urn = reader.text("urn") or None
        figures = {
            field: number
            for field in ("notional_sen_budget", "high_cost_threshold")
            if (number := reader.read(field, parse_number)) is not None
        }
        if not reader.ok or name is None:
            continue
        before = find_school(ctx.db, name)
        merged = before.model_dump() if before else {}
        merged.update(name=name)
        if urn is not None:
            merged["urn"] = urn
        if phase is not None:
            merged["phase"] = phase
        if setting is not None:
            merged["setting"] = setting
        merged.update(figures)
        school = reader.build(School, merged)
        if school is None:
            continue
        if not ctx.report.tally(before, school):
            continue
        to_save.append(school)
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        for done, school in enumerate(to_save, start=1):
            save_school(ctx.db, school)
            progress(done, len(to_save))

    return write
