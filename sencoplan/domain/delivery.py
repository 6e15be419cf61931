"""What delivering sessions records: the training of those who attended every part.

A module may run over several sessions (parts) in a term. A member of staff completes it
when every session of the module in the term whose audience they are in (cancelled ones
aside) has been delivered and they attended each; the record is dated the day of the last
part. A person who missed a part has not completed it: no record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sencoplan.domain.sessions import CpdSession, SessionStatus


def completed_by(sessions: Iterable[CpdSession], module_id: int) -> dict[int, CpdSession]:
    """staff id -> the last part they attended, for those who completed the module through
    these sessions (the term's sessions; other modules' are ignored)."""
    parts: dict[int, list[CpdSession]] = defaultdict(list)
    for session in sessions:
        if session.module_id == module_id and session.active:
            for person in dict.fromkeys(session.audience):
                parts[person].append(session)
    done: dict[int, CpdSession] = {}
    for person, theirs in parts.items():
        if all(s.status is SessionStatus.DELIVERED and person in s.attended for s in theirs):
            done[person] = max(theirs, key=lambda s: (s.begins, s.id or 0))
    return done


def refuse_future_delivery(session: CpdSession, today: dt.date) -> None:
    """A session cannot be marked delivered before its day."""
    if session.status is SessionStatus.DELIVERED and session.day > today:
        which = f"session {session.id}" if session.id else "the session"
        raise ValueError(
            f"{which} is on {session.day:%d/%m/%Y}, in the future: it can be marked delivered "
            "on or after its day"
        )
