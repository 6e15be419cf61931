"""Terms: dates, closures and the CPD slot rule, one row per term of one school."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.calendar import Term, check_rule
from sencoplan.io.columns import Column, parse_number, parse_whole_number
from sencoplan.io.dates import parse_closures, parse_date, parse_time
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import Progress
from sencoplan.store.terms import list_terms, save_term

columns = [
    Column("name", ("Term", "Name", "Term Name"), required=True),
    Column("start", ("Start", "Start Date", "First Day"), required=True),
    Column("end", ("End", "End Date", "Last Day"), required=True),
    Column("closures", ("Closures", "Closed", "Holidays")),
    Column("slot_rule", ("Slot Rule", "CPD Slots", "RRULE")),
    Column("slot_start", ("Slot Start", "Slot Time", "Start Time")),
    Column("slot_minutes", ("Slot Minutes", "Slot Length", "Minutes")),
    Column("cpd_budget", ("CPD Budget", "Budget")),
    Column("senco_hours", ("SENCO Hours", "SENCO Hours Per Week", "SENCO Time")),
    Column("ehcp_review_hours", ("EHCP Review Hours", "Hours Per EHCP Review")),
    Column("isp_review_hours", ("ISP Review Hours", "Hours Per ISP Review")),
    Column("impact_weeks", ("Impact Weeks", "Re-survey After Weeks")),
    Column("room_capacity", ("Room Capacity", "Capacity")),
]
school_scoped = True

_FIELDS = {name: name for name in ("name", "start", "end", "slot_rule", "slot_minutes")}


def prepare(ctx: ImportContext) -> Writer:
    existing = {term.name.casefold(): term for term in list_terms(ctx.db, ctx.school_id)}
    seen: dict[str, int] = {}
    to_save: list[Term] = []
    for reader in ctx.rows():
        name = reader.read("name", str, required=True)
        if name is not None:
            reader.once("name", name.casefold(), seen, f"term {name!r}")
        values: dict[str, Any] = {
            "start": reader.read("start", parse_date, required=True),
            "end": reader.read("end", parse_date, required=True),
        }
        optional = {
            "closures": parse_closures,
            "slot_rule": check_rule,
            "slot_start": parse_time,
            "slot_minutes": parse_whole_number,
            "cpd_budget": parse_number,
            "senco_hours": parse_number,
            "ehcp_review_hours": parse_number,
            "isp_review_hours": parse_number,
            "impact_weeks": parse_whole_number,
            "room_capacity": parse_whole_number,
        }
        for field, parse in optional.items():
            if reader.has(field):
                value = reader.read(field, parse)
                if value is not None:
                    values[field] = value
        if values["start"] and values["end"] and values["end"] < values["start"]:
            reader.error("end", "the term ends before it starts")
        if not reader.ok or name is None:
            continue
        before = existing.get(name.casefold())
        merged: dict[str, Any] = before.model_dump() if before else {"school_id": ctx.school_id}
        merged.update(values, name=name)
        term = reader.build(Term, merged, _FIELDS)
        if term is None:
            continue
        if not ctx.report.tally(before, term):
            continue
        to_save.append(term)
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        for done, term in enumerate(to_save, start=1):
            save_term(ctx.db, term)
            progress(done, len(to_save))

    return write
