"""Succession candidates: who could step into which role, and how soon."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.models import Candidate, SuccessionRole
from sencoplan.domain.succession_codes import parse_readiness
from sencoplan.io.columns import Column
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.io.importers.roles import RoleFinder
from sencoplan.store.bulk import Progress
from sencoplan.store.succession import list_candidates, save_candidate

columns = [
    Column("role", ("Role", "Role Title", "For Role"), required=True),
    Column("staff", ("Staff", "Name", "Staff Name", "Candidate"), required=True),
    Column("readiness", ("Readiness", "Ready", "Ready In", "When Ready"), required=True),
    Column("notes", ("Notes", "Comments", "Comment")),
]
school_scoped = True

_FIELDS = {"readiness": "readiness", "notes": "notes"}


def prepare(ctx: ImportContext) -> Writer:
    roles = RoleFinder.load(ctx)
    existing = {(c.role_id, c.staff_id): c for c in list_candidates(ctx.db, ctx.school_id)}
    seen: dict[tuple[object, int], int] = {}
    to_save: list[tuple[SuccessionRole, Candidate]] = []
    for reader in ctx.rows():
        role = roles.find(reader, "role", required=True)
        staff_id = staff_lookup(ctx, reader)
        readiness = reader.read("readiness", parse_readiness, required=True)
        values: dict[str, Any] = {"readiness": readiness}
        if reader.has("notes"):
            values["notes"] = reader.text("notes").strip() or None
        if not reader.ok or role is None or staff_id is None:
            continue
        role_key: object = role.id if role.id is not None else role.kind
        reader.once("staff", (role_key, staff_id), seen, f"{role.title} candidate")
        if role.holder_id == staff_id:
            reader.error("staff", f"{reader.text('staff').strip()} already holds {role.title}")
        if not reader.ok:
            continue
        before = existing.get((role.id, staff_id)) if role.id is not None else None
        merged: dict[str, Any] = before.model_dump() if before else {}
        # An implied role has no id until the import is written: 0 stands in for it.
        merged.update(values, role_id=role.id or 0, staff_id=staff_id)
        candidate = reader.build(Candidate, merged, _FIELDS)
        if candidate is None:
            continue
        if not ctx.report.tally(before, candidate):
            continue
        to_save.append((role, candidate))
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        roles.save_new(ctx)
        for done, (role, candidate) in enumerate(to_save, start=1):
            save_candidate(ctx.db, candidate.model_copy(update={"role_id": roles.role_id(role)}))
            progress(done, len(to_save))

    return write
