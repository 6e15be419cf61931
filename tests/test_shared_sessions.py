"""One session for staff of several schools in the trust: on every school's planner and
calendar, led by anyone in the trust who can lead it, each school paying for its own."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from sencoplan.cli import main
from sencoplan.domain.models import Module
from sencoplan.domain.sessions import CpdSession, external_cost
from sencoplan.domain.staff_codes import Provider
from sencoplan.store.db import open_database


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample trust with Riverside's spring term planned and saved."""
    path = tmp_path_factory.mktemp("shared") / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    argv = ["plan", "suggest", "--term", "Spring 2027", "--school", "riverside", "--save"]
    assert main([*argv, "--db", str(path)]) == 0
    return path


@pytest.fixture
def trust(planned: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    shutil.copy(planned, copy)
    copy.chmod(0o600)
    return copy


def _module_parts(path: Path) -> list[int]:
    """The sessions of Riverside's first module taught in more than one part."""
    db = open_database(path)
    try:
        rows = db.execute(
            "SELECT id, module_id FROM sessions WHERE module_id IN (SELECT module_id FROM "
            "sessions GROUP BY module_id HAVING COUNT(*) > 1) ORDER BY day, id"
        ).fetchall()
    finally:
        db.close()
    first = rows[0][1]
    return [session for session, module in rows if module == first]


def test_a_shared_module_is_on_both_planners_and_calendars(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = _module_parts(trust)
    capsys.readouterr()
    argv = ["session", "share", str(parts[0]), "--with", "oakfield", "--invite"]
    assert main([*argv, "--db", str(trust)]) == 0
    said = capsys.readouterr().out
    assert all(f"#{part}" in said for part in parts)  # every part of the module, shared
    assert "is open to Oakfield Primary School too" in said
    db = open_database(trust)
    oakfield_staff = {
        row[0]
        for row in db.execute(
            "SELECT id FROM staff WHERE school_id = (SELECT id FROM schools WHERE name LIKE 'Oak%')"
        )
    }
    audience = {
        row[0]
        for row in db.execute(
            "SELECT staff_id FROM session_people WHERE session_id = ? AND part = 'audience'",
            (parts[0],),
        )
    }
    (title,) = db.execute(
        "SELECT substr(title, 1, instr(title || ' (', ' (') - 1) FROM sessions WHERE id = ?",
        (parts[0],),
    ).fetchone()
    db.close()
    assert audience & oakfield_staff  # invited: Oakfield's staff the module is for
    uids: dict[str, set[str]] = {}
    for school in ("oakfield", "riverside"):
        out = tmp_path / f"{school}.ics"
        argv = ["export", "term", "--term", "Spring 2027", "--school", school, "--format", "ics"]
        assert main([*argv, "-o", str(out), "--db", str(trust)]) == 0
        calendar = Calendar.from_ical(out.read_bytes())
        shared = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith(title)]
        assert len(shared) == len(parts), school
        assert all(str(e["SUMMARY"]).endswith("(shared across the trust)") for e in shared)
        uids[school] = {str(e["UID"]) for e in shared}
    assert uids["oakfield"] == uids["riverside"]  # imported twice, it is there once
    capsys.readouterr()
    argv = ["export", "term", "--term", "Spring 2027", "--school", "oakfield"]
    assert main([*argv, "--db", str(trust)]) == 0
    plan = capsys.readouterr().out
    assert "to be confirmed" not in plan.split("## Who each session is for")[0]
    oak = Calendar.from_ical((tmp_path / "oakfield.ics").read_bytes())
    assert len(list(oak.walk("VEVENT"))) == len(parts)  # only the shared sessions


def test_only_someone_in_the_trust_who_can_lead_it_leads_it(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (first, *_) = _module_parts(trust)
    argv = ["session", "share", str(first), "--with", "oakfield", "--led-by", "Nobody Here"]
    assert main([*argv, "--db", str(trust)]) == 2
    said = capsys.readouterr().err
    assert "no one able to lead this module in the trust called 'Nobody Here'" in said
    assert "Able to lead it: " in said
    argv = ["session", "share", str(first), "--with", "riverside"]
    assert main([*argv, "--db", str(trust)]) == 2  # its own school


def test_each_school_pays_for_its_own_people() -> None:
    module = Module(
        id=1, code="SLT-X", title="Outside course", provider=Provider.EXTERNAL, cost=100
    )
    session = CpdSession(
        term_id=1,
        school_id=1,
        day=dt.date(2027, 1, 13),
        start=dt.time(15, 30),
        minutes=60,
        module_id=1,
        audience=(1, 2, 3),
        shared_with=(2,),
    )
    assert external_cost([session], {1: module}) == 300
    assert external_cost([session], {1: module}, {1, 2}) == 200  # the host's two
    assert external_cost([session], {1: module}, {3}) == 100  # the guest school's one


def test_inviting_more_than_the_guest_school_can_pay_for_says_so(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(trust)
    (external,) = db.execute(
        "SELECT MIN(s.id) FROM sessions s JOIN modules m ON m.id = s.module_id "
        "WHERE m.provider = 'external'"
    ).fetchone()
    db.close()
    capsys.readouterr()
    argv = ["session", "share", str(external), "--with", "oakfield", "--invite"]
    assert main([*argv, "--db", str(trust)]) == 0
    warned = capsys.readouterr().err
    assert "Oakfield Primary School's external training in Spring 2027 now costs £" in warned
    assert "over its £1,200 CPD budget" in warned
