"""The command line's parser and dispatch: a table of commands, each in its own module,
imported only when it runs (`sencoplan --help` and the app load none of them).

Exit status: 0 success, 1 bad data (or a database that cannot be used), 2 usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, Protocol, cast

from sencoplan import __version__
from sencoplan.cli.common import (
    DB_HELP,
    EXIT_BAD_DATA,
    EXIT_OK,
    EXIT_USAGE,
    BadDataError,
    UsageError,
    db_path,
    run_app,
)


class Command(NamedTuple):
    module: str
    """The module under sencoplan.cli with its `arguments(parser)` and `run(args)`."""
    help: str
    """Its line in `sencoplan --help`."""


COMMANDS = {
    "demo": Command("demo", "build a database of the invented sample trust and open it"),
    "import": Command("imports", "import a CSV or XLSX file (all or nothing)"),
    "priorities": Command(
        "priorities", "rank the needs on roll by the training the staff around them lack"
    ),
    "export": Command(
        "export",
        "write a report to a file (counts only, never a pupil's name, UPN or birth date)",
    ),
    "plan": Command("plan", "suggest a term of CPD sessions that close the biggest gaps"),
    "impact": Command(
        "impact", "the impact of a term's CPD: confidence before and after, coverage, spend"
    ),
    "session": Command(
        "session", "mark a session delivered (recording the training) or planned again"
    ),
    "workload": Command("workload", "the SENCO's hours week by week against their allocation"),
    "provision": Command(
        "provision", "the provision map: each pupil's support, from whom, at what cost"
    ),
    "transition": Command(
        "transition", "the pupils joining a school, by need and tier, and the training to plan"
    ),
    "trust": Command(
        "trust", "a trust's schools side by side: the board's paper, schools that could help"
    ),
    "check": Command("check", "check the database's integrity, foreign keys and schema version"),
    "backup": Command("backup", "copy the database to a checked backup that only you can read"),
    "restore": Command(
        "restore", "replace the database with a backup (the current one is backed up first)"
    ),
    "encrypt": Command(
        "convert", "write an encrypted copy of the database (key: $SENCOPLAN_KEY_FILE)"
    ),
    "decrypt": Command("convert", "write a copy of the encrypted database that is not encrypted"),
    "retention": Command(
        "retention", "list (or --purge) leavers' records past the school's retention period"
    ),
}
"""Every command, in the order `--help` lists them. With no command, the app opens."""


class CommandModule(Protocol):
    """What each command's module holds: its options, beside the handler that runs it."""

    def arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def command_module(name: str) -> CommandModule:
    module = importlib.import_module(f"sencoplan.cli.{COMMANDS[name].module}")
    return cast("CommandModule", module)


def named_command(argv: Sequence[str]) -> str | None:
    """The command argv names: its first word that is not an option or --db's value."""
    after_db = False
    for word in argv:
        if after_db:
            after_db = False
        elif word == "--db":
            after_db = True
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(load: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the options of the commands in `load` (default: every command);
    the others are listed with their help line only."""
    parser = argparse.ArgumentParser(
        prog="sencoplan",
        description="Plan SEND training from the needs on roll. With no command, opens the app.",
        allow_abbrev=False,  # named_command reads the words before the command exactly
    )
    parser.add_argument("--version", action="version", version=f"sencoplan {__version__}")
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=DB_HELP)
    parser.add_argument(
        "--presenter",
        action="store_true",
        help="open the app in presenter mode, for a shared screen: pupils by initials, "
        "no UPN or date of birth (ctrl+r turns it off)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=command.help, description=command.help)
        if load is None or name in load:
            command_module(name).arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    chosen = named_command(words)
    args = build_parser([chosen] if chosen else []).parse_args(words)
    from sencoplan.store import engine
    from sencoplan.store.backup import WrongPath
    from sencoplan.store.db import StoreError
    from sencoplan.store.errors import opening_failure

    try:
        database = db_path(args)
        if database.is_dir():
            raise UsageError(f"{database} is a folder: give the database file with --db")
        if args.command is None:
            return run_app(database, args.presenter)
        return command_module(args.command).run(args)
    except WrongPath as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except StoreError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_DATA
    except engine.DatabaseError as error:
        # A page damaged where the opening checks did not read (how to restore is said); a
        # full disk, a read-only file...: not damaged, and nothing was written.
        print(opening_failure(db_path(args), error), file=sys.stderr)
        return EXIT_BAD_DATA
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except BadDataError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_DATA
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and cut short: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
