"""Terms in the real calendar: slots from an RRULE that never fall on a closure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlite_utils import Database

from sencoplan.domain.calendar import Closure, Term, usual_year
from sencoplan.domain.models import School, StaffMember
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.staff_codes import Role
from sencoplan.domain.succession import RiskKind, school_risks
from sencoplan.io.dates import parse_closures, parse_time
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.importers import import_file
from sencoplan.store.sessions import save_session
from sencoplan.store.staff import save_staff
from sencoplan.store.succession import school_facts
from sencoplan.store.terms import current_term, find_term, list_terms, save_term, term_around

AUTUMN = dict(school_id=1, name="Autumn 2026", start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 18))


def test_weekly_slots_skip_half_term_and_inset() -> None:
    term = Term(
        **AUTUMN,
        closures=(
            Closure(start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 1), label="INSET"),
            Closure(start=dt.date(2026, 10, 26), end=dt.date(2026, 10, 30), label="Half term"),
        ),
        slot_rule="FREQ=WEEKLY;BYDAY=TU",
        slot_start=dt.time(15, 45),
    )
    slots = term.slots()
    assert slots[0] == dt.datetime(2026, 9, 8, 15, 45)  # 1 Sept is a Tuesday, but INSET
    assert dt.datetime(2026, 10, 27, 15, 45) not in slots  # half term
    assert slots[-1] == dt.datetime(2026, 12, 15, 15, 45)
    assert len(slots) == 14
    assert term.closed(dt.date(2026, 10, 28)) is not None
    assert term.weeks()[0] == dt.date(2026, 8, 31)


def test_fortnightly_rule_and_rrule_prefix() -> None:
    term = Term(**AUTUMN, slot_rule="RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE")
    assert term.slot_rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert [s.date() for s in term.slots()[:2]] == [dt.date(2026, 9, 2), dt.date(2026, 9, 16)]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("", "the slot rule is blank"),
        ("FREQ=SOMETIMES", "cannot be read"),
        ("DTSTART:20260101T000000\nFREQ=WEEKLY", "leave DTSTART out"),
    ],
)
def test_bad_rules_are_refused(rule: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Term(**AUTUMN, slot_rule=rule)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(dt.date(2025, 1, 1), dt.date(2030, 1, 1)),
    length=st.integers(0, 120),
    closed=st.lists(st.tuples(st.integers(0, 120), st.integers(0, 10)), max_size=6),
    weekday=st.sampled_from(["MO", "TU", "WE", "TH", "FR"]),
)
def test_slots_never_fall_on_a_closure_nor_outside_the_term(
    start: dt.date, length: int, closed: list[tuple[int, int]], weekday: str
) -> None:
    closures = tuple(
        Closure(start=start + dt.timedelta(days=a), end=start + dt.timedelta(days=a + b))
        for a, b in closed
        if a <= length  # a closure must touch the term
    )
    term = Term(
        school_id=1,
        name="T",
        start=start,
        end=start + dt.timedelta(days=length),
        closures=closures,
        slot_rule=f"FREQ=WEEKLY;BYDAY={weekday}",
    )
    for slot in term.slots():
        assert term.start <= slot.date() <= term.end
        assert all(not closure.covers(slot.date()) for closure in closures)
    open_days = [
        start + dt.timedelta(days=n)
        for n in range(length + 1)
        if term.closed(start + dt.timedelta(days=n)) is None
        and (start + dt.timedelta(days=n)).strftime("%a")[:2].upper() == weekday
    ]
    assert [slot.date() for slot in term.slots()] == open_days


def test_the_usual_english_year() -> None:
    autumn, spring, summer = usual_year(1, 2026)
    assert (autumn.start, autumn.end) == (dt.date(2026, 9, 1), dt.date(2026, 12, 18))
    assert autumn.closed(dt.date(2026, 10, 28)) is not None
    assert spring.start == dt.date(2027, 1, 4) and spring.end == dt.date(2027, 3, 25)
    # Easter Sunday is 28 March 2027: a fortnight off, summer from Monday 12 April.
    assert (summer.start, summer.end) == (dt.date(2027, 4, 12), dt.date(2027, 7, 16))
    assert summer.closed(dt.date(2027, 5, 3)) is not None  # early May bank holiday
    assert all(slot.weekday() == 1 for slot in autumn.slots())


def test_closures_and_times_as_schools_write_them() -> None:
    closures = parse_closures("26/10/2026-30/10/2026 Half term; 01/09/2026 INSET day")
    assert [str(closure) for closure in closures] == [
        "01/09/2026 INSET day",
        "26/10/2026-30/10/2026 Half term",
    ]
    assert parse_closures("2026-12-21 to 2027-01-01 Christmas")[0].label == "Christmas"
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_closures("30/10/2026-26/10/2026 Half term")
    with pytest.raises(ValueError, match="is not 'dd/mm/yyyy'"):
        parse_closures("after Christmas")
    assert parse_time("3.45pm") == dt.time(15, 45)
    assert parse_time("15:30") == dt.time(15, 30)
    with pytest.raises(ValueError, match="is not a time"):
        parse_time("teatime")


def test_terms_import_all_or_nothing_and_update(
    db: Database, school: School, tmp_path: Path
) -> None:
    headings = "Term,Start,End,Closures,Slot Rule,Slot Start,Slot Minutes,CPD Budget,SENCO Hours\n"
    good = tmp_path / "terms.csv"
    good.write_text(
        headings + "Autumn 2026,01/09/2026,18/12/2026,26/10/2026-30/10/2026 Half term,"
        "FREQ=WEEKLY;BYDAY=TU,15:45,60,2500,12\n",
        encoding="utf-8",
    )
    report = import_file(db, "terms", good, school=school.name)
    assert report.created == 1
    assert school.id is not None
    term = find_term(db, school.id, "autumn 2026")
    assert term is not None and term.cpd_budget == 2500 and len(term.slots()) == 15

    bad = tmp_path / "bad.csv"
    bad.write_text(
        headings + "Autumn 2026,01/09/2026,18/12/2026,,FREQ=OFTEN,15:45,60,2500,12\n"
        "Spring 2027,04/01/2027,31/12/2026,,FREQ=WEEKLY,25:00,60,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(db, "terms", bad, school=school.name)
    errors = refused.value.errors
    assert errors[0] == RowError(
        2, "Slot Rule", "the slot rule 'FREQ=OFTEN' cannot be read: invalid 'FREQ': OFTEN"
    )
    assert RowError(3, "Slot Start", "'25:00' is not a time of day") in errors
    assert any(e.line == 3 and "ends before it starts" in e.reason for e in errors)
    assert len(list_terms(db, school.id)) == 1
    assert list_terms(db, school.id)[0].slot_rule == "FREQ=WEEKLY;BYDAY=TU"

    slower_reviews = tmp_path / "reviews.csv"
    slower_reviews.write_text(
        "Term,Start,End,EHCP Review Hours,ISP Review Hours\n"
        'Autumn 2026,01/09/2026,18/12/2026,"4,5",0.5\n',
        encoding="utf-8",
    )
    assert import_file(db, "terms", slower_reviews, school=school.name).updated == 1
    term = find_term(db, school.id, "Autumn 2026")
    assert term is not None and (term.ehcp_review_hours, term.isp_review_hours) == (4.5, 0.5)
    assert term.cpd_budget == 2500  # columns the file leaves out keep their values


def test_current_term_is_the_schools_own_else_the_usual(db: Database, school: School) -> None:
    from sencoplan.store.terms import current_term, save_term

    assert school.id is not None
    assert current_term(db, school.id, dt.date(2026, 11, 23)).name == "Autumn 2026"
    save_term(
        db,
        Term(
            school_id=school.id,
            name="Autumn one",
            start=dt.date(2026, 9, 3),
            end=dt.date(2026, 12, 16),
        ),
    )
    term = current_term(db, school.id, dt.date(2026, 11, 23))
    assert (term.name, term.end) == ("Autumn one", dt.date(2026, 12, 16))
    assert current_term(db, school.id, dt.date(2026, 8, 1)).name == "Autumn one"  # next one


def test_a_closure_outside_the_term_is_refused() -> None:
    with pytest.raises(ValueError, match="falls outside the term"):
        Term(
            school_id=1,
            name="Spring 2027",
            start=dt.date(2027, 1, 5),
            end=dt.date(2027, 3, 26),
            closures=(Closure(start=dt.date(2027, 4, 1), end=dt.date(2027, 4, 1), label="Easter"),),
        )


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("FREQ=SECONDLY", "repeats within a day"),
        ("FREQ=HOURLY;BYDAY=TU", "repeats within a day"),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=9,10", "repeats within a day"),
        ("FREQ=WEEKLY;BYDAY=TU\nFREQ=DAILY", "one line"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "a day no month has"),
        ("FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31", "a day no month has"),
    ],
)
def test_slot_rules_that_would_swamp_the_planner_are_refused(rule: str, why: str) -> None:
    """Typed in the term form or imported: a rule that repeats within a day is millions of
    slots, and one that names no real day is a search to the year 9999."""
    from sencoplan.domain.calendar import check_rule

    with pytest.raises(ValueError, match=why):
        check_rule(rule)


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"],
)
def test_ordinary_slot_rules_are_kept(rule: str) -> None:
    from sencoplan.domain.calendar import check_rule

    assert check_rule(rule) == rule


# --- slots in words --------------------------------------------------------------------------


def test_slot_rules_from_words_and_back() -> None:
    from sencoplan.domain.calendar import rule_from_words, rule_in_words, rule_said

    assert rule_from_words(["TU"]) == "FREQ=WEEKLY;BYDAY=TU"
    assert rule_from_words(["TH", "MO"], every_other_week=True) == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"
    )
    assert rule_in_words("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH") == (("MO", "TH"), True)
    assert rule_in_words("freq=weekly;byday=we") == (("WE",), False)
    assert rule_in_words("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1") is None  # kept as imported
    assert rule_in_words("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU") is None
    assert rule_said("FREQ=WEEKLY;BYDAY=TU") == "every Tuesday"
    assert rule_said("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,TH") == (
        "every other Monday, Wednesday and Thursday"
    )
    assert rule_said("FREQ=MONTHLY;BYDAY=1TU") == "as the rule FREQ=MONTHLY;BYDAY=1TU says"
    with pytest.raises(ValueError, match="at least one weekday"):
        rule_from_words([])


@given(
    days=st.sets(st.sampled_from(["MO", "TU", "WE", "TH", "FR"]), min_size=1),
    other=st.booleans(),
)
def test_every_rule_the_words_make_is_read_back_and_is_a_valid_slot_rule(
    days: set[str], other: bool
) -> None:
    from sencoplan.domain.calendar import check_rule, rule_from_words, rule_in_words

    rule = rule_from_words(days, every_other_week=other)
    assert check_rule(rule) == rule
    assert rule_in_words(rule) == (
        tuple(d for d in ("MO", "TU", "WE", "TH", "FR") if d in days),
        other,
    )


def test_this_term_is_the_term_around_today_and_only_its_sessions_count(
    db: Database, school: School
) -> None:
    """The succession review's 'leads N sessions this term' counts the term around today,
    the same term the Staff and Succession screens call this term, not next term's too."""
    assert school.id is not None
    autumn = save_term(db, Term(**{**AUTUMN, "school_id": school.id}))
    spring = save_term(
        db,
        Term(
            school_id=school.id,
            name="Spring 2027",
            start=dt.date(2027, 1, 5),
            end=dt.date(2027, 3, 26),
        ),
    )
    leader = save_staff(db, StaffMember(school_id=school.id, name="Ben Ward", role=Role.TEACHER))
    assert leader.id is not None
    for term, day in ((autumn, dt.date(2026, 11, 24)), (spring, dt.date(2027, 1, 12))):
        for week in range(2):
            save_session(
                db,
                CpdSession(
                    term_id=term.id,
                    school_id=school.id,
                    day=day + dt.timedelta(weeks=week),
                    start=dt.time(15, 45),
                    minutes=60,
                    facilitators=(leader.id,),
                ),
            )
    today = dt.date(2026, 11, 23)
    assert term_around(db, school.id, today) == autumn
    assert current_term(db, school.id, today).name == "Autumn 2026"
    risks = school_risks(school_facts(db, school.id, today), today)
    (untrained,) = [r for r in risks if r.kind is RiskKind.UNTRAINED_LEADER]
    assert "leads 2 session(s) this term" in untrained.what
    # In the Christmas holiday the next term is this term.
    holiday = dt.date(2026, 12, 28)
    assert term_around(db, school.id, holiday) == spring
    assert current_term(db, school.id, holiday).name == "Spring 2027"


def test_the_usual_term_around_a_day_or_the_next() -> None:
    from sencoplan.domain.calendar import usual_term_around

    assert usual_term_around(1, dt.date(2026, 11, 23)).name == "Autumn 2026"
    assert usual_term_around(1, dt.date(2026, 12, 28)).name == "Spring 2027"  # holiday: next
    assert usual_term_around(1, dt.date(2027, 4, 1)).name == "Summer 2027"  # Easter holiday
    assert usual_term_around(1, dt.date(2027, 8, 10)).name == "Autumn 2027"
