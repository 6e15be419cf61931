"""Pupils' plan reviews on their timelines: an ISP reviewed each term, an EHCP reviewed at
least once a year on the statutory steps.

An EHCP's annual review meeting is held within 12 months of the last (or of the plan being
issued); the papers (advice and the plan as it stands) go out at least 2 weeks before it,
and the school's report goes to the local authority within 2 weeks after it. Each step is a
due date on the Planner and a share of the review's hours in the SENCO's workload (a third
each: the papers, the meeting, the report). A review due before today and not recorded as
held is overdue; so is a report not sent 2 weeks after its meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Self

from dateutil.relativedelta import relativedelta
from pydantic import model_validator

from sencoplan.domain.messages import counted
from sencoplan.domain.models import Record

PAPERS_BEFORE = dt.timedelta(weeks=2)
REPORT_AFTER = dt.timedelta(weeks=2)
EHCP_STEPS = 3
"""The steps an EHCP review's hours are shared across: papers, meeting, report."""


class ReviewKind(StrEnum):
    EHCP = "ehcp"
    ISP = "isp"

    @property
    def label(self) -> str:
        return "EHCP annual review" if self is ReviewKind.EHCP else "ISP review"


class ReviewStep(StrEnum):
    PAPERS = "papers"
    MEETING = "meeting"
    REPORT = "report"

    @property
    def label(self) -> str:
        return {
            ReviewStep.PAPERS: "papers out",
            ReviewStep.MEETING: "review meeting",
            ReviewStep.REPORT: "report to the LA",
        }[self]


class ReviewHeld(Record):
    """A pupil's ISP or EHCP review as it was held (and, for an EHCP, when the report went
    to the local authority)."""

    school_id: int
    pupil_id: int
    kind: ReviewKind
    held_on: dt.date
    report_sent_on: dt.date | None = None

    @model_validator(mode="after")
    def _report_after_meeting(self) -> Self:
        if self.report_sent_on and self.report_sent_on < self.held_on:
            raise ValueError("the report cannot go before the review meeting is held")
        return self


class ReviewRecorded(ReviewHeld):
    """A review held as the SENCO records it, with when the next is due (None: the usual
    interval, see `next_review`)."""

    next_due: dt.date | None = None

    @model_validator(mode="after")
    def _next_after_this(self) -> Self:
        if self.next_due and self.next_due <= self.held_on:
            raise ValueError("the next review must fall after this one")
        return self


def next_review(kind: ReviewKind, held_on: dt.date) -> dt.date:
    """When the next review falls due if the last was held that day: an EHCP's within 12
    months; an ISP's next term, taken as 3 months on (the SENCO can move it)."""
    return held_on + relativedelta(months=12 if kind is ReviewKind.EHCP else 3)


@dataclass(frozen=True)
class ReviewDue:
    """One step of one pupil's review, and the day it is due."""

    pupil_id: int
    kind: ReviewKind
    step: ReviewStep
    due: dt.date
    held: bool = False
    """A step of a meeting recorded as held (not one still to be held)."""
    done: bool = False
    """Done: a held meeting and its papers, a report recorded as sent."""

    def overdue(self, today: dt.date) -> bool:
        """Papers are not tracked as sent, and a report cannot go before its meeting: only
        a meeting not held, or a held meeting's report not sent, can be overdue."""
        if self.done:
            return False
        if self.step is ReviewStep.MEETING:
            return self.due < today
        return self.step is ReviewStep.REPORT and self.held and self.due < today

    @property
    def said(self) -> str:
        """'EHCP annual review', 'ISP review', 'EHCP review papers out', 'EHCP review
        report to the LA'."""
        if self.step is ReviewStep.MEETING:
            return self.kind.label
        return f"EHCP review {self.step.label}"

    @property
    def hours_share(self) -> float:
        """The share of the review's hours this step takes."""
        return 1 / EHCP_STEPS if self.kind is ReviewKind.EHCP else 1.0


def review_steps(
    ehcp_due: Mapping[int, dt.date],
    isp_due: Mapping[int, dt.date],
    held: Iterable[ReviewHeld] = (),
) -> list[ReviewDue]:
    """Every step, by day: those of each pupil's next review, and those of the reviews
    held (done, in the weeks they took, but for a report not yet sent)."""
    steps = [
        ReviewDue(pupil, ReviewKind.ISP, ReviewStep.MEETING, day) for pupil, day in isp_due.items()
    ]
    for pupil, day in ehcp_due.items():
        steps.extend(_ehcp_steps(pupil, day))
    for review in held:
        if review.kind is ReviewKind.ISP:
            steps.append(
                ReviewDue(
                    review.pupil_id, review.kind, ReviewStep.MEETING, review.held_on, True, True
                )
            )
            continue
        *before, report = _ehcp_steps(review.pupil_id, review.held_on, held=True)
        steps.extend(before)
        if review.report_sent_on is not None:
            report = replace(report, due=review.report_sent_on, done=True)
        steps.append(report)
    return sorted(steps, key=lambda step: (step.due, step.pupil_id, step.step.value))


def _ehcp_steps(pupil: int, meeting: dt.date, *, held: bool = False) -> list[ReviewDue]:
    """Papers out 2 weeks before the meeting, the meeting, the report 2 weeks after (a
    held meeting and its papers done)."""
    kind = ReviewKind.EHCP
    return [
        ReviewDue(pupil, kind, ReviewStep.PAPERS, meeting - PAPERS_BEFORE, held, held),
        ReviewDue(pupil, kind, ReviewStep.MEETING, meeting, held, held),
        ReviewDue(pupil, kind, ReviewStep.REPORT, meeting + REPORT_AFTER, held),
    ]


def late_for_statute(last_held: dt.date | None, due: dt.date | None) -> bool:
    """An annual review set later than 12 months after the last one was held."""
    return (
        last_held is not None and due is not None and due > next_review(ReviewKind.EHCP, last_held)
    )


def overdue_sentences(steps: Iterable[ReviewDue], today: dt.date) -> list[str]:
    """What is overdue, in a SENCO's words, counted by kind."""
    late = [step for step in steps if step.overdue(today)]
    counts = (
        (
            sum(1 for s in late if s.kind is ReviewKind.EHCP and s.step is ReviewStep.MEETING),
            ("EHCP annual review", "not recorded as held"),
        ),
        (
            sum(1 for s in late if s.step is ReviewStep.REPORT),
            ("EHCP review report", "not sent to the local authority"),
        ),
        (sum(1 for s in late if s.kind is ReviewKind.ISP), ("ISP review", "not recorded as held")),
    )
    return [
        f"Overdue: {counted(count, what)} {why} (due before {today:%d/%m/%Y})"
        for count, (what, why) in counts
        if count
    ]
