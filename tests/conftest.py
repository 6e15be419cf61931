"""Fixtures for the unit tests of the headless core (domain, store, io)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.store import open_database
from sencoplan.store.schools import save_school
from tests.core_helpers import TODAY, WriteFile

# The same examples on every run, so a test run (and CI) passes or fails for the code, not
# for the draw; HYPOTHESIS_PROFILE=explore draws new and many more, to look for trouble.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


SLOW_MODULES = {
    "test_crash_safety.py",  # kills real processes, dozens of times
    "test_two_processes.py",  # real processes sharing one file
    "test_import_fuzz.py",  # hundreds of hostile files through every importer
    "test_import_fuzz_xlsx.py",
    "test_encryption.py",  # SQLCipher end to end, through the command line
}
"""Test files `pytest -m "not slow"` leaves out, with the Textual tests under tests/tui."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tier: the Textual tests and the files above."""
    for item in items:
        path = item.path
        if "tui" in path.parts or path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the app writes its exports in a test (never the tester's Documents), and a
    settings file of the test's own."""
    folder = tmp_path / "exports"
    monkeypatch.setenv("SENCOPLAN_EXPORTS", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return folder


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def db() -> Iterator[Database]:
    """An in-memory database with the schema applied."""
    database = open_database(":memory:")
    yield database
    database.close()


@pytest.fixture
def school(db: Database) -> School:
    return save_school(db, School(name="Oakfield Primary School", urn="123456"))


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """write_file("pupils.csv", text, encoding="utf-8") -> the path written.

    `encoding="utf-8-sig"` adds a byte-order mark; `encoding="cp1252"` is what Excel
    saves. Bytes are written as they are.
    """

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return write
