"""The files a command names: a mistake in the command is a usage error (exit 2) found
before any work, and `demo --force` replaces a file only as carefully as a restore does.
"""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from core_helpers import snapshot
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.io import sample
from sencoplan.io.errors import ImportRejected
from sencoplan.store.db import open_database, write_transaction
from sencoplan.store.schools import list_schools


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


def _own_file(path: Path) -> Path:
    """A user's own database: one school the sample trust does not have."""
    db = open_database(path)
    with write_transaction(db):
        db.execute("INSERT INTO schools (name) VALUES ('Our Own Primary')")
    db.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(path)
    try:
        return snapshot(db)
    finally:
        db.close()


def _school_names(path: Path) -> list[str]:
    db = open_database(path)
    try:
        return [school.name for school in list_schools(db)]
    finally:
        db.close()


def test_demo_force_keeps_the_file_it_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _own_file(tmp_path / "mine.db")
    before = _contents(path)
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    kept = list((tmp_path / "backups").glob("mine-before-demo-*.db"))
    assert len(kept) == 1
    assert f"the file it replaced is kept as {kept[0]}" in out
    assert _contents(kept[0]) == before
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert "Our Own Primary" not in _school_names(path)
    assert "Our Own Primary" in _school_names(kept[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_demo_force_refuses_another_programs_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "accounts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (amount)")
    before = _digest(path)
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 1
    assert "not a sencoplan database" in capsys.readouterr().err
    assert _digest(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_demo_force_changes_nothing_when_the_sample_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(db: Database, on_import: object = None) -> None:
        with write_transaction(db):
            db.execute("INSERT INTO schools (name) VALUES ('Half Built')")
        raise ImportRejected("pupils.csv", [])

    monkeypatch.setattr(sample, "load_sample", refused)
    path = _own_file(tmp_path / "mine.db")
    before = _digest(path)
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 1
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


@pytest.mark.parametrize(
    "argv, says",
    [
        (["backup", "{db}"], "is the database itself"),
        (["backup", "{tmp}/missing/copy.db"], "missing is not a folder"),
        (["restore", "{tmp}/missing.db"], "missing.db does not exist"),
        (["export", "priorities", "-o", "{tmp}/missing/report.md"], "is not a folder"),
        (["export", "gaps", "-o", "{tmp}"], "is a folder: give a file name"),
    ],
)
def test_a_file_named_wrongly_is_a_usage_error_and_nothing_is_written(
    tmp_path: Path, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _own_file(tmp_path / "mine.db")
    before = sorted(p.name for p in tmp_path.iterdir())
    filled = [part.format(db=path, tmp=tmp_path) for part in argv]
    assert main([*filled, "--db", str(path)]) == 2
    assert says in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
