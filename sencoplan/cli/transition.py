"""`sencoplan transition`: the pupils joining a school, by need and tier, and the training
its staff need before they arrive; the sending schools' records carried over on request."""

from __future__ import annotations

import argparse
from pathlib import Path

from sencoplan.cli.common import (
    UsageError,
    db_option,
    deliver,
    named_school,
    opened,
    report_destination,
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Pupils joining a school after today: from the trust's own schools (the same UPN on "
        "another school's roll) and from outside (their admission date, or a CTF), by need "
        "and tier, where they come from, and what the receiving staff need to be trained in "
        "before they arrive. Counts only (under 5 banded), unless --names: then, for the "
        "receiving SENCO alone, each pupil by name (confidential; with -o readable by you only)."
    )
    parser.add_argument("--to", metavar="SCHOOL", required=True, help="the receiving school")
    parser.add_argument("--from", dest="sender", metavar="SCHOOL", help="only those from here")
    parser.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    parser.add_argument(
        "--names", action="store_true", help="name each pupil (the receiving SENCO's paper)"
    )
    parser.add_argument(
        "--carry",
        action="store_true",
        help="copy each sending school's SEN record (tier, needs, review dates) onto the "
        "joiner's record here, where it has none",
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from sencoplan.io import transition_report as report
    from sencoplan.store.catalogue import list_modules
    from sencoplan.store.priorities import load_priorities
    from sencoplan.store.transition import carry_over, load_transition

    if args.names and args.format == "json":
        raise UsageError("--names is for the paper (table or markdown): JSON is counts only")
    today = dt.date.today()
    extension = {"table": "txt", "markdown": "md", "json": "json"}[args.format]
    output = report_destination(args, f"transition.{extension}")
    with opened(args, reading=not args.carry) as db:
        school = named_school(db, args.to)
        sender = named_school(db, args.sender) if args.sender else None
        if sender is not None and sender.id == school.id:
            raise UsageError("--from and --to name the same school: pupils join from another")
        assert school.id is not None
        transition = load_transition(db, school.id, today, sender.id if sender else None)
        carried = carry_over(db, transition) if args.carry else None
        if carried:
            transition = load_transition(db, school.id, today, sender.id if sender else None)
        lines = load_priorities(db, today, school.id, staff_views=False).priorities
        training = report.training_lines(transition, lines, list_modules(db), exact=args.names)
    if args.format == "json":
        text = report.transition_json(transition)
    else:
        text = report.transition_markdown(transition, training, names=args.names)
    if carried is not None:
        text += (
            f"\nCarried over the sending school's record for {carried} of them"
            + (
                " (the others have a record here already, or none with SEN where they are)"
                if carried < len(transition.joiners)
                else ""
            )
            + ".\n"
        )
    return deliver(text.rstrip("\n"), output, args.format)
