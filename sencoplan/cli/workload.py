"""`sencoplan workload`: the SENCO's hours week by week against their allocation."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sencoplan.cli.common import (
    EXIT_OK,
    db_option,
    opened,
    school_and_term,
    term_options,
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Sessions the SENCO leads (with preparation), EHCP and ISP reviews falling due (an "
        "EHCP review's papers, meeting and report each in its week), and other tasks, week "
        "by week, against the SENCO time allocated; then the reviews overdue today."
    )
    term_options(parser, ("table", "json"))
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    from sencoplan.io.workload_report import workload_json, workload_table
    from sencoplan.store.reviews import overdue_reviews
    from sencoplan.store.workload import load_workload, missing_reviews

    with opened(args, reading=True) as db:
        school, term = school_and_term(db, args)
        weeks = load_workload(db, term)
        assert school.id is not None
        missing = overdue_reviews(db, school.id, dt.date.today())
        missing += missing_reviews(db, term).sentences()
    if args.format == "json":
        for sentence in missing:  # said beside the JSON, which stays a list of weeks
            print(sentence, file=sys.stderr)
        print(workload_json(weeks))
        return EXIT_OK
    print(workload_table(school.name, term, weeks))
    for sentence in missing:
        print(sentence)
    return EXIT_OK
