"""The trust board's paper: one markdown document of the trust's own figures (exact, counts
under 5 banded; no pupil named), and the schools linked by strengths and gaps."""

from __future__ import annotations

import datetime as dt
import json

from sencoplan.domain.messages import banded
from sencoplan.domain.priorities import Priority
from sencoplan.domain.trust import NeedLink, TrustPaper
from sencoplan.io.markdown import inline, table

TOP_NEEDS = 5


def _where(paper: TrustPaper, line: Priority) -> str:
    """'Riverside Academy 42, Oakfield Primary School 16': where the need's pupils are."""
    counts = [
        (own.pupils, paper.names[school])
        for school, lines in paper.lines.items()
        for own in lines
        if own.need is line.need and own.pupils
    ]
    return ", ".join(f"{inline(name)} {banded(n)}" for n, name in sorted(counts, reverse=True))


def _coverage_rows(paper: TrustPaper, needs: list[Priority]) -> list[list[str]]:
    rows = []
    for school, name in sorted(paper.names.items(), key=lambda item: item[1]):
        own = {line.need: line for line in paper.lines.get(school, [])}
        cells = [
            f"{own[line.need].coverage:.0%}"
            if line.need in own and own[line.need].pupils
            else "none"
            for line in needs
        ]
        rows.append([inline(name), *cells])
    return rows


def _with_school(name: str, what: str) -> str:
    """A risk as the board reads it: which school, unless it says so already."""
    return what if what.startswith(name) else f"{name}: {what}"


def _spend_lines(paper: TrustPaper) -> list[str]:
    said = []
    for school, name in sorted(paper.names.items(), key=lambda item: item[1]):
        terms = paper.spend.get(school, [])
        if not terms:
            said.append(f"- {inline(name)}: no term set up for the rest of this school year")
        for spend in terms:
            over = " (over budget)" if spend.spend > spend.budget else ""
            said.append(
                f"- {inline(name)}, {inline(spend.term)}: £{spend.spend:,.0f} booked of a "
                f"£{spend.budget:,.0f} CPD budget{over}"
            )
    return said


def trust_paper_markdown(paper: TrustPaper, today: dt.date) -> str:
    top = paper.priorities[:TOP_NEEDS]
    out = [
        f"# SEND across the trust: {today:%-d %B %Y}",
        "",
        "The trust's own figures, for its board: exact across its schools, with counts under "
        '5 shown as "fewer than 5"; a pupil on two schools\' rolls (joining one from the '
        "other) is counted once. No pupil is named.",
        "",
        "## The top needs, and where they are",
        "",
    ]
    out += [
        f"{line.rank}. **{line.need.value}** ({inline(line.need.label)}): {banded(line.pupils)} "
        f"pupils, {line.coverage:.0%} of their need covered by the staff around them; "
        f"at {_where(paper, line)}"
        for line in top
    ]
    out += ["", "(Where: each school's own count, its joiners included.)"]
    out += ["", "## Coverage by school", ""]
    out += [
        table(["School", *(line.need.value for line in top)], _coverage_rows(paper, top)),
        "",
        "Coverage: the share of what these pupils need from the adults around them that "
        "the staff's training (at the level each role needs) and confidence provide.",
        "",
        "## Schools that could help each other",
        "",
    ]
    out += [f"- {inline(link.sentence())}" for link in paper.links] or [
        "- No need where one school is clearly ahead of another."
    ]
    out += ["", "## One session for several schools", ""]
    if paper.shared:
        rows = [
            [
                f"{item.need.value} ({inline(item.need.label)})",
                ", ".join(f"{inline(name)} {n}" for name, n in item.schools),
                ", ".join(item.modules),
            ]
            for item in paper.shared
        ]
        out += [
            "Staff in several schools lack the training their role needs in these: one "
            "session of the module their roles need, run at one school and shared with the "
            "others, could serve them together (each school pays for its own people).",
            "",
            table(["Need", "Staff without it, by school", "Its modules"], rows),
        ]
    else:
        out.append("- No need leaves staff untrained in more than one school.")
    out += ["", "## Succession", ""]
    risks = [
        f"- {inline(_with_school(paper.names[school], what))}"
        for school in sorted(paper.risks)
        for what in paper.risks[school]
    ]
    out += risks or ["- Every school has a SENCO and a deputy SENCO, and no NPQ is at risk."]
    out += ["", "## Training spend against budget", "", *_spend_lines(paper), ""]
    out += ["## Pupils joining", ""]
    for school, name in sorted(paper.names.items(), key=lambda item: item[1]):
        joining = paper.joining[school]
        inside = (
            f", {banded(joining.from_trust)} from the trust's own schools"
            if joining.from_trust
            else ""
        )
        out.append(
            f"- {inline(name)}: {banded(joining.pupils)} joining, "
            f"{banded(joining.with_sen)} with SEN{inside}"
        )
    return "\n".join(out) + "\n"


def links_text(links: list[NeedLink]) -> str:
    """Markdown: one bullet a need."""
    if not links:
        return "No need where one school is clearly ahead of another."
    return "\n".join(f"- {inline(link.sentence())}" for link in links)


def links_json(links: list[NeedLink]) -> str:
    return json.dumps(
        [
            {
                "need": link.need.value,
                "strong": {
                    "school": link.strong.school,
                    "coverage": round(link.strong.coverage, 3),
                },
                "behind": [
                    {"school": w.school, "coverage": round(w.coverage, 3)} for w in link.weak
                ],
                "leaders": [{"name": name, "modules": codes} for name, codes in link.leaders],
            }
            for link in links
        ],
        indent=2,
    )
