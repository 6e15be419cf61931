"""CPD sessions and the people in them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from sencoplan.domain.delivery import completed_by, refuse_future_delivery
from sencoplan.domain.messages import plain_message
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.store.db import StoreError, write_transaction
from sencoplan.store.rows import delete_row, fetch, save_row, to_row

_PEOPLE = ("facilitators", "audience", "attended")
_KEPT_APART = {*_PEOPLE, "shared_with"}


def _people(db: Database, session_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    if not session_ids:
        return found
    marks = ",".join("?" * len(session_ids))
    for session_id, staff_id, part, attended in db.execute(
        f"SELECT session_id, staff_id, part, attended FROM session_people "
        f"WHERE session_id IN ({marks}) ORDER BY session_id, staff_id",
        session_ids,
    ).fetchall():
        if part == "facilitator":
            found[session_id]["facilitators"].append(staff_id)
        else:
            found[session_id]["audience"].append(staff_id)
            if attended:
                found[session_id]["attended"].append(staff_id)
    return found


def _shared(db: Database, session_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    marks = ",".join("?" * len(session_ids))
    for session_id, school_id in db.execute(
        f"SELECT session_id, school_id FROM session_schools WHERE session_id IN ({marks}) "
        "ORDER BY school_id",
        session_ids,
    ).fetchall():
        found[session_id].append(school_id)
    return found


def _sessions(db: Database, rows: list[dict[str, Any]]) -> list[CpdSession]:
    ids = [row["id"] for row in rows]
    people = _people(db, ids)
    shared = _shared(db, ids) if ids else {}
    return [
        CpdSession.model_validate(
            {
                **row,
                **{part: tuple(people[row["id"]][part]) for part in _PEOPLE},
                "shared_with": tuple(shared.get(row["id"], ())),
            }
        )
        for row in rows
    ]


def list_sessions(db: Database, term_id: int) -> list[CpdSession]:
    """The term's sessions, and those other schools in the trust share with its school
    on days within it."""
    rows = fetch(
        db,
        "SELECT s.* FROM sessions s WHERE s.term_id = :term UNION "
        "SELECT s.* FROM sessions s JOIN session_schools x ON x.session_id = s.id "
        "JOIN terms t ON t.id = :term WHERE x.school_id = t.school_id AND s.day BETWEEN "
        't.start AND t."end" ORDER BY day, start, id',
        {"term": term_id},
    )
    return _sessions(db, rows)


def get_session(db: Database, session_id: int) -> CpdSession | None:
    rows = fetch(db, "SELECT * FROM sessions WHERE id = ?", (session_id,))
    found = _sessions(db, rows)
    return found[0] if found else None


class DeliveryError(StoreError):
    """A session cannot be marked delivered (it is in the future); nothing was saved."""


def save_session(db: Database, session: CpdSession, *, today: dt.date | None = None) -> CpdSession:
    """The session and its people, together; the training its delivery records kept in
    step (`record_delivered_training`). A session in the future cannot be delivered."""
    try:
        refuse_future_delivery(session, today or dt.date.today())
    except ValueError as refused:
        raise DeliveryError(str(refused)) from None
    row = to_row(session, exclude=_KEPT_APART)
    with write_transaction(db):  # an update reads first: BEGIN IMMEDIATE, not a deferred BEGIN
        before = db.execute(
            "SELECT term_id, module_id FROM sessions WHERE id = ?", (session.id or 0,)
        ).fetchone()
        session_id = save_row(db, "sessions", row, session.id)
        db.execute("DELETE FROM session_people WHERE session_id = ?", (session_id,))
        db.execute("DELETE FROM session_schools WHERE session_id = ?", (session_id,))
        db.conn.executemany(
            "INSERT INTO session_schools (session_id, school_id) VALUES (?, ?)",
            [(session_id, school) for school in dict.fromkeys(session.shared_with)],
        )
        attended = set(session.attended)
        db.table("session_people").insert_all(
            [
                {"session_id": session_id, "staff_id": s, "part": "facilitator", "attended": 0}
                for s in dict.fromkeys(session.facilitators)
            ]
            + [
                {
                    "session_id": session_id,
                    "staff_id": s,
                    "part": "audience",
                    "attended": int(s in attended),
                }
                for s in dict.fromkeys(session.audience)
            ]
        )
        # The module's records in its term, and in the term and module it had before (a
        # session moved to another term, or given another module).
        for term_id, module_id in {
            (session.term_id, session.module_id),
            *([before] if before else []),
        }:
            if module_id is not None:
                record_delivered_training(db, term_id, module_id)
    return session.model_copy(update={"id": session_id})


def record_delivered_training(db: Database, term_id: int, module_id: int) -> None:
    """Make the training records that the term's delivered sessions of a module give
    (domain/delivery), replacing those they gave before and no others: a record typed by
    hand for the same person and day stays as it was."""
    sessions = [s for s in list_sessions(db, term_id) if s.module_id == module_id]
    ids = [s.id for s in sessions if s.id is not None]
    if ids:
        marks = ",".join("?" * len(ids))
        db.execute(f"DELETE FROM training_records WHERE session_id IN ({marks})", ids)
    db.conn.executemany(
        "INSERT OR IGNORE INTO training_records (staff_id, module_id, completed, session_id) "
        "VALUES (?, ?, ?, ?)",
        [
            (person, module_id, last.day.isoformat(), last.id)
            for person, last in completed_by(sessions, module_id).items()
        ],
    )


def delete_session(db: Database, session_id: int) -> None:
    """The session, the training records its delivery made, and the module's records
    worked out again without it."""
    with write_transaction(db):
        found = db.execute(
            "SELECT term_id, module_id FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        db.execute("DELETE FROM training_records WHERE session_id = ?", (session_id,))
        delete_row(db, "sessions", session_id)
        if found and found[1] is not None:
            record_delivered_training(db, found[0], found[1])


@dataclass(frozen=True)
class Delivery:
    """What marking a session delivered (or planned again) did."""

    session: CpdSession
    recorded: int
    """Training records the module's delivered sessions in the term now give."""
    parts_left: int
    """Other sessions of the module in the term not yet delivered (nor cancelled)."""
    removed: int = 0
    """Training records the change took away (marking a session planned again)."""

    def said(self, names: Mapping[int, str]) -> str:
        """What marking a session did, in a sentence (who missed it, by name)."""
        session = self.session
        said = f"session {session.id} ({session.title or 'no title'})"
        if session.status.value != "delivered":
            if not self.removed:
                return f"{said} is planned again: its delivery had recorded no training to remove"
            records = "record" if self.removed == 1 else "records"
            return f"{said} is planned again: {self.removed} training {records} it made removed"
        said += f" delivered: {len(session.attended)} of {len(session.audience)} attended"
        missed = sorted(
            names.get(p, f"#{p}") for p in session.audience if p not in session.attended
        )
        if missed:
            said += f" ({', '.join(missed)} missed it: no record of the module for them)"
        if session.module_id is None:
            return f"{said}; it has no module, so no training is recorded"
        if self.parts_left:
            return (
                f"{said}; the training is recorded when every part of the module is delivered "
                f"({self.parts_left} still to come)"
            )
        return f"{said}; training recorded for {self.recorded} (every part attended)"


def set_delivered(
    db: Database,
    session_id: int,
    *,
    delivered: bool = True,
    attended: tuple[int, ...] | None = None,
    today: dt.date | None = None,
) -> Delivery:
    """Mark a session delivered, with who attended (default: as marked, else everyone in
    its audience), or planned again; the training records follow (`save_session`)."""
    with write_transaction(db):
        session = get_session(db, session_id)
        if session is None:
            raise SessionNotFound(f"no session {session_id}")
        update: dict[str, Any] = {
            "status": SessionStatus.DELIVERED if delivered else SessionStatus.PLANNED
        }
        if delivered:
            update["attended"] = (
                attended if attended is not None else (session.attended or session.audience)
            )
        try:
            changed = CpdSession.model_validate({**session.model_dump(), **update})
        except ValidationError as invalid:
            raise DeliveryError(
                "; ".join(plain_message(detail) for detail in invalid.errors())
            ) from None
        module_sessions = [
            s for s in list_sessions(db, session.term_id) if s.module_id == session.module_id
        ]
        had = _made_by(db, module_sessions) if session.module_id is not None else 0
        saved = save_session(db, changed, today=today)
        recorded = _made_by(db, module_sessions) if session.module_id is not None else 0
        left = sum(
            1
            for s in module_sessions
            if s.id != session_id and s.active and s.status is not SessionStatus.DELIVERED
        )
    return Delivery(
        saved, recorded, left if session.module_id is not None else 0, max(0, had - recorded)
    )


def _made_by(db: Database, sessions: list[CpdSession]) -> int:
    """How many training records these sessions' delivery has made."""
    ids = [s.id for s in sessions if s.id is not None]
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    return int(
        db.execute(
            f"SELECT COUNT(*) FROM training_records WHERE session_id IN ({marks})", ids
        ).fetchone()[0]
    )


class SessionNotFound(StoreError):
    """No session has that number."""
