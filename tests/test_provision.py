"""The provision map's rules: a pupil's cost, and what a provision makes its adult."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlite_utils import Database

from sencoplan.domain.priorities import PriorityResult
from sencoplan.domain.provision import (
    Provision,
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
        (ProvisionKind.IN_CLASS, 1, SupportKind.CLASS_SUPPORT),  # support in class, for one
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


# --- provisions make their deliverer one of the pupil's adults ---------------------------

TODAY = dt.date(2026, 11, 23)


def _school_with_a_pupil(db: Database, tier: str = "specialist") -> tuple[int, int, int, int]:
    """A school with a teacher and an untrained TA, and one pupil with autism: ids of the
    school, the teacher, the TA and the pupil. No supports file."""
    from sencoplan.domain.codes import NeedType, Tier
    from sencoplan.domain.models import Pupil, School, StaffMember
    from sencoplan.domain.staff_codes import Role
    from sencoplan.store.pupils import save_pupil
    from sencoplan.store.schools import save_school
    from sencoplan.store.staff import save_staff

    school = save_school(db, School(name="Oak Primary"))
    assert school.id is not None
    teacher = save_staff(db, StaffMember(school_id=school.id, name="Ann Lee", role=Role.TEACHER))
    ta = save_staff(db, StaffMember(school_id=school.id, name="Bob Ray", role=Role.TA))
    pupil = save_pupil(
        db,
        Pupil(school_id=school.id, year_group="4", tier=Tier(tier), primary_need=NeedType.ASD),
    )
    assert teacher.id and ta.id and pupil.id
    return school.id, teacher.id, ta.id, pupil.id


def _gap(result: PriorityResult, staff_id: int) -> tuple[str, str | None] | None:
    from sencoplan.domain.codes import NeedType

    for gap in result.staff_gaps:
        if gap.staff.id == staff_id and gap.need is NeedType.ASD:
            return gap.required.value, gap.held.value if gap.held else None
    return None


def test_a_ta_delivering_one_to_one_autism_support_needs_specialist_training(db: Database) -> None:
    """With no supports file the TA counts as in-class support (universal training for a
    pupil with an EHCP); delivering the pupil's one-to-one makes them one to one, which
    needs specialist training: the staff gaps say so."""
    from sencoplan.store.db import write_transaction
    from sencoplan.store.priorities import load_priorities
    from sencoplan.store.provision import keep_provisions

    school, _, ta, pupil = _school_with_a_pupil(db)
    before = _gap(load_priorities(db, TODAY, school, staff_views=True), ta)
    with write_transaction(db):
        ids = keep_provisions(
            db,
            school,
            [Provision(school_id=school, name="1:1 autism", kind=ProvisionKind.ONE_TO_ONE)],
        )
        db.execute(
            "INSERT INTO pupil_provisions (school_id, provision_id, pupil_id, staff_id) "
            "VALUES (?, ?, ?, ?)",
            (school, ids["1:1 autism"], pupil, ta),
        )
    after = _gap(load_priorities(db, TODAY, school, staff_views=True), ta)
    assert before != after
    assert after == ("specialist", None)


@given(
    tier=st.sampled_from(["targeted", "targeted_plus", "specialist"]),
    before=st.sampled_from(list(SupportKind)),
    kind=st.sampled_from(list(ProvisionKind)),
    group=st.integers(1, 12),
)
def test_a_provision_never_lowers_the_level_its_deliverer_needs(
    tier: str, before: SupportKind, kind: ProvisionKind, group: int
) -> None:
    """Whatever the adult was to the pupil, delivering them a provision keeps or raises
    the level of training needed (the closer relationship counts)."""
    from sencoplan.domain.codes import NeedType, Tier
    from sencoplan.domain.levels import DEFAULT_TABLE
    from sencoplan.domain.priorities import NeedGroup

    adult = 7
    only = frozenset({adult})
    group_of = NeedGroup(
        school_id=1,
        need=NeedType.ASD,
        tier=Tier(tier),
        adults=only,
        one_to_one=only if before is SupportKind.ONE_TO_ONE else frozenset(),
        key_adults=only if before is SupportKind.KEY_ADULT else frozenset(),
        class_support=only if before is SupportKind.CLASS_SUPPORT else frozenset(),
    )
    made = relationship(kind, group)
    provided = frozenset({(adult, made)}) if made else frozenset()
    with_provision = dataclasses.replace(group_of, provided=provided)
    known = {adult: object()}
    (was,) = group_of.adults_with(known, {})
    (now,) = with_provision.adults_with(known, {})
    assert was == (adult, before)
    needed_before = DEFAULT_TABLE.required(before, Tier(tier))
    needed_now = DEFAULT_TABLE.required(now[1], Tier(tier))
    assert needed_now.rank >= needed_before.rank


@given(
    places=st.lists(
        st.tuples(
            st.integers(1, 3),  # pupil
            st.floats(0, 100),  # cost per hour
            st.integers(1, 120),  # minutes
            st.integers(1, 52),  # weeks
            st.integers(1, 8),  # group size
        ),
        max_size=8,
    ),
    extra=st.tuples(st.integers(1, 3), st.floats(0, 100), st.integers(1, 120)),
)
def test_adding_a_provision_never_lowers_a_pupils_cost(
    places: list[tuple[int, float, int, int, int]], extra: tuple[int, float, int]
) -> None:
    from sencoplan.domain.models import School
    from sencoplan.domain.provision_map import provision_map

    school = School(id=1, name="Oak")
    catalogue = [Provision(id=1, school_id=1, name="Talk Boost")]

    def place(
        pupil: int, hourly: float, minutes: int, weeks: int = 38, group: int = 1
    ) -> PupilProvision:
        return _place(
            pupil_id=pupil, cost_per_hour=hourly, minutes=minutes, weeks=weeks, group_size=group
        )

    before = provision_map(school, catalogue, [place(*p) for p in places], {}, {})
    after = provision_map(school, catalogue, [*(place(*p) for p in places), place(*extra)], {}, {})
    for pupil in {1, 2, 3}:
        assert after.pupil_costs.get(pupil, 0) >= before.pupil_costs.get(pupil, 0) - 1e-9
    assert after.total_cost >= before.total_cost - 1e-9
