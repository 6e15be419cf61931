"""The command line: open the app, build the demo, import files, check the database.

Exit status: 0 success, 1 bad data (or a database that cannot be used), 2 usage.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sencoplan import __version__
from sencoplan.domain.messages import counted

if TYPE_CHECKING:
    import datetime as dt

    from sqlite_utils import Database

    from sencoplan.domain.calendar import Term
    from sencoplan.domain.models import School
    from sencoplan.domain.priorities import PriorityResult
    from sencoplan.domain.sessions import CpdSession
    from sencoplan.store.sessions import Delivery

EXIT_OK, EXIT_BAD_DATA, EXIT_USAGE = 0, 1, 2

IMPORT_KINDS = (
    "schools",
    "pupils",
    "staff",
    "modules",
    "training",
    "confidence",
    "supports",
    "levels",
    "qualifications",
    "roles",
    "candidates",
    "actions",
    "leaders",
    "terms",
)


EXPORT_FORMATS = {
    "priorities": ("markdown", "csv"),
    "gaps": ("csv",),
    "session": ("markdown",),
    "term": ("markdown", "ics"),
    "succession": ("markdown",),
}
"""Each report `export` writes, and its formats (the first is the default)."""

DB_HELP = "the database file (default: $SENCOPLAN_DB, else sencoplan.db in your data folder)"
DEMO_DB_HELP = (
    "the file to build (default: demo.db in your data folder; $SENCOPLAN_DB is not used, "
    "so the demo never replaces your own database)"
)


def _db_option(parser: argparse.ArgumentParser, default: object, help_text: str = DB_HELP) -> None:
    parser.add_argument("--db", type=Path, default=default, metavar="PATH", help=help_text)


def _scope_options(parser: argparse.ArgumentParser) -> None:
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    scope.add_argument("--trust", action="store_true", help="every school in the file")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sencoplan",
        description="Plan SEND training from the needs on roll. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"sencoplan {__version__}")
    _db_option(parser, None)
    parser.add_argument(
        "--presenter",
        action="store_true",
        help="open the app in presenter mode, for a shared screen: pupils by initials, "
        "no UPN or date of birth (ctrl+r turns it off)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="build a database of the invented sample trust and open it",
        description="Build a database from sample_data/ (two invented schools) and open it.",
    )
    _db_option(demo, argparse.SUPPRESS, DEMO_DB_HELP)
    demo.add_argument("--force", action="store_true", help="replace the file if it exists")
    demo.add_argument("--no-tui", action="store_true", help="build the database, do not open it")

    importer = commands.add_parser(
        "import",
        help="import a CSV or XLSX file (all or nothing)",
        description="Import a CSV or XLSX file. Any bad row refuses the whole file: every "
        "problem is listed by line and column, and nothing is written.",
    )
    importer.add_argument("kind", choices=IMPORT_KINDS, help="what the file holds")
    importer.add_argument("file", type=Path, help="the CSV or XLSX file")
    importer.add_argument(
        "--school",
        metavar="NAME",
        help="the school: its name, URN or a part of its name only it has (a name that "
        "matches no school creates one)",
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="check the file and report, write nothing"
    )
    importer.add_argument(
        "--partial",
        action="store_true",
        help="pupils: the file is not the whole roll, so do not mark missing pupils as left",
    )
    importer.add_argument(
        "--allow-many-leavers",
        action="store_true",
        help="pupils: accept a whole roll that marks more than half of the pupils on roll "
        "as left (refused otherwise, in case the file is only part of the roll)",
    )
    _db_option(importer, argparse.SUPPRESS)

    priorities = commands.add_parser(
        "priorities",
        help="rank the needs on roll by the training the staff around them lack",
        description="Which training do the children on roll need that their staff lack? "
        "Ranked, with a reason for each need.",
    )
    _scope_options(priorities)
    priorities.add_argument(
        "--format", choices=("table", "markdown", "json"), default="table", help="output format"
    )
    _db_option(priorities, argparse.SUPPRESS)

    export = commands.add_parser(
        "export",
        help="write a report to a file (counts only, never a pupil's name, UPN or birth date)",
        description="Write a report. Pupil counts under 5 are shown as 'fewer than 5'. "
        "A file written with -o is readable by you only (mode 0600).",
    )
    export.add_argument(
        "report",
        choices=EXPORT_FORMATS,
        help="priorities; staff gaps (CSV: who works with needs they are not trained for); "
        "one session's plan (give its ID); a term's plan; or the succession review (a board "
        "paper: staff are named, pupils never)",
    )
    export.add_argument("id", nargs="?", type=int, help="the session's ID (for session)")
    export.add_argument("--term", metavar="NAME", help="for term: default the current one")
    export.add_argument(
        "--format",
        choices=("markdown", "csv", "ics"),
        help="markdown (the default); csv (priorities and gaps: safe to open in a "
        "spreadsheet); or ics (an iCalendar file of the term's sessions)",
    )
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    _scope_options(export)
    _db_option(export, argparse.SUPPRESS)

    plan = commands.add_parser(
        "plan",
        help="suggest a term of CPD sessions that close the biggest gaps",
        description="Suggest sessions for a term's free slots: the modules that close the "
        "biggest training gaps, for the staff who have them, within CPD hours, budget, "
        "facilitators' time and the SENCO's weekly cap. --save keeps them as planned.",
    )
    plan.add_argument("action", choices=("suggest",), help="what to do")
    plan.add_argument("--term", metavar="NAME", help="default: the term around today")
    plan.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    plan.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    plan.add_argument("--save", action="store_true", help="keep the suggestion as the plan")
    plan.add_argument(
        "--from",
        dest="from_day",
        metavar="DATE",
        help="plan slots from this date (dd/mm/yyyy; default today), e.g. to plan a term ahead",
    )
    _db_option(plan, argparse.SUPPRESS)

    impact = commands.add_parser(
        "impact",
        help="the impact of a term's CPD: confidence before and after, coverage, spend",
        description="For each module delivered in the term: the confidence in its needs of "
        "those who completed it, before its first part and at a re-survey the term's impact "
        "weeks (6) after its last, beside the staff who did not take it; coverage of its "
        "needs at the term's start and now; what it cost against the budget.",
    )
    impact.add_argument("--term", metavar="NAME", help="default: the term around today")
    impact.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    impact.add_argument("--format", choices=("table", "json"), default="table")
    _db_option(impact, argparse.SUPPRESS)

    session = commands.add_parser(
        "session",
        help="mark a session delivered (recording the training) or planned again",
        description="deliver: mark session ID delivered, with who attended; each person who "
        "attended every part of its module gets a training record dated the last part's "
        "day. planned: mark it planned again, removing the records its delivery made.",
    )
    session.add_argument("action", choices=("deliver", "planned"), help="what to do")
    session.add_argument("id", type=int, metavar="ID", help="the session's number (# column)")
    session.add_argument(
        "--attended",
        metavar="all|NAME;NAME...",
        help="who attended: all the audience, or names separated by ; (default: as marked "
        "in the app, else all the audience)",
    )
    _db_option(session, argparse.SUPPRESS)

    workload = commands.add_parser(
        "workload",
        help="the SENCO's hours week by week against their allocation",
        description="Sessions the SENCO leads (with preparation), EHCP and ISP reviews "
        "falling due, and other tasks, week by week, against the SENCO time allocated.",
    )
    workload.add_argument("--term", metavar="NAME", help="default: the term around today")
    workload.add_argument("--school", metavar="NAME", help="one school (name or URN)")
    workload.add_argument("--format", choices=("table", "json"), default="table")
    _db_option(workload, argparse.SUPPRESS)

    check = commands.add_parser(
        "check",
        help="check the database's integrity, foreign keys and schema version",
        description="Run SQLite's integrity and foreign-key checks and report the schema and "
        "any pending migrations. Changes nothing: the file is not set up or migrated.",
    )
    _db_option(check, argparse.SUPPRESS)

    backup = commands.add_parser(
        "backup",
        help="copy the database to a checked backup that only you can read",
        description="Copy the database (a consistent copy, even while the app is open), check "
        "the copy (integrity, foreign keys, a sencoplan database) and keep it only if it "
        "passes, readable by you only. The database itself is not changed.",
    )
    backup.add_argument(
        "dest",
        type=_folder_or_file,
        metavar="DEST",
        help="the backup file, or a folder to put it in (named after the database and the time)",
    )
    backup.add_argument("--force", action="store_true", help="replace DEST if it exists")
    _db_option(backup, argparse.SUPPRESS)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup (the current one is backed up first)",
        description="Replace the database with a checked copy of SRC. A file that fails its "
        "checks, is not a sencoplan database or was made by a newer sencoplan is refused and "
        "nothing is changed. The database it replaces is kept in backups/ beside it. Close "
        "the app first.",
    )
    restore.add_argument("src", type=Path, metavar="SRC", help="the backup to restore")
    _db_option(restore, argparse.SUPPRESS)

    for name, help_text, description in (
        (
            "encrypt",
            "write an encrypted copy of the database (key: $SENCOPLAN_KEY_FILE)",
            "Write a copy of the database (not encrypted) to DEST, encrypted with SQLCipher "
            "and the passphrase in the file $SENCOPLAN_KEY_FILE names, checked and readable by "
            "you only. Then use DEST (--db or $SENCOPLAN_DB) and delete the old file.",
        ),
        (
            "decrypt",
            "write a copy of the encrypted database that is not encrypted",
            "Write a copy of the encrypted database (key: $SENCOPLAN_KEY_FILE) to DEST, not "
            "encrypted, checked and readable by you only.",
        ),
    ):
        convert = commands.add_parser(name, help=help_text, description=description)
        convert.add_argument("dest", type=Path, metavar="DEST", help="the new database file")
        convert.add_argument("--force", action="store_true", help="replace DEST if it exists")
        _db_option(convert, argparse.SUPPRESS)

    retention = commands.add_parser(
        "retention",
        help="list (or --purge) leavers' records past the school's retention period",
        description="Each school sets how many months it keeps the records of pupils and "
        "staff after they leave (--months). Lists the records past that period, without "
        "names unless --names; --purge deletes them (after a backup) all at once. With no "
        "period set, nothing is due.",
    )
    _scope_options(retention)
    retention.add_argument(
        "--months",
        type=_retention_months,
        default=argparse.SUPPRESS,  # not given: leave the period as it is
        metavar="N",
        help="set the period: months after leaving (1 to 1200), or 'off' to unset it",
    )
    retention.add_argument(
        "--purge", action="store_true", help="delete the records listed (a backup is taken first)"
    )
    retention.add_argument(
        "--names", action="store_true", help="show names in the list, to check before a purge"
    )
    _db_option(retention, argparse.SUPPRESS)
    return parser


def _retention_months(text: str) -> int | None:
    """--months: a whole number of months, or 'off' to unset the period."""
    from sencoplan.store.retention import MAX_MONTHS

    if text.strip().lower() == "off":
        return None
    try:
        months = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of months (or `off`, to unset the period)"
        ) from None
    if not 1 <= months <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"a retention period is 1 to {MAX_MONTHS} months")
    return months


def _folder_or_file(text: str) -> Path:
    """A path as typed; one ending in a separator names a folder, which must exist (a Path
    drops the separator, and `backup missing/` would write a file called `missing`)."""
    if text == "-":
        raise argparse.ArgumentTypeError("a backup is a file: give its name, or a folder")
    path = Path(text)
    if text.endswith(("/", os.sep)) and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a folder: create it first")
    return path


def _db_path(args: argparse.Namespace) -> Path:
    from sencoplan.store.db import default_db_path

    return Path(args.db) if args.db else default_db_path()


def _demo_path(args: argparse.Namespace) -> Path:
    from sencoplan.store.db import demo_db_path

    return Path(args.db) if args.db else demo_db_path()


def _run_app(path: Path, presenter: bool = False) -> int:
    """Check the file can be used (a clear message, not a broken screen), then open the app."""
    from sencoplan.store.db import open_database
    from sencoplan.tui.app import create_app

    open_database(path).close()
    create_app(path, presenter=presenter).run()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from sencoplan.io.errors import ImportRejected
    from sencoplan.io.sample import load_sample
    from sencoplan.store.backup import replace_with_new
    from sencoplan.store.db import open_database

    path = _demo_path(args)
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
    return EXIT_OK if args.no_tui else _run_app(path, args.presenter)


def _import_school(db: Database, kind: str, text: str | None) -> tuple[str | None, list[str]]:
    """The school an import goes into, as the importer should be told it, and the schools
    the file already held when `text` matches none of them (so it will create one).

    Like the reports, `--school` accepts a part of a name that only one school has; a part
    that several schools share is refused rather than guessed.
    """
    from sencoplan.io.importers import IMPORTERS
    from sencoplan.store.schools import list_schools, schools_matching

    if not text or not IMPORTERS[kind].school_scoped:
        return text, []
    found = schools_matching(db, text)
    if len(found) > 1:
        names = " or ".join(repr(school.name) for school in found)
        raise UsageError(f"{text!r} matches several schools: give more of the name ({names})")
    if found:
        return found[0].name, []
    return text, [school.name for school in list_schools(db)]


def cmd_import(args: argparse.Namespace) -> int:
    from sencoplan.io.errors import ImportRejected
    from sencoplan.io.importers import import_file
    from sencoplan.store.db import open_database

    if Path(args.file).is_dir():
        raise UsageError(f"{args.file} is a folder: give the CSV or XLSX file in it to import")
    if not Path(args.file).exists():
        raise UsageError(f"{args.file} does not exist: check the name and folder")
    db = open_database(_db_path(args))
    try:
        school, others = _import_school(db, args.kind, args.school)
        report = import_file(
            db,
            args.kind,
            args.file,
            school=school,
            dry_run=args.dry_run,
            full_roll=not args.partial,
            allow_many_leavers=args.allow_many_leavers,
        )
    except ImportRejected as rejected:
        print(rejected, file=sys.stderr)
        return EXIT_BAD_DATA
    finally:
        db.close()
    print("\n".join(report.lines()))
    if report.school_created and others:
        # The report says so too, but a new school beside others is worth a second look.
        verb = "would create" if report.dry_run else "created"
        known = ", ".join(repr(name) for name in others)
        print(
            f"{verb} the school {report.school}: no school in the file matches "
            f"{args.school!r} (schools: {known})",
            file=sys.stderr,
        )
    return EXIT_OK


class UsageError(Exception):
    """A mistake on the command line that argparse cannot see (exit status 2)."""


class BadDataError(Exception):
    """Something asked for is not in the file (exit status 1)."""


def _named_school(db: Database, text: str) -> School:
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


def _open_existing(args: argparse.Namespace) -> Database:
    from sencoplan.store.db import open_database

    path = _db_path(args)
    if not path.exists():
        raise UsageError(f"{path} does not exist: import a roll or run `sencoplan demo` first")
    return open_database(path)


def _priorities_text(args: argparse.Namespace, fmt: str) -> str:
    """The report for the chosen school (or the trust) in the chosen format."""
    import datetime as dt
    import json

    from sencoplan.io.priorities_report import priorities_markdown, priority_item
    from sencoplan.store.priorities import load_priorities
    from sencoplan.store.schools import list_schools

    today = dt.date.today()
    db = _open_existing(args)
    try:
        schools = list_schools(db)
        names = {school.id: school.name for school in schools if school.id is not None}
        school: School | None
        if args.school:
            school = _named_school(db, args.school)
        elif not args.trust and len(schools) == 1:
            school = schools[0]
        else:
            school = None
        result = load_priorities(
            db, today, school.id if school else None, staff_views=fmt == "gaps"
        )
    finally:
        db.close()
    scope = school.name if school else "all schools in the file"
    if fmt in {"csv", "gaps"}:
        from sencoplan.io.csv_export import gaps_csv, priorities_csv

        return (priorities_csv if fmt == "csv" else gaps_csv)(result, names)
    if fmt == "json":
        return json.dumps([priority_item(line, names) for line in result.priorities], indent=2)
    if fmt == "markdown":
        return priorities_markdown(
            result, scope=scope, today=today, school_names=names, trust=school is None
        )
    return _priorities_table(result, scope)


def _succession_text(args: argparse.Namespace) -> str:
    """The succession review of the chosen school, or of every school (--trust, or when
    the file holds several and none is chosen), as the Succession screen shows it."""
    import datetime as dt

    from sencoplan.domain.succession import review_school, trust_risks
    from sencoplan.io.succession_report import succession_markdown
    from sencoplan.store.schools import list_schools
    from sencoplan.store.succession import school_facts

    today = dt.date.today()
    db = _open_existing(args)
    try:
        schools = list_schools(db)
        chosen = [_named_school(db, args.school)] if args.school else schools
        facts = [school_facts(db, s.id, today) for s in chosen if s.id is not None]
    finally:
        db.close()
    if not facts:
        raise UsageError("the file holds no school yet")
    reviews = [review_school(f, today) for f in facts]
    across = trust_risks(facts) if len(facts) > 1 else []
    return succession_markdown(reviews, today=today, trust_risks=across).rstrip("\n")


def _text_table(title: str | None, headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A table for the terminal (the `table` format): boxed, long cells folded at 120."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", expand=False)
    for heading in headings:
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    buffer = StringIO()
    Console(file=buffer, width=120, color_system=None, markup=False).print(table)
    return buffer.getvalue().rstrip("\n")


def _priorities_table(result: PriorityResult, scope: str) -> str:
    note = result.supports_note()
    return _text_table(
        f"Training priorities: {scope}",
        ("#", "Need", "Pupils", "Trained", "Cover", "Score", "Why"),
        [
            (
                line.rank,
                line.need.value,
                line.pupils,
                f"{line.staff_trained}/{line.staff_relevant}",
                f"{line.coverage:.0%}",
                f"{line.score:.1f}",
                line.reason(),
            )
            for line in result.priorities
        ],
    ) + (f"\n{note}" if note else "")


def cmd_priorities(args: argparse.Namespace) -> int:
    print(_priorities_text(args, args.format))
    return EXIT_OK


def _plan_text(args: argparse.Namespace) -> str | bytes:
    """A session's plan, or a term's plan as markdown or iCalendar."""
    from sencoplan.io.session_export import session_markdown, term_calendar, term_markdown
    from sencoplan.store.catalogue import list_modules
    from sencoplan.store.sessions import get_session, list_sessions
    from sencoplan.store.staff import list_staff
    from sencoplan.store.terms import get_term

    db = _open_existing(args)
    try:
        modules = {m.id: m for m in list_modules(db) if m.id is not None}
        if args.report == "session":
            if args.id is None:
                raise UsageError("give the session's ID: sencoplan export session ID")
            if args.format != "markdown":
                raise UsageError("a session plan is markdown; use `export term --format ics`")
            session = get_session(db, args.id)
            term = get_term(db, session.term_id) if session else None
            if session is None or term is None:
                raise BadDataError(
                    f"no session {args.id} in {_db_path(args)}: the # column of "
                    "`sencoplan export term` gives the sessions' numbers"
                )
            staff = {m.id: m for m in list_staff(db, session.school_id) if m.id is not None}
            return session_markdown(
                session, term=term, module=modules.get(session.module_id or 0), staff=staff
            )
        school, term = _school_and_term(db, args)
        assert term.id is not None and school.id is not None
        sessions = list_sessions(db, term.id)
        staff = {m.id: m for m in list_staff(db, school.id) if m.id is not None}
        if args.format == "ics":
            return term_calendar(
                term, sessions, modules=modules, school_name=school.name, staff=staff
            )
        return term_markdown(term, sessions, modules=modules, staff=staff, school_name=school.name)
    finally:
        db.close()


_SQLITE_HEADER = b"SQLite format 3\x00"


def _writable_destination(path: Path, database: Path, example: str) -> None:
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
                is_database = existing.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
        except OSError:
            pass
    if is_database:
        raise UsageError(f"{path} is a database: give the report another file name")


def cmd_export(args: argparse.Namespace) -> int:
    from sencoplan.io.csv_export import CSV_ENCODING
    from sencoplan.io.files import write_private

    formats = EXPORT_FORMATS[args.report]
    args.format = args.format or formats[0]
    if args.format not in formats:
        if args.report == "session":
            raise UsageError("a session plan is markdown; use `export term --format ics`")
        raise UsageError(f"the {args.report} report is {' or '.join(formats)}")
    if args.output == Path("-"):
        args.output = None  # `-o -`: standard output, as other tools read it
    if args.output is not None:
        extension = {"markdown": "md", "csv": "csv", "ics": "ics"}.get(args.format, "md")
        _writable_destination(args.output, _db_path(args), f"{args.report}.{extension}")
    text: str | bytes
    if args.report == "priorities":
        text = _priorities_text(args, args.format)
    elif args.report == "gaps":
        text = _priorities_text(args, "gaps")
    elif args.report == "succession":
        text = _succession_text(args)
    else:
        text = _plan_text(args)
    if isinstance(text, str) and args.format != "csv":
        text += "\n"  # CSV rows already end with their line ending
    if args.output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:  # a text stream ends lines as the platform does
            sys.stdout.write(text.replace("\r\n", "\n") if args.format == "csv" else text)
        return EXIT_OK
    try:
        encoding = CSV_ENCODING if args.format == "csv" else "utf-8"
        write_private(args.output, text, encoding=encoding)
    except OSError as error:
        print(f"cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"wrote {args.output}")
    return EXIT_OK


def _school_and_term(
    db: Database, args: argparse.Namespace, on: dt.date | None = None
) -> tuple[School, Term]:
    """The school named (or the only one) and the term named, else the term around `on`
    (default today) or the next one after it, else the last term."""
    import datetime

    from sencoplan.store.schools import list_schools
    from sencoplan.store.terms import find_term, list_terms

    schools = list_schools(db)
    if args.school:
        school = _named_school(db, args.school)
    elif len(schools) == 1:
        school = schools[0]
    else:
        names = " or ".join(repr(s.name) for s in schools) or "none yet"
        raise UsageError(f"the file holds several schools: choose a school with --school ({names})")
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


def _from_day(args: argparse.Namespace) -> dt.date:
    import datetime

    from sencoplan.io.dates import parse_date

    if not args.from_day:
        return datetime.date.today()
    try:
        return parse_date(args.from_day)
    except ValueError as error:
        raise UsageError(f"--from: {error}") from None


def _id_ranges(ids: Sequence[int]) -> str:
    """#12–#14, #17: the numbers of sessions, runs shortened."""
    runs: list[list[int]] = []
    for number in sorted(ids):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"#{run[0]}–#{run[-1]}" if len(run) > 1 else f"#{run[0]}" for run in runs)


def _why_empty(term: Term, existing: Sequence[CpdSession], on: dt.date) -> str:
    """Why a suggestion holds no sessions: no free slot left, or none worth filling."""
    taken = {s.begins for s in existing if s.active}
    free = [slot for slot in term.slots() if slot not in taken and slot.date() >= on]
    if not free:
        return f"no free slots left in {term.name} from {on:%d/%m/%Y}"
    slots = counted(len(free), "free slot")
    return (
        f"no session suggested: {slots} left in {term.name} from {on:%d/%m/%Y}, but no "
        "module can close a gap there within everyone's limits (CPD hours, budget, "
        "someone free to lead it)"
    )


def cmd_plan(args: argparse.Namespace) -> int:
    import json

    from sencoplan.domain.planning import unused_words
    from sencoplan.io.markdown import inline, table
    from sencoplan.io.session_export import leader_names
    from sencoplan.store.catalogue import list_modules
    from sencoplan.store.db import write_transaction
    from sencoplan.store.planning import save_plan, suggest_for_term
    from sencoplan.store.sessions import list_sessions
    from sencoplan.store.staff import list_staff

    from_day = _from_day(args)
    db = _open_existing(args)
    try:
        school, term = _school_and_term(db, args, from_day if args.from_day else None)
        assert school.id is not None and term.id is not None
        if args.from_day and from_day > term.end:
            raise UsageError(
                f"--from {from_day:%d/%m/%Y} is after {term.name} ends ({term.end:%d/%m/%Y}): "
                "choose a later term with --term, or an earlier date"
            )
        saved: list[int] = []
        with write_transaction(db):  # read the plan and (with --save) keep it, as one
            existing = list_sessions(db, term.id)
            plan = suggest_for_term(db, term, from_day)
            if args.save:
                save_plan(db, plan)
                before = {s.id for s in existing}
                saved = [
                    s.id
                    for s in list_sessions(db, term.id)
                    if s.id is not None and s.id not in before
                ]
        modules = {m.id: m for m in list_modules(db) if m.id is not None}
        names = {m.id: m.name for m in list_staff(db, school.id) if m.id is not None}
    finally:
        db.close()
    items: list[dict[str, Any]] = [
        {
            "date": s.day.isoformat(),
            "start": f"{s.start:%H:%M}",
            "minutes": s.minutes,
            "module": modules[s.module_id].code if s.module_id in modules else None,
            "title": s.title,
            "needs": [n.value for n in modules[s.module_id].needs]
            if s.module_id in modules
            else [],
            "facilitator": [names[f] for f in s.facilitators if f in names]
            or [leader_names(s, names, modules.get(s.module_id or 0))],
            "audience": [names.get(a, str(a)) for a in s.audience],
            "reason": s.reason,
        }
        for s in plan.sessions
    ]
    if args.format == "json":
        coverage = {
            need.value: {"before": round(now, 3), "after": round(later, 3)}
            for need, (now, later) in plan.coverage.items()
        }
        print(
            json.dumps(
                {
                    "sessions": items,
                    "coverage": coverage,
                    "not_placed": plan.not_placed,
                    "unused_slots": [
                        {
                            "date": u.begins.date().isoformat(),
                            "start": f"{u.begins:%H:%M}",
                            "reason": u.reason,
                        }
                        for u in plan.unused_slots
                    ],
                    "note": plan.note,
                    "method": plan.method,
                    "method_note": plan.method_note,
                },
                indent=2,
            )
        )
    else:
        markdown = args.format == "markdown"
        show = table if markdown else functools.partial(_text_table, None)
        rows = [
            [
                # ISO in markdown (it sorts, and other tools read it); British in the terminal
                i["date"] if markdown else f"{s.day:%d/%m/%Y}",
                i["start"],
                i["minutes"],
                i["module"],
                ", ".join(i["facilitator"]),
                len(i["audience"]),
                i["reason"],
            ]
            for i, s in zip(items, plan.sessions, strict=True)
        ]
        heading = f"Suggested plan: {school.name}, {term.name}"
        print(f"# {heading}\n" if markdown else heading)
        print(show(["Date", "Start", "Minutes", "Module", "Led by", "Staff", "Why"], rows))
        print()
        print(
            show(
                ["Need", "Coverage now (with sessions planned)", "After this plan"],
                [  # from the raw values, as the app shows them: never rounded twice
                    [need.value, f"{now:.0%}", f"{later:.0%}"]
                    for need, (now, later) in plan.coverage.items()
                ],
            )
        )
        said = [*plan.not_placed, *unused_words(plan.unused_slots)]
        if said:
            print("\nWhat the plan leaves open, and why:\n")
            for why in said:
                print(f"- {inline(why)}" if args.format == "markdown" else f"- {why}")
        if plan.note:
            print(f"\n{inline(plan.note) if markdown else plan.note}")
        print(f"\n{plan.method_note}")
        if not plan.sessions:
            print(_why_empty(term, existing, max(from_day, term.start)), file=sys.stderr)
    if args.save:
        if saved:
            print(
                f"saved {counted(len(saved), 'session')} to {term.name}: "
                f"{_id_ranges(saved)} (their plans: sencoplan export session ID)",
                file=sys.stderr,
            )
        else:
            print(f"nothing to save to {term.name}", file=sys.stderr)
    return EXIT_OK


def cmd_workload(args: argparse.Namespace) -> int:
    import json

    from sencoplan.store.workload import load_workload, missing_reviews

    db = _open_existing(args)
    try:
        school, term = _school_and_term(db, args)
        weeks = load_workload(db, term)
        missing = missing_reviews(db, term).sentences()
    finally:
        db.close()
    if args.format == "json":
        for sentence in missing:  # said beside the JSON, which stays a list of weeks
            print(sentence, file=sys.stderr)
        print(
            json.dumps(
                [
                    {
                        "week": w.week.isoformat(),
                        "leading": round(w.leading, 2),
                        "preparing": round(w.preparing, 2),
                        "ehcp_reviews": w.ehcp_reviews,
                        "isp_reviews": w.isp_reviews,
                        "reviews_hours": round(w.reviews, 2),
                        "tasks": round(w.tasks, 2),
                        "total": round(w.total, 2),
                        "allocated": w.allocated,
                        "over": w.over,
                    }
                    for w in weeks
                ],
                indent=2,
            )
        )
        return EXIT_OK
    print(
        f"SENCO workload: {school.name}, {term.name} ({term.senco_hours:g} hours a week; "
        f"{term.ehcp_review_hours:g} h per EHCP review, {term.isp_review_hours:g} h per ISP review)"
    )
    print(f"{'week of':<11}{'lead':>6}{'prep':>6}{'EHCP':>6}{'ISP':>5}{'tasks':>7}{'total':>7}")
    for w in weeks:
        flag = "  OVER" if w.over else ""
        print(
            f"{w.week:%d/%m/%Y} {w.leading:6.1f}{w.preparing:6.1f}{w.ehcp_reviews:6d}"
            f"{w.isp_reviews:5d}{w.tasks:7.1f}{w.total:7.1f}{flag}"
        )
    for sentence in missing:
        print(sentence)
    return EXIT_OK


def cmd_impact(args: argparse.Namespace) -> int:
    """What the term's delivered CPD changed: confidence, coverage, spend."""
    import datetime as dt
    import json

    from sencoplan.io.impact_report import impact_items, impact_rows
    from sencoplan.store.impact import load_impact

    today = dt.date.today()
    db = _open_existing(args)
    try:
        school, term = _school_and_term(db, args)
        lines = load_impact(db, term, today)
    finally:
        db.close()
    if args.format == "json":
        print(json.dumps(impact_items(lines), indent=2))
        return EXIT_OK
    if not lines:
        print(f"No module has been delivered in {term.name} yet: mark sessions delivered first")
        return EXIT_OK
    title = (
        f"Impact: {school.name}, {term.name} (confidence 1-5, with how many ratings; "
        f"'after' is a re-survey {term.impact_weeks} weeks or more after the last part)"
    )
    headings = (
        "Module",
        "Completed",
        "Their confidence",
        "Others'",
        "Coverage of its needs (all training)",
        "Spend",
    )
    print(_text_table(title, headings, impact_rows(lines, today)))
    spend = sum(line.spend for line in lines)
    print(f"Spend on external training: £{spend:,.0f} of the £{term.cpd_budget:,.0f} budget")
    return EXIT_OK


def cmd_session(args: argparse.Namespace) -> int:
    """Mark a session delivered (its training recorded) or planned again."""
    import datetime as dt

    from sencoplan.domain.names import ids_from_names
    from sencoplan.store.sessions import get_session, set_delivered
    from sencoplan.store.staff import list_staff

    db = _open_existing(args)
    try:
        found = get_session(db, args.id)
        if found is None:
            raise BadDataError(
                f"no session {args.id} in {_db_path(args)}: the # column of "
                "`sencoplan export term` gives the sessions' numbers"
            )
        names = {m.id: m.name for m in list_staff(db, found.school_id) if m.id is not None}
        attended: tuple[int, ...] | None = None
        if args.action == "deliver" and args.attended:
            if args.attended.strip().casefold() == "all":
                attended = found.audience
            else:
                # Only those the session is for: a leaver, or a namesake elsewhere in the
                # school, is never the one meant.
                audience = {i: names.get(i, f"#{i}") for i in found.audience}
                whom = f"one in session {args.id}'s audience"
                try:
                    attended = ids_from_names(audience, args.attended, whom=whom)
                except ValueError as unknown:
                    raise UsageError(f"--attended: {unknown}") from None
        done = set_delivered(
            db,
            args.id,
            delivered=args.action == "deliver",
            attended=attended,
            today=dt.date.today(),
        )
    finally:
        db.close()
    print(_delivery_words(done, names))
    return EXIT_OK


def _delivery_words(done: Delivery, names: dict[int, str]) -> str:
    """What marking a session did, in a sentence (who missed it, by name)."""
    session = done.session
    said = f"session {session.id} ({session.title or 'no title'})"
    if session.status.value != "delivered":
        if not done.removed:
            return f"{said} is planned again: its delivery had recorded no training to remove"
        records = "record" if done.removed == 1 else "records"
        return f"{said} is planned again: {done.removed} training {records} it made removed"
    said += f" delivered: {len(session.attended)} of {len(session.audience)} attended"
    missed = sorted(names.get(p, f"#{p}") for p in session.audience if p not in session.attended)
    if missed:
        said += f" ({', '.join(missed)} missed it: no record of the module for them)"
    if session.module_id is None:
        return f"{said}; it has no module, so no training is recorded"
    if done.parts_left:
        return (
            f"{said}; the training is recorded when every part of the module is delivered "
            f"({done.parts_left} still to come)"
        )
    return f"{said}; training recorded for {done.recorded} (every part attended)"


def cmd_check(args: argparse.Namespace) -> int:
    """Report on the file as it is: nothing is created, set up or migrated."""
    from sencoplan.store.backup import restore_hint
    from sencoplan.store.db import StoreError, inspect_database

    path = _db_path(args)
    if not path.exists():
        raise UsageError(f"{path} does not exist: give the database with --db")
    try:
        result = inspect_database(path)
    except StoreError as error:
        hint = "" if "sencoplan restore" in str(error) else f"\n{restore_hint(path)}"
        print(f"{error}{hint}", file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"database: {path}")
    print(f"schema version: {result.schema}")
    if result.other_tables:
        tables = ", ".join(result.other_tables)
        print(
            f"{path} is not a sencoplan database: it already holds other tables ({tables})",
            file=sys.stderr,
        )
        return EXIT_BAD_DATA
    if result.is_sencoplan:
        print(f"schema: {'damaged' if result.missing else 'complete'}")
    if result.pending_migrations:
        pending = ", ".join(result.pending_migrations)
        print(f"pending migrations: {pending} (applied when sencoplan next opens the file)")
    else:
        print("pending migrations: none")
    print(f"integrity: {', '.join(result.integrity)}")
    if result.foreign_key_problems:
        for table, rowid, parent in result.foreign_key_problems:
            print(f"foreign key problem: {table} row {rowid} points to a missing {parent}")
    else:
        print("foreign keys: ok")
    for part in result.missing:
        print(f"damaged: {part}", file=sys.stderr)
    damaged = result.integrity != ["ok"] or result.foreign_key_problems or result.missing
    if result.is_sencoplan and damaged:
        print(restore_hint(path), file=sys.stderr)
    if result.newer_migrations:
        print(
            f"{path} was made by a newer sencoplan (schema "
            f"{', '.join(result.newer_migrations)}): upgrade sencoplan to use it",
            file=sys.stderr,
        )
    if not result.is_sencoplan:
        print(
            f"{path} is not a sencoplan database yet: it is empty "
            "(sencoplan sets it up when it first opens it)",
            file=sys.stderr,
        )
    return EXIT_OK if result.ok else EXIT_BAD_DATA


def cmd_backup(args: argparse.Namespace) -> int:
    """A checked copy of the database; the database itself is opened read-only."""
    from sencoplan.store.backup import backup_file

    source = _db_path(args)
    try:
        dest = backup_file(source, args.dest, force=args.force)
    except FileExistsError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"cannot write {args.dest}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    print(f"backed up {source} to {dest} (checked: integrity and foreign keys ok; mode 0600)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from sencoplan.store.backup import restore_file

    target = _db_path(args)
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


def cmd_convert(args: argparse.Namespace) -> int:
    """`encrypt` / `decrypt`: a checked copy of the database; the database is not changed."""
    from sencoplan.store.backup import convert_file

    source = _db_path(args)
    encrypt = args.command == "encrypt"
    try:
        dest = convert_file(source, args.dest, encrypt=encrypt, force=args.force)
    except FileExistsError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"cannot write {args.dest}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_DATA
    state = "encrypted" if encrypt else "not encrypted"
    print(
        f"wrote {dest} from {source}: {state}, checked (integrity and foreign keys ok), mode 0600"
    )
    if encrypt:
        print(
            f"{source} is unchanged and not encrypted: open {dest} from now on, and once you "
            f"have checked it opens, delete {source} (and its backups) yourself"
        )
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    """List the records past each school's period; set the period; purge them."""
    import datetime as dt

    from sencoplan.store.retention import due_records, purge, set_retention
    from sencoplan.store.schools import list_schools

    today = dt.date.today()
    db = _open_existing(args)
    try:
        schools = [_named_school(db, args.school)] if args.school else list_schools(db)
        ids = [school.id for school in schools if school.id is not None]
        if "months" in vars(args):
            if len(ids) > 1 and not args.trust:
                raise UsageError(
                    "the file holds several schools: give --school NAME (or --trust to set "
                    "the period for every school)"
                )
            for school in schools:
                assert school.id is not None
                set_retention(db, school.id, args.months)
                said = "not set" if args.months is None else counted(args.months, "month")
                print(f"{school.name}: retention period {said}")
        found = due_records(db, today, ids)
        for entry in found:
            if entry.months is None or entry.keep_from is None:
                print(f"{entry.school}: no retention period set, so nothing is due")
                continue
            print(
                f"{entry.school}: records kept {counted(entry.months, 'month')} "
                f"after leaving; due: those who left before {entry.keep_from:%d/%m/%Y}"
            )
            for record in entry.due:
                name = f"  {record.name or ''}" if args.names else ""
                print(
                    f"  {record.kind:<5} #{record.id:<6} left {record.left:%d/%m/%Y}  "
                    f"{record.detail}{name}"
                )
            pupils, staff = entry.count("pupil"), entry.count("staff")
            print(
                f"  due: {counted(pupils, 'pupil')}, "
                f"{counted(staff, 'member of staff', 'members of staff')}"
            )
        if not args.purge:
            if any(entry.due for entry in found):
                print("nothing was deleted: --purge deletes these records (after a backup)")
            return EXIT_OK
        result = purge(db, _db_path(args), today, ids)
    finally:
        db.close()
    if not result.removed:
        print("nothing to purge")
        return EXIT_OK
    removed = ", ".join(f"{table.replace('_', ' ')} {n}" for table, n in result.removed.items())
    print(f"purged: {removed}")
    if result.backup is not None:
        print(
            f"the backup taken first, {result.backup}, still holds these records: it is deleted "
            f"when newer automatic backups replace it, or delete it yourself"
        )
    return EXIT_OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "import": cmd_import,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "retention": cmd_retention,
    "encrypt": cmd_convert,
    "decrypt": cmd_convert,
    "priorities": cmd_priorities,
    "export": cmd_export,
    "workload": cmd_workload,
    "session": cmd_session,
    "impact": cmd_impact,
    "plan": cmd_plan,
}
"""Each command's handler; no command opens the app."""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from sencoplan.store import engine
    from sencoplan.store.backup import WrongPath, restore_hint
    from sencoplan.store.db import StoreError

    try:
        database = _demo_path(args) if args.command == "demo" else _db_path(args)
        if database.is_dir():
            raise UsageError(f"{database} is a folder: give the database file with --db")
        handler = COMMANDS.get(args.command)
        if handler is not None:
            return handler(args)
        return _run_app(_db_path(args), args.presenter)
    except WrongPath as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except StoreError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_DATA
    except engine.DatabaseError as error:
        path = _demo_path(args) if args.command == "demo" else _db_path(args)
        if getattr(error, "sqlite_errorname", "") in {"SQLITE_CORRUPT", "SQLITE_NOTADB"}:
            # Found part way through (a page damaged where the opening checks did not read).
            print(f"{path} cannot be read: {error}\n{restore_hint(path)}", file=sys.stderr)
        else:  # a full disk, a read-only file...: the database is not damaged, nothing written
            print(f"{path}: nothing was changed: {error}", file=sys.stderr)
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
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
