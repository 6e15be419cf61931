"""Module leaders: who on the staff can lead (facilitate) which module of the catalogue."""

from __future__ import annotations

from typing import Any

from sencoplan.io.columns import Column
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.store.bulk import write_in_batches
from sencoplan.store.catalogue import modules_by_code
from sencoplan.store.succession import named_leaders

columns = [
    Column("staff", ("Staff", "Name", "Staff Name", "Leader"), required=True),
    Column("module", ("Module", "Module Code", "Code"), required=True),
]
school_scoped = True


def prepare(ctx: ImportContext) -> Writer:
    modules = modules_by_code(ctx.db)
    held = {
        (staff_id, module_id)
        for module_id, people in named_leaders(ctx.db, ctx.school_id).items()
        for staff_id in people
    }
    seen: dict[tuple[int, int], int] = {}
    inserts: list[dict[str, Any]] = []
    for reader in ctx.rows():
        staff_id = staff_lookup(ctx, reader)
        code = reader.read("module", str, required=True)
        module = modules.get(code.upper()) if code else None
        if code and module is None:
            reader.error("module", f"no module with code {code!r} in the catalogue")
        if not reader.ok or staff_id is None or module is None or module.id is None:
            continue
        key = (staff_id, module.id)
        reader.once("module", key, seen, f"{reader.text('staff')} leading {module.code}")
        if not reader.ok:
            continue
        if key in held:
            ctx.report.unchanged += 1
            continue
        inserts.append({"staff_id": staff_id, "module_id": module.id})
        ctx.report.created += 1
    ctx.reject_if_errors()
    return lambda progress: write_in_batches(ctx.db, "module_leaders", inserts, [], progress)
