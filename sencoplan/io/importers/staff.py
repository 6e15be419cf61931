"""Staff: the app's own format (headings in docs/importing.md)."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.models import StaffMember
from sencoplan.domain.staff_codes import parse_role
from sencoplan.io.columns import Column, parse_number
from sencoplan.io.dates import parse_date
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import write_in_batches
from sencoplan.store.rows import to_row
from sencoplan.store.staff import staff_by_name

columns = [
    Column("name", ("Name", "Staff Name", "Full Name"), required=True),
    Column("role", ("Role", "Job Title", "Post"), required=True),
    Column("fte", ("FTE",)),
    Column("cpd_hours", ("CPD Hours", "CPD Hours Per Term")),
    Column("email", ("Email", "Email Address")),
    Column("start_date", ("Start Date", "In Post Since", "Role Start")),
    Column("leaving_date", ("Leaving Date", "End Date")),
]
school_scoped = True
_FIELDS = {name: name for name in ("name", "role", "fte", "cpd_hours", "email")}


def prepare(ctx: ImportContext) -> Writer:
    existing = staff_by_name(ctx.db, ctx.school_id)
    seen: dict[str, int] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for reader in ctx.rows():
        name = reader.read("name", str, required=True)
        if name is not None:
            reader.once("name", " ".join(name.split()).casefold(), seen, repr(name))
        values: dict[str, Any] = {"role": reader.read("role", parse_role, required=True)}
        for field in ("fte", "cpd_hours"):
            if reader.has(field):
                number = reader.read(field, parse_number)
                if number is not None:
                    values[field] = number
        if reader.has("email"):
            values["email"] = reader.text("email") or None
        for field in ("start_date", "leaving_date"):
            if reader.has(field):
                values[field] = reader.read(field, parse_date)
        if not reader.ok or name is None:
            continue
        before = existing.get(" ".join(name.split()).casefold())
        merged: dict[str, Any] = before.model_dump() if before else {"school_id": ctx.school_id}
        merged.update(values, name=" ".join(name.split()))
        member = reader.build(StaffMember, merged, _FIELDS)
        if member is None:
            continue
        row = to_row(member)
        if ctx.report.tally(to_row(before) if before else None, row):
            (inserts if before is None else updates).append(row)
    ctx.reject_if_errors()
    return lambda progress: write_in_batches(ctx.db, "staff", inserts, updates, progress)
