"""Pupils' ISP and EHCP reviews on their timelines: the steps, their weeks, what is overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sencoplan.domain.reviews import (
    ReviewDue,
    ReviewHeld,
    ReviewKind,
    ReviewStep,
    late_for_statute,
    next_review,
    overdue_sentences,
    review_steps,
)

TODAY = dt.date(2026, 12, 6)


def _held(day: dt.date, sent: dt.date | None = None) -> ReviewHeld:
    return ReviewHeld(
        school_id=1, pupil_id=7, kind=ReviewKind.EHCP, held_on=day, report_sent_on=sent
    )


def test_an_annual_review_has_papers_two_weeks_before_and_a_report_two_weeks_after() -> None:
    steps = review_steps({7: dt.date(2027, 2, 10)}, {}, [])
    assert [(s.step, s.due) for s in steps] == [
        (ReviewStep.PAPERS, dt.date(2027, 1, 27)),
        (ReviewStep.MEETING, dt.date(2027, 2, 10)),
        (ReviewStep.REPORT, dt.date(2027, 2, 24)),
    ]
    assert sum(s.hours_share for s in steps) == pytest.approx(1.0)


def test_an_isp_review_is_one_step_with_all_its_hours() -> None:
    (step,) = review_steps({}, {3: dt.date(2027, 1, 20)}, [])
    assert (step.kind, step.step, step.hours_share) == (ReviewKind.ISP, ReviewStep.MEETING, 1.0)


def test_a_held_review_keeps_its_weeks_and_its_report_is_due_until_sent() -> None:
    held = review_steps({}, {}, [_held(dt.date(2026, 11, 2))])
    assert [(s.step, s.due, s.done) for s in held] == [
        (ReviewStep.PAPERS, dt.date(2026, 10, 19), True),
        (ReviewStep.MEETING, dt.date(2026, 11, 2), True),
        (ReviewStep.REPORT, dt.date(2026, 11, 16), False),
    ]
    assert [s.overdue(TODAY) for s in held] == [False, False, True]
    sent = review_steps({}, {}, [_held(dt.date(2026, 11, 2), sent=dt.date(2026, 11, 10))])
    assert [(s.step, s.due, s.done) for s in sent][-1] == (
        ReviewStep.REPORT,
        dt.date(2026, 11, 10),
        True,
    )
    assert not any(s.overdue(TODAY) for s in sent)
    isp = ReviewHeld(school_id=1, pupil_id=3, kind=ReviewKind.ISP, held_on=dt.date(2026, 10, 5))
    (meeting,) = review_steps({}, {}, [isp])
    assert (meeting.step, meeting.due, meeting.done) == (ReviewStep.MEETING, isp.held_on, True)


def test_only_a_meeting_not_held_or_a_held_meetings_report_is_overdue() -> None:
    past = review_steps({7: dt.date(2026, 11, 20)}, {8: dt.date(2026, 12, 1)}, [])
    late = [s for s in past if s.overdue(TODAY)]
    # The meeting and the ISP, not the papers (not tracked) nor the report of a meeting
    # still to be held.
    assert [(s.kind, s.step) for s in late] == [
        (ReviewKind.EHCP, ReviewStep.MEETING),
        (ReviewKind.ISP, ReviewStep.MEETING),
    ]
    assert overdue_sentences(past, TODAY) == [
        "Overdue: 1 EHCP annual review not recorded as held (due before 06/12/2026)",
        "Overdue: 1 ISP review not recorded as held (due before 06/12/2026)",
    ]


def test_overdue_counts_agree_in_number() -> None:
    steps = [
        ReviewDue(p, ReviewKind.EHCP, ReviewStep.REPORT, dt.date(2026, 11, 1), held=True)
        for p in (1, 2)
    ]
    assert overdue_sentences(steps, TODAY) == [
        "Overdue: 2 EHCP review reports not sent to the local authority (due before 06/12/2026)"
    ]


def test_the_next_review_and_the_statutory_twelve_months() -> None:
    assert next_review(ReviewKind.EHCP, dt.date(2026, 3, 4)) == dt.date(2027, 3, 4)
    assert next_review(ReviewKind.ISP, dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    assert late_for_statute(dt.date(2026, 3, 4), dt.date(2027, 3, 5))
    assert not late_for_statute(dt.date(2026, 3, 4), dt.date(2027, 3, 4))
    assert not late_for_statute(None, dt.date(2027, 3, 5))


def test_a_report_cannot_go_before_its_meeting() -> None:
    with pytest.raises(ValidationError, match="before the review meeting"):
        _held(dt.date(2026, 11, 2), sent=dt.date(2026, 11, 1))


@given(due=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), today=st.dates())
def test_every_annual_review_has_its_three_steps_in_order(due: dt.date, today: dt.date) -> None:
    papers, meeting, report = review_steps({1: due}, {}, [])
    assert papers.due < meeting.due < report.due
    assert (meeting.due - papers.due).days == 14 == (report.due - meeting.due).days
    assert not papers.overdue(today) and not report.overdue(today)
    assert meeting.overdue(today) == (due < today)
