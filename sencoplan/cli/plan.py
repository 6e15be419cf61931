"""`sencoplan plan suggest`: a term of CPD sessions that close the biggest gaps."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sencoplan.cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    opened,
    school_and_term,
    term_options,
)

if TYPE_CHECKING:
    import datetime as dt


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Suggest sessions for a term's free slots: the modules that close the biggest "
        "training gaps, for the staff who have them, within CPD hours, budget, facilitators' "
        "time and the SENCO's weekly cap. --save keeps them as planned."
    )
    parser.add_argument("action", choices=("suggest",), help="what to do")
    term_options(parser, ("table", "markdown", "json"))
    parser.add_argument("--save", action="store_true", help="keep the suggestion as the plan")
    parser.add_argument(
        "--from",
        dest="from_day",
        metavar="DATE",
        help="plan slots from this date (dd/mm/yyyy; default today), e.g. to plan a term ahead",
    )
    db_option(parser)


def from_day(args: argparse.Namespace) -> dt.date:
    """--from as a date, else today."""
    import datetime

    from sencoplan.io.dates import parse_date

    if not args.from_day:
        return datetime.date.today()
    try:
        return parse_date(args.from_day)
    except ValueError as error:
        raise UsageError(f"--from: {error}") from None


def id_ranges(ids: Sequence[int]) -> str:
    """#12–#14, #17: the numbers of sessions, runs shortened."""
    runs: list[list[int]] = []
    for number in sorted(ids):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"#{run[0]}–#{run[-1]}" if len(run) > 1 else f"#{run[0]}" for run in runs)


def run(args: argparse.Namespace) -> int:
    from sencoplan.domain.messages import counted
    from sencoplan.io.plan_report import plan_items, plan_json, plan_text, why_empty
    from sencoplan.store.catalogue import list_modules
    from sencoplan.store.db import write_transaction
    from sencoplan.store.planning import save_plan, suggest_for_term
    from sencoplan.store.sessions import list_sessions
    from sencoplan.store.staff import list_staff

    start = from_day(args)
    with opened(args) as db:
        school, term = school_and_term(db, args, start if args.from_day else None)
        assert school.id is not None and term.id is not None
        if args.from_day and start > term.end:
            raise UsageError(
                f"--from {start:%d/%m/%Y} is after {term.name} ends ({term.end:%d/%m/%Y}): "
                "choose a later term with --term, or an earlier date"
            )
        saved: list[int] = []
        with write_transaction(db):  # read the plan and (with --save) keep it, as one
            existing = list_sessions(db, term.id)
            plan = suggest_for_term(db, term, start)
            if args.save:
                save_plan(db, plan)
                before = {s.id for s in existing}
                saved = [
                    s.id
                    for s in list_sessions(db, term.id)
                    if s.id is not None and s.id not in before
                ]
        modules = {m.id: m for m in list_modules(db) if m.id is not None}
        names = {m.id: m.name for m in list_staff(db, school.id) if m.id is not None}
    items = plan_items(plan, modules, names)
    if args.format == "json":
        print(plan_json(plan, items))
    else:
        heading = f"Suggested plan: {school.name}, {term.name}"
        print(plan_text(plan, items, heading, markdown=args.format == "markdown"))
        if not plan.sessions:
            print(why_empty(term, existing, max(start, term.start)), file=sys.stderr)
    if args.save:
        if saved:
            print(
                f"saved {counted(len(saved), 'session')} to {term.name}: "
                f"{id_ranges(saved)} (their plans: sencoplan export session ID)",
                file=sys.stderr,
            )
        else:
            print(f"nothing to save to {term.name}", file=sys.stderr)
    return EXIT_OK
