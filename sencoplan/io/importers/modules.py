"""The training catalogue: the app's own format, shared by every school in the file."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.codes import parse_bool, parse_needs
from sencoplan.domain.models import Module
from sencoplan.domain.staff_codes import parse_level, parse_provider, parse_role
from sencoplan.io.columns import Column, parse_number, parse_whole_number
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import Progress
from sencoplan.store.catalogue import modules_by_code, save_module

columns = [
    Column("code", ("Code", "Module Code"), required=True),
    Column("title", ("Title", "Module", "Name"), required=True),
    Column("needs", ("Needs", "Need Types", "Covers"), required=True),
    Column("level", ("Level",)),
    Column("hours", ("Hours", "Length Hours")),
    Column("audience", ("Audience", "Audience Roles", "For")),
    Column("refresh_months", ("Refresh Months", "Refresh", "Valid For Months")),
    Column("provider", ("Provider",)),
    Column("organisation", ("Organisation", "Organization", "Provider Name")),
    Column("cost", ("Cost", "Cost Per Person")),
    Column("mandatory_specialist", ("Mandatory In Specialist", "Mandatory Specialist")),
    Column("trains_leaders", ("Trains CPD Leaders", "Leading CPD", "Trains Leaders")),
]
school_scoped = False


def _roles(text: str) -> tuple[Any, ...]:
    parts = [part for part in text.replace(",", ";").split(";") if part.strip()]
    if any(part.strip().lower() in {"all", "all staff", "everyone"} for part in parts):
        return ()
    return tuple(dict.fromkeys(parse_role(part) for part in parts))


def prepare(ctx: ImportContext) -> Writer:
    existing = modules_by_code(ctx.db)
    seen: dict[str, int] = {}
    to_save: list[Module] = []
    for reader in ctx.rows():
        code = reader.read("code", str, required=True)
        if code is not None:
            reader.once("code", code.upper(), seen, f"module {code}")
        values: dict[str, Any] = {
            "title": reader.read("title", str, required=True),
            "needs": reader.read("needs", parse_needs, required=True),
        }
        readers = {
            "level": parse_level,
            "hours": parse_number,
            "audience": _roles,
            "refresh_months": parse_whole_number,
            "provider": parse_provider,
            "cost": parse_number,
            "mandatory_specialist": parse_bool,
            "trains_leaders": parse_bool,
        }
        for field, parse in readers.items():
            if reader.has(field):
                value = reader.read(field, parse)
                if value is not None or field == "refresh_months":
                    values[field] = value
        if reader.has("organisation"):
            values["organisation"] = reader.text("organisation") or None
        if not reader.ok or code is None:
            continue
        before = existing.get(code.upper())
        merged = before.model_dump() if before else {}
        merged.update(values, code=code)
        module = reader.build(Module, merged, {name: name for name in readers})
        if module is None:
            continue
        if not ctx.report.tally(before, module):
            continue
        to_save.append(module)
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        for done, module in enumerate(to_save, start=1):
            save_module(ctx.db, module)
            progress(done, len(to_save))

    return write
