"""A few pictures of the screens at a fixed size: layout changes show up in review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from sencoplan.domain.sessions import CpdSession
from sencoplan.store.db import open_database
from sencoplan.store.sessions import save_session
from sencoplan.store.terms import list_terms
from sencoplan.tui.app import create_app
from tests.tui.conftest import TODAY, add_spring_term, settle

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


def test_welcome_screen_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """All three ways in, whole, and i (import) in the footer."""
    app = create_app(tmp_path / "empty.db", today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


async def _on_planner_with_a_session_on_half_term(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)


def test_planner_screen_with_a_conflict(snap_compare: Any, small_db: Path) -> None:
    """Weeks with closures and reviews, a session on half term, and the conflict it makes."""
    add_spring_term(small_db)
    db = open_database(small_db)
    term = next(t for t in list_terms(db, 1) if t.name == "Spring 2027")
    assert term.id is not None
    db.execute("UPDATE pupils SET ehcp_review_due = '2027-01-13' WHERE tier = 'specialist'")
    save_session(
        db,
        CpdSession(
            term_id=term.id,
            school_id=1,
            day=dt.date(2027, 2, 16),
            start=dt.time(15, 45),
            minutes=60,
            title="Autism awareness",
            facilitators=(1,),
            audience=(2, 3),
        ),
    )
    db.conn.commit()
    db.close()
    app = create_app(small_db, today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_on_planner_with_a_session_on_half_term)


async def _on_succession(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("6")
    await settle(pilot)


def test_succession_screen(snap_compare: Any, small_db: Path) -> None:
    """Roles with a vacancy, and the risks (NPQ deadline, no deputy) beside them."""
    app = create_app(small_db, today=TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_on_succession)


async def _on_priorities(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)


def test_priorities_at_80_by_24(snap_compare: Any, small_db: Path) -> None:
    """The smallest terminal: the footer keeps the screen's keys, F1 and quit."""
    app = create_app(small_db, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_on_priorities)


def test_provision_at_80_by_24(snap_compare: Any, small_db: Path) -> None:
    async def on_provision(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)

    app = create_app(small_db, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_provision)
