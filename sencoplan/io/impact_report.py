"""A term's impact in words and as data: staff named never, pupils never; counts and averages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sencoplan.domain.calendar import Term
from sencoplan.domain.impact import Confidence, ModuleImpact
from sencoplan.io.text_table import text_table


def _round(confidence: Confidence) -> float | None:
    return None if confidence.average is None else round(confidence.average, 2)


def impact_items(lines: list[ModuleImpact]) -> list[dict[str, Any]]:
    """The JSON `sencoplan impact` prints: one item per module delivered."""
    return [
        {
            "module": line.module.code,
            "title": line.module.title,
            "needs": [need.value for need in dict.fromkeys(line.module.needs)],
            "first_day": line.first_day.isoformat(),
            "last_day": line.last_day.isoformat(),
            "attendees": line.attendees,
            "before": _round(line.before),
            "after": _round(line.after),
            "others_before": _round(line.others_before),
            "others_after": _round(line.others_after),
            "ratings": {
                "before": line.before.ratings,
                "after": line.after.ratings,
                "others_before": line.others_before.ratings,
                "others_after": line.others_after.ratings,
            },
            "after_from": line.after_from.isoformat(),
            "coverage": {
                need.value: {"start": round(start, 3), "now": round(now, 3)}
                for need, (start, now) in line.coverage.items()
            },
            "spend": line.spend,
        }
        for line in lines
    ]


def change(before: Confidence, after: Confidence, after_from: dt.date, today: dt.date) -> str:
    """'2.6 → 3.4' with how many ratings each is of, or when the 'after' can be had."""
    if after.average is None:
        later = (
            f"re-survey from {after_from:%d/%m/%Y}" if after_from > today else "no re-survey yet"
        )
        return f"{before.said()} → {later}"
    return f"{before.said()} → {after.said()}"


def coverage_words(line: ModuleImpact) -> str:
    """'MLD 58% → 69%' for each need the module covers (a module for every need: the span)."""
    if len(line.coverage) > 4:
        moved = [now - start for start, now in line.coverage.values()]
        return f"{len(line.coverage)} needs, up to {max(moved):+.0%}"
    return ", ".join(
        f"{need.value} {start:.0%} → {now:.0%}" for need, (start, now) in line.coverage.items()
    )


def impact_rows(lines: list[ModuleImpact], today: dt.date) -> list[tuple[str, ...]]:
    """The table's rows: module, attended, confidence of attendees and of others, coverage,
    spend."""
    return [
        (
            f"{line.module.code} {line.module.title}",
            str(line.attendees),
            change(line.before, line.after, line.after_from, today),
            change(line.others_before, line.others_after, line.after_from, today),
            coverage_words(line),
            f"£{line.spend:,.0f}",
        )
        for line in lines
    ]


IMPACT_HEADINGS = (
    "Module",
    "Completed",
    "Their confidence",
    "Others'",
    "Coverage of its needs (all training)",
    "Spend",
)


def impact_table(school_name: str, term: Term, lines: list[ModuleImpact], today: dt.date) -> str:
    """The terminal table, with what the confidence figures are and the term's spend."""
    title = (
        f"Impact: {school_name}, {term.name} (confidence 1-5, with how many ratings; "
        f"'after' is a re-survey {term.impact_weeks} weeks or more after the last part)"
    )
    spend = sum(line.spend for line in lines)
    return (
        text_table(title, IMPACT_HEADINGS, impact_rows(lines, today))
        + f"\nSpend on external training: £{spend:,.0f} of the £{term.cpd_budget:,.0f} budget"
    )
