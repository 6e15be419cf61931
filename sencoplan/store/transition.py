"""Reading a school's joiners, and carrying the sending school's SEN record over."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from sencoplan.domain.codes import Tier
from sencoplan.domain.models import Pupil
from sencoplan.domain.transition import Joiner, Transition
from sencoplan.store.db import write_transaction
from sencoplan.store.rows import fetch, from_row

_CARRIED = ("tier", "primary_need", "secondary_need", "plan_review_due", "ehcp_review_due")


def load_transition(
    db: Database, school_id: int, today: dt.date, from_school: int | None = None
) -> Transition:
    """The pupils joining a school after today; with `from_school`, only those on that
    school's roll."""
    (name,) = db.execute("SELECT name FROM schools WHERE id = ?", (school_id,)).fetchone()
    joining = fetch(
        db,
        "SELECT * FROM pupils WHERE school_id = ? AND on_roll_from > ? ORDER BY on_roll_from, id",
        (school_id, today.isoformat()),
    )
    senders = _senders(db, school_id, [row["upn"] for row in joining if row["upn"]])
    joiners = []
    for row in joining:
        sender = senders.get(row["upn"])
        if from_school is not None and (sender is None or sender[0].school_id != from_school):
            continue
        pupil = from_row(Pupil, row)
        joiners.append(Joiner(pupil, *sender) if sender else Joiner(pupil))
    return Transition(str(name), joiners)


def _senders(db: Database, school_id: int, upns: list[str]) -> dict[str, tuple[Pupil, str]]:
    """The record of each UPN on another school's roll in the file, with that school."""
    if not upns:
        return {}
    marks = ",".join("?" * len(upns))
    rows = fetch(
        db,
        f"SELECT p.*, s.name AS school_name FROM pupils p JOIN schools s ON s.id = p.school_id "
        f"WHERE p.upn IN ({marks}) AND p.school_id != ? ORDER BY p.on_roll_from",
        (*upns, school_id),
    )
    found: dict[str, tuple[Pupil, str]] = {}
    for row in rows:
        school = str(row.pop("school_name"))
        found[row["upn"]] = (from_row(Pupil, row), school)
    return found


def carry_over(db: Database, transition: Transition) -> int:
    """Copy each sending school's SEN record (tier, needs, review dates) onto the joiner's
    record at the receiving school, where that has none yet. How many were carried."""
    carried = 0
    with write_transaction(db):
        for joiner in transition.joiners:
            sender = joiner.sender
            if sender is None or joiner.pupil.tier is not Tier.UNIVERSAL:
                continue
            if sender.tier is Tier.UNIVERSAL:
                continue
            values = {column: getattr(sender, column) for column in _CARRIED}
            db.execute(
                f"UPDATE pupils SET {', '.join(f'{c} = ?' for c in _CARRIED)} WHERE id = ?",
                (*(_plain(values[c]) for c in _CARRIED), joiner.pupil.id),
            )
            carried += 1
    return carried


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "value", value)
