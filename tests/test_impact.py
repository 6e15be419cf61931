"""Impact: confidence before and after a module for those who took it and for the others,
coverage then and now, spend; and `sencoplan impact` on the sample trust with a re-survey."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.domain.codes import NeedType
from sencoplan.domain.impact import Ratings, term_impact
from sencoplan.domain.models import ConfidenceRating, Module
from sencoplan.domain.sessions import CpdSession, SessionStatus

ASD, SEMH = NeedType.ASD, NeedType.SEMH
DAY = dt.date(2026, 10, 6)


def rating(staff: int, need: NeedType, value: int, day: dt.date) -> ConfidenceRating:
    return ConfidenceRating(staff_id=staff, need=need, rating=value, rated_on=day)


def test_before_is_the_latest_rating_before_and_after_the_first_at_least_n_weeks_on() -> None:
    ratings = Ratings(
        [
            rating(1, ASD, 1, dt.date(2025, 6, 1)),
            rating(1, ASD, 2, dt.date(2026, 9, 1)),  # the latest before: 2
            rating(1, ASD, 3, dt.date(2026, 10, 20)),  # too soon after
            rating(1, ASD, 4, dt.date(2026, 11, 17)),  # the first 6 weeks on: 4
            rating(1, ASD, 5, dt.date(2026, 12, 1)),
            rating(2, ASD, 3, dt.date(2026, 9, 2)),  # Bo re-surveyed never
        ]
    )
    after_from = DAY + dt.timedelta(weeks=6)
    before = ratings.before([1, 2], [ASD], DAY)
    after = ratings.after([1, 2], [ASD], after_from)
    assert (before.average, before.ratings) == (2.5, 2)
    assert (after.average, after.ratings) == (4.0, 1)
    assert ratings.after([2], [ASD], after_from).average is None


def session(ident: int, day: dt.date, **changes: object) -> CpdSession:
    values: dict[str, object] = {
        "id": ident,
        "term_id": 1,
        "school_id": 1,
        "day": day,
        "start": dt.time(15, 30),
        "minutes": 60,
        "module_id": 7,
        "audience": (1, 2, 3),
        "attended": (1, 2, 3),
        "status": SessionStatus.DELIVERED,
    }
    values.update(changes)
    return CpdSession.model_validate(values)


def test_a_module_delivered_in_two_parts_measured_against_the_others() -> None:
    """Ann, Bo and Cy are in both parts (Cy misses the second: not a completer, and not
    among the others either, having attended); Dee leads; Eve and Fin did not take it."""
    module = Module(id=7, code="ASD-T", title="Autism", needs=(ASD,), provider="external", cost=50)
    parts = [
        session(1, DAY, facilitators=(4,)),
        session(2, DAY + dt.timedelta(days=7), facilitators=(4,), attended=(1, 2)),
        session(3, DAY, module_id=None, status=SessionStatus.DELIVERED),  # no module
    ]
    first, last = DAY, DAY + dt.timedelta(days=7)
    later = last + dt.timedelta(weeks=6)
    ratings = Ratings(
        [rating(p, ASD, 2, first - dt.timedelta(days=1)) for p in (1, 2, 3, 5, 6)]
        + [rating(p, ASD, 4, later) for p in (1, 2)]
        + [rating(5, ASD, 3, later), rating(6, ASD, 2, later)]
        + [rating(4, ASD, 5, later)]  # the leader is neither group
    )
    (line,) = term_impact(
        parts,
        {7: module},
        ratings,
        colleagues={1, 2, 3, 4, 5, 6},
        weeks=6,
        coverage_start={ASD: 0.4, SEMH: 0.5},
        coverage_now={ASD: 0.6},
    )
    assert (line.first_day, line.last_day, line.after_from) == (first, last, later)
    assert line.attendees == 2
    assert (line.before.average, line.after.average) == (2.0, 4.0)
    assert (line.others_before.average, line.others_after.average) == (2.0, 2.5)
    assert (line.others_before.ratings, line.others_after.ratings) == (2, 2)
    assert line.coverage == {ASD: (0.4, 0.6)}
    assert line.spend == 150  # £50 for each of the three it was booked for


def test_nothing_delivered_is_no_lines() -> None:
    planned = session(1, DAY, status=SessionStatus.PLANNED, attended=())
    module = Module(id=7, code="ASD-T", title="Autism", needs=(ASD,))
    assert (
        term_impact(
            [planned],
            {7: module},
            Ratings([]),
            colleagues={1},
            weeks=6,
            coverage_start={},
            coverage_now={},
        )
        == []
    )


# --- the command line, round the whole cycle -------------------------------------------------


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


def test_a_resurvey_six_weeks_on_shows_before_and_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plan Oakfield's autumn from September, deliver the first module's parts, import a
    re-survey of everyone dated six weeks after the last part: impact shows both."""
    path = tmp_path / "demo.db"
    db = ["--db", str(path)]
    assert main(["demo", "--no-tui", *db]) == 0
    args = ["--school", "Oak", "--term", "Autumn 2026", *db]
    assert main(["plan", "suggest", *args, "--from", "01/09/2026", "--save"]) == 0
    said = re.search(r"#(\d+)–#(\d+)", capsys.readouterr().err)
    assert said is not None
    with sqlite3.connect(path) as con:
        first_module = con.execute(
            "SELECT module_id FROM sessions WHERE id = ?", (int(said.group(1)),)
        ).fetchone()[0]
        parts = con.execute(
            "SELECT id, day FROM sessions WHERE module_id = ? ORDER BY day", (first_module,)
        ).fetchall()
        code, need = con.execute(
            "SELECT m.code, n.need FROM modules m JOIN module_needs n ON n.module_id = m.id "
            "WHERE m.id = ? LIMIT 1",
            (first_module,),
        ).fetchone()
        staff = [row[0] for row in con.execute("SELECT name FROM staff WHERE school_id = 1")]
    assert main(["impact", *args]) == 0
    assert "No module has been delivered in Autumn 2026 yet" in capsys.readouterr().out
    for part_id, _ in parts:
        assert main(["session", "deliver", str(part_id), *db]) == 0
    last = dt.date.fromisoformat(parts[-1][1])
    resurvey = last + dt.timedelta(weeks=6)
    assert resurvey <= dt.date.today()  # a survey cannot be dated in the future
    before = dt.date.fromisoformat(parts[0][1]) - dt.timedelta(days=1)
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "Staff,Need,Rating,Date\n"
        + "".join(f"{name},{need},2,{before:%d/%m/%Y}\n" for name in staff)
        + "".join(f"{name},{need},5,{resurvey:%d/%m/%Y}\n" for name in staff),
        encoding="utf-8",
    )
    assert main(["import", "confidence", str(survey), "--school", "Oak", *db]) == 0
    capsys.readouterr()
    assert main(["impact", *args, "--format", "json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["module"] == code and need in item["needs"]
    assert item["attendees"] > 0
    assert (item["before"], item["after"]) == (2.0, 5.0)
    assert (item["others_before"], item["others_after"]) == (2.0, 5.0)
    assert item["after_from"] == resurvey.isoformat()
    assert item["coverage"][need]["now"] > item["coverage"][need]["start"]
    assert main(["impact", *args]) == 0
    table = capsys.readouterr().out
    assert "Impact: Oakfield Primary School, Autumn 2026" in table
    assert "Spend on external training: £" in table
