"""`sencoplan priorities`: the needs on roll ranked by the training their staff lack."""

from __future__ import annotations

import argparse

from sencoplan.cli.common import (
    EXIT_OK,
    db_option,
    named_school,
    opened,
    publish_option,
    scope_options,
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Which training do the children on roll need that their staff lack? Ranked, with a "
        "reason for each need."
    )
    scope_options(parser)
    publish_option(parser)
    parser.add_argument(
        "--format", choices=("table", "markdown", "json"), default="table", help="output format"
    )
    db_option(parser)


def priorities_text(args: argparse.Namespace, fmt: str) -> str:
    """The report for the chosen school (or the trust) in `fmt`: table, markdown, json, csv,
    or gaps (the staff-gaps CSV). One school in the file is the school; several, the trust."""
    import dataclasses
    import datetime as dt
    import json

    from sencoplan.io import priorities_report as report
    from sencoplan.store.priorities import load_priorities
    from sencoplan.store.schools import school_names

    today = dt.date.today()
    with opened(args, reading=True) as db:
        names = school_names(db)
        if args.school:
            school = named_school(db, args.school)
            school_id, scope = school.id, school.name
        elif not args.trust and len(names) == 1:
            ((school_id, scope),) = names.items()
        else:
            school_id, scope = None, "all schools in the file"
        result = load_priorities(db, today, school_id, staff_views=fmt == "gaps")
    result = dataclasses.replace(result, published=getattr(args, "publish", False))
    if fmt in {"csv", "gaps"}:
        from sencoplan.io.csv_export import gaps_csv, priorities_csv

        return (priorities_csv if fmt == "csv" else gaps_csv)(result, names)
    if fmt == "json":
        return json.dumps(
            [report.priority_item(line, names) for line in result.priorities], indent=2
        )
    if fmt == "markdown":
        return report.priorities_markdown(
            result, scope=scope, today=today, school_names=names, trust=school_id is None
        )
    return report.priorities_table(result, scope)


def run(args: argparse.Namespace) -> int:
    print(priorities_text(args, args.format))
    return EXIT_OK
