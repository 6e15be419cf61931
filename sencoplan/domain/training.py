"""Training lapses: a module with a refresh interval must be retaken before it expires."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


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
