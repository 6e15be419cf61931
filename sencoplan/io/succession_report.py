"""The succession review as markdown: a paper for governors or a trust board.

It is a staffing document, so staff are named; pupils never are (risks about needs on
roll name the need, not how many children have it). The same `SchoolReview` feeds the
Succession screen, so the paper matches what the screen shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sencoplan.domain.succession import Risk, SchoolReview, lacks_deputy
from sencoplan.domain.succession_codes import Readiness
from sencoplan.io.markdown import inline, table


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def risk_line(risk: Risk) -> str:
    """'**high** SENCO: what is wrong. To clear it: what would.'"""
    return (
        f"**{risk.severity.value}** · {inline(risk.subject)}: {inline(risk.what)}. "
        f"*To clear it:* {inline(risk.clear_by)}."
    )


def _roles(review: SchoolReview) -> list[str]:
    rows = [
        [
            line.role.title,
            line.holder or "vacant",
            _date(line.since),
            "; ".join(line.qualifications),
            *(
                ", ".join(name for c, name in line.bench if c.readiness is readiness) or "–"
                for readiness in Readiness
            ),
        ]
        for line in review.roles
    ]
    headings = ["Role", "Holder", "Since", "Holder's qualifications"]
    headings += [r.label.capitalize() for r in Readiness]
    return [table(headings, rows)]


def _leaders(review: SchoolReview) -> list[str]:
    rows = [
        [
            line.module.code,
            line.module.title,
            ", ".join(line.leaders) or "no one",
            ", ".join(line.trained) or "–",
        ]
        for line in review.leaders
    ]
    return [table(["Module", "Title", "Can lead it", "Trained to lead CPD"], rows)]


def _actions(review: SchoolReview) -> list[str]:
    facts = review.facts
    rows = [
        [
            facts.name(action.staff_id),
            review.action_text(action),
            action.by_whom or "",
            _date(action.due),
            action.status.label,
        ]
        for action in review.actions
    ]
    if not rows:
        return ["No development actions recorded."]
    return [table(["Who", "Action", "With", "Due", "Status"], rows)]


def school_section(review: SchoolReview, level: str = "##") -> list[str]:
    """One school's review: risks, roles and bench, who can lead training, actions."""
    out = [f"{level}# Risks", ""]
    if review.risks:
        out += [f"{n}. {risk_line(risk)}" for n, risk in enumerate(review.risks, start=1)]
    else:
        out.append("None: every role has someone ready, and no training rests on one person.")
    out += ["", f"{level}# Roles and bench", "", *_roles(review)]
    out += ["", f"{level}# Who can lead training (internal modules)", "", *_leaders(review)]
    out += ["", f"{level}# Development actions", "", *_actions(review)]
    return out


def succession_markdown(
    reviews: Sequence[SchoolReview],
    *,
    today: dt.date,
    trust_risks: Sequence[Risk] = (),
    scope: str | None = None,
) -> str:
    """The whole paper: one school, or every school with the trust's picture first."""
    if len(reviews) == 1 and not trust_risks:
        review = reviews[0]
        out = [
            f"# SENCO succession review: {inline(scope or review.facts.school.name)}",
            "",
            f"Prepared {today:%d/%m/%Y}. Staff are named; no pupil is.",
            "",
            *school_section(review, level="#"),
        ]
        return "\n".join(out) + "\n"
    out = [
        f"# SENCO succession review: {inline(scope or 'the trust')}",
        "",
        f"Prepared {today:%d/%m/%Y} for {len(reviews)} schools. Staff are named; no pupil is.",
        "",
        "## Across the trust",
        "",
    ]
    without_deputy = [r.facts.school.name for r in reviews if lacks_deputy(r.facts)]
    out.append(
        "Schools without a deputy SENCO: "
        + (", ".join(inline(name) for name in without_deputy) if without_deputy else "none")
        + "."
    )
    summary = [
        [
            r.facts.school.name,
            sum(1 for risk in r.risks if risk.severity.value == "high"),
            len(r.risks),
            "no" if lacks_deputy(r.facts) else "yes",
        ]
        for r in reviews
    ]
    out += ["", table(["School", "High risks", "All risks", "Deputy SENCO"], summary), ""]
    if trust_risks:
        out += [f"{n}. {risk_line(risk)}" for n, risk in enumerate(trust_risks, start=1)]
        out.append("")
    for review in reviews:
        out += [f"## {inline(review.facts.school.name)}", "", *school_section(review), ""]
    return "\n".join(out).rstrip("\n") + "\n"
