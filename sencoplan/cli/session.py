"""`sencoplan session deliver|planned ID`: mark a session delivered (its training
recorded) or planned again (the records its delivery made removed)."""

from __future__ import annotations

import argparse
import sys
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
    import datetime as dt

    from sqlite_utils import Database

    from sencoplan.domain.sessions import CpdSession


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "deliver: mark session ID delivered, with who attended; each person who attended "
        "every part of its module gets a training record dated the last part's day. planned: "
        "mark it planned again, removing the records its delivery made. share: open it to "
        "other schools in the trust (--with), on their planners and calendars too; --invite "
        "adds to its audience their staff the module is for who do not hold it."
    )
    parser.add_argument("action", choices=("deliver", "planned", "share"), help="what to do")
    parser.add_argument(
        "id", type=session_number, metavar="ID", help="the session's number (# column)"
    )
    parser.add_argument(
        "--attended",
        metavar="all|NAME;NAME...",
        help="who attended: all the audience, or names separated by ; (default: as marked "
        "in the app, else all the audience)",
    )
    parser.add_argument(
        "--with",
        dest="schools",
        action="append",
        metavar="SCHOOL",
        help="share: a school to open it to (give --with again for more)",
    )
    parser.add_argument(
        "--invite", action="store_true", help="share: invite their staff the module is for"
    )
    parser.add_argument(
        "--led-by",
        metavar="NAME;NAME...",
        help="share: who leads it: anyone in the trust who can lead the module",
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
    if args.action == "share":
        return _share(args)
    with opened(args) as db:
        found = get_session(db, args.id)
        if found is None:
            raise BadDataError(NO_SUCH_SESSION.format(id=args.id, path=db_path(args)))
        names = {
            m.id: m.name
            for school in (found.school_id, *found.shared_with)
            for m in list_staff(db, school)
            if m.id is not None
        }
        attended = attended_ids(found, args.attended, names) if delivering else None
        done = set_delivered(
            db, args.id, delivered=delivering, attended=attended, today=dt.date.today()
        )
    print(done.said(names))
    return EXIT_OK


def _share(args: argparse.Namespace) -> int:
    import datetime as dt

    from sencoplan.cli.common import named_school
    from sencoplan.cli.export import NO_SUCH_SESSION
    from sencoplan.store.sessions import get_session
    from sencoplan.store.shared import share_session, spend_in_term

    if not args.schools:
        raise UsageError("share: name the school(s) to open it to with --with SCHOOL")
    with opened(args) as db:
        found = get_session(db, args.id)
        if found is None:
            raise BadDataError(NO_SUCH_SESSION.format(id=args.id, path=db_path(args)))
        schools = [named_school(db, text) for text in args.schools]
        ids = [school.id for school in schools if school.id is not None]
        if found.school_id in ids:
            raise UsageError("share: the session is this school's own: name other schools")
        today = dt.date.today()
        leaders = _leaders(db, found, args.led_by, today)
        shared, invited = share_session(db, found, ids, today, invite=args.invite, leaders=leaders)
        spends = [
            (school.name, spend_in_term(db, school.id, found.day))
            for school in schools
            if school.id
        ]
    names = ", ".join(school.name for school in schools)
    numbers = ", ".join(f"#{s.id}" for s in shared)
    said = f"{found.title or 'the session'}, sessions {numbers}, is open to {names} too"
    if args.invite:
        said += f"; {invited} of their staff invited (the module is for them, they lack it)"
    print(said)
    for name, spend in spends:
        if spend is not None and spend.spend > spend.budget:
            print(
                f"{name}'s external training in {spend.term} now costs £{spend.spend:,.0f}, over "
                f"its £{spend.budget:,.0f} CPD budget: invite fewer of its staff (the session's "
                "audience is changed on the Planner of the school that runs it)",
                file=sys.stderr,
            )
    return EXIT_OK


def _leaders(
    db: Database, session: CpdSession, text: str | None, today: dt.date
) -> tuple[int, ...]:
    """--led-by as staff ids: only people in the trust who can lead the session's module."""
    from sencoplan.domain.names import ids_from_names
    from sencoplan.store.shared import trust_leaders

    if not text:
        return ()
    able = trust_leaders(db, session, today)
    try:
        return ids_from_names(able, text, whom="one able to lead this module in the trust")
    except ValueError as unknown:
        who = ", ".join(sorted(able.values())[:8]) or "no one yet: name a leader first"
        raise UsageError(f"--led-by: {unknown}. Able to lead it: {who}") from None
