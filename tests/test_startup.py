"""What start-up loads: the app's first screen comes without numpy (sqlite-utils would
import it, for nothing sencoplan stores), and the plan solver still gets it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOADED = """
import json, sys
import sencoplan.tui.app
import sqlite_utils.db
before = "numpy" in sys.modules
import highspy, numpy
print(json.dumps({"numpy_at_start": before, "sqlite_utils_np": sqlite_utils.db.np is None,
                  "numpy_later": numpy.__name__}))
"""


def test_the_app_starts_without_numpy_and_the_solver_still_has_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOADED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found == {"numpy_at_start": False, "sqlite_utils_np": True, "numpy_later": "numpy"}
