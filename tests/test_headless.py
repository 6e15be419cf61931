"""The headless core never imports textual; the domain never imports sqlite_utils."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

WALK = """
import importlib, json, pkgutil, sys
imported = []
for name in {packages!r}:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({{"imported": imported, "loaded": sorted(sys.modules)}}))
"""


def walk(*packages: str) -> tuple[list[str], set[str]]:
    """Import the packages and all their submodules in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", WALK.format(packages=list(packages))],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    return out["imported"], set(out["loaded"])


def _top(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_domain_store_io_do_not_import_textual() -> None:
    imported, loaded = walk("sencoplan.domain", "sencoplan.store", "sencoplan.io")
    # The walk really reached the leaves (so this test can fail).
    for module in (
        "sencoplan.domain.upn",
        "sencoplan.domain.models",
        "sencoplan.store.db",
        "sencoplan.store.migrations",
        "sencoplan.io.tabular",
        "sencoplan.io.importers.pupils",
        "sencoplan.io.importers.supports",
        "sencoplan.io.sample",
    ):
        assert module in imported
    assert "textual" not in _top(loaded)
    assert "rich" not in _top(loaded)
    assert "sencoplan.tui" not in loaded
    assert "sqlite_utils" in _top(loaded)  # the store does use it


def test_domain_does_not_import_sqlite_utils() -> None:
    imported, loaded = walk("sencoplan.domain")
    assert "sencoplan.domain.codes" in imported
    assert "sencoplan.domain.models" in imported
    assert not {"sqlite_utils", "sqlite3", "textual"} & _top(loaded)
    assert not {name for name in loaded if name.startswith(("sencoplan.store", "sencoplan.io"))}


def test_the_cli_module_imports_no_textual_until_the_app_opens() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    code = "import sys, sencoplan.cli; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "False"
