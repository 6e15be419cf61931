"""Ticking people from a long staff list: type to narrow it by name or role, ctrl+t ticks
everyone shown, and what was ticked stays ticked while the list is narrowed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Select

from sencoplan.domain.models import StaffMember
from sencoplan.domain.staff_codes import Role
from sencoplan.store.db import open_database
from sencoplan.store.staff import save_staff
from sencoplan.tui.app import create_app
from sencoplan.tui.screens.pick_list import narrowed
from tests.tui.conftest import TODAY, add_spring_term, count, offered, settle

PICKS = [
    ("Amira Khan (SENCO)", "1"),
    ("Ben Ó Briain (Teacher)", "2"),
    ("Cara Jones (TA)", "3"),
    ("Tamsin Hale (Teacher)", "4"),
]


def test_a_role_named_whole_gives_everyone_in_it_and_nothing_else() -> None:
    # 'ta' is in Tamsin's name, but typed whole it is the role.
    assert narrowed(PICKS, "TA") == [("Cara Jones (TA)", "3")]
    assert [value for _, value in narrowed(PICKS, "teacher")] == ["2", "4"]
    assert narrowed(PICKS, "tam") == [("Tamsin Hale (Teacher)", "4")]
    assert narrowed(PICKS, "ó bri") == [("Ben Ó Briain (Teacher)", "2")]  # accents
    assert narrowed(PICKS, "O BRI") == narrowed(PICKS, "ó bri")  # and case ignored
    assert narrowed(PICKS, "  ") == PICKS


@given(st.text(max_size=6))
def test_narrowing_keeps_the_order_and_only_picks(typed: str) -> None:
    shown = narrowed(PICKS, typed)
    assert shown == [pick for pick in PICKS if pick in shown]


def _add_staff(db_path: Path) -> None:
    """Nine more: Oak Primary's 3 become 12, a list long enough to narrow."""
    db = open_database(db_path)
    try:
        (school_id,) = db.execute("SELECT id FROM schools").fetchone()
        for name, role in [
            *((f"Assistant {n}", Role.TA) for n in "ABCD"),
            *((f"Teacher {n}", Role.TEACHER) for n in "EFGHI"),
        ]:
            save_staff(db, StaffMember(school_id=school_id, name=name, role=role))
    finally:
        db.close()


async def test_tick_every_ta_then_one_teacher_by_name(small_db: Path) -> None:
    _add_staff(small_db)
    add_spring_term(small_db)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        module = form.query_one("#field-module_id", Select)
        module.value = next(value for label, value in module._options if "AUT1" in str(label))
        form.query_one("#filter-audience").focus()
        await pilot.press("t", "a")
        await settle(pilot)
        assert offered(form, "#field-audience") == [
            "Assistant A",
            "Assistant B",
            "Assistant C",
            "Assistant D",
            "Cara Jones",
        ]
        await pilot.press("ctrl+t")
        await pilot.press("backspace", "backspace", *"ben", "enter")
        await settle(pilot)
        assert offered(form, "#field-audience") == ["Ben Ó Briain"]
        assert form.focused is form.query_one("#field-audience")  # enter went to the list
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
    audience = count(small_db, "SELECT COUNT(*) FROM session_people WHERE part = 'audience'")
    assert audience == 6  # the five TAs, ticked while narrowed, and Ben
    tas = count(
        small_db,
        "SELECT COUNT(*) FROM session_people sp JOIN staff s ON s.id = sp.staff_id "
        "WHERE sp.part = 'audience' AND s.role = 'ta'",
    )
    assert tas == 5
