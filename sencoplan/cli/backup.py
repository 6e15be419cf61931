"""`sencoplan backup DEST`: a checked copy of the database that only you can read."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sencoplan.cli.common import EXIT_OK, db_option, db_path, writing


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Copy the database (a consistent copy, even while the app is open), check the copy "
        "(integrity, foreign keys, a sencoplan database) and keep it only if it passes, "
        "readable by you only. The database itself is not changed."
    )
    parser.add_argument(
        "dest",
        type=folder_or_file,
        metavar="DEST",
        help="the backup file, or a folder to put it in (named after the database and the time)",
    )
    parser.add_argument("--force", action="store_true", help="replace DEST if it exists")
    db_option(parser)


def folder_or_file(text: str) -> Path:
    """A path as typed; one ending in a separator names a folder, which must exist (a Path
    drops the separator, and `backup missing/` would write a file called `missing`)."""
    if text == "-":
        raise argparse.ArgumentTypeError("a backup is a file: give its name, or a folder")
    path = Path(text)
    if text.endswith(("/", os.sep)) and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a folder: create it first")
    return path


def run(args: argparse.Namespace) -> int:
    """A checked copy of the database; the database itself is opened read-only."""
    from sencoplan.store.backup import backup_file

    source = db_path(args)
    with writing(args.dest):
        dest = backup_file(source, args.dest, force=args.force)
    print(f"backed up {source} to {dest} (checked: integrity and foreign keys ok; mode 0600)")
    return EXIT_OK
