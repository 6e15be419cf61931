"""Delivering sessions records training: for those who attended every part, dated the last
part; planned again removes those records and only those; coverage moves at once."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.domain.calendar import Term
from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.delivery import completed_by, refuse_future_delivery
from sencoplan.domain.models import Module, Pupil, School, StaffMember, TrainingRecord
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.domain.staff_codes import Role
from sencoplan.store.catalogue import save_module
from sencoplan.store.db import open_database
from sencoplan.store.priorities import load_priorities
from sencoplan.store.pupils import save_pupil
from sencoplan.store.schools import save_school
from sencoplan.store.sessions import (
    DeliveryError,
    SessionNotFound,
    delete_session,
    get_session,
    save_session,
    set_delivered,
)
from sencoplan.store.staff import save_staff
from sencoplan.store.terms import save_term
from sencoplan.store.training import save_training

TODAY = dt.date(2026, 11, 23)
DELIVERED, PLANNED, CANCELLED = (
    SessionStatus.DELIVERED,
    SessionStatus.PLANNED,
    SessionStatus.CANCELLED,
)


def part(ident: int, day: int, audience: tuple[int, ...], **changes: object) -> CpdSession:
    values: dict[str, object] = {
        "id": ident,
        "term_id": 1,
        "school_id": 1,
        "day": dt.date(2026, 11, day),
        "start": dt.time(15, 30),
        "minutes": 60,
        "module_id": 5,
        "audience": audience,
    }
    values.update(changes)
    return CpdSession.model_validate(values)


# --- the rule -----------------------------------------------------------------------------


def test_only_those_who_attended_every_part_complete_it_on_the_last_day() -> None:
    parts = [
        part(1, 3, (1, 2, 3), status=DELIVERED, attended=(1, 2, 3)),
        part(2, 10, (1, 2, 3), status=DELIVERED, attended=(1, 3)),  # 2 missed part 2
        part(3, 17, (1, 2, 3), status=DELIVERED, attended=(1, 2, 3)),
    ]
    done = completed_by(parts, 5)
    assert set(done) == {1, 3}
    assert {person: s.day for person, s in done.items()} == dict.fromkeys(
        (1, 3), dt.date(2026, 11, 17)
    )


def test_a_part_still_planned_records_nothing_and_a_cancelled_one_is_not_a_part() -> None:
    delivered = part(1, 3, (1, 2), status=DELIVERED, attended=(1, 2))
    assert completed_by([delivered, part(2, 10, (1, 2))], 5) == {}
    cancelled = part(2, 10, (1, 2), status=CANCELLED)
    assert set(completed_by([delivered, cancelled], 5)) == {1, 2}


def test_two_groups_on_one_module_each_complete_their_own_parts() -> None:
    parts = [
        part(1, 3, (1,), status=DELIVERED, attended=(1,)),
        part(2, 4, (2,)),  # another group's part, still planned
        part(3, 10, (9,), module_id=6, status=DELIVERED, attended=(9,)),  # another module
    ]
    assert set(completed_by(parts, 5)) == {1}


def test_a_session_in_the_future_cannot_be_delivered() -> None:
    later = part(1, 30, (1,), status=DELIVERED)
    with pytest.raises(ValueError, match="in the future"):
        refuse_future_delivery(later, TODAY)
    refuse_future_delivery(later, dt.date(2026, 11, 30))  # on its day: fine
    refuse_future_delivery(part(1, 30, (1,)), TODAY)  # planned: fine


# --- in the file ---------------------------------------------------------------------------


@pytest.fixture
def trust(db: Database, school: School) -> Database:
    """Oakfield: three TAs, two pupils with an EHCP and autism whom no one is recorded as
    supporting, the autism module (targeted), its term, and a hand-typed record."""
    assert school.id == 1
    for name in ("Ann Lee", "Bob Ray", "Cy Moss"):
        save_staff(db, StaffMember(school_id=1, name=name, role=Role.TA, cpd_hours=12))
    for _ in range(2):
        save_pupil(
            db,
            Pupil(school_id=1, year_group="4", tier=Tier.SPECIALIST, primary_need=NeedType.ASD),
        )
    save_module(db, Module(code="ASD-T", title="Autism", needs=(NeedType.ASD,), level="targeted"))
    save_term(
        db,
        Term(school_id=1, name="Autumn 2026", start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 18)),
    )
    return db


def plan(db: Database) -> list[CpdSession]:
    return [
        save_session(db, part(None, day, (1, 2, 3), module_id=1), today=TODAY)  # type: ignore[arg-type]
        for day in (3, 10)
    ]


def records(db: Database) -> list[tuple[object, ...]]:
    return db.execute(
        "SELECT staff_id, completed, session_id FROM training_records ORDER BY staff_id, completed"
    ).fetchall()


def test_delivering_every_part_records_training_and_moves_coverage(trust: Database) -> None:
    first, second = plan(trust)
    before = load_priorities(trust, TODAY, 1).priorities[0]
    assert first.id is not None and second.id is not None
    one = set_delivered(trust, first.id, today=TODAY)
    assert (one.recorded, one.parts_left) == (0, 1)
    assert one.session.attended == (1, 2, 3)  # no attendance marked: the audience
    assert records(trust) == []
    two = set_delivered(trust, second.id, attended=(1, 3), today=TODAY)
    assert (two.recorded, two.parts_left) == (2, 0)
    assert records(trust) == [(1, "2026-11-10", second.id), (3, "2026-11-10", second.id)]
    after = load_priorities(trust, TODAY, 1).priorities[0]
    assert after.coverage > before.coverage
    assert (before.staff_trained, after.staff_trained) == (0, 2)


def test_planned_again_removes_the_records_it_made_and_only_those(trust: Database) -> None:
    first, second = plan(trust)
    assert first.id is not None and second.id is not None
    save_training(trust, TrainingRecord(staff_id=1, module_id=1, completed=dt.date(2026, 11, 10)))
    save_training(trust, TrainingRecord(staff_id=2, module_id=1, completed=dt.date(2025, 1, 6)))
    set_delivered(trust, first.id, today=TODAY)
    set_delivered(trust, second.id, today=TODAY)
    # Ann's record for that day was typed by hand: it stays hers, unlinked.
    assert records(trust) == [
        (1, "2026-11-10", None),
        (2, "2025-01-06", None),
        (2, "2026-11-10", second.id),
        (3, "2026-11-10", second.id),
    ]
    set_delivered(trust, first.id, delivered=False, today=TODAY)
    assert records(trust) == [(1, "2026-11-10", None), (2, "2025-01-06", None)]


def test_deleting_a_delivered_part_takes_its_records_with_it(trust: Database) -> None:
    first, second = plan(trust)
    assert first.id is not None and second.id is not None
    set_delivered(trust, first.id, today=TODAY)
    set_delivered(trust, second.id, today=TODAY)
    delete_session(trust, second.id)
    # What is left is one delivered part: everyone attended all of it.
    assert records(trust) == [(p, "2026-11-03", first.id) for p in (1, 2, 3)]


def test_future_unknown_and_stranger_deliveries_are_refused(trust: Database) -> None:
    first, _ = plan(trust)
    assert first.id is not None
    with pytest.raises(DeliveryError, match="in the future"):
        set_delivered(trust, first.id, today=dt.date(2026, 11, 2))
    with pytest.raises(SessionNotFound):
        set_delivered(trust, 99, today=TODAY)
    with pytest.raises(DeliveryError, match="not in the audience"):
        set_delivered(trust, first.id, attended=(1, 7), today=TODAY)
    assert records(trust) == []


@settings(max_examples=25, deadline=None)
@given(
    held=st.lists(
        st.sampled_from([None, "universal", "targeted", "specialist"]), min_size=3, max_size=3
    ),
    attended=st.lists(st.booleans(), min_size=3, max_size=3),
    level=st.sampled_from(["universal", "targeted", "specialist"]),
)
def test_delivering_a_session_never_lowers_coverage(
    held: list[str | None], attended: list[bool], level: str
) -> None:
    db = open_database(":memory:")
    try:
        save_school(db, School(name="Oakfield Primary School"))
        for i, name in enumerate(("Ann Lee", "Bob Ray", "Cy Moss")):
            save_staff(db, StaffMember(school_id=1, name=name, role=Role.TA if i else Role.TEACHER))
        save_pupil(
            db,
            Pupil(school_id=1, year_group="4", tier=Tier.TARGETED_PLUS, primary_need=NeedType.ASD),
        )
        course = save_module(
            db, Module(code="ASD-X", title="Autism", needs=(NeedType.ASD,), level=level)
        )
        for staff_id, held_level in enumerate(held, start=1):
            if held_level:
                other = save_module(
                    db,
                    Module(
                        code=f"ASD-{staff_id}",
                        title="Earlier",
                        needs=(NeedType.ASD,),
                        level=held_level,
                    ),
                )
                save_training(
                    db,
                    TrainingRecord(
                        staff_id=staff_id, module_id=other.id or 0, completed=dt.date(2025, 9, 1)
                    ),
                )
        save_term(
            db,
            Term(
                school_id=1,
                name="Autumn 2026",
                start=dt.date(2026, 9, 1),
                end=dt.date(2026, 12, 18),
            ),
        )
        session = save_session(db, part(None, 3, (1, 2, 3), module_id=course.id), today=TODAY)  # type: ignore[arg-type]
        before = load_priorities(db, TODAY, 1).priorities[0].coverage
        who = tuple(i for i, went in enumerate(attended, start=1) if went)
        assert session.id is not None
        set_delivered(db, session.id, attended=who, today=TODAY)
        assert load_priorities(db, TODAY, 1).priorities[0].coverage >= before
    finally:
        db.close()


def test_a_record_typed_for_a_delivery_day_becomes_the_schools_own(trust: Database) -> None:
    """Typing (or importing) the record a delivery made, then marking the session planned
    again, used to delete the only record (found in review)."""
    first, second = plan(trust)
    assert first.id is not None and second.id is not None
    set_delivered(trust, first.id, today=TODAY)
    set_delivered(trust, second.id, today=TODAY)
    save_training(trust, TrainingRecord(staff_id=1, module_id=1, completed=dt.date(2026, 11, 10)))
    set_delivered(trust, second.id, delivered=False, today=TODAY)
    assert records(trust) == [(1, "2026-11-10", None)]


def test_moving_a_delivered_part_to_another_term_works_both_terms_out_again(
    trust: Database,
) -> None:
    first, second = plan(trust)
    assert first.id is not None and second.id is not None
    set_delivered(trust, first.id, today=TODAY)
    set_delivered(trust, second.id, attended=(1,), today=TODAY)  # 2 and 3 miss part 2
    assert records(trust) == [(1, "2026-11-10", second.id)]
    other = save_term(
        trust,
        Term(school_id=1, name="Summer 2026", start=dt.date(2026, 4, 13), end=dt.date(2026, 7, 22)),
    )
    now = get_session(trust, second.id)
    assert now is not None
    moved = now.model_copy(update={"term_id": other.id, "day": dt.date(2026, 5, 5)})
    save_session(trust, moved, today=TODAY)
    # Left in the autumn: part 1, which all three attended.
    assert records(trust) == [
        (1, "2026-05-05", second.id),
        *[(p, "2026-11-03", first.id) for p in (1, 2, 3)],
    ]


def test_only_planned_sessions_are_training_to_come(trust: Database) -> None:
    """A delivered session is in the records already, for those who came to every part;
    counting its audience as trained kept someone who missed it from being offered it
    again (found in review)."""
    from sencoplan.store.planning import plan_inputs
    from sencoplan.store.terms import list_terms

    first, second = plan(trust)
    assert first.id is not None and second.id is not None
    set_delivered(trust, first.id, today=TODAY)
    (term,) = list_terms(trust, 1)
    to_come = plan_inputs(trust, term, TODAY).to_come
    assert [s.id for s in to_come] == [second.id]
