"""Training lapses (a module with a refresh interval must be retaken before it expires),
and which modules are a need's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from sencoplan.domain.codes import NeedType

if TYPE_CHECKING:  # models reads the expiry rules here
    from sencoplan.domain.models import Module


def expiry_date(completed: dt.date, refresh_months: int | None) -> dt.date | None:
    """The first day the training no longer counts; None if it never lapses.

    Calendar months, so training done on 31 January with a 1-month refresh lapses
    on 28 (or 29) February.
    """
    if refresh_months is None:
        return None
    return completed + relativedelta(months=refresh_months)


def valid_on(completed: dt.date, refresh_months: int | None, on: dt.date) -> bool:
    """Training counts on that date: done by then, and not yet lapsed."""
    expires = expiry_date(completed, refresh_months)
    return completed <= on and (expires is None or expires > on)


def expires_between(
    completed: dt.date, refresh_months: int | None, start: dt.date, end: dt.date
) -> bool:
    """Lapses within [start, end]: what a SENCO must rebook this term."""
    expires = expiry_date(completed, refresh_months)
    return expires is not None and start <= expires <= end


GENERAL = 4
"""A module for more needs than this is general (adaptive teaching, leading CPD): what a
need's own training is leaves it out."""


def modules_for(need: NeedType, modules: Iterable[Module]) -> list[Module]:
    """The modules for one need (general ones left out), the lowest level first."""
    return sorted(
        (m for m in modules if need in m.needs and len(m.needs) <= GENERAL),
        key=lambda m: (m.level.rank, m.code),
    )
