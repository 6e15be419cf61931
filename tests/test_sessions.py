"""CPD sessions: stored with their people, and every conflict in a plan found and said."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from pydantic import ValidationError
from sqlite_utils import Database

from sencoplan.domain.calendar import Closure, Term
from sencoplan.domain.models import Module, School, StaffMember
from sencoplan.domain.sessions import (
    Conflict,
    ConflictKind,
    CpdSession,
    SessionStatus,
    find_conflicts,
)
from sencoplan.store.catalogue import save_module
from sencoplan.store.sessions import delete_session, get_session, list_sessions, save_session
from sencoplan.store.staff import save_staff
from sencoplan.store.terms import save_term

TERM = Term(
    id=1,
    school_id=1,
    name="Autumn 2026",
    start=dt.date(2026, 9, 1),
    end=dt.date(2026, 12, 18),
    closures=(Closure(start=dt.date(2026, 10, 26), end=dt.date(2026, 10, 30), label="Half term"),),
    cpd_budget=500,
    senco_hours=10,
)
STAFF = {
    1: StaffMember(id=1, school_id=1, name="Amira Khan", role="senco", cpd_hours=20),
    2: StaffMember(id=2, school_id=1, name="Ben Jones", role="teacher", cpd_hours=1),
    3: StaffMember(id=3, school_id=1, name="Cara Lee", role="ta", cpd_hours=10),
}
EXTERNAL = Module(id=7, code="AUT-S", title="Autism", needs=("ASD",), provider="external", cost=200)


def session(ident: int, day: dt.date, **changes: object) -> CpdSession:
    values: dict[str, object] = {
        "id": ident,
        "term_id": 1,
        "school_id": 1,
        "day": day,
        "start": dt.time(15, 45),
        "minutes": 60,
        "facilitators": (1,),
        "audience": (2, 3),
    }
    values.update(changes)
    return CpdSession.model_validate(values)


def kinds(conflicts: Sequence[Conflict]) -> list[str]:
    return [c.kind.value for c in conflicts]


def test_a_clean_plan_has_no_conflicts() -> None:
    plan = [session(1, dt.date(2026, 9, 8)), session(2, dt.date(2026, 9, 15), audience=(3,))]
    # Ben has exactly his 1 hour of CPD time; Cara is in both, within her 10 hours.
    assert find_conflicts(TERM, plan, STAFF, {}) == []


def test_a_session_on_half_term_is_flagged_not_moved() -> None:
    moved = session(1, dt.date(2026, 10, 27))
    conflicts = find_conflicts(TERM, [moved], STAFF, {})
    assert kinds(conflicts) == ["closure"]
    assert conflicts[0].message == (
        "Tue 27/10/2026 falls in Half term: the school is closed to CPD"
    )
    assert moved.day == dt.date(2026, 10, 27)


def test_double_booking_over_hours_budget_and_senco_cap() -> None:
    first = session(1, dt.date(2026, 9, 8), module_id=7)
    overlapping = session(2, dt.date(2026, 9, 8), start=dt.time(16, 15), audience=(2,))
    outside = session(3, dt.date(2027, 1, 5), audience=(), status="planned")
    cancelled = session(4, dt.date(2026, 9, 8), status=SessionStatus.CANCELLED)
    conflicts = find_conflicts(
        TERM,
        [first, overlapping, outside, cancelled],
        STAFF,
        {7: EXTERNAL},
        senco_weekly_hours={dt.date(2026, 9, 7): 12.5, dt.date(2026, 9, 14): 4},
    )
    messages = {c.kind: c.message for c in conflicts}
    assert set(messages) == {
        ConflictKind.OUTSIDE_TERM,
        ConflictKind.FACILITATOR_DOUBLE_BOOKED,
        ConflictKind.DOUBLE_BOOKED,
        ConflictKind.OVER_CPD_HOURS,
        ConflictKind.SENCO_OVER_CAP,
    }
    assert messages[ConflictKind.FACILITATOR_DOUBLE_BOOKED] == (
        "Amira Khan leads two sessions at Tue 08/09 15:45"
    )
    assert messages[ConflictKind.DOUBLE_BOOKED] == "Ben Jones is in two places at Tue 08/09 15:45"
    assert messages[ConflictKind.OVER_CPD_HOURS] == (
        "Ben Jones is booked for 2 hours of CPD, over their 1 hours this term"
    )
    assert messages[ConflictKind.SENCO_OVER_CAP] == (
        "week of 07/09/2026: the SENCO has 12.5 hours of work, over the 10 allocated"
    )
    # Two people at £200 is £400, inside the £500 budget; a third goes over.
    bigger = first.model_copy(update={"audience": (1, 2, 3)})
    over = find_conflicts(TERM, [bigger], STAFF, {7: EXTERNAL})
    assert "external training costs £600, over the £500 CPD budget" in [c.message for c in over]


def test_attendance_must_be_from_the_audience() -> None:
    with pytest.raises(ValidationError, match="not in the audience"):
        session(1, dt.date(2026, 9, 8), attended=(1,))


def test_sessions_round_trip_with_their_people(db: Database, school: School) -> None:
    assert school.id is not None
    term = save_term(db, TERM.model_copy(update={"id": None, "school_id": school.id}))
    people = [
        save_staff(db, member.model_copy(update={"id": None, "school_id": school.id}))
        for member in STAFF.values()
    ]
    module = save_module(db, EXTERNAL.model_copy(update={"id": None}))
    assert term.id and module.id and all(p.id for p in people)
    ids = [p.id or 0 for p in people]
    saved = save_session(
        db,
        session(
            0,
            dt.date(2026, 9, 8),
            id=None,
            term_id=term.id,
            school_id=school.id,
            module_id=module.id,
            facilitators=(ids[0],),
            audience=(ids[1], ids[2]),
            attended=(ids[2],),
            objectives="Know: ...\nUnderstand: ...\nAdapt: ...",
        ),
    )
    assert saved.id is not None
    loaded = get_session(db, saved.id)
    assert loaded == saved
    moved = save_session(db, saved.model_copy(update={"day": dt.date(2026, 9, 15)}))
    assert [s.day for s in list_sessions(db, term.id)] == [dt.date(2026, 9, 15)]
    assert moved.audience == (ids[1], ids[2])
    delete_session(db, saved.id)
    assert list_sessions(db, term.id) == []
    assert db.execute("SELECT COUNT(*) FROM session_people").fetchone()[0] == 0


def test_a_session_over_the_rooms_capacity_is_a_conflict() -> None:
    small_room = TERM.model_copy(update={"room_capacity": 1})
    plan = [session(1, dt.date(2026, 9, 8)), session(2, dt.date(2026, 9, 15), audience=(3,))]
    (conflict,) = find_conflicts(small_room, plan, STAFF, {})
    assert conflict.kind is ConflictKind.OVER_CAPACITY
    assert conflict.message == "Tue 08/09/2026: 2 booked, over the room's 1"
    assert find_conflicts(TERM, plan, STAFF, {}) == []  # no capacity set: no limit


def test_a_module_whose_sessions_are_shorter_than_it_is_said() -> None:
    """Two hours of training in one hour's session would be recorded whole for everyone
    there: the plan says so; a second part (or a cancelled one) changes it."""
    internal = Module(id=8, code="SEMH-U", title="Understanding behaviour", needs=("SEMH",))
    internal = internal.model_copy(update={"hours": 2})
    part_one = session(1, dt.date(2026, 9, 8), module_id=8, audience=(3,))
    part_two = session(2, dt.date(2026, 9, 15), module_id=8, audience=(3,))
    short = find_conflicts(TERM, [part_one], STAFF, {8: internal})
    assert kinds(short) == ["short_of_module"]
    assert short[0].message.startswith(
        "SEMH-U Understanding behaviour takes 2 h, but its sessions this term add up to 1 h"
    )
    assert short[0].session_ids == (1,)
    assert find_conflicts(TERM, [part_one, part_two], STAFF, {8: internal}) == []
    cancelled = part_two.model_copy(update={"status": SessionStatus.CANCELLED})
    assert kinds(find_conflicts(TERM, [part_one, cancelled], STAFF, {8: internal})) == [
        "short_of_module"
    ]
    half_hour = part_one.model_copy(update={"minutes": 45})
    assert "add up to 45 min" in find_conflicts(TERM, [half_hour], STAFF, {8: internal})[0].message
