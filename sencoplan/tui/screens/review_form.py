"""Recording a pupil's ISP or EHCP review as held (and, for an EHCP, the report sent to
the local authority): the pupil's next review moves on, and the Planner's overdue line
and the workload follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import Tier
from sencoplan.domain.models import Pupil
from sencoplan.domain.reviews import ReviewKind, ReviewRecorded, late_for_statute, next_review
from sencoplan.io.dates import parse_date
from sencoplan.store.reviews import record_held
from sencoplan.tui.screens.form import Field, RecordForm, date_text


def _save(db: Database, review: ReviewRecorded) -> ReviewRecorded:
    held = record_held(db, review, review.next_due)
    return review.model_copy(update={"id": held.id})


def _next_due_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """A next review before this one, or an EHCP's more than 12 months on (the law's
    limit), is refused rather than left to fall off the Planner's overdue line."""
    held, due = values["held_on"], values["next_due"]
    if not held or not due:
        return []
    if due <= held:
        return [("next_due", "is not after the review held: give a later date, or leave it blank")]
    if values["kind"] == ReviewKind.EHCP.value and late_for_statute(held, due):
        latest = next_review(ReviewKind.EHCP, held)
        return [
            (
                "next_due",
                f"is more than 12 months on: an EHCP is reviewed at least every 12 months, "
                f"by {latest:%d/%m/%Y} at the latest",
            )
        ]
    return []


def review_held_form(pupil: Pupil, db_path: Any, today: dt.date) -> RecordForm[ReviewRecorded]:
    """The form for one pupil (named in its title: not for presenter mode)."""
    assert pupil.id is not None
    kind = ReviewKind.EHCP if pupil.tier is Tier.SPECIALIST else ReviewKind.ISP
    fields = [
        Field(
            "kind",
            "Review",
            kind.value,
            options=[(k.label, k.value) for k in ReviewKind],
            required=True,
        ),
        Field("held_on", "Held on", date_text(today), parse=parse_date, required=True),
        Field(
            "report_sent_on",
            "Report sent to the local authority on (EHCP)",
            parse=parse_date,
            placeholder="dd/mm/yyyy",
            help="Due within 2 weeks of the meeting; until it is recorded, it is on the "
            "Planner and overdue after 2 weeks. Record it later by saving the same "
            "review (the same day held) with this filled in.",
        ),
        Field(
            "next_due",
            "Next review due",
            parse=parse_date,
            placeholder="blank: 12 months on (EHCP), 3 months on (ISP)",
        ),
    ]

    def build(values: dict[str, Any]) -> ReviewRecorded:
        return ReviewRecorded.model_validate(
            {**values, "school_id": pupil.school_id, "pupil_id": pupil.id}
        )

    def problems(values: dict[str, Any]) -> list[tuple[str, str]]:
        said = []
        if values["held_on"] and values["held_on"] > today:
            said.append(("held_on", "is after today: record a review once it is held"))
        if values["report_sent_on"] and values["kind"] == ReviewKind.ISP.value:
            said.append(("report_sent_on", "an ISP review has no report to the local authority"))
        said.extend(_next_due_problems(values))
        return said

    name = pupil.display_name or "the pupil"
    return RecordForm(f"Review held: {name}", fields, build, _save, db_path, problems)
