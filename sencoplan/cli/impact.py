"""`sencoplan impact`: what a term's delivered CPD changed: confidence, coverage, spend."""

from __future__ import annotations

import argparse

from sencoplan.cli.common import (
    EXIT_OK,
    db_option,
    opened,
    school_and_term,
    term_options,
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "For each module delivered in the term: the confidence in its needs of those who "
        "completed it, before its first part and at a re-survey the term's impact weeks (6) "
        "after its last, beside the staff who did not take it; coverage of its needs at the "
        "term's start and now; what it cost against the budget."
    )
    term_options(parser, ("table", "json"))
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from sencoplan.io.impact_report import impact_items, impact_table
    from sencoplan.store.impact import load_impact

    today = dt.date.today()
    with opened(args, reading=True) as db:
        school, term = school_and_term(db, args)
        lines = load_impact(db, term, today)
    if args.format == "json":
        print(json.dumps(impact_items(lines), indent=2))
    elif not lines:
        print(f"No module has been delivered in {term.name} yet: mark sessions delivered first")
    else:
        print(impact_table(school.name, term, lines, today))
    return EXIT_OK
