"""The SENCO's weeks as the command line prints them: JSON for other tools, a terminal
table with each week over the allocation flagged."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sencoplan.domain.calendar import Term
from sencoplan.domain.workload import WeekLoad


def workload_json(weeks: Sequence[WeekLoad]) -> str:
    """One object per week: hours by kind, reviews counted, the total against the allocation."""
    return json.dumps(
        [
            {
                "week": w.week.isoformat(),
                "leading": round(w.leading, 2),
                "preparing": round(w.preparing, 2),
                "ehcp_papers": w.ehcp_papers,
                "ehcp_reviews": w.ehcp_reviews,
                "ehcp_reports": w.ehcp_reports,
                "isp_reviews": w.isp_reviews,
                "reviews_hours": round(w.reviews, 2),
                "tasks": round(w.tasks, 2),
                "total": round(w.total, 2),
                "allocated": w.allocated,
                "over": w.over,
            }
            for w in weeks
        ],
        indent=2,
    )


def workload_table(school_name: str, term: Term, weeks: Sequence[WeekLoad]) -> str:
    """Week by week in fixed columns, with the hours each review is counted at said first."""
    lines = [
        f"SENCO workload: {school_name}, {term.name} ({term.senco_hours:g} hours a week; "
        f"{term.ehcp_review_hours:g} h per EHCP review, a third each for the papers, the "
        f"meeting and the report; {term.isp_review_hours:g} h per ISP review)",
        "(lead, prep, tasks and total in hours; papers, EHCP, report and ISP are how many "
        "fall due)",
        f"{'week of':<11}{'lead':>6}{'prep':>6}{'papers':>7}{'EHCP':>6}{'report':>7}{'ISP':>5}"
        f"{'tasks':>7}{'total':>7}",
    ]
    for w in weeks:
        flag = "  OVER" if w.over else ""
        lines.append(
            f"{w.week:%d/%m/%Y} {w.leading:6.1f}{w.preparing:6.1f}{w.ehcp_papers:7d}"
            f"{w.ehcp_reviews:6d}{w.ehcp_reports:7d}{w.isp_reviews:5d}{w.tasks:7.1f}"
            f"{w.total:7.1f}{flag}"
        )
    return "\n".join(lines)
