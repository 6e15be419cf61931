"""Terms: dates, closures and the CPD slot rule, one row per term of one school."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sencoplan.domain.calendar import Closure, Term, check_rule
from sencoplan.io.columns import Column, parse_number, parse_whole_number
from sencoplan.io.dates import parse_date
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

_DAY = r"\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
_CLOSURE = re.compile(
    rf"\s*(?P<start>{_DAY})(?:\s*(?:-|–|to)\s*(?P<end>{_DAY}))?\s*(?P<label>.*?)\s*"
)


def parse_closures(text: str) -> tuple[Closure, ...]:
    """'26/10/2026-30/10/2026 Half term; 01/09/2026 INSET' -> closures in date order."""
    closures = []
    for part in text.split(";"):
        if not part.strip():
            continue
        match = _CLOSURE.fullmatch(part)
        if match is None:
            raise ValueError(
                f"closure {part.strip()!r} is not 'dd/mm/yyyy' or 'dd/mm/yyyy-dd/mm/yyyy' "
                "followed by a name"
            )
        start = parse_date(match["start"])
        end = parse_date(match["end"]) if match["end"] else start
        if end < start:
            raise ValueError(f"closure {part.strip()!r} ends before it starts")
        closures.append(Closure(start=start, end=end, label=match["label"]))
    return tuple(sorted(closures, key=lambda closure: closure.start))


def parse_time(text: str) -> dt.time:
    """'15:45', '3.45pm', '1545' -> a time of day."""
    cleaned = text.strip().lower().replace(".", ":").replace(" ", "")
    match = re.fullmatch(r"(\d{1,2}):?(\d{2})?(am|pm)?", cleaned)
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a time (use 15:45)")
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] == "pm" and hour < 12:
        hour += 12
    if match[3] == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day")
    return dt.time(hour, minute)


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
