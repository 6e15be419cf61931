"""The SENCO's weeks: sessions led, reviews due and tasks against the time allocated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.domain.calendar import Term
from sencoplan.domain.reviews import review_steps
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.workload import MissingReviews, WorkloadTask, weekly_workload
from sencoplan.store.db import open_database
from sencoplan.store.terms import find_term
from sencoplan.store.workload import missing_reviews

TERM = Term(
    id=1,
    school_id=1,
    name="Autumn 2026",
    start=dt.date(2026, 9, 1),
    end=dt.date(2026, 9, 20),
    senco_hours=6,
)


def test_weeks_add_up_and_overloaded_weeks_stand_out() -> None:
    led = CpdSession(
        term_id=1,
        school_id=1,
        day=dt.date(2026, 9, 8),
        start=dt.time(15, 45),
        minutes=90,
        facilitators=(1,),
        prep_minutes=120,
    )
    someone_else = led.model_copy(update={"facilitators": (2,)})
    cancelled = led.model_copy(update={"status": "cancelled"})
    weeks = weekly_workload(
        TERM,
        [led, someone_else, cancelled],
        [1],
        reviews=review_steps(
            {
                1: dt.date(2026, 9, 23),
                2: dt.date(2026, 10, 15),
                5: dt.date(2026, 9, 9),
                6: dt.date(2026, 9, 10),
            },
            {3: dt.date(2026, 9, 2), 4: dt.date(2026, 9, 3)},
            [],
        ),
        tasks=[WorkloadTask(term_id=1, title="Panel", day=dt.date(2026, 9, 16), hours=7)],
    )
    assert [w.week for w in weeks] == [
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 7),
        dt.date(2026, 9, 14),
    ]
    first, second, third = weeks
    assert (first.isp_reviews, first.total, first.over) == (2, 2.0, False)
    # The papers for the meeting of 23/09 go out in the week of 07/09, beside two meetings
    # (a third of 3 hours each); the meeting of 15/10 is after the term, its papers too.
    assert (second.leading, second.preparing, second.ehcp_papers) == (1.5, 2.0, 1)
    assert second.total == pytest.approx(6.5) and second.over
    assert second.reviews_said() == "EHCP: 1 papers out, 2 meetings"
    assert third.total == 7 and third.over and third.items == ["Panel Wed 16/09"]


def test_review_hours_are_the_terms_estimates() -> None:
    """A SENCO whose EHCP reviews take a whole afternoon sets 4.5 hours; the weeks follow."""
    slower = TERM.model_copy(update={"ehcp_review_hours": 4.5, "isp_review_hours": 0.5})
    steps = review_steps(
        {1: dt.date(2026, 9, 9), 2: dt.date(2026, 9, 10)}, {3: dt.date(2026, 9, 9)}, []
    )
    weeks = weekly_workload(slower, [], [], reviews=steps)
    second = weeks[1]
    assert (second.ehcp_reviews, second.isp_reviews) == (2, 1)
    # Two meetings at a third of 4.5 hours each, and half an hour for the ISP.
    assert second.reviews == pytest.approx(3.5) and not second.over
    assert second.reviews_said() == "EHCP: 2 meetings; 1 ISP review"
    usual = weekly_workload(TERM, [], [], reviews=review_steps({1: dt.date(2026, 9, 9)}, {}, []))
    assert usual[1].reviews == pytest.approx(1.0)
    # Its papers (26/08) fell before the term and its report (23/09) after it.
    assert sum(week.reviews for week in usual) == pytest.approx(1.0)


def test_an_ehcp_reviews_hours_are_spread_over_its_three_weeks() -> None:
    weeks = weekly_workload(TERM, [], [], reviews=review_steps({1: dt.date(2026, 9, 16)}, {}, []))
    assert [week.reviews_said() for week in weeks] == [
        "EHCP: 1 papers out",
        "",
        "EHCP: 1 meeting",
    ]
    assert [week.reviews for week in weeks] == pytest.approx([1.0, 0.0, 1.0])
    longer = TERM.model_copy(update={"end": dt.date(2026, 10, 2)})
    whole = weekly_workload(longer, [], [], reviews=review_steps({1: dt.date(2026, 9, 16)}, {}, []))
    assert sum(week.reviews for week in whole) == pytest.approx(3.0)  # papers, meeting, report


def test_cli_workload_for_the_sample_term(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(db)]) == 0
    capsys.readouterr()
    args = ["workload", "--db", str(db), "--school", "riverside", "--term", "Autumn 2026"]
    assert main([*args, "--format", "json"]) == 0
    weeks = json.loads(capsys.readouterr().out)
    assert weeks[0]["week"] == "2026-08-31" and weeks[0]["allocated"] == 20
    assert sum(w["ehcp_reviews"] for w in weeks) >= 1
    assert main(args) == 0
    table = capsys.readouterr().out
    assert table.startswith(
        "SENCO workload: Riverside Academy, Autumn 2026 (20 hours a week; "
        "3 h per EHCP review, a third each for the papers, the meeting and the report; "
        "1 h per ISP review)"
    )
    assert main(["workload", "--db", str(db)]) == 2
    assert "choose a school with --school" in capsys.readouterr().err
    assert main(["workload", "--db", str(db), "--school", "oak", "--term", "Winter"]) == 2
    assert "no such term for Oakfield Primary School" in capsys.readouterr().err


def test_missing_review_dates_are_said_in_words() -> None:
    assert MissingReviews().sentences() == []
    ehcp, isp = MissingReviews(ehcp=44, isp=1).sentences()
    assert ehcp.startswith(
        "44 pupils with EHCPs have no annual review date: the workload leaves them out."
    )
    assert 'column "EHCP Review Due"' in ehcp
    assert isp.startswith("1 pupil on SEN support has no ISP review date")
    assert 'column "ISP Review Due"' in isp


def test_a_roll_without_review_dates_is_counted_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A roll imported without review dates: the workload says how many it leaves out."""
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    capsys.readouterr()
    db = open_database(path)
    term = find_term(db, 2, "Autumn 2026")
    assert term is not None
    assert missing_reviews(db, term) == MissingReviews()  # the sample has every date
    on_roll = (
        "school_id = 2 AND (on_roll_to IS NULL OR on_roll_to >= '2026-09-01') "
        "AND (on_roll_from IS NULL OR on_roll_from <= '2026-12-18')"
    )
    ehcps = db.execute(f"SELECT COUNT(*) FROM pupils WHERE tier = 'specialist' AND {on_roll}")
    wanted = ehcps.fetchone()[0]
    db.execute("UPDATE pupils SET ehcp_review_due = NULL WHERE school_id = 2")
    db.conn.commit()
    assert missing_reviews(db, term) == MissingReviews(ehcp=wanted, isp=0)
    db.close()
    args = ["workload", "--db", str(path), "--school", "riverside", "--term", "Autumn 2026"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"{wanted} pupils with EHCPs have no annual review date" in out
    assert main([*args, "--format", "json"]) == 0
    printed = capsys.readouterr()
    assert all(week["ehcp_reviews"] == 0 for week in json.loads(printed.out))
    assert f"{wanted} pupils with EHCPs have no annual review date" in printed.err


def test_a_review_held_stays_in_the_weeks_it_took() -> None:
    from sencoplan.domain.reviews import ReviewHeld, ReviewKind

    held = ReviewHeld(school_id=1, pupil_id=1, kind=ReviewKind.EHCP, held_on=dt.date(2026, 9, 16))
    # Held on its due day: the pupil's next review is a year on, out of the term.
    weeks = weekly_workload(
        TERM, [], [], reviews=review_steps({1: dt.date(2027, 9, 16)}, {}, [held])
    )
    assert [week.reviews_said() for week in weeks] == [
        "EHCP: 1 papers out",
        "",
        "EHCP: 1 meeting",
    ]
