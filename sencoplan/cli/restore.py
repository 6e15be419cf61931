"""`sencoplan restore SRC`: replace the database with a checked backup."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sencoplan.cli.common import EXIT_BAD_DATA, EXIT_OK, db_option, db_path


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Replace the database with a checked copy of SRC. A file that fails its checks, is "
        "not a sencoplan database or was made by a newer sencoplan is refused and nothing is "
        "changed. The database it replaces is kept in backups/ beside it. Close the app first."
    )
    parser.add_argument("src", type=Path, metavar="SRC", help="the backup to restore")
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    from sencoplan.store.backup import restore_file

    target = db_path(args)
    try:
        result = restore_file(args.src, target)
    except OSError as error:
        print(f"cannot restore {args.src}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    if result.previous is not None:
        print(f"the database it replaced is kept as {result.previous}")
    print(f"restored {args.src} to {target} (schema version {result.schema})")
    if result.pending_migrations:
        pending = ", ".join(result.pending_migrations)
        print(
            f"pending migrations: {pending} (applied, after a backup, when sencoplan next opens it)"
        )
    return EXIT_OK
