"""`sencoplan export REPORT`: write a report to a file, counts only for pupils."""

from __future__ import annotations

import argparse
from pathlib import Path

from sencoplan.cli.common import (
    BadDataError,
    UsageError,
    db_option,
    db_path,
    deliver,
    named_school,
    opened,
    publish_option,
    report_destination,
    school_and_term,
    scope_options,
    session_number,
)
from sencoplan.cli.priorities import priorities_text

EXPORT_FORMATS = {
    "priorities": ("markdown", "csv"),
    "gaps": ("csv",),
    "session": ("markdown",),
    "term": ("markdown", "ics"),
    "succession": ("markdown",),
}
"""Each report `export` writes, and its formats (the first is the default)."""

NO_SUCH_SESSION = (
    "no session {id} in {path}: the # column of `sencoplan export term` gives the sessions' numbers"
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a report. Pupil counts under 5 are shown as 'fewer than 5'. A file written "
        "with -o is readable by you only (mode 0600)."
    )
    parser.add_argument(
        "report",
        choices=EXPORT_FORMATS,
        help="priorities; staff gaps (CSV: who works with needs they are not trained for); "
        "one session's plan (give its ID); a term's plan; or the succession review (a board "
        "paper: staff are named, pupils never)",
    )
    parser.add_argument("id", nargs="?", type=session_number, help="the session's ID (for session)")
    parser.add_argument("--term", metavar="NAME", help="for term: default the current one")
    parser.add_argument(
        "--format",
        choices=("markdown", "csv", "ics"),
        help="markdown (the default); csv (priorities and gaps: safe to open in a "
        "spreadsheet); or ics (an iCalendar file of the term's sessions)",
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    scope_options(parser)
    publish_option(parser)
    db_option(parser)


def succession_text(args: argparse.Namespace) -> str:
    """The succession review of the chosen school, or of every school (--trust, or when
    the file holds several and none is chosen), as the Succession screen shows it."""
    import datetime as dt

    from sencoplan.domain.succession import review_school, trust_risks
    from sencoplan.io.succession_report import succession_markdown
    from sencoplan.store.schools import list_schools
    from sencoplan.store.succession import school_facts

    today = dt.date.today()
    with opened(args, reading=True) as db:
        chosen = [named_school(db, args.school)] if args.school else list_schools(db)
        facts = [school_facts(db, s.id, today) for s in chosen if s.id is not None]
    if not facts:
        raise UsageError("the file holds no school yet")
    reviews = [review_school(f, today) for f in facts]
    across = trust_risks(facts) if len(facts) > 1 else []
    return succession_markdown(reviews, today=today, trust_risks=across).rstrip("\n")


def plan_text(args: argparse.Namespace) -> str | bytes:
    """A session's plan, or a term's plan as markdown or iCalendar."""
    from sencoplan.io.session_export import session_markdown, term_calendar, term_markdown
    from sencoplan.store.catalogue import list_modules
    from sencoplan.store.sessions import get_session, list_sessions
    from sencoplan.store.staff import list_staff
    from sencoplan.store.terms import get_term

    with opened(args, reading=True) as db:
        modules = {m.id: m for m in list_modules(db) if m.id is not None}
        if args.report == "session":
            if args.id is None:
                raise UsageError("give the session's ID: sencoplan export session ID")
            session = get_session(db, args.id)
            term = get_term(db, session.term_id) if session else None
            if session is None or term is None:
                raise BadDataError(NO_SUCH_SESSION.format(id=args.id, path=db_path(args)))
            staff = {
                m.id: m
                for each in (session.school_id, *session.shared_with)
                for m in list_staff(db, each)
                if m.id is not None
            }
            return session_markdown(
                session, term=term, module=modules.get(session.module_id or 0), staff=staff
            )
        school, term = school_and_term(db, args)
        assert term.id is not None and school.id is not None
        sessions = list_sessions(db, term.id)
        involved = {school.id} | {o for s in sessions for o in (s.school_id, *s.shared_with)}
        staff = {  # a session shared across the trust: every school's people, by name
            m.id: m for each in sorted(involved) for m in list_staff(db, each) if m.id is not None
        }
    if args.format == "ics":
        return term_calendar(term, sessions, modules=modules, school_name=school.name, staff=staff)
    return term_markdown(term, sessions, modules=modules, staff=staff, school_name=school.name)


def _chosen_format(args: argparse.Namespace) -> str:
    formats = EXPORT_FORMATS[args.report]
    chosen: str = args.format or formats[0]
    if chosen not in formats:
        if args.report == "session":
            raise UsageError("a session plan is markdown; use `export term --format ics`")
        raise UsageError(f"the {args.report} report is {' or '.join(formats)}")
    return chosen


def _report(args: argparse.Namespace) -> str | bytes:
    if args.report == "priorities":
        return priorities_text(args, args.format)
    if args.report == "gaps":
        return priorities_text(args, "gaps")
    if args.report == "succession":
        return succession_text(args)
    return plan_text(args)


def run(args: argparse.Namespace) -> int:
    args.format = _chosen_format(args)
    extension = {"markdown": "md", "csv": "csv", "ics": "ics"}[args.format]
    output = report_destination(args, f"{args.report}.{extension}")
    return deliver(_report(args), output, args.format)
