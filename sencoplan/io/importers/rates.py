"""Hourly rates by staff role: what a provision with no cost per hour costs, by the role of
the member of staff who delivers it (a TA's hour, a teacher's)."""

from __future__ import annotations

from sencoplan.domain.staff_codes import Role, parse_role
from sencoplan.io.columns import Column, parse_number
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import Progress
from sencoplan.store.provision import role_rates, save_role_rate

columns = [
    Column("role", ("Role", "Staff Role", "Post"), required=True),
    Column("rate", ("Hourly Rate", "Rate", "Cost Per Hour"), required=True),
]
school_scoped = True


def prepare(ctx: ImportContext) -> Writer:
    before = role_rates(ctx.db, ctx.school_id)
    found: dict[Role, float] = {}
    seen: dict[Role, int] = {}
    for reader in ctx.rows():
        role = reader.read("role", parse_role, required=True)
        rate = reader.read("rate", parse_number, required=True)
        if role is not None:
            reader.once("role", role, seen, role.label)
        if rate is not None and not 0 <= rate <= 10_000:
            reader.error("rate", "an hourly rate is £0 to £10,000")
        if not reader.ok or role is None or rate is None:
            continue
        found[role] = rate
        if role not in before:
            ctx.report.created += 1
        elif before[role] != rate:
            ctx.report.updated += 1
        else:
            ctx.report.unchanged += 1
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        for done, (role, rate) in enumerate(found.items(), start=1):
            save_role_rate(ctx.db, ctx.school_id, role, rate)
            progress(done, len(found))

    return write
