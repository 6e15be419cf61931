"""What start-up loads: the app's first screen comes without numpy (sqlite-utils would
import it, for nothing sencoplan stores) and without SQLCipher (no key file is set), and
the plan solver still gets numpy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOADED = """
import json, sys
import sencoplan.tui.app
import sqlite_utils.db
before = "numpy" in sys.modules
cipher = "sqlcipher3" in sys.modules
import highspy, numpy
print(json.dumps({"numpy_at_start": before, "sqlite_utils_np": sqlite_utils.db.np is None,
                  "numpy_later": numpy.__name__, "sqlcipher_at_start": cipher}))
"""


def test_the_app_starts_without_numpy_or_sqlcipher_and_the_solver_has_numpy() -> None:
    env = {key: value for key, value in os.environ.items() if key != "SENCOPLAN_KEY_FILE"}
    done = subprocess.run(
        [sys.executable, "-c", LOADED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == {
        "numpy_at_start": False,
        "sqlite_utils_np": True,
        "numpy_later": "numpy",
        "sqlcipher_at_start": False,
    }
