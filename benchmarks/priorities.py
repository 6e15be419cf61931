"""How long priorities take on the sample trust, beside the floor of one plain SQL aggregate.

Run: `.venv/bin/python benchmarks/priorities.py` (prints medians of repeated runs).
A report, not a test: speed goals live here, never in timed tests.
"""

from __future__ import annotations

import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sencoplan.io.sample import load_sample
from sencoplan.store.db import open_database
from sencoplan.store.priorities import load_priorities
from sencoplan.store.schools import list_schools

RUNS = 15
TODAY = dt.date(2026, 11, 23)

FLOOR_SQL = """
SELECT primary_need, tier, COUNT(*) FROM pupils
WHERE tier != 'universal' AND (on_roll_to IS NULL OR on_roll_to >= ?)
GROUP BY primary_need, tier
"""


def median_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import sqlite3

    import textual

    print(
        f"python {platform.python_version()} on {platform.machine()}, sqlite "
        f"{sqlite3.sqlite_version}, textual {textual.__version__}"
    )
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        load_sample(db, today=TODAY)
        floor = median_ms(lambda: db.execute(FLOOR_SQL, (TODAY.isoformat(),)).fetchall())
        print(f"{'what':40} {'median ms':>10}")
        print(f"{'floor: one SQL aggregate over pupils':40} {floor:10.1f}")
        for school in list_schools(db):
            took = median_ms(lambda school=school: load_priorities(db, TODAY, school.id))
            print(f"{'priorities: ' + school.name:40} {took:10.1f}")
        took = median_ms(lambda: load_priorities(db, TODAY, None))
        print(f"{'priorities: whole trust':40} {took:10.1f}")
        db.close()


if __name__ == "__main__":
    sys.exit(main())
