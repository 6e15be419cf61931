"""Helpers shared by the core unit tests (imported as `tests.core_helpers`).

Every pupil here is invented. The UPNs are built with the DfE check-letter algorithm
from made-up LA and establishment numbers, so they are valid but belong to nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.upn import CHECK_LETTERS, check_letter

TODAY = dt.date(2026, 11, 23)

WriteFile = Callable[..., Path]
"""The `write_file` fixture: write_file(name, text or bytes, encoding="utf-8") -> path."""

TABLES = (
    "schools",
    "pupils",
    "staff",
    "supports",
    "modules",
    "module_needs",
    "training_records",
    "qualifications",
    "confidence",
    "provisions",
    "provision_needs",
    "pupil_provisions",
    "role_rates",
    "provision_reviews",
    "pupil_reviews",
)


def make_upn(serial: int, *, la: str = "951", estab: str = "2000", year: str = "15") -> str:
    """A valid permanent UPN: check letter + LA + establishment + year + 3-digit serial.

    LA 951 by default: no authority has a code from 950 to 999, so no test UPN is a child's.
    """
    body = f"{la}{estab}{year}{serial:03d}"
    return check_letter(body) + body


def wrong_check_letter(upn: str) -> str:
    """The same UPN with the next check letter along: never the right one."""
    index = CHECK_LETTERS.index(upn[0])
    return CHECK_LETTERS[(index + 1) % len(CHECK_LETTERS)] + upn[1:]


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: to prove that nothing was written."""
    return {
        table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES
    }


def counts(db: Database) -> dict[str, int]:
    return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def csv_text(headings: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    """A CSV file's text, quoted where needed, with Windows line endings as Excel writes."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue()


def pupil_rows(db: Database) -> list[tuple[Any, ...]]:
    """Every pupil as stored, without ids, ordered by UPN."""
    return db.execute(
        """
        SELECT upn, display_name, date_of_birth, year_group, tier, primary_need,
               secondary_need, reg_group, on_roll_from, on_roll_to, plan_review_due,
               ehcp_review_due
        FROM pupils ORDER BY upn
        """
    ).fetchall()
