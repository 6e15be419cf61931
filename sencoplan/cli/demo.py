"""`sencoplan demo`: build a database of the invented sample trust, and open it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sencoplan.cli.common import EXIT_BAD_DATA, EXIT_OK, EXIT_USAGE, db_option, db_path, run_app

DEMO_DB_HELP = (
    "the file to build (default: demo.db in your data folder; $SENCOPLAN_DB is not used, "
    "so the demo never replaces your own database)"
)


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Build a database from sample_data/ (two invented schools) and open it."
    db_option(parser, DEMO_DB_HELP)
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    parser.add_argument("--no-tui", action="store_true", help="build the database, do not open it")


def run(args: argparse.Namespace) -> int:
    from sencoplan.io.errors import ImportRejected
    from sencoplan.io.sample import load_sample
    from sencoplan.store.backup import replace_with_new
    from sencoplan.store.db import open_database

    path = db_path(args)
    if path.exists() and not args.force:
        print(
            f"{path} already exists: use --force to replace it, or --db for another file",
            file=sys.stderr,
        )
        return EXIT_USAGE

    def build(new: Path) -> None:
        db = open_database(new)
        try:
            load_sample(db, on_import=lambda report: print("\n".join(report.lines())))
        finally:
            db.close()

    try:
        previous = replace_with_new(path, build, "demo")
    except ImportRejected as rejected:
        print(rejected, file=sys.stderr)
        return EXIT_BAD_DATA
    if previous is not None:
        print(f"the file it replaced is kept as {previous}")
    print(f"demo database: {path}")
    return EXIT_OK if args.no_tui else run_app(path, args.presenter)
