"""`sencoplan retention`: leavers' records past each school's retention period, listed,
the period set, and (with --purge) the records deleted after a backup."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sencoplan.cli.common import (
    EXIT_OK,
    UsageError,
    db_option,
    db_path,
    named_school,
    opened,
    scope_options,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from sencoplan.domain.models import School
    from sencoplan.store.retention import PurgeResult, SchoolRetention


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Each school sets how many months it keeps the records of pupils and staff after "
        "they leave (--months). Lists the records past that period, without names unless "
        "--names; --purge deletes them (after a backup) all at once. With no period set, "
        "nothing is due."
    )
    scope_options(parser)
    parser.add_argument(
        "--months",
        type=retention_months,
        default=argparse.SUPPRESS,  # not given: leave the period as it is
        metavar="N",
        help="set the period: months after leaving (1 to 1200), or 'off' to unset it",
    )
    parser.add_argument(
        "--purge", action="store_true", help="delete the records listed (a backup is taken first)"
    )
    parser.add_argument(
        "--names", action="store_true", help="show names in the list, to check before a purge"
    )
    db_option(parser)


def retention_months(text: str) -> int | None:
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


def _set_periods(db: Database, schools: list[School], args: argparse.Namespace) -> None:
    from sencoplan.domain.messages import counted
    from sencoplan.store.retention import set_retention

    if len(schools) > 1 and not args.trust:
        raise UsageError(
            "the file holds several schools: give --school NAME (or --trust to set the "
            "period for every school)"
        )
    for school in schools:
        assert school.id is not None
        set_retention(db, school.id, args.months)
        said = "not set" if args.months is None else counted(args.months, "month")
        print(f"{school.name}: retention period {said}")


def _list_due(entry: SchoolRetention, names: bool) -> None:
    from sencoplan.domain.messages import counted

    if entry.months is None or entry.keep_from is None:
        print(f"{entry.school}: no retention period set, so nothing is due")
        return
    print(
        f"{entry.school}: records kept {counted(entry.months, 'month')} after leaving; "
        f"due: those who left before {entry.keep_from:%d/%m/%Y}"
    )
    for record in entry.due:
        name = f"  {record.name or ''}" if names else ""
        print(
            f"  {record.kind:<5} #{record.id:<6} left {record.left:%d/%m/%Y}  {record.detail}{name}"
        )
    pupils, staff = entry.count("pupil"), entry.count("staff")
    print(
        f"  due: {counted(pupils, 'pupil')}, "
        f"{counted(staff, 'member of staff', 'members of staff')}"
    )


def _said_purged(result: PurgeResult) -> None:
    if not result.removed:
        print("nothing to purge")
        return
    removed = ", ".join(f"{table.replace('_', ' ')} {n}" for table, n in result.removed.items())
    print(f"purged: {removed}")
    if result.backup is not None:
        print(
            f"the backup taken first, {result.backup}, still holds these records: it is deleted "
            f"when newer automatic backups replace it, or delete it yourself"
        )


def run(args: argparse.Namespace) -> int:
    """List the records past each school's period; set the period; purge them."""
    import datetime as dt

    from sencoplan.store.retention import due_records, purge
    from sencoplan.store.schools import list_schools

    today = dt.date.today()
    with opened(args) as db:
        schools = [named_school(db, args.school)] if args.school else list_schools(db)
        ids = [school.id for school in schools if school.id is not None]
        if "months" in vars(args):
            _set_periods(db, schools, args)
        found = due_records(db, today, ids)
        for entry in found:
            _list_due(entry, args.names)
        if not args.purge:
            if any(entry.due for entry in found):
                print("nothing was deleted: --purge deletes these records (after a backup)")
            return EXIT_OK
        result = purge(db, db_path(args), today, ids)
    _said_purged(result)
    return EXIT_OK
