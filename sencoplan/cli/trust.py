"""`sencoplan trust`: a trust's schools side by side: the board's paper, and the schools
that could help each other."""

from __future__ import annotations

import argparse
from pathlib import Path

from sencoplan.cli.common import UsageError, db_option, deliver, opened, report_destination


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "paper: one markdown document for the trust board (the top needs across the schools "
        "and where they are, coverage by school, schools that could help each other, "
        "succession risks, training spend against budget, pupils joining). links: for each "
        "need, the school whose staff cover it best, the schools behind it, and who there "
        "could lead training for them."
    )
    parser.add_argument("action", choices=("paper", "links"), help="what to write")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from sencoplan.io import trust_report as report
    from sencoplan.store.trust import trust_links, trust_paper

    if args.action == "paper" and args.format == "json":
        raise UsageError("the trust paper is markdown (trust links --format json for data)")
    today = dt.date.today()
    extension = "json" if args.format == "json" else "md"
    output = report_destination(args, f"trust-{args.action}.{extension}")
    with opened(args, reading=True) as db:
        if args.action == "paper":
            text = report.trust_paper_markdown(trust_paper(db, today), today)
        else:
            links = trust_links(db, today)
            text = report.links_json(links) if args.format == "json" else report.links_text(links)
    return deliver(text.rstrip("\n"), output, args.format)
