"""`sencoplan import KIND FILE`: read a CSV or XLSX file, all or nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sencoplan.cli.common import EXIT_BAD_DATA, EXIT_OK, UsageError, db_option, opened

if TYPE_CHECKING:
    from sqlite_utils import Database

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
    "provisions",
    "rates",
)
"""What `import` reads, named here so the parser is built without loading the importers
(a test keeps it the same as theirs)."""


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Import a CSV or XLSX file. Any bad row refuses the whole file: every problem is "
        "listed by line and column, and nothing is written."
    )
    parser.add_argument(
        "kind",
        choices=(*IMPORT_KINDS, "ctf"),
        help="what the file holds (ctf: a Common Transfer File of pupils joining)",
    )
    parser.add_argument("file", type=Path, help="the CSV or XLSX file (or the CTF's .xml)")
    parser.add_argument(
        "--school",
        metavar="NAME",
        help="the school: its name, URN or a part of its name only it has (a name that "
        "matches no school creates one)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check the file and report, write nothing"
    )
    parser.add_argument(
        "--partial",
        action="store_true",
        help="pupils: the file is not the whole roll, so do not mark missing pupils as left",
    )
    parser.add_argument(
        "--allow-many-leavers",
        action="store_true",
        help="pupils: accept a whole roll that marks more than half of the pupils on roll "
        "as left (refused otherwise, in case the file is only part of the roll)",
    )
    parser.add_argument(
        "--joining",
        type=_date,
        metavar="DATE",
        help="ctf: the day the pupils join (default: the next 1 September)",
    )
    db_option(parser)


def _date(text: str) -> dt.date:
    from sencoplan.io.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def next_september(today: dt.date) -> dt.date:
    """The start of the next school year: when a CTF's Year 6 leavers join Year 7."""
    return dt.date(today.year if today.month < 9 else today.year + 1, 9, 1)


def import_school(db: Database, kind: str, text: str | None) -> tuple[str | None, list[str]]:
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


def _importer(kind: str) -> str:
    """A CTF is read as rows of the roll, by the pupils importer."""
    return "pupils" if kind == "ctf" else kind


def _import_ctf(db: Database, args: argparse.Namespace, school: str | None) -> tuple[Any, str]:
    """The CTF's pupils joined to the school (a part of the roll: no one is marked as left)."""
    from sencoplan.io.ctf import read_ctf
    from sencoplan.io.importers import import_table
    from sencoplan.store.schools import list_schools, schools_matching

    if not schools_matching(db, args.school):  # pupils join a school the file holds
        known = ", ".join(repr(s.name) for s in list_schools(db)) or "none yet"
        raise UsageError(
            f"no school called {args.school!r} for them to join (schools: {known}): a CTF's "
            "pupils join one of the file's schools"
        )
    joining = args.joining or next_september(dt.date.today())
    table, sender = read_ctf(args.file, joining)
    report = import_table(db, "pupils", table, school=school, dry_run=args.dry_run, full_roll=False)
    return report, sender


def run(args: argparse.Namespace) -> int:
    from sencoplan.io.errors import ImportRejected
    from sencoplan.io.importers import import_file

    if Path(args.file).is_dir():
        raise UsageError(f"{args.file} is a folder: give the CSV or XLSX file in it to import")
    if not Path(args.file).exists():
        raise UsageError(f"{args.file} does not exist: check the name and folder")
    if args.kind == "ctf" and not args.school:
        raise UsageError("a CTF joins pupils to a school: name it with --school")
    sender = ""
    try:
        with opened(args, create=True) as db:
            school, others = import_school(db, _importer(args.kind), args.school)
            if args.kind == "ctf":
                report, sender = _import_ctf(db, args, school)
            else:
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
    print("\n".join(report.lines()))
    if args.kind == "ctf":
        print(
            f"from the CTF of {sender or 'a school it does not name'}: joining on "
            f"{args.joining or next_september(dt.date.today()):%d/%m/%Y}"
        )
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
