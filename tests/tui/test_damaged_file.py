"""A file damaged part way through (a page the opening checks do not read) is said in the
app with how to restore it, and kept on screen: not SQLite's bare message for a moment."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sencoplan.tui.app import SencoplanApp, create_app
from tests.tui.conftest import TODAY, settle, wait_until


def _damage_the_pupils_table(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'pupils'"
        ).fetchone()
    conn.close()
    with open(path, "r+b") as damaged:
        damaged.seek((root - 1) * page_size)
        damaged.write(b"\xff" * page_size)


def _said(app: SencoplanApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_a_damaged_register_is_said_with_how_to_restore(small_db: Path) -> None:
    _damage_the_pupils_table(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: any("cannot be read" in m for m in _said(app)))
        message = next(m for m in _said(app) if "cannot be read" in m)
        assert "database disk image is malformed" in message
        assert "restore a backup with `sencoplan restore BACKUP`" in message
        damaged = next(n for n in app._notifications if "cannot be read" in str(n.message))
        assert damaged.timeout >= 60 and damaged.severity == "error"


async def test_a_file_that_is_not_sencoplans_stops_the_app_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing to show: the app stops before any screen, with the reason the command line
    gives for the same file (the `sencoplan` command prints it and exits 1)."""
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    app = create_app(other, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.opening_failure is not None)
    assert app.return_code == 1
    assert app.opening_failure == (
        f"{other} is not a sencoplan database: it already holds other tables"
    )
    with sqlite3.connect(other) as conn:  # and it was not changed
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["invoices"]
