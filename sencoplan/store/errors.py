"""Database errors in words a person can act on."""

from __future__ import annotations

from pathlib import Path

from sencoplan.store import engine

_UNIQUE_FIELDS = {
    "pupils.school_id, pupils.upn": "upn",
    "staff.school_id, staff.name": "name",
    "modules.code": "code",
    "schools.name": "name",
    "succession_roles.school_id, succession_roles.title": "title",
    "training_records.staff_id, training_records.module_id, training_records.completed": (
        "completed"
    ),
}

_UNIQUE_MEANINGS = {
    "pupils.school_id, pupils.upn": "a pupil with that UPN is already in this school",
    "staff.school_id, staff.name": "a member of staff with that name is already in this school",
    "modules.code": "a module with that code is already in the catalogue",
    "schools.name": "a school with that name is already in this file",
    "succession_roles.school_id, succession_roles.title": "this school has a role with that title",
    "training_records.staff_id, training_records.module_id, training_records.completed": (
        "that training is already recorded on that date"
    ),
}


def friendly_error(error: BaseException) -> str:
    """What went wrong, without a traceback."""
    if isinstance(error, engine.IntegrityError):
        text = str(error)
        for columns, meaning in _UNIQUE_MEANINGS.items():
            if columns in text:
                return meaning
        if "FOREIGN KEY" in text:
            return "that record is still used elsewhere (for example, training records)"
        return f"the change breaks a rule of the database: {text}"
    if isinstance(error, engine.OperationalError) and "locked" in str(error):
        return "the database is busy in another window: try again in a moment"
    return str(error) or error.__class__.__name__


def error_field(error: BaseException) -> str | None:
    """The form field a uniqueness failure belongs to, so the form can say it there."""
    if isinstance(error, engine.IntegrityError):
        for columns, field in _UNIQUE_FIELDS.items():
            if columns in str(error):
                return field
    return None


def opening_failure(path: Path, error: BaseException) -> str:
    """Why a file could not be opened, as the command line says it: a damaged one with how
    to restore a backup; a full disk or a read-only file as itself (nothing was changed)."""
    from sencoplan.store.backup import restore_hint
    from sencoplan.store.db import StoreError

    if isinstance(error, StoreError):
        return str(error)
    if getattr(error, "sqlite_errorname", "") in {"SQLITE_CORRUPT", "SQLITE_NOTADB"}:
        return f"{path} cannot be read: {error}\n{restore_hint(path)}"
    return f"{path}: nothing was changed: {friendly_error(error)}"
