"""Provisions: each pupil's place in the school's interventions and support, from the
spreadsheet a SENCO keeps as a provision map. The file is the whole picture of places (it
replaces the last); the provisions it names join the catalogue with their kind and needs.
A row with an outcome records the place's review (kept, so the next file keeps it too)."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.codes import NeedType, parse_bool, parse_needs
from sencoplan.domain.provision import (
    Provision,
    ProvisionKind,
    ProvisionReview,
    PupilProvision,
    parse_outcome,
    parse_provision_kind,
)
from sencoplan.domain.upn import normalise_upn
from sencoplan.io.columns import Column, RowReader, parse_number, parse_whole_number
from sencoplan.io.dates import parse_date
from sencoplan.io.importers.base import ImportContext, Writer, no_such_staff, staff_named
from sencoplan.store.bulk import Progress, write_in_batches
from sencoplan.store.provision import (
    clear_places,
    count_places,
    keep_provisions,
    keep_reviews,
)
from sencoplan.store.pupils import pupils_by_upn

columns = [
    Column("upn", ("UPN", "Pupil UPN"), required=True),
    Column("provision", ("Provision", "Intervention", "Support"), required=True),
    Column("need", ("Need", "Needs", "Need Type")),
    Column("kind", ("Kind", "Type", "Provision Type")),
    Column("delivered_by", ("Delivered By", "Staff", "Deliverer", "Provider")),
    Column("group_size", ("Group Size", "Group")),
    Column("sessions_per_week", ("Sessions Per Week", "Sessions", "Frequency")),
    Column("minutes", ("Minutes", "Session Minutes", "Length")),
    Column("weeks", ("Weeks", "Duration Weeks")),
    Column("cost_per_hour", ("Cost Per Hour", "Hourly Cost", "Rate")),
    Column("start", ("Start", "Start Date")),
    Column("end", ("End", "End Date")),
    Column("target", ("Target", "Targets", "Outcome Sought")),
    Column("review_date", ("Review Date", "Review", "Review Due")),
    Column("reviewed_on", ("Reviewed On", "Date Reviewed", "Last Reviewed")),
    Column("outcome", ("Outcome", "Target Met", "Progress")),
    Column("entry_measure", ("Entry Measure", "Entry", "Baseline")),
    Column("exit_measure", ("Exit Measure", "Exit")),
    Column("continues", ("Continues", "Continue")),
]
school_scoped = True

_NUMBERS = {
    "group_size": parse_whole_number,
    "sessions_per_week": parse_number,
    "minutes": parse_whole_number,
    "weeks": parse_whole_number,
    "cost_per_hour": parse_number,
}
_DATES = ("start", "end", "review_date")


class _Catalogue:
    """The provisions the file names: one kind each, and the needs of all its rows."""

    def __init__(self) -> None:
        self.kinds: dict[str, tuple[str, ProvisionKind, int]] = {}
        self.needs: dict[str, list[NeedType]] = {}

    def note(
        self, reader: RowReader, name: str, kind: ProvisionKind, needs: tuple[NeedType, ...]
    ) -> None:
        key = name.casefold()
        earlier = self.kinds.get(key)
        if earlier is not None and earlier[1] is not kind:
            reader.error(
                "kind",
                f"{name} is {earlier[1].label} on line {earlier[2]}: one kind for a provision",
            )
        self.kinds.setdefault(key, (name, kind, reader.line))
        found = self.needs.setdefault(key, [])
        found.extend(need for need in needs if need not in found)

    def provisions(self, school_id: int) -> list[Provision]:
        return [
            Provision(school_id=school_id, name=name, kind=kind, needs=tuple(self.needs[key]))
            for key, (name, kind, _) in self.kinds.items()
        ]


def _kind(reader: RowReader, values: dict[str, Any]) -> ProvisionKind:
    """The kind given, else one-to-one for a group of one, else a small group."""
    given = reader.read("kind", parse_provision_kind)
    if given is not None:
        return given
    return (
        ProvisionKind.ONE_TO_ONE if values.get("group_size", 1) == 1 else ProvisionKind.SMALL_GROUP
    )


def _deliverer(ctx: ImportContext, reader: RowReader, kind: ProvisionKind) -> dict[str, Any]:
    """Who delivers it: one of the staff by name, else (an external specialist) a provider."""
    name = reader.text("delivered_by")
    if not name:
        return {}
    staff_id = staff_named(ctx, name)
    if staff_id is not None:
        return {"staff_id": staff_id}
    if kind is ProvisionKind.EXTERNAL:
        return {"provider": name}
    reader.error(
        "delivered_by",
        f"{no_such_staff(ctx, name)}; an external provider? Give the kind External",
    )
    return {}


def _read_place(ctx: ImportContext, reader: RowReader) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, parse in _NUMBERS.items():
        number = reader.read(field, parse)
        if number is not None:
            values[field] = number
    for field in _DATES:
        day = reader.read(field, parse_date)
        if day is not None:
            values[field] = day
    if reader.text("target"):
        values["target"] = reader.text("target")
    return values


def _read_review(reader: RowReader, pupil_id: int, place: dict[str, Any]) -> dict[str, Any] | None:
    """The place's review, where the row gives an outcome (with the day of the review). An
    entry measure alone is the place's baseline; 'continues: yes' alone says nothing new."""
    outcome = reader.read("outcome", parse_outcome)
    reviewed_on = reader.read("reviewed_on", parse_date)
    entry = reader.read("entry_measure", parse_number)
    exit_ = reader.read("exit_measure", parse_number)
    continues = reader.read("continues", parse_bool)
    if entry is not None:
        place["entry_measure"] = entry
    if outcome is None:
        for field, given in (
            ("reviewed_on", reviewed_on),
            ("exit_measure", exit_),
            ("continues", None if continues in (None, True) else continues),
        ):
            if given is not None:
                reader.error(
                    field, "is part of a review: give its Outcome (met, partly met or not met)"
                )
        return None
    if reviewed_on is None:
        reader.error("reviewed_on", "an outcome needs the day it was reviewed")
        return None
    values: dict[str, Any] = {
        "school_id": 0,
        "pupil_id": pupil_id,
        "provision_id": 0,
        "reviewed_on": reviewed_on,
        "outcome": outcome,
        "entry_measure": entry,
        "exit_measure": exit_,
    }
    if continues is not None:
        values["continues"] = continues
    review = reader.build(ProvisionReview, values)
    return None if review is None else review.model_dump(mode="json", exclude={"id"})


def prepare(ctx: ImportContext) -> Writer:
    pupils = pupils_by_upn(ctx.db, ctx.school_id)
    catalogue = _Catalogue()
    places: list[tuple[str, dict[str, Any]]] = []
    reviews: list[tuple[str, dict[str, Any]]] = []
    for reader in ctx.rows():
        upn = reader.read("upn", normalise_upn, required=True)
        pupil = pupils.get(upn) if upn else None
        if upn and pupil is None:
            reader.error("upn", f"no pupil with UPN {upn} on this school's roll")
        name = reader.read("provision", str, required=True)
        values = _read_place(ctx, reader)
        kind = _kind(reader, values)
        if kind is ProvisionKind.ONE_TO_ONE and values.get("group_size", 1) != 1:
            reader.error("group_size", "a one-to-one provision has a group of 1")
        needs = reader.read("need", parse_needs) or ()
        values.update(_deliverer(ctx, reader, kind))
        if name:
            catalogue.note(reader, name, kind, needs)
        review = _read_review(reader, pupil.id if pupil and pupil.id else 0, values)
        if not reader.ok or pupil is None or name is None:
            continue
        merged = {**values, "school_id": ctx.school_id, "provision_id": 0, "pupil_id": pupil.id}
        place = reader.build(PupilProvision, merged)
        if place is not None:
            row = place.model_dump(mode="json", exclude={"id", "provision_id"})
            places.append((name.casefold(), row))
            ctx.report.created += 1
        if review is not None:
            reviews.append((name.casefold(), review))
    ctx.reject_if_errors()
    ctx.report.removed = count_places(ctx.db, ctx.school_id)

    def write(progress: Progress) -> None:
        ids = keep_provisions(ctx.db, ctx.school_id, catalogue.provisions(ctx.school_id))
        clear_places(ctx.db, ctx.school_id)
        rows = [{**row, "provision_id": ids[key]} for key, row in places]
        write_in_batches(ctx.db, "pupil_provisions", rows, [], progress)
        keep_reviews(
            ctx.db,
            [{**row, "school_id": ctx.school_id, "provision_id": ids[key]} for key, row in reviews],
        )

    return write
