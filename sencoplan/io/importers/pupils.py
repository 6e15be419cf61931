"""The SEN register from an MIS export: any heading order, any case, the usual names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sencoplan.domain.codes import Tier, parse_need, parse_tier
from sencoplan.domain.models import Pupil
from sencoplan.domain.rules import pupil_problems
from sencoplan.domain.staff_codes import Phase
from sencoplan.domain.upn import normalise_upn
from sencoplan.domain.years import parse_year_group
from sencoplan.io.columns import Column, RowReader
from sencoplan.io.dates import parse_date, past_date
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.importers.base import ImportContext, Writer
from sencoplan.store.bulk import Progress, write_in_batches
from sencoplan.store.pupils import pupils_by_upn
from sencoplan.store.rows import to_row
from sencoplan.store.schools import save_school

columns = [
    Column("upn", ("UPN", "Unique Pupil Number"), required=True),
    Column(
        "surname",
        ("Surname", "Legal Surname", "Last Name", "Family Name", "Preferred Surname"),
    ),
    Column(
        "forename",
        ("Forename", "Legal Forename", "First Name", "Preferred Forename", "Given Name"),
    ),
    Column("dob", ("DOB", "Date of Birth", "Birth Date")),
    Column(
        "year",
        ("Year Group", "Year", "NC Year", "NC Year Actual", "National Curriculum Year"),
        required=True,
    ),
    Column("status", ("SEN Status", "SEN Provision", "SEN Stage", "Provision", "Tier")),
    Column(
        "primary",
        (
            "Primary Need",
            "SEN Primary Need",
            "SEN Need Type 1",
            "Need Type",
            "Primary SEN Type",
            "Primary SEN Need",
            "Need Type 1",
        ),
    ),
    Column(
        "secondary",
        (
            "Secondary Need",
            "SEN Secondary Need",
            "SEN Need Type 2",
            "Secondary SEN Type",
            "Secondary SEN Need",
            "Need Type 2",
        ),
    ),
    Column("admitted", ("Admission Date", "Start Date", "Date of Admission", "Entry Date")),
    Column("left", ("Leaving Date", "Date of Leaving", "End Date")),
    Column(
        "reg",
        (
            "Reg",
            "Reg Group",
            "Registration Group",
            "Registration Form",
            "Form",
            "Tutor Group",
            "Class",
        ),
    ),
    Column("plan_review", ("ISP Review Due", "Plan Review Due", "SEN Review Date")),
    Column(
        "ehcp_review",
        ("EHCP Review Due", "EHCP Annual Review", "Annual Review Date", "EHCP Review Date"),
    ),
]
school_scoped = True

_FIELD_COLUMNS = {
    "upn": "upn",
    "date_of_birth": "dob",
    "year_group": "year",
    "tier": "status",
    "primary_need": "primary",
    "secondary_need": "secondary",
    "on_roll_from": "admitted",
    "on_roll_to": "left",
    "reg_group": "reg",
    "plan_review_due": "plan_review",
    "ehcp_review_due": "ehcp_review",
}


def _guess_phase(year_groups: set[str]) -> Phase:
    secondary = {str(year) for year in range(7, 15)}
    primary = year_groups - secondary
    if year_groups and year_groups <= secondary:
        return Phase.SECONDARY
    if year_groups & secondary and primary:
        return Phase.ALL_THROUGH
    return Phase.PRIMARY


def prepare(ctx: ImportContext) -> Writer:
    existing = pupils_by_upn(ctx.db, ctx.school_id)
    seen: dict[str, int] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    year_groups: set[str] = set()

    for reader in ctx.rows():
        upn = reader.read("upn", normalise_upn, required=True)
        if upn is not None:
            reader.once("upn", upn, seen, f"UPN {upn}")
        values, needs_readable = _read_values(ctx, reader)
        if "year_group" in values:
            year_groups.add(values["year_group"])
        before = existing.get(upn) if upn else None
        merged: dict[str, Any] = before.model_dump() if before else {"school_id": ctx.school_id}
        merged.update(values, upn=upn)
        left_before = before is not None and not before.on_roll(ctx.today)
        if left_before and not reader.has("left"):
            merged["on_roll_to"] = None  # on today's roll again, so no longer left
        if needs_readable:
            _check_consistency(reader, merged)
        if not reader.ok or upn is None:
            continue
        pupil = reader.build(Pupil, merged, _FIELD_COLUMNS)
        if pupil is not None:
            _tally(ctx, to_row(pupil), before, inserts, updates)

    ctx.reject_if_errors()
    if ctx.full_roll:
        _mark_missing_as_left(ctx, existing, seen, updates)

    def write(progress: Progress) -> None:
        if ctx.report.school_created and ctx.school is not None:
            save_school(ctx.db, ctx.school.model_copy(update={"phase": _guess_phase(year_groups)}))
        write_in_batches(ctx.db, "pupils", inserts, updates, progress)

    return write


def _read_values(ctx: ImportContext, reader: RowReader) -> tuple[dict[str, Any], bool]:
    """The row's values by the model's field names (only the columns the file has), and
    whether its SEN status and needs could be read (so their consistency can be judged)."""
    values: dict[str, Any] = {}
    year = reader.read("year", parse_year_group, required=True)
    if year is not None:
        values["year_group"] = year
    if reader.has("surname") or reader.has("forename"):
        name = " ".join(part for part in (reader.text("forename"), reader.text("surname")))
        values["display_name"] = " ".join(name.split()) or None
    if reader.has("dob"):
        values["date_of_birth"] = reader.read("dob", past_date(ctx.today, "date of birth"))
    errors_before_needs = len(ctx.errors)
    if reader.has("status"):
        values["tier"] = reader.read("status", parse_tier) or Tier.UNIVERSAL
    for field, column in (("primary_need", "primary"), ("secondary_need", "secondary")):
        if reader.has(column):
            values[field] = reader.read(column, parse_need)
    needs_readable = len(ctx.errors) == errors_before_needs
    for field, column in (
        ("on_roll_from", "admitted"),
        ("on_roll_to", "left"),
        ("plan_review_due", "plan_review"),
        ("ehcp_review_due", "ehcp_review"),
    ):
        if reader.has(column):
            values[field] = reader.read(column, parse_date)
    if "reg" in ctx.headings.found:
        values["reg_group"] = reader.text("reg") or None
    return values, needs_readable


def _tally(
    ctx: ImportContext,
    row: dict[str, Any],
    before: Pupil | None,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
) -> None:
    """A new pupil, a changed one, or one the file leaves as it was."""
    if ctx.report.tally(to_row(before) if before else None, row):
        (inserts if before is None else updates).append(row)


MANY_LEAVERS = 10
"""A full roll may mark up to this many pupils as left, or up to half the roll, unasked."""


def _mark_missing_as_left(
    ctx: ImportContext,
    existing: dict[str, Pupil],
    seen: dict[str, int],
    updates: list[dict[str, Any]],
) -> None:
    """A full roll: pupils on today's roll but not in the file have left (as of yesterday).

    A file that would empty most of the roll is far more likely a part of the roll (one
    class, the SEN pupils only) than a mass exodus: it is refused unless the caller says
    the pupils really have left.
    """
    yesterday = ctx.today - dt.timedelta(days=1)
    # A pupil who has not started yet is not on a roll exported before they joined:
    # marking them as left would also put their leaving date before their admission.
    on_roll = {
        upn: pupil
        for upn, pupil in existing.items()
        if pupil.on_roll(ctx.today)
        and not (pupil.on_roll_from is not None and pupil.on_roll_from > yesterday)
    }
    missing = [pupil for upn, pupil in on_roll.items() if upn not in seen]
    many = len(missing) > MANY_LEAVERS and 2 * len(missing) > len(on_roll)
    if many and not ctx.allow_many_leavers:
        listed = f"{len(seen)} pupil{'' if len(seen) == 1 else 's'}"
        reason = (
            f"this file lists {listed}, but {len(missing)} of the {len(on_roll)} on roll "
            "are missing from it and would be marked as left: if it is only part of the "
            "roll, import it as a partial roll (--partial); if they really have left, "
            "use --allow-many-leavers"
        )
        raise ImportRejected(ctx.table.source, [RowError(0, "", reason)])
    for pupil in missing:
        updates.append(to_row(pupil.model_copy(update={"on_roll_to": yesterday})))
        ctx.report.marked_left += 1


def _check_consistency(reader: RowReader, merged: dict[str, Any]) -> None:
    """The census rules, each reported against the column that breaks it."""
    problems = pupil_problems(
        Tier(merged.get("tier") or Tier.UNIVERSAL),
        merged.get("primary_need"),
        merged.get("secondary_need"),
        merged.get("on_roll_from"),
        merged.get("on_roll_to"),
        entered=True,
    )
    for field, reason in problems:
        reader.error(_FIELD_COLUMNS[field], reason)
