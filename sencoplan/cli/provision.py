"""`sencoplan provision map`: the school's provision map (what support each pupil gets,
from whom, at what cost), or one pupil's for an EHC needs assessment request."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from sencoplan.cli.common import (
    BadDataError,
    UsageError,
    db_option,
    deliver,
    opened,
    report_destination,
    the_school,
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "map: each provision's pupils, adult hours a week, staff and cost, the school's total "
        "against its notional SEN budget and the pupils whose support costs more than its "
        "threshold (default £6,000). With --pupil, one pupil's map: it names the pupil, so "
        "it says it is confidential, and with -o is written readable by you only."
    )
    parser.add_argument("action", choices=("map",), help="what to do")
    parser.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    parser.add_argument("--pupil", metavar="UPN", help="one pupil's map (names the pupil)")
    parser.add_argument(
        "--year",
        metavar="YEAR",
        help="the school year whose places to map, e.g. 2026/27, or all (default: this year)",
    )
    parser.add_argument("--format", choices=("table", "markdown", "json", "csv"), default="table")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    db_option(parser)


def school_year_between(text: str | None, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """--year: '2026/27', '2026-27' or '2026' (the year starting that September), 'all'
    (None: every place on file); by default the school year around today."""
    from sencoplan.domain.provision_map import school_year

    if text is None:
        return school_year(today)
    cleaned = text.strip().casefold()
    if cleaned == "all":
        return None
    match = re.fullmatch(r"(\d{4})(?:[/-](\d{2}|\d{4}))?", cleaned)
    if match is None:
        raise UsageError(f"--year: {text!r} is not a school year (e.g. 2026/27, or all)")
    autumn = int(match.group(1))
    if match.group(2) and int(match.group(2)[-2:]) != (autumn + 1) % 100:
        raise UsageError(f"--year: {text!r} is not one school year (e.g. 2026/27)")
    return school_year(dt.date(autumn, 9, 1))


def run(args: argparse.Namespace) -> int:
    from sencoplan.domain.provision_map import places_between
    from sencoplan.domain.upn import normalise_upn
    from sencoplan.io import provision_report as report
    from sencoplan.store.provision import map_inputs
    from sencoplan.store.pupils import pupils_by_upn

    extension = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv"}[args.format]
    between = school_year_between(args.year, dt.date.today())
    output = report_destination(args, f"provision-map.{extension}")
    with opened(args, reading=True) as db:
        school = the_school(db, args)
        assert school.id is not None
        inputs = map_inputs(db, school.id)
        pupil = None
        if args.pupil:
            try:
                upn = normalise_upn(args.pupil)
            except ValueError as error:
                raise UsageError(f"--pupil: {error}") from None
            pupil = pupils_by_upn(db, school.id).get(upn)
            if pupil is None:
                raise BadDataError(f"no pupil with UPN {upn} on {school.name}'s roll")
    if pupil is not None:
        if args.format == "csv":
            raise UsageError("one pupil's map is markdown or JSON (--format csv is the school's)")
        catalogue = {p.id: p for p in inputs.provisions if p.id is not None}
        places = inputs.places if between is None else places_between(inputs.places, *between)
        items = report.pupil_places(
            pupil, places, catalogue, inputs.staff, inputs.rates, inputs.reviews, inputs.places
        )
        limit = school.high_cost_threshold
        period = (
            "every place on file"
            if between is None
            else f"{between[0].year}/{between[1].year % 100:02d}"
        )
        text = (
            report.pupil_map_json(items, limit)
            if args.format == "json"
            else report.pupil_map_text(pupil, items, limit, period)
        )
    else:
        found = inputs.worked_out(school, between)
        if args.format == "json":
            text = report.school_map_json(found)
        elif args.format == "csv":
            text = report.school_map_csv(found)
        else:
            text = report.school_map_text(found, markdown=args.format == "markdown")
    csv = args.format == "csv"  # its rows end with their own line endings
    return deliver(text if csv else text.rstrip("\n"), output, args.format)
