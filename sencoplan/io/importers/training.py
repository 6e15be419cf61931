"""Training records: who completed which module when."""

from __future__ import annotations

from typing import Any

from sencoplan.io.columns import Column
from sencoplan.io.dates import past_date
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.store.bulk import write_in_batches
from sencoplan.store.catalogue import modules_by_code
from sencoplan.store.training import training_keys

columns = [
    Column("staff", ("Staff", "Name", "Staff Name"), required=True),
    Column("module", ("Module", "Module Code", "Code"), required=True),
    Column("completed", ("Completed", "Date Completed", "Completed On", "Date"), required=True),
]
school_scoped = True


def prepare(ctx: ImportContext) -> Writer:
    modules = modules_by_code(ctx.db)
    held = training_keys(ctx.db, ctx.school_id)
    claimed: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for reader in ctx.rows():
        staff_id = staff_lookup(ctx, reader)
        code = reader.read("module", str, required=True)
        module = modules.get(code.upper()) if code else None
        if code and module is None:
            reader.error("module", f"no module with code {code!r} in the catalogue")
        completed = reader.read("completed", past_date(ctx.today), required=True)
        if not reader.ok or staff_id is None or module is None or completed is None:
            continue
        key = (staff_id, module.id, completed.isoformat())
        if key in held:
            record_id, session_id = held[key]
            if session_id is not None:
                # Recorded by a session's delivery: the file makes it the school's own, so
                # marking that session planned again no longer removes it.
                claimed.append({"id": record_id, "session_id": None})
                held[key] = (record_id, None)
                ctx.report.updated += 1
            else:
                ctx.report.skipped += 1
            continue
        held[key] = (0, None)
        inserts.append(
            {"staff_id": staff_id, "module_id": module.id, "completed": completed.isoformat()}
        )
        ctx.report.created += 1
    ctx.reject_if_errors()
    return lambda progress: write_in_batches(ctx.db, "training_records", inserts, claimed, progress)
