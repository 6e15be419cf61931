"""Qualifications held or being studied: the NPQ for SENCOs, NASENCO and others."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.models import Qualification
from sencoplan.domain.succession_codes import parse_qualification_kind, parse_qualification_status
from sencoplan.io.columns import Column
from sencoplan.io.dates import parse_date
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.store.bulk import write_in_batches
from sencoplan.store.rows import to_row
from sencoplan.store.training import list_qualifications

columns = [
    Column("staff", ("Staff", "Name", "Staff Name"), required=True),
    Column("kind", ("Qualification", "Kind"), required=True),
    Column("status", ("Status",)),
    Column("title", ("Title", "Details")),
    Column("started", ("Started", "Start Date")),
    Column("completed", ("Completed", "Awarded")),
    Column("expected", ("Expected", "Expected Completion")),
]
school_scoped = True


def prepare(ctx: ImportContext) -> Writer:
    existing = {
        (item.staff_id, item.kind.value, (item.title or "").casefold()): item
        for item in list_qualifications(ctx.db, ctx.school_id)
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for reader in ctx.rows():
        staff_id = staff_lookup(ctx, reader)
        kind = reader.read("kind", parse_qualification_kind, required=True)
        values: dict[str, Any] = {"title": reader.text("title") or None}
        status = reader.read("status", parse_qualification_status)
        if status is not None:
            values["status"] = status
        for field in ("started", "completed", "expected"):
            if reader.has(field):  # a column the file leaves out keeps its dates
                values[field] = reader.read(field, parse_date)
        if not reader.ok or staff_id is None or kind is None:
            continue
        key = (staff_id, kind.value, (values["title"] or "").casefold())
        before = existing.get(key)
        merged = before.model_dump() if before else {}
        merged.update(values, staff_id=staff_id, kind=kind)
        item = reader.build(Qualification, merged)
        if item is None:
            continue
        if ctx.report.tally(before, item):
            (inserts if before is None else updates).append(to_row(item))
    ctx.reject_if_errors()
    return lambda progress: write_in_batches(ctx.db, "qualifications", inserts, updates, progress)
