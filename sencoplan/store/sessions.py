"""CPD sessions and the people in them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.sessions import CpdSession
from sencoplan.store.db import write_transaction
from sencoplan.store.rows import delete_row, fetch, save_row, to_row

_PEOPLE = ("facilitators", "audience", "attended")


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


def _sessions(db: Database, rows: list[dict[str, Any]]) -> list[CpdSession]:
    people = _people(db, [row["id"] for row in rows])
    return [
        CpdSession.model_validate(
            {**row, **{part: tuple(people[row["id"]][part]) for part in _PEOPLE}}
        )
        for row in rows
    ]


def list_sessions(db: Database, term_id: int) -> list[CpdSession]:
    rows = fetch(db, "SELECT * FROM sessions WHERE term_id = ? ORDER BY day, start, id", (term_id,))
    return _sessions(db, rows)


def get_session(db: Database, session_id: int) -> CpdSession | None:
    rows = fetch(db, "SELECT * FROM sessions WHERE id = ?", (session_id,))
    found = _sessions(db, rows)
    return found[0] if found else None


def save_session(db: Database, session: CpdSession) -> CpdSession:
    """The session and its people, together."""
    row = to_row(session, exclude=set(_PEOPLE))
    with write_transaction(db):  # an update reads first: BEGIN IMMEDIATE, not a deferred BEGIN
        session_id = save_row(db, "sessions", row, session.id)
        db.execute("DELETE FROM session_people WHERE session_id = ?", (session_id,))
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
    return session.model_copy(update={"id": session_id})


def delete_session(db: Database, session_id: int) -> None:
    delete_row(db, "sessions", session_id)
