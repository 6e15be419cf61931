"""The training catalogue, shared by every school in the file."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sencoplan.domain.models import Module
from sencoplan.store.db import write_transaction
from sencoplan.store.rows import delete_row, fetch, from_row, save_row, to_row


def _module(row: dict[str, Any], needs: list[str]) -> Module:
    row = dict(row)
    row["needs"] = tuple(needs)
    row["audience"] = tuple(role for role in row["audience"].split(";") if role)
    row["mandatory_specialist"] = bool(row["mandatory_specialist"])
    row["trains_leaders"] = bool(row.get("trains_leaders", 0))
    return from_row(Module, row)


def list_modules(db: Database) -> list[Module]:
    needs: dict[int, list[str]] = {}
    for module_id, need in db.execute(
        "SELECT module_id, need FROM module_needs ORDER BY rowid"
    ).fetchall():
        needs.setdefault(module_id, []).append(need)
    rows = fetch(db, "SELECT * FROM modules ORDER BY code")
    return [_module(row, needs.get(row["id"], [])) for row in rows]


def get_module(db: Database, module_id: int) -> Module | None:
    rows = fetch(db, "SELECT * FROM modules WHERE id = ?", (module_id,))
    if not rows:
        return None
    needs = [
        row[0]
        for row in db.execute(
            "SELECT need FROM module_needs WHERE module_id = ? ORDER BY rowid", (module_id,)
        ).fetchall()
    ]
    return _module(rows[0], needs)


def modules_by_code(db: Database) -> dict[str, Module]:
    """Keyed by upper-cased code: how import files refer to modules."""
    return {module.code.upper(): module for module in list_modules(db)}


def save_module(db: Database, module: Module) -> Module:
    """Save the module and its need types together."""
    row = to_row(module, exclude={"needs"})
    row["audience"] = ";".join(row["audience"])
    row["mandatory_specialist"] = int(row["mandatory_specialist"])
    row["trains_leaders"] = int(row["trains_leaders"])
    with write_transaction(db):  # an update reads first: BEGIN IMMEDIATE, not a deferred BEGIN
        module_id = save_row(db, "modules", row, module.id)
        db.execute("DELETE FROM module_needs WHERE module_id = ?", (module_id,))
        db.table("module_needs").insert_all(
            {"module_id": module_id, "need": need.value} for need in module.needs
        )
    return module.model_copy(update={"id": module_id})


def delete_module(db: Database, module_id: int) -> None:
    delete_row(db, "modules", module_id)
