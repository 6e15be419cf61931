"""What every command shares: exit statuses, the --db and scope options, opening the file,
and finding the school and term a command is about.

Only argparse and pathlib load with this module: each command imports the rest of
sencoplan when it runs, so `sencoplan --help` and the app start without it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from sqlite_utils import Database

    from sencoplan.domain.calendar import Term
    from sencoplan.domain.models import School

EXIT_OK, EXIT_BAD_DATA, EXIT_USAGE = 0, 1, 2

SQLITE_HEADER = b"SQLite format 3\x00"

DB_HELP = "the database file (default: $SENCOPLAN_DB, else sencoplan.db in your data folder)"


class UsageError(Exception):
    """A mistake on the command line that argparse cannot see (exit status 2)."""


class BadDataError(Exception):
    """Something asked for is not in the file (exit status 1)."""


LARGEST_ID = 2**63 - 1
"""SQLite's largest row number: a number beyond it names no record (and cannot be asked)."""


def session_number(text: str) -> int:
    """A session's number as typed (the # column): a whole number from 1 to SQLite's
    largest, else a usage error, not an overflow deep in the database driver."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("sessions are numbered from 1")
    if number > LARGEST_ID:
        raise argparse.ArgumentTypeError(f"{text} is larger than any session's number")
    return number


def db_option(parser: argparse.ArgumentParser, help_text: str = DB_HELP) -> None:
    """--db after the command too; not given, it leaves the value given before it."""
    parser.add_argument(
        "--db", type=Path, default=argparse.SUPPRESS, metavar="PATH", help=help_text
    )


def scope_options(parser: argparse.ArgumentParser) -> None:
    """--school NAME or --trust: one school, or every school in the file."""
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    scope.add_argument("--trust", action="store_true", help="every school in the file")


def publish_option(parser: argparse.ArgumentParser) -> None:
    """--publish: a document that leaves the trust (cross-school counts suppressed)."""
    parser.add_argument(
        "--publish",
        action="store_true",
        help="for a document that leaves the trust: over several schools, hide any need's "
        "counts a school's own report could be subtracted from (default: the trust's own "
        "exact figures)",
    )


def term_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """--term, --school and --format, for a command about one school's term."""
    parser.add_argument("--term", metavar="NAME", help="default: the term around today")
    parser.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    parser.add_argument("--format", choices=formats, default=formats[0])


def db_path(args: argparse.Namespace) -> Path:
    """The file a command works on: --db, else $SENCOPLAN_DB, else the data folder's."""
    from sencoplan.store.db import default_db_path, demo_db_path

    if args.db:
        return Path(args.db)
    return demo_db_path() if args.command == "demo" else default_db_path()


@contextmanager
def writing(dest: Path) -> Iterator[None]:
    """A new file written: one already there (without --force) is a usage error, one that
    cannot be written is said with the system's reason."""
    try:
        yield
    except FileExistsError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise BadDataError(f"cannot write {dest}: {error.strerror or error}") from None


@contextmanager
def opened(
    args: argparse.Namespace, *, create: bool = False, reading: bool = False
) -> Iterator[Database]:
    """The command's database, open (set up and migrated) and closed when done.

    A file that does not exist is a usage error unless the command creates one (import).
    A command that only reads (`reading`) works on a file that cannot be written.
    """
    from sencoplan.store.db import open_database, open_for_reading

    path = db_path(args)
    if not create and not path.exists():
        raise UsageError(f"{path} does not exist: import a roll or run `sencoplan demo` first")
    db = open_for_reading(path) if reading else open_database(path)
    try:
        yield db
    finally:
        db.close()


def named_school(db: Database, text: str) -> School:
    """`--school`: the exact name or URN, else the one school whose name contains the text."""
    from sencoplan.store.schools import list_schools, schools_matching

    found = schools_matching(db, text)
    if len(found) == 1:
        return found[0]
    if found:
        names = " or ".join(repr(school.name) for school in found)
        raise UsageError(f"{text!r} matches several schools: give more of the name ({names})")
    known = ", ".join(repr(school.name) for school in list_schools(db)) or "none yet"
    raise UsageError(f"no school called {text!r} (schools: {known})")


def the_school(db: Database, args: argparse.Namespace) -> School:
    """The school named with --school, or the only one in the file."""
    from sencoplan.store.schools import list_schools

    if args.school:
        return named_school(db, args.school)
    schools = list_schools(db)
    if len(schools) == 1:
        return schools[0]
    names = " or ".join(repr(s.name) for s in schools) or "none yet"
    raise UsageError(f"the file holds several schools: choose a school with --school ({names})")


def school_and_term(
    db: Database, args: argparse.Namespace, on: dt.date | None = None
) -> tuple[School, Term]:
    """The school named (or the only one) and the term named, else the term around `on`
    (default today) or the next one after it, else the last term."""
    import datetime

    from sencoplan.store.terms import find_term, list_terms

    school = the_school(db, args)
    assert school.id is not None
    terms = list_terms(db, school.id)
    if args.term:
        term = find_term(db, school.id, args.term)
    else:
        day = on or datetime.date.today()
        term = next((t for t in terms if t.end >= day), terms[-1] if terms else None)
    if term is None:
        known = ", ".join(repr(t.name) for t in terms) or "none yet: import a terms file"
        raise UsageError(f"no such term for {school.name} (terms: {known})")
    return school, term


def writable_destination(path: Path, database: Path, example: str) -> None:
    """A mistake in the command's file name is a usage error, found before any work; a
    report never replaces the database, nor any other database (a backup, say)."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder: give a file name, e.g. {path / example}")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent} is not a folder: create it first, or give another path")
    from sencoplan.store.backup import database_files

    if path.resolve() in database_files(database):
        raise UsageError(f"{path} is the database itself: give the report another file name")
    is_database = False
    if path.is_file():  # not /dev/stdout or a pipe: reading those would wait for input
        try:
            with open(path, "rb") as existing:
                is_database = existing.read(len(SQLITE_HEADER)) == SQLITE_HEADER
        except OSError:
            pass
    if is_database:
        raise UsageError(f"{path} is a database: give the report another file name")


def report_destination(args: argparse.Namespace, example: str) -> Path | None:
    """The file a report goes to (`-o`), checked before any work; None: standard output
    (`-o -` too, as other tools read it)."""
    output: Path | None = args.output
    if output is None or output == Path("-"):
        return None
    writable_destination(output, db_path(args), example)
    return output


def deliver(text: str | bytes, output: Path | None, fmt: str) -> int:
    """Print the report, or write it to `output` readable by you only (CSV with the BOM
    Excel reads; its rows already end with their line ending)."""
    from sencoplan.io.csv_export import CSV_ENCODING
    from sencoplan.io.files import write_private

    csv = fmt == "csv"
    if isinstance(text, str) and not csv:
        text += "\n"
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:  # a text stream ends lines as the platform does
            sys.stdout.write(text.replace("\r\n", "\n") if csv else text)
        return EXIT_OK
    try:
        write_private(output, text, encoding=CSV_ENCODING if csv else "utf-8")
    except OSError as error:
        print(f"cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"wrote {output}")
    return EXIT_OK


def run_app(path: Path, presenter: bool = False) -> int:
    """Open the app on the file. A file that cannot be used stops it before any screen,
    with the reason said here, as any command says it (exit status 1)."""
    from sencoplan.tui.app import create_app

    app = create_app(path, presenter=presenter)
    app.run()
    if app.opening_failure is not None:
        print(app.opening_failure, file=sys.stderr)
        return EXIT_BAD_DATA
    return app.return_code or EXIT_OK
