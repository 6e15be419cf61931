"""A few pictures of the screens at a fixed size: layout changes show up in review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from sencoplan.tui.app import create_app
from tests.tui.conftest import TODAY, settle

SIZE = (140, 40)


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def _on_staff(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def _on_training(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


def test_pupils_screen(snap_compare: Any, small_db: Path) -> None:
    assert snap_compare(create_app(small_db, today=TODAY), terminal_size=SIZE, run_before=_settled)


def test_staff_screen(snap_compare: Any, small_db: Path) -> None:
    assert snap_compare(create_app(small_db, today=TODAY), terminal_size=SIZE, run_before=_on_staff)


def test_training_screen(snap_compare: Any, small_db: Path) -> None:
    app = create_app(small_db, today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_on_training)


def test_welcome_screen(snap_compare: Any, tmp_path: Path) -> None:
    app = create_app(tmp_path / "empty.db", today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settled)
