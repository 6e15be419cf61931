"""The NPQ for SENCOs: a new SENCO must hold it within 3 years of taking the post (NASENCO
holders are exempt); where a SENCO stands with it, and how a qualification reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from sencoplan.domain.models import Qualification, StaffMember, SuccessionRole
from sencoplan.domain.succession_codes import QualificationKind, QualificationStatus

NPQ_YEARS = 3
"""A new SENCO must hold the NPQ for SENCOs within 3 years of taking the post."""


@dataclass(frozen=True)
class NpqStanding:
    """Where a SENCO stands with the qualification the role requires."""

    exempt: bool
    holds_npq: bool
    required_by: dt.date | None
    studying_until: dt.date | None
    studying: bool = False

    @property
    def met(self) -> bool:
        return self.exempt or self.holds_npq


def npq_standing(
    role: SuccessionRole, qualifications: Iterable[Qualification], staff: Mapping[int, StaffMember]
) -> NpqStanding:
    mine = [q for q in qualifications if q.staff_id == role.holder_id]
    held = {q.kind for q in mine if q.status is QualificationStatus.HELD}
    studying = [
        q.expected
        for q in mine
        if q.kind is QualificationKind.NPQ_SENCO and q.status is QualificationStatus.STUDYING
    ]
    since = role.holder_since
    if since is None and role.holder_id in staff:
        since = staff[role.holder_id or 0].start_date
    return NpqStanding(
        exempt=QualificationKind.NASENCO in held,
        holds_npq=QualificationKind.NPQ_SENCO in held,
        required_by=since + relativedelta(years=NPQ_YEARS) if since else None,
        studying_until=max((d for d in studying if d), default=None) if studying else None,
        studying=bool(studying),
    )


def qualification_text(item: Qualification) -> str:
    """'NASENCO', 'NPQ for SENCOs (studying, expected 30/07/2027)', or the title given."""
    name = item.title if item.kind is QualificationKind.OTHER and item.title else item.kind.label
    if item.status is QualificationStatus.STUDYING:
        expected = f", expected {item.expected:%d/%m/%Y}" if item.expected else ""
        return f"{name} (studying{expected})"
    return name
