"""The README stays true: every heading the importers accept is documented there."""

from __future__ import annotations

from pathlib import Path

import pytest

from sencoplan.cli.imports import IMPORT_KINDS
from sencoplan.io.importers import IMPORTERS
from sencoplan.tui.screens.import_file import KIND_LABELS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_accepted_heading_is_in_the_readme(kind: str) -> None:
    missing = [
        heading
        for column in IMPORTERS[kind].columns
        for heading in column.headings
        if f"`{heading}`" not in README
    ]
    assert missing == []


def test_every_import_kind_is_in_the_readme_and_the_cli() -> None:
    assert set(IMPORT_KINDS) == set(IMPORTERS)
    assert set(KIND_LABELS) == set(IMPORTERS)  # the app's import dialog offers every kind
    for kind in IMPORT_KINDS:
        assert f"`{kind}`" in README


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/pip install -e '.[test]' && .venv/bin/pytest -n auto\n" in README
    assert ".venv/bin/pip install --quiet -e '.[test]'" in ci
    assert "\n.venv/bin/pytest -n auto\n" in ci
