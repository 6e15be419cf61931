"""Training lapses after its module's refresh interval, in calendar months."""

from __future__ import annotations

import datetime as dt

import pytest

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import Module, TrainingRecord
from sencoplan.domain.training import expires_between, expiry_date


@pytest.mark.parametrize(
    ("completed", "months", "expires"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
        (dt.date(2026, 1, 15), 1, dt.date(2026, 2, 15)),
        (dt.date(2026, 11, 23), 12, dt.date(2027, 11, 23)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 9, 1), 36, dt.date(2028, 9, 1)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    ],
)
def test_expiry_date_in_calendar_months(completed: dt.date, months: int, expires: dt.date) -> None:
    assert expiry_date(completed, months) == expires


def test_no_refresh_interval_never_expires() -> None:
    assert expiry_date(dt.date(2010, 1, 1), None) is None
    assert not expires_between(dt.date(2010, 1, 1), None, dt.date(2000, 1, 1), dt.date.max)


def test_expires_between_includes_both_ends() -> None:
    completed = dt.date(2025, 11, 23)  # lapses on 23/11/2026 with a 12-month refresh
    assert expires_between(completed, 12, dt.date(2026, 11, 23), dt.date(2026, 12, 19))
    assert expires_between(completed, 12, dt.date(2026, 9, 1), dt.date(2026, 11, 23))
    assert not expires_between(completed, 12, dt.date(2026, 11, 24), dt.date(2026, 12, 19))
    assert not expires_between(completed, 12, dt.date(2026, 9, 1), dt.date(2026, 11, 22))


def _module(refresh_months: int | None) -> Module:
    return Module(
        id=1,
        code="EPI-1",
        title="Epilepsy and rescue medication",
        needs=(NeedType.PD,),
        refresh_months=refresh_months,
    )


def test_valid_on_is_valid_the_day_before_expiry_and_not_on_it() -> None:
    module = _module(12)
    record = TrainingRecord(staff_id=1, module_id=1, completed=dt.date(2025, 11, 24))
    assert record.expires(module) == dt.date(2026, 11, 24)
    assert record.valid_on(module, dt.date(2025, 11, 24))  # the day it was done
    assert record.valid_on(module, dt.date(2026, 11, 23))  # the day before expiry
    assert not record.valid_on(module, dt.date(2026, 11, 24))  # expiry: the first day out
    assert not record.valid_on(module, dt.date(2027, 6, 1))


def test_an_expired_record_is_not_valid() -> None:
    module = _module(24)
    record = TrainingRecord(staff_id=1, module_id=1, completed=dt.date(2023, 9, 4))
    assert record.expires(module) == dt.date(2025, 9, 4)
    assert not record.valid_on(module, dt.date(2026, 11, 23))


def test_training_done_later_is_not_yet_valid() -> None:
    module = _module(None)
    record = TrainingRecord(staff_id=1, module_id=1, completed=dt.date(2026, 11, 24))
    assert not record.valid_on(module, dt.date(2026, 11, 23))
    assert record.valid_on(module, dt.date(2026, 11, 24))


def test_training_that_never_lapses_stays_valid() -> None:
    module = _module(None)
    record = TrainingRecord(staff_id=1, module_id=1, completed=dt.date(2012, 3, 1))
    assert record.expires(module) is None
    assert record.valid_on(module, dt.date(2026, 11, 23))
    assert record.valid_on(module, dt.date(2099, 12, 31))
