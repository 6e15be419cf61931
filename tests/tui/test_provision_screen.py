"""The Provision screen: the costed map from a provisions file, and its export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from sencoplan.io.importers import import_file
from sencoplan.store.db import open_database
from sencoplan.tui.app import create_app
from sencoplan.tui.screens.form import RecordForm
from sencoplan.tui.screens.provision import ProvisionScreen
from tests.tui.conftest import TODAY, settle, text_of

ZOE = "V951200005001"  # on the small school's roll, SLCN


def _provisions(small_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "provisions.csv"
    path.write_text(
        "UPN,Provision,Need,Kind,Delivered By,Group Size,Sessions Per Week,Minutes,Weeks,"
        "Cost Per Hour\n"
        f"{ZOE},Talk Boost,SLCN,small group,Cara Jones,1,3,30,10,£14\n",
        encoding="utf-8",
    )
    db = open_database(small_db)
    try:
        import_file(db, "provisions", path, school="Oak Primary", today=TODAY)
    finally:
        db.close()


async def test_the_provision_screen_shows_the_costed_map_and_writes_it(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exports: Path
) -> None:
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProvisionScreen)
        assert "No provisions this school year" in text_of(
            screen.query_one("#provision-summary", Static)
        )

    _provisions(small_db, tmp_path)
    monkeypatch.chdir(tmp_path)
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 45)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        table = app.screen.query_one("#provisions", DataTable)
        # £14 x 0.5 h x 3 a week x 10 weeks, a group of one: £210.
        assert [str(cell) for cell in table.get_row_at(0)] == [
            "Talk Boost",
            "1",
            "£210",
            "£210",
            "not reviewed yet",
            "1.5",
            "Cara Jones",
            "SLCN",
            "small group",
        ]
        places = app.screen.query_one("#places", DataTable)
        row = [str(cell) for cell in places.get_row_at(0)]
        assert [row[0], row[1], row[4], row[5]] == [
            "Zoë O'Brien, Y4",
            "£210",
            "Cara Jones",
            "3 x 30 min, 10 wk",
        ]
        await pilot.press("ctrl+r")  # presenter mode: initials, at once
        await settle(pilot)
        assert str(places.get_row_at(0)[0]) == "Z. O., Y4"
        assert [str(c) for c in places.get_row_at(0)[2:4]] == ["hidden", "hidden"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert str(places.get_row_at(0)[0]) == "Zoë O'Brien, Y4"
        summary = text_of(app.screen.query_one("#provision-summary", Static))
        assert (
            "2026/27\nTotal: £210 (no notional SEN budget set" in summary
            and "Pupils whose support costs more than £6,000 a year: 0" in summary
        )
        await pilot.press("x")
        await settle(pilot)
    (written,) = exports.glob("provision-map-*.md")
    assert "| Talk Boost | small group | SLCN | fewer than 5 |" in written.read_text("utf-8")
    assert ZOE not in written.read_text("utf-8")
    if os.name == "posix":
        assert written.stat().st_mode & 0o077 == 0


def _stored(small_db: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_database(small_db)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


async def test_add_change_review_and_end_a_place(small_db: Path) -> None:
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-pupil_id", Input).value = "Ann Smyth"  # misspelt
        form.query_one("#field-provision", Input).value = "1:1 autism support"
        form.query_one("#field-kind", Select).value = "one_to_one"
        form.query_one("#field-needs", Input).value = "ASD"
        form.query_one("#field-delivered_by", Input).value = "Cara Jone"
        form.query_one("#field-sessions_per_week", Input).value = "5"
        form.query_one("#field-minutes", Input).value = "60"
        form.query_one("#field-cost_per_hour", Input).value = "£16"
        form.query_one("#field-review_date", Input).value = "01/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "did you mean Ann Smith" in text_of(form.query_one("#error-pupil_id", Static))
        form.query_one("#field-pupil_id", Input).value = "ann smith"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "did you mean Cara Jones" in text_of(form.query_one("#error-delivered_by", Static))
        assert _stored(small_db, "SELECT COUNT(*) FROM pupil_provisions") == [(0,)]
        form.query_one("#field-delivered_by", Input).value = "Cara Jones"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        assert _stored(
            small_db,
            "SELECT p.name, p.kind, x.group_size, x.sessions_per_week, x.minutes, x.start, "
            "(SELECT group_concat(need) FROM provision_needs n WHERE n.provision_id = p.id) "
            "FROM pupil_provisions x JOIN provisions p ON p.id = x.provision_id",
        ) == [("1:1 autism support", "one_to_one", 1, 5.0, 60, TODAY.isoformat(), "ASD")]
        table = app.screen.query_one("#provisions", DataTable)
        # £16 x 5 hours a week x 38 weeks.
        assert [str(c) for c in table.get_row_at(0)][2] == "£3,040"
        places = app.screen.query_one("#places", DataTable)
        assert str(places.get_row_at(0)[2]) == "01/11/26 overdue"

        # Changing it: fewer sessions.
        places.focus()
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-sessions_per_week", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _stored(small_db, "SELECT sessions_per_week FROM pupil_provisions") == [(2.0,)]

        # Its review: partly met, and it continues with a new review date.
        places.focus()
        await pilot.press("v")
        await settle(pilot)
        review = app.screen
        review.query_one("#field-outcome", Select).value = "partly_met"
        review.query_one("#field-entry_measure", Input).value = "4"
        review.query_one("#field-exit_measure", Input).value = "6"
        review.query_one("#field-next_review", Input).value = "01/02/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _stored(
            small_db,
            "SELECT outcome, entry_measure, exit_measure, continues FROM provision_reviews",
        ) == [("partly_met", 4.0, 6.0, 1)]
        assert _stored(small_db, "SELECT review_date FROM pupil_provisions") == [("2027-02-01",)]
        row = [str(c) for c in app.screen.query_one("#places", DataTable).get_row_at(0)]
        assert row[2:4] == ["01/02/27", "partly met 23/11/26 (+2)"]
        assert [str(c) for c in table.get_row_at(0)][4] == "0 of 1 met, 1 partly (+2.0)"

        # Ending it.
        app.screen.query_one("#places", DataTable).focus()
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _stored(small_db, 'SELECT "end" FROM pupil_provisions') == [(TODAY.isoformat(),)]


async def test_an_external_provider_is_only_for_an_external_provision(small_db: Path) -> None:
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-pupil_id", Input).value = ZOE
        form.query_one("#field-provision", Input).value = "Speech therapy"
        form.query_one("#field-delivered_by", Input).value = "Able Speech Ltd"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "choose the kind External" in text_of(form.query_one("#error-delivered_by", Static))
        form.query_one("#field-kind", Select).value = "external"
        form.query_one("#field-cost_per_hour", Input).value = "70"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _stored(small_db, "SELECT staff_id, provider FROM pupil_provisions") == [
        (None, "Able Speech Ltd")
    ]


async def test_a_name_two_pupils_share_is_refused_naming_each(small_db: Path) -> None:
    from sencoplan.domain.codes import Tier
    from sencoplan.domain.models import Pupil
    from sencoplan.store.pupils import save_pupil
    from tests.core_helpers import make_upn

    db = open_database(small_db)
    twin = make_upn(77)
    save_pupil(
        db,
        Pupil(school_id=1, display_name="Ann Smith", upn=twin, year_group="6", tier=Tier.UNIVERSAL),
    )
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-pupil_id", Input).value = "ann smith"
        form.query_one("#field-provision", Input).value = "Talk Boost"
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = text_of(form.query_one("#error-pupil_id", Static))
        assert "2 pupils are called ann smith" in said
        # Told apart by year, class and tier as well as UPN.
        assert "Year 4, 4K, Specialist (V951000016049)" in said
        assert f"Year 6, Universal ({twin})" in said
        form.query_one("#field-pupil_id", Input).value = twin
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _stored(small_db, "SELECT pupil_id FROM pupil_provisions") == [
        _stored(small_db, f"SELECT id FROM pupils WHERE upn = '{twin}'")[0]
    ]


async def test_a_pupil_added_to_a_group_starts_from_it_and_resizes_it(
    small_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "provisions.csv"
    path.write_text(
        "UPN,Provision,Need,Kind,Delivered By,Group Size,Sessions Per Week,Minutes,Weeks,"
        "Cost Per Hour,Start\n"
        f"{ZOE},Talk Boost,SLCN,small group,Cara Jones,2,3,30,10,£14,{TODAY:%d/%m/%Y}\n"
        f"V951000016049,Talk Boost,SLCN,small group,Cara Jones,2,3,30,10,£14,{TODAY:%d/%m/%Y}\n",
        encoding="utf-8",
    )
    db = open_database(small_db)
    import_file(db, "provisions", path, school="Oak Primary", today=TODAY)
    db.close()
    app = create_app(small_db, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        values = {
            name: form.query_one(f"#field-{name}", Input).value
            for name in ("provision", "delivered_by", "group_size", "minutes", "cost_per_hour")
        }
        assert values == {
            "provision": "Talk Boost",
            "delivered_by": "Cara Jones",
            "group_size": "3",
            "minutes": "30",
            "cost_per_hour": "14",
        }
        form.query_one("#field-pupil_id", Input).value = "Dev Patel"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
    assert _stored(small_db, "SELECT group_size FROM pupil_provisions ORDER BY id") == [
        (3,),
        (3,),
        (3,),
    ]
