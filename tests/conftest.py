"""Fixtures for the unit tests of the headless core (domain, store, io)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from core_helpers import TODAY, WriteFile
from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.store import open_database
from sencoplan.store.schools import save_school


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
