"""The SENCO's own time, week by week: sessions to lead, reviews falling due, other tasks.

Each week's hours are set against the SENCO time the term allocates; a week over it
stands out. The hours a review takes are the term's estimates, which the SENCO can change;
an EHCP review's are shared a third each over its papers, meeting and report weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import Field

from sencoplan.domain.calendar import Term
from sencoplan.domain.messages import counted
from sencoplan.domain.models import Record
from sencoplan.domain.reviews import ReviewDue, ReviewKind, ReviewStep
from sencoplan.domain.sessions import CpdSession


class WorkloadTask(Record):
    """Something else the SENCO has to do: a panel, a report, a transition visit."""

    term_id: int
    title: str = Field(min_length=1, max_length=200)
    day: dt.date
    hours: float = Field(gt=0, le=60)


@dataclass
class WeekLoad:
    week: dt.date
    """The Monday."""
    allocated: float
    ehcp_review_hours: float = 3.0
    isp_review_hours: float = 1.0
    leading: float = 0.0
    preparing: float = 0.0
    ehcp_papers: int = 0
    ehcp_reviews: int = 0
    """EHCP annual review meetings."""
    ehcp_reports: int = 0
    isp_reviews: int = 0
    tasks: float = 0.0
    review_hours: float = 0.0
    items: list[str] = field(default_factory=list)

    @property
    def reviews(self) -> float:
        """The hours the week's review steps take, each its share of its review's hours."""
        return self.review_hours

    def add_review(self, step: ReviewDue) -> None:
        per_review = (
            self.ehcp_review_hours if step.kind is ReviewKind.EHCP else self.isp_review_hours
        )
        self.review_hours += per_review * step.hours_share
        if step.kind is ReviewKind.ISP:
            self.isp_reviews += 1
        elif step.step is ReviewStep.PAPERS:
            self.ehcp_papers += 1
        elif step.step is ReviewStep.MEETING:
            self.ehcp_reviews += 1
        else:
            self.ehcp_reports += 1

    def reviews_said(self) -> str:
        """'EHCP: 1 papers out, 2 meetings, 1 report; 3 ISP reviews'."""
        ehcp = [
            counted(count, one, many)
            for count, one, many in (
                (self.ehcp_papers, "papers out", "papers out"),
                (self.ehcp_reviews, "meeting", "meetings"),
                (self.ehcp_reports, "report", "reports"),
            )
            if count
        ]
        said = [f"EHCP: {', '.join(ehcp)}"] if ehcp else []
        if self.isp_reviews:
            said.append(counted(self.isp_reviews, "ISP review"))
        return "; ".join(said)

    @property
    def total(self) -> float:
        return self.leading + self.preparing + self.reviews + self.tasks

    @property
    def over(self) -> bool:
        return self.allocated > 0 and self.total > self.allocated


@dataclass(frozen=True)
class MissingReviews:
    """Pupils on roll during a term whose plan has no review date: the workload cannot
    count reviews it does not know of, and must say so rather than show a quiet week."""

    ehcp: int = 0
    isp: int = 0

    def sentences(self) -> list[str]:
        said = []
        if self.ehcp:
            whom = (
                "1 pupil with an EHCP has"
                if self.ehcp == 1
                else f"{self.ehcp} pupils with EHCPs have"
            )
            said.append(
                f"{whom} no annual review date: the workload leaves them out. Import the "
                'dates with the roll (sencoplan import pupils, column "EHCP Review Due").'
            )
        if self.isp:
            whom = (
                "1 pupil on SEN support has"
                if self.isp == 1
                else f"{self.isp} pupils on SEN support have"
            )
            said.append(
                f"{whom} no ISP review date: the workload leaves them out. Import the dates "
                'with the roll (sencoplan import pupils, column "ISP Review Due").'
            )
        return said


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_workload(
    term: Term,
    sessions: Iterable[CpdSession],
    senco_ids: Iterable[int],
    *,
    reviews: Iterable[ReviewDue] = (),
    tasks: Iterable[WorkloadTask] = (),
) -> list[WeekLoad]:
    """One line per week of the term: what the SENCO leads, prepares, reviews and does."""
    leads = set(senco_ids)
    weeks = {
        week: WeekLoad(week, term.senco_hours, term.ehcp_review_hours, term.isp_review_hours)
        for week in term.weeks()
    }

    def week_of(day: dt.date) -> WeekLoad | None:
        return weeks.get(monday(day)) if term.start <= day <= term.end else None

    for session in sessions:
        load = week_of(session.day)
        if load is None or not session.active or not leads & set(session.facilitators):
            continue
        load.leading += session.minutes / 60
        load.preparing += session.prep_minutes / 60
        load.items.append(f"lead {session.title or 'a session'} {session.day:%a %d/%m}")
    for step in reviews:
        if (load := week_of(step.due)) is not None:
            load.add_review(step)
    for task in tasks:
        if (load := week_of(task.day)) is not None:
            load.tasks += task.hours
            load.items.append(f"{task.title} {task.day:%a %d/%m}")
    return [weeks[week] for week in sorted(weeks)]
