"""A staff confidence survey: each person's rating, 1 to 5, for need types or broad areas."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.codes import parse_needs
from sencoplan.io.columns import Column, parse_whole_number
from sencoplan.io.dates import past_date
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.store.bulk import write_in_batches
from sencoplan.store.training import confidence_keys

columns = [
    Column("staff", ("Staff", "Name", "Staff Name"), required=True),
    Column("need", ("Need", "Need Type", "Area"), required=True),
    Column("rating", ("Rating", "Confidence", "Score"), required=True),
    Column("date", ("Date", "Rated On", "Survey Date"), required=True),
]
school_scoped = True


def _rating(text: str) -> int:
    value = parse_whole_number(text)
    if not 1 <= value <= 5:
        raise ValueError(f"rating {text!r} is not between 1 and 5")
    return value


def prepare(ctx: ImportContext) -> Writer:
    existing = confidence_keys(ctx.db, ctx.school_id)
    seen: dict[tuple[int, str, str], int] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for reader in ctx.rows():
        staff_id = staff_lookup(ctx, reader)
        needs = reader.read("need", parse_needs, required=True)
        rating = reader.read("rating", _rating, required=True)
        rated_on = reader.read("date", past_date(ctx.today), required=True)
        if not reader.ok or staff_id is None or not needs or rating is None or rated_on is None:
            continue
        for need in needs:
            key = (staff_id, need.value, rated_on.isoformat())
            reader.once("need", key, seen, f"a {need.value} rating on that day")
            if not reader.ok:
                continue
            row = {"staff_id": staff_id, "need": need.value, "rating": rating, "rated_on": key[2]}
            if key not in existing:
                inserts.append(row)
                ctx.report.created += 1
            elif existing[key][1] != rating:
                updates.append({"id": existing[key][0], **row})
                ctx.report.updated += 1
            else:
                ctx.report.unchanged += 1
    ctx.reject_if_errors()
    return lambda progress: write_in_batches(ctx.db, "confidence", inserts, updates, progress)
