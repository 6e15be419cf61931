"""The invented demo trust in sample_data/, loaded through the importers a user uses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from sencoplan.io.importers import import_file
from sencoplan.io.report import ImportReport
from sencoplan.io.shipped import shipped_folder
from sencoplan.store.db import write_transaction
from sencoplan.store.schools import list_schools

SCHOOL_FILES = (
    "staff",
    "pupils",
    "supports",
    "provisions",
    "training",
    "confidence",
    "qualifications",
    "terms",
    "roles",
    "candidates",
    "actions",
    "leaders",
)
"""Each school's files, in the order they can be imported (staff before their training,
roles before their candidates and development actions)."""


def sample_data_dir() -> Path:
    """Inside the installed package, or beside it in a source checkout."""
    return shipped_folder("sample_data")


def school_folder(name: str) -> str:
    """'Oakfield Primary School' -> 'oakfield-primary-school'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_sample(
    db: Database,
    folder: Path | None = None,
    *,
    today: dt.date | None = None,
    on_import: Callable[[ImportReport], None] | None = None,
) -> list[ImportReport]:
    """Import the schools, the catalogue, then each school's files, all in one transaction."""
    folder = folder or sample_data_dir()
    reports: list[ImportReport] = []

    def run(kind: str, path: Path, school: str | None = None) -> None:
        report = import_file(db, kind, path, school=school, today=today)
        reports.append(report)
        if on_import:
            on_import(report)

    with write_transaction(db):
        run("schools", folder / "schools.csv")
        run("modules", folder / "modules.csv")
        for school in list_schools(db):
            school_dir = folder / school_folder(school.name)
            for kind in SCHOOL_FILES:
                path = school_dir / f"{kind}.csv"
                if path.exists():
                    run(kind, path, school.name)
    return reports
