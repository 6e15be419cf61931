"""`sencoplan provision map`: the school's provision map (what support each pupil gets,
from whom, at what cost), or one pupil's for an EHC needs assessment request."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sencoplan.cli.common import (
    EXIT_BAD_DATA,
    EXIT_OK,
    BadDataError,
    UsageError,
    db_option,
    opened,
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
    parser.add_argument("--format", choices=("table", "markdown", "json", "csv"), default="table")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    from sencoplan.domain.provision_map import provision_map
    from sencoplan.domain.upn import normalise_upn
    from sencoplan.io import provision_report as report
    from sencoplan.io.csv_export import CSV_ENCODING
    from sencoplan.io.files import write_private
    from sencoplan.store.provision import map_inputs
    from sencoplan.store.pupils import pupils_by_upn

    with opened(args, reading=True) as db:
        school = the_school(db, args)
        assert school.id is not None
        provisions, places, staff, rates = map_inputs(db, school.id)
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
        catalogue = {p.id: p for p in provisions if p.id is not None}
        items = report.pupil_places(pupil, places, catalogue, staff, rates)
        limit = school.high_cost_threshold
        text = (
            report.pupil_map_json(items, limit)
            if args.format == "json"
            else report.pupil_map_text(pupil, items, limit)
        )
    else:
        found = provision_map(school, provisions, places, staff, rates)
        if args.format == "json":
            text = report.school_map_json(found)
        elif args.format == "csv":
            text = report.school_map_csv(found)
        else:
            text = report.school_map_text(found, markdown=args.format == "markdown")
    csv = args.format == "csv"
    if args.output is None:  # a text stream ends lines as the platform does
        print((text.replace("\r\n", "\n") if csv else text).rstrip("\n"))
        return EXIT_OK
    try:
        if csv:  # its rows end with their own line endings; Excel reads the BOM
            write_private(args.output, text, encoding=CSV_ENCODING)
        else:
            write_private(args.output, text.rstrip("\n") + "\n")
    except OSError as error:
        print(f"cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"wrote {args.output}")
    return EXIT_OK
