"""Leavers: kept out of planning while their records are kept, and purged once they are past
the retention period their school sets."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.io.sample import load_sample
from sencoplan.store.db import open_database
from sencoplan.store.planning import suggest_for_term
from sencoplan.store.priorities import load_priorities
from sencoplan.store.retention import (
    RetentionError,
    due_records,
    keep_from,
    purge,
    set_retention,
)
from sencoplan.store.terms import find_term
from sencoplan.store.workload import load_workload
from tests.core_helpers import TODAY

OAK, ASH = 1, 2


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


def _day(days_ago: int, today: dt.date = TODAY) -> str:
    return (today - dt.timedelta(days=days_ago)).isoformat()


def _insert(db: Database, table: str, **row: Any) -> int:
    columns, marks = ", ".join(row), ", ".join("?" for _ in row)
    cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _people(db: Database, today: dt.date) -> dict[str, int]:
    """Two schools: Oak keeps records 12 months; Ash has no period set. In each, someone on
    roll, someone who left 11 months ago, and someone who left over a year ago."""
    ids: dict[str, int] = {}
    db.execute("INSERT INTO schools (id, name) VALUES (1, 'Oak School'), (2, 'Ash School')")
    module = _insert(db, "modules", code="ASD-1", title="Autism", level="targeted")
    for school, prefix in ((OAK, "oak"), (ASH, "ash")):
        for who, left in (("here", None), ("recent", _day(330, today)), ("old", _day(400, today))):
            pupil = _insert(
                db,
                "pupils",
                school_id=school,
                year_group="6",
                tier="specialist",
                primary_need="ASD",
                display_name=f"{prefix} {who} pupil",
                upn=None,
                date_of_birth="2014-03-01",
                on_roll_to=left,
            )
            staff = _insert(
                db,
                "staff",
                school_id=school,
                name=f"{prefix} {who} staff",
                role="ta",
                leaving_date=left,
            )
            ids[f"{prefix} {who} pupil"], ids[f"{prefix} {who} staff"] = pupil, staff
            _insert(db, "supports", school_id=school, staff_id=staff, pupil_id=pupil)
            _insert(
                db, "training_records", staff_id=staff, module_id=module, completed="2020-01-01"
            )
            _insert(db, "qualifications", staff_id=staff, kind="other", title="Level 3")
            _insert(db, "confidence", staff_id=staff, need="ASD", rating=3, rated_on="2021-01-01")
            _insert(db, "module_leaders", staff_id=staff, module_id=module)
    # The old adult at Oak still holds a role, is a candidate, has an action and led a session.
    old = ids["oak old staff"]
    role = _insert(
        db, "succession_roles", school_id=OAK, kind="senco", title="SENCO", holder_id=old
    )
    _insert(db, "succession_candidates", role_id=role, staff_id=old, readiness="ready_now")
    _insert(db, "development_actions", school_id=OAK, staff_id=old, action="NPQ", role_id=role)
    term = _insert(
        db,
        "terms",
        school_id=OAK,
        name="Summer",
        start="2025-04-20",
        end="2025-07-20",
        slot_rule="FREQ=WEEKLY;BYDAY=TU",
        slot_start="15:30",
        slot_minutes=60,
    )
    session = _insert(
        db, "sessions", term_id=term, school_id=OAK, day="2025-05-06", start="15:30", minutes=60
    )
    _insert(db, "session_people", session_id=session, staff_id=old, part="facilitator")
    db.conn.commit()
    return ids


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sencoplan.db"
    db = open_database(path)
    try:
        _people(db, TODAY)
        set_retention(db, OAK, 12)
    finally:
        db.close()
    yield path


def _ids(db: Database, table: str) -> set[int]:
    return {row[0] for row in db.execute(f"SELECT id FROM {table}")}


def test_only_records_past_the_period_of_a_school_that_set_one_are_due(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        ids = _name_ids(db)
        oak, ash = due_records(db, TODAY)[::-1]  # ordered by name: Ash, Oak
    finally:
        db.close()
    assert (ash.school, ash.months, ash.keep_from, ash.due) == ("Ash School", None, None, [])
    assert (oak.school, oak.months) == ("Oak School", 12)
    assert oak.keep_from == dt.date(2025, 11, 23)
    assert [(r.kind, r.id) for r in oak.due] == [
        ("pupil", ids["oak old pupil"]),
        ("staff", ids["oak old staff"]),
    ]
    assert oak.due[0].detail == "Year 6, specialist"
    assert oak.due[1].detail == "TA"


def _name_ids(db: Database) -> dict[str, int]:
    """'oak old pupil' -> its id, 'oak old staff' -> theirs."""
    rows = db.execute("SELECT display_name, id FROM pupils UNION ALL SELECT name, id FROM staff")
    return dict(rows.fetchall())


@pytest.mark.parametrize(
    ("left", "due"),
    [
        (dt.date(2025, 11, 23), False),  # exactly 12 months ago: kept today
        (dt.date(2025, 11, 22), True),  # a day more: due
    ],
)
def test_the_period_is_counted_from_the_last_day_on_roll(left: dt.date, due: bool) -> None:
    assert keep_from(TODAY, 12) == dt.date(2025, 11, 23)
    db = open_database(":memory:")
    try:
        db.execute("INSERT INTO schools (id, name, retention_months) VALUES (1, 'Oak', 12)")
        db.execute(
            "INSERT INTO pupils (school_id, year_group, on_roll_to) VALUES (1, '3', ?)",
            (left.isoformat(),),
        )
        assert bool(due_records(db, TODAY)[0].due) is due
    finally:
        db.close()


def test_purge_removes_what_is_due_with_what_refers_to_it_and_nothing_else(
    db_path: Path,
) -> None:
    db = open_database(db_path)
    try:
        ids = _name_ids(db)
        before = {t: _ids(db, t) for t in ("pupils", "staff", "supports", "training_records")}
        result = purge(db, db_path, TODAY)
        gone_pupil, gone_staff = ids["oak old pupil"], ids["oak old staff"]
        assert _ids(db, "pupils") == before["pupils"] - {gone_pupil}
        assert _ids(db, "staff") == before["staff"] - {gone_staff}
        for table in ("supports", "training_records", "qualifications", "confidence"):
            assert db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE staff_id = ?", (gone_staff,)
            ).fetchone() == (0,)
        assert len(_ids(db, "supports")) == len(before["supports"]) - 1
        for table in ("succession_candidates", "development_actions", "session_people"):
            assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
        # The role stays, vacant; the session and the module stay.
        assert db.execute("SELECT holder_id FROM succession_roles").fetchall() == [(None,)]
        assert db.execute("SELECT COUNT(*) FROM sessions").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM modules").fetchone() == (1,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert due_records(db, TODAY)[1].due == []
    finally:
        db.close()
    assert result.removed == {
        "pupils": 1,
        "staff": 1,
        "supports": 1,
        "training_records": 1,
        "qualifications": 1,
        "confidence": 1,
        "session_people": 1,
        "succession_candidates": 1,
        "development_actions": 1,
        "module_leaders": 1,
    }
    # The backup taken first still holds them, readable by the owner only.
    assert result.backup is not None
    assert result.backup.parent == db_path.parent / "backups"
    assert result.backup.name.startswith("sencoplan-before-purge-")
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o600
    with sqlite3.connect(result.backup) as old:
        assert (ids["oak old pupil"],) in old.execute("SELECT id FROM pupils").fetchall()


def test_purge_is_all_or_nothing(db_path: Path) -> None:
    """A record that must not lose its person (here a table a later version might add, whose
    rows refuse the delete) stops the whole purge: nothing is deleted."""
    db = open_database(db_path)
    try:
        db.execute(
            "CREATE TABLE keep_me (staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT)"
        )
        db.execute("INSERT INTO keep_me VALUES (?)", (_name_ids(db)["oak old staff"],))
        db.conn.commit()
        before = {t: _ids(db, t) for t in ("pupils", "staff", "supports")}
        with pytest.raises(RetentionError, match="nothing was purged"):
            purge(db, db_path, TODAY)
        assert {t: _ids(db, t) for t in ("pupils", "staff", "supports")} == before
        assert not db.conn.in_transaction
    finally:
        db.close()


def test_nothing_due_nothing_purged_and_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "sencoplan.db"
    db = open_database(path)
    try:
        _people(db, TODAY)  # no period set for either school
        result = purge(db, path, TODAY)
        assert result.removed == {} and result.backup is None
        assert db.execute("SELECT COUNT(*) FROM pupils").fetchone() == (6,)
    finally:
        db.close()
    assert not (tmp_path / "backups").exists()


def test_a_period_must_be_whole_months(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        with pytest.raises(ValueError, match="1 to 1200"):
            set_retention(db, OAK, 0)
        set_retention(db, OAK, None)
        assert due_records(db, TODAY)[1].months is None
    finally:
        db.close()


# The command line (today is the real today here, so the records are made around it).


@pytest.fixture
def cli_db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    db = open_database(path)
    try:
        _people(db, dt.date.today())
    finally:
        db.close()
    return path


def test_the_list_names_no_one_unless_asked(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retention", "--db", str(cli_db)]) == 0
    out = capsys.readouterr().out
    assert "Ash School: no retention period set, so nothing is due" in out
    assert "Oak School: no retention period set, so nothing is due" in out

    assert main(["retention", "--school", "oak", "--months", "12", "--db", str(cli_db)]) == 0
    out = capsys.readouterr().out
    assert "Oak School: retention period 12 months" in out
    assert "Oak School: records kept 12 months after leaving" in out
    assert "due: 1 pupil, 1 member of staff" in out
    assert "nothing was deleted: --purge deletes these records" in out
    assert "pupil" in out and "Year 6, specialist" in out
    for private in ("oak old", "oak recent", "2014", "01/03/2014"):
        assert private not in out

    assert main(["retention", "--names", "--db", str(cli_db)]) == 0
    out = capsys.readouterr().out
    assert "oak old pupil" in out and "oak old staff" in out
    assert "oak recent" not in out and "ash old" not in out
    with sqlite3.connect(cli_db) as db:  # listing never deletes
        assert db.execute("SELECT COUNT(*) FROM pupils").fetchone() == (6,)


def test_purge_from_the_command_line(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["retention", "--db", str(cli_db)]
    assert main([*args, "--trust", "--months", "12"]) == 0
    capsys.readouterr()
    assert main([*args, "--purge"]) == 0
    out = capsys.readouterr().out
    assert "purged: pupils 2, staff 2, supports 2, training records 2" in out
    assert "still holds these records" in out
    with sqlite3.connect(cli_db) as db:
        names = {row[0] for row in db.execute("SELECT display_name FROM pupils")}
    assert names == {"oak here pupil", "oak recent pupil", "ash here pupil", "ash recent pupil"}
    assert len(list((tmp_path / "backups").glob("cli-before-purge-*.db"))) == 1
    assert main([*args, "--purge"]) == 0
    assert "nothing to purge" in capsys.readouterr().out


def test_months_for_several_schools_needs_school_or_trust(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retention", "--months", "12", "--db", str(cli_db)]) == 2
    assert "several schools: give --school NAME (or --trust" in capsys.readouterr().err
    assert main(["retention", "--school", "Elm", "--months", "12", "--db", str(cli_db)]) == 2
    assert "no school called 'Elm'" in capsys.readouterr().err
    with sqlite3.connect(cli_db) as db:
        assert db.execute("SELECT retention_months FROM schools").fetchall() == [(None,), (None,)]


@pytest.mark.parametrize(
    ("months", "message"), [("0", "1 to 1200 months"), ("a year", "not a number of months")]
)
def test_months_must_be_a_period(
    cli_db: Path, months: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["retention", "--school", "Oak", "--months", months, "--db", str(cli_db)])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_months_off_unsets_the_period(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["retention", "--school", "Oak", "--db", str(cli_db), "--months"]
    assert main([*args, "24"]) == 0
    assert main([*args, "off"]) == 0
    assert "Oak School: retention period not set" in capsys.readouterr().out
    with sqlite3.connect(cli_db) as db:
        assert db.execute("SELECT retention_months FROM schools").fetchall() == [(None,), (None,)]


# Leavers are kept out of planning while their records are kept.

LEFT_BEFORE_TERM = "2026-07-17"  # the sample's Autumn 2026 term starts 02/09/2026
LEFT_YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()


def _sample() -> Database:
    db = open_database(":memory:")
    load_sample(db, today=TODAY)
    return db


def _add_people(db: Database, *, on_roll: bool) -> None:
    """Pupils and staff who left (or, for the control, are still here), placed where they
    would change every planning figure if they counted."""
    school = db.execute("SELECT id FROM schools WHERE name LIKE 'Oakfield%'").fetchone()[0]
    group = db.execute(
        "SELECT reg_group FROM pupils WHERE school_id = ? AND reg_group IS NOT NULL LIMIT 1",
        (school,),
    ).fetchone()[0]
    here = None if on_roll else LEFT_BEFORE_TERM
    recent = None if on_roll else LEFT_YESTERDAY
    for n in range(15):  # specialist needs no one else on roll has, reviews due this term
        _insert(
            db,
            "pupils",
            school_id=school,
            year_group="4",
            tier="specialist",
            primary_need="MSI",
            secondary_need="HI",
            reg_group=group,
            on_roll_to=here if n % 2 else recent,
            # Reviews due this term: after the first group left (reviews due while a pupil
            # was on roll are the SENCO's work, so the second group has none).
            ehcp_review_due="2026-10-06" if n % 2 else None,
            plan_review_due="2026-12-08" if n % 2 else None,
        )
    module = db.execute("SELECT id FROM modules ORDER BY id LIMIT 1").fetchone()[0]
    for n, role in enumerate(("senco", "ta", "teacher", "ta")):
        staff = _insert(
            db,
            "staff",
            school_id=school,
            name=f"Leaver {n}",
            role=role,
            cpd_hours=20,
            leaving_date=here if n == 0 else recent,
        )
        _insert(db, "supports", school_id=school, staff_id=staff, reg_group=group)
        _insert(db, "module_leaders", staff_id=staff, module_id=module)
    db.conn.commit()


def _planning(db: Database) -> tuple[Any, ...]:
    school = db.execute("SELECT id FROM schools WHERE name LIKE 'Oakfield%'").fetchone()[0]
    term = find_term(db, school, "Autumn 2026")
    assert term is not None
    return (
        load_priorities(db, TODAY, school),
        load_priorities(db, TODAY),
        load_workload(db, term),
        suggest_for_term(db, term, TODAY),
    )


def test_leavers_are_kept_out_of_priorities_workload_and_the_plan() -> None:
    without = _sample()
    with_leavers = _sample()
    control = _sample()
    try:
        _add_people(with_leavers, on_roll=False)
        _add_people(control, on_roll=True)
        baseline = _planning(without)
        labels = ("school priorities", "file priorities", "workload", "plan")
        for label, plain, left in zip(labels, baseline, _planning(with_leavers), strict=True):
            assert left == plain, label
        # The same people on roll change every one of them: the test could fail.
        for label, plain, here in zip(labels, baseline, _planning(control), strict=True):
            assert here != plain, label
    finally:
        for db in (without, with_leavers, control):
            db.close()


def test_a_review_due_after_the_pupil_left_is_not_the_sencos_work() -> None:
    db = _sample()
    try:
        school = db.execute("SELECT id FROM schools WHERE name LIKE 'Oakfield%'").fetchone()[0]
        term = find_term(db, school, "Autumn 2026")
        assert term is not None
        before = load_workload(db, term)
        _insert(
            db,
            "pupils",
            school_id=school,
            year_group="4",
            tier="specialist",
            on_roll_to=LEFT_YESTERDAY,
            ehcp_review_due="2026-12-01",
        )
        assert load_workload(db, term) == before
    finally:
        db.close()


def test_a_review_due_before_the_pupil_joins_is_not_the_sencos_work() -> None:
    db = _sample()
    try:
        school = db.execute("SELECT id FROM schools WHERE name LIKE 'Oakfield%'").fetchone()[0]
        term = find_term(db, school, "Autumn 2026")
        assert term is not None
        before = load_workload(db, term)
        _insert(
            db,
            "pupils",
            school_id=school,
            year_group="4",
            tier="specialist",
            on_roll_from="2026-12-07",
            ehcp_review_due="2026-12-01",
        )
        assert load_workload(db, term) == before
        _insert(
            db,
            "pupils",
            school_id=school,
            year_group="4",
            tier="specialist",
            on_roll_from="2026-11-02",
            ehcp_review_due="2026-12-01",
        )
        assert load_workload(db, term) != before  # on roll by then: the SENCO's review
    finally:
        db.close()
