"""The provision map's rules: a pupil's cost, and what a provision makes its adult."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sencoplan.domain.provision import (
    ProvisionKind,
    PupilProvision,
    parse_provision_kind,
    relationship,
)
from sencoplan.domain.staff_codes import SupportKind


def _place(**values: object) -> PupilProvision:
    return PupilProvision.model_validate(
        {"school_id": 1, "provision_id": 1, "pupil_id": 1, **values}
    )


def test_a_pupils_cost_is_the_hour_shared_by_the_group_over_the_weeks() -> None:
    # £15 an hour x 30 minutes x 3 a week x 30 weeks / a group of 5 = £135.
    place = _place(cost_per_hour=15, minutes=30, sessions_per_week=3, weeks=30, group_size=5)
    assert place.cost() == pytest.approx(135.0)
    assert place.hours_per_week() == pytest.approx(1.5)


def test_a_missing_cost_per_hour_takes_the_role_rate_and_else_is_unknown() -> None:
    place = _place(minutes=60, sessions_per_week=5, weeks=38, group_size=1)
    assert place.cost() is None
    assert place.cost(rate=20.0) == pytest.approx(3800.0)  # a full-time 1:1 hour a day
    assert _place(cost_per_hour=0, minutes=60).cost(rate=20.0) == 0  # given as free: free


@given(
    hourly=st.floats(0, 200),
    minutes=st.integers(1, 600),
    sessions=st.floats(0.5, 10),
    weeks=st.integers(1, 52),
    group=st.integers(1, 60),
    more=st.integers(1, 60),
)
def test_a_longer_or_smaller_group_never_costs_a_pupil_less(
    hourly: float, minutes: int, sessions: float, weeks: int, group: int, more: int
) -> None:
    place = _place(
        cost_per_hour=hourly,
        minutes=minutes,
        sessions_per_week=sessions,
        weeks=weeks,
        group_size=min(60, group + more),
    )
    cost = place.cost()
    assert cost is not None and cost >= 0
    smaller = place.model_copy(update={"group_size": group})
    assert (smaller.cost() or 0) >= cost - 1e-9


@pytest.mark.parametrize(
    ("kind", "group", "expected"),
    [
        (ProvisionKind.SMALL_GROUP, 1, SupportKind.ONE_TO_ONE),
        (ProvisionKind.SMALL_GROUP, 6, SupportKind.KEY_ADULT),
        (ProvisionKind.ONE_TO_ONE, 1, SupportKind.ONE_TO_ONE),
        (ProvisionKind.IN_CLASS, 30, SupportKind.CLASS_SUPPORT),
        (ProvisionKind.EXTERNAL, 1, None),
    ],
)
def test_what_a_provision_makes_the_adult_who_delivers_it(
    kind: ProvisionKind, group: int, expected: SupportKind | None
) -> None:
    assert relationship(kind, group) == expected


def test_kinds_are_read_as_schools_write_them() -> None:
    assert parse_provision_kind("1:1") is ProvisionKind.ONE_TO_ONE
    assert parse_provision_kind("Small group") is ProvisionKind.SMALL_GROUP
    assert parse_provision_kind("In-class support") is ProvisionKind.IN_CLASS
    assert parse_provision_kind("External specialist") is ProvisionKind.EXTERNAL
    with pytest.raises(ValueError, match="unknown kind of provision 'lunch'"):
        parse_provision_kind("lunch")


def test_a_provision_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        _place(start=dt.date(2026, 9, 7), end=dt.date(2026, 9, 1))
    place = _place(start=dt.date(2026, 9, 7), end=dt.date(2026, 12, 18))
    assert place.active(dt.date(2026, 10, 1)) and not place.active(dt.date(2027, 1, 4))
