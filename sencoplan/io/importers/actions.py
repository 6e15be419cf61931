"""Development actions: what someone will do to get ready for a role or to lead training."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sencoplan.domain.models import DevelopmentAction, Module, SuccessionRole
from sencoplan.domain.succession_codes import parse_action_status
from sencoplan.io.columns import Column, RowReader
from sencoplan.io.dates import parse_date
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.io.importers.roles import RoleFinder
from sencoplan.store.bulk import Progress
from sencoplan.store.catalogue import modules_by_code
from sencoplan.store.succession import list_actions, save_action

columns = [
    Column("staff", ("Staff", "Name", "Staff Name"), required=True),
    Column("action", ("Action", "Development Action", "Development"), required=True),
    Column("by_whom", ("By", "By Whom", "Supported By", "Provided By")),
    Column("due", ("Due", "Due Date", "Deadline")),
    Column("status", ("Status",)),
    Column("module", ("Module", "Module Code")),
    Column("role", ("Role", "Role Title", "For Role")),
]
school_scoped = True

_FIELDS = {name: name for name in ("action", "by_whom", "due", "status")}


def _key(staff_id: int, action: str) -> tuple[int, str]:
    """An action as re-imports match it: the person and the words, case and spacing aside."""
    return staff_id, " ".join(action.split()).casefold()


def _read_values(reader: RowReader, modules: Mapping[str, Module]) -> dict[str, Any]:
    """The row's own fields (who is helping, due, status, module), as the file gives them."""
    values: dict[str, Any] = {}
    if reader.has("by_whom"):
        values["by_whom"] = reader.text("by_whom") or None
    if reader.has("due"):
        values["due"] = reader.read("due", parse_date)
    status = reader.read("status", parse_action_status)
    if status is not None:
        values["status"] = status
    if reader.has("module"):
        code = reader.text("module")
        module = modules.get(code.upper()) if code else None
        if code and module is None:
            reader.error("module", f"no module with code {code!r} in the catalogue")
        values["module_id"] = module.id if module else None
    return values


def prepare(ctx: ImportContext) -> Writer:
    roles = RoleFinder.load(ctx)
    modules = modules_by_code(ctx.db)
    existing = {_key(a.staff_id, a.action): a for a in list_actions(ctx.db, ctx.school_id)}
    seen: dict[tuple[int, str], int] = {}
    to_save: list[tuple[SuccessionRole | None, DevelopmentAction]] = []
    for reader in ctx.rows():
        staff_id = staff_lookup(ctx, reader)
        action = reader.read("action", str, required=True)
        if action is not None:
            action = " ".join(action.split())
        values = _read_values(reader, modules)
        role = roles.find(reader, "role") if reader.has("role") else None
        if not reader.ok or staff_id is None or action is None:
            continue
        key = _key(staff_id, action)
        reader.once("action", key, seen, f"{reader.text('staff')}: {action!r}")
        if not reader.ok:
            continue
        before = existing.get(key)
        merged: dict[str, Any] = before.model_dump() if before else {"school_id": ctx.school_id}
        if reader.has("role"):
            # An implied role has no id until the import is written (see write below).
            values["role_id"] = role.id if role is not None else None
        merged.update(values, staff_id=staff_id, action=action)
        item = reader.build(DevelopmentAction, merged, _FIELDS)
        if item is None:
            continue
        implied = role if role is not None and role.id is None else None
        if not ctx.report.tally(before, item, changed=implied is not None):
            continue
        to_save.append((implied, item))
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        roles.save_new(ctx)
        for done, (implied, item) in enumerate(to_save, start=1):
            if implied is not None:
                item = item.model_copy(update={"role_id": roles.role_id(implied)})
            save_action(ctx.db, item)
            progress(done, len(to_save))

    return write
