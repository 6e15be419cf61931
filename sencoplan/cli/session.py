"""`sencoplan session deliver|planned ID`: mark a session delivered (its training
recorded) or planned again (the records its delivery made removed)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sencoplan.cli.common import (
    EXIT_OK,
    BadDataError,
    UsageError,
    db_option,
    db_path,
    opened,
    session_number,
)

if TYPE_CHECKING:
    from sencoplan.domain.sessions import CpdSession
    from sencoplan.store.sessions import Delivery


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "deliver: mark session ID delivered, with who attended; each person who attended "
        "every part of its module gets a training record dated the last part's day. planned: "
        "mark it planned again, removing the records its delivery made."
    )
    parser.add_argument("action", choices=("deliver", "planned"), help="what to do")
    parser.add_argument(
        "id", type=session_number, metavar="ID", help="the session's number (# column)"
    )
    parser.add_argument(
        "--attended",
        metavar="all|NAME;NAME...",
        help="who attended: all the audience, or names separated by ; (default: as marked "
        "in the app, else all the audience)",
    )
    db_option(parser)


def attended_ids(
    session: CpdSession, text: str | None, names: dict[int, str]
) -> tuple[int, ...] | None:
    """--attended as staff ids: all the audience, or the names given (None: as marked)."""
    from sencoplan.domain.names import ids_from_names

    if not text:
        return None
    if text.strip().casefold() == "all":
        return session.audience
    # Only those the session is for: a leaver, or a namesake elsewhere in the school, is
    # never the one meant.
    audience = {i: names.get(i, f"#{i}") for i in session.audience}
    try:
        return ids_from_names(audience, text, whom=f"one in session {session.id}'s audience")
    except ValueError as unknown:
        raise UsageError(f"--attended: {unknown}") from None


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from sencoplan.cli.export import NO_SUCH_SESSION
    from sencoplan.store.sessions import get_session, set_delivered
    from sencoplan.store.staff import list_staff

    delivering = args.action == "deliver"
    with opened(args) as db:
        found = get_session(db, args.id)
        if found is None:
            raise BadDataError(NO_SUCH_SESSION.format(id=args.id, path=db_path(args)))
        names = {m.id: m.name for m in list_staff(db, found.school_id) if m.id is not None}
        attended = attended_ids(found, args.attended, names) if delivering else None
        done = set_delivered(
            db, args.id, delivered=delivering, attended=attended, today=dt.date.today()
        )
    print(delivery_words(done, names))
    return EXIT_OK


def delivery_words(done: Delivery, names: dict[int, str]) -> str:
    """What marking a session did, in a sentence (who missed it, by name)."""
    session = done.session
    said = f"session {session.id} ({session.title or 'no title'})"
    if session.status.value != "delivered":
        if not done.removed:
            return f"{said} is planned again: its delivery had recorded no training to remove"
        records = "record" if done.removed == 1 else "records"
        return f"{said} is planned again: {done.removed} training {records} it made removed"
    said += f" delivered: {len(session.attended)} of {len(session.audience)} attended"
    missed = sorted(names.get(p, f"#{p}") for p in session.audience if p not in session.attended)
    if missed:
        said += f" ({', '.join(missed)} missed it: no record of the module for them)"
    if session.module_id is None:
        return f"{said}; it has no module, so no training is recorded"
    if done.parts_left:
        return (
            f"{said}; the training is recorded when every part of the module is delivered "
            f"({done.parts_left} still to come)"
        )
    return f"{said}; training recorded for {done.recorded} (every part attended)"
