"""The term's set-up form: dates, closures, when CPD happens (in words), budget, time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sencoplan.domain.calendar import (
    WEEKDAY_NAMES,
    WEEKDAYS,
    Term,
    rule_from_words,
    rule_in_words,
)
from sencoplan.io.columns import parse_number
from sencoplan.io.dates import parse_closures, parse_date, parse_time
from sencoplan.store.terms import get_term, save_term
from sencoplan.tui.screens.form import Field, RecordForm, date_text


def term_form(term: Term, db_path: Path) -> RecordForm[Term]:
    """The form that edits a term (t on the Planner)."""
    fields = [
        Field("name", "Name", term.name, required=True),
        Field("start", "First day", date_text(term.start), parse=parse_date, required=True),
        Field("end", "Last day", date_text(term.end), parse=parse_date, required=True),
        Field(
            "closures",
            "Closures",
            "; ".join(str(c) for c in term.closures),
            parse=parse_closures,
            help="dates or ranges with a name, separated by ; "
            "(e.g. 26/10/2026-30/10/2026 Half term; 20/11/2026 INSET day)",
        ),
        *_slot_fields(term.slot_rule),
        Field(
            "slot_start",
            "Slot start",
            f"{term.slot_start:%H:%M}",
            parse=parse_time,
            required=True,
        ),
        Field("slot_minutes", "Slot minutes", str(term.slot_minutes), parse=int, required=True),
        Field("cpd_budget", "CPD budget (£)", f"{term.cpd_budget:g}", parse=parse_number),
        Field("senco_hours", "SENCO hours a week", f"{term.senco_hours:g}", parse=parse_number),
        Field(
            "ehcp_review_hours",
            "Hours per EHCP review",
            f"{term.ehcp_review_hours:g}",
            parse=parse_number,
            help="the SENCO's time for one EHCP annual review",
        ),
        Field(
            "isp_review_hours",
            "Hours per ISP review",
            f"{term.isp_review_hours:g}",
            parse=parse_number,
        ),
        Field(
            "room_capacity",
            "Room capacity",
            str(term.room_capacity or ""),
            parse=int,
            help="how many a session's room holds (blank: no limit)",
        ),
        Field(
            "impact_weeks",
            "Re-survey after (weeks)",
            str(term.impact_weeks),
            parse=int,
            help="a confidence rating this long after a module's last part is its impact",
        ),
    ]

    def build(values: dict[str, Any]) -> Term:
        capacity = values.pop("room_capacity", None)
        values = {k: v for k, v in values.items() if v is not None}
        values.setdefault("closures", ())
        values["room_capacity"] = capacity
        every, days = values.pop("slot_every", "1"), values.pop("slot_days", ())
        if every != KEEP_RULE:
            values["slot_rule"] = rule_from_words(days, every_other_week=every == "2")
        return Term.model_validate({**term.model_dump(), **values})

    def slot_days_needed(values: dict[str, Any]) -> list[tuple[str, str]]:
        if values.get("slot_every") != KEEP_RULE and not values.get("slot_days"):
            return [("slot_days", "tick the weekday(s) CPD happens on")]
        return []

    return RecordForm(
        f"Term: {term.name}",
        fields,
        build,
        save_term,
        db_path,
        problems=slot_days_needed,
        original=term,
        current=get_term,
    )


KEEP_RULE = "rule"
"""The "how often" choice that keeps a slot rule the words cannot say (an imported RRULE)."""


def _slot_fields(rule: str) -> list[Field]:
    """When CPD happens, in words: the weekdays, and every week or every other week. A rule
    imported that the words cannot say is offered as it is, to keep."""
    words = rule_in_words(rule)
    days, other = words if words is not None else ((), False)
    how_often = [("every week", "1"), ("every other week", "2")]
    if words is None:
        how_often.append((f"as imported: {rule}", KEEP_RULE))
    return [
        Field(
            "slot_days",
            "CPD day(s)",
            ";".join(days),
            parse=lambda text: tuple(text.split(";")),
            picks=[(WEEKDAY_NAMES[day], day) for day in WEEKDAYS[:5]],
        ),
        Field(
            "slot_every",
            "How often",
            KEEP_RULE if words is None else ("2" if other else "1"),
            options=how_often,
            required=True,
        ),
    ]
