"""What works here: each provision's reviews counted, and its cost per pupil."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.domain.models import School
from sencoplan.domain.provision import (
    Provision,
    ProvisionReview,
    PupilProvision,
    ReviewOutcome,
    parse_outcome,
)
from sencoplan.domain.provision_map import places_between, provision_map, school_year
from sencoplan.io.provision_report import outcome_text

SCHOOL = School(id=1, name="Oak Primary")
TALK = Provision(id=1, school_id=1, name="Talk Boost")
THERAPY = Provision(id=2, school_id=1, name="Play therapy")


def _place(pupil: int, provision: int = 1, **values: object) -> PupilProvision:
    return PupilProvision.model_validate(
        {"school_id": 1, "provision_id": provision, "pupil_id": pupil, **values}
    )


def _review(pupil: int, outcome: str, day: int = 11, **values: object) -> ProvisionReview:
    return ProvisionReview.model_validate(
        {
            "school_id": 1,
            "pupil_id": pupil,
            "provision_id": values.pop("provision", 1),
            "reviewed_on": dt.date(2026, 12, day),
            "outcome": outcome,
            **values,
        }
    )


def test_each_pupils_latest_review_counts_once() -> None:
    places = [
        _place(p, cost_per_hour=15, minutes=30, sessions_per_week=3, weeks=10, group_size=3)
        for p in (1, 2, 3)
    ]
    reviews = [
        _review(1, "not_met", day=1),
        _review(1, "met", day=11, entry_measure=82, exit_measure=91),
        _review(2, "partly_met", entry_measure=80, exit_measure=84),
        _review(9, "met"),  # not in this provision's places: not counted
    ]
    line = provision_map(SCHOOL, [TALK], places, {}, {}, reviews).lines[0]
    assert line.outcomes.reviewed == 2
    assert line.outcomes.count(ReviewOutcome.MET) == 1
    assert line.outcomes.share_met == pytest.approx(0.5)
    assert line.outcomes.progress == pytest.approx((9 + 4) / 2)
    assert line.outcomes.said() == "1 of 2 met, 1 partly"
    assert line.cost_per_pupil == pytest.approx(75.0)  # £225 over the three of them


def test_a_paper_for_others_gives_outcomes_only_of_five_or_more_pupils() -> None:
    places = [_place(p) for p in range(1, 7)]
    few = provision_map(SCHOOL, [TALK], places, {}, {}, [_review(1, "met")]).lines[0]
    assert outcome_text(few.outcomes, banding=True) == "fewer than 5 reviewed"
    assert outcome_text(few.outcomes, banding=False) == "1 of 1 met"
    reviews = [_review(p, "met" if p < 5 else "not_met") for p in range(1, 7)]
    many = provision_map(SCHOOL, [TALK], places, {}, {}, reviews).lines[0]
    assert outcome_text(many.outcomes, banding=True) == "67% of 6 reviewed"


def test_cost_per_pupil_leaves_out_pupils_whose_place_is_not_priced() -> None:
    places = [_place(1, cost_per_hour=20, minutes=60, weeks=10), _place(2)]
    line = provision_map(SCHOOL, [TALK], places, {}, {}).lines[0]
    assert line.unpriced == 1
    assert line.cost_per_pupil == pytest.approx(200.0)
    unpriced = provision_map(SCHOOL, [TALK], [_place(2)], {}, {}).lines[0]
    assert unpriced.cost_per_pupil is None
    assert outcome_text(unpriced.outcomes, banding=False) == "not reviewed yet"


def test_outcomes_are_read_as_schools_write_them() -> None:
    assert parse_outcome("Met") is ReviewOutcome.MET
    assert parse_outcome("partly met") is ReviewOutcome.PARTLY_MET
    assert parse_outcome("Partially") is ReviewOutcome.PARTLY_MET
    assert parse_outcome("NOT MET") is ReviewOutcome.NOT_MET
    with pytest.raises(ValueError, match="use met, partly met or not met"):
        parse_outcome("exceeded")


def test_the_school_year_and_the_places_under_way_in_it() -> None:
    first, last = school_year(dt.date(2026, 12, 6))
    assert (first, last) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    assert school_year(dt.date(2027, 8, 31)) == (first, last)
    ended = _place(1, start=dt.date(2025, 9, 1), end=dt.date(2026, 7, 20))
    running = _place(2, start=dt.date(2026, 1, 5))
    undated = _place(3)
    later = _place(4, start=dt.date(2027, 9, 6))
    assert places_between([ended, running, undated, later], first, last) == [running, undated]


@given(
    outcomes=st.lists(st.sampled_from(list(ReviewOutcome)), min_size=1, max_size=20),
    extra=st.sampled_from(list(ReviewOutcome)),
)
def test_one_more_met_target_never_lowers_the_share_met(
    outcomes: list[ReviewOutcome], extra: ReviewOutcome
) -> None:
    places = [_place(p) for p in range(len(outcomes) + 1)]
    reviews = [_review(p, o.value) for p, o in enumerate(outcomes)]
    before = provision_map(SCHOOL, [TALK], places, {}, {}, reviews).lines[0].outcomes
    after = (
        provision_map(SCHOOL, [TALK], places, {}, {}, [*reviews, _review(len(outcomes), "met")])
        .lines[0]
        .outcomes
    )
    assert before.share_met is not None and after.share_met is not None
    assert after.share_met >= before.share_met - 1e-9
    assert after.reviewed == before.reviewed + 1


def test_a_review_is_kept_when_a_new_provisions_file_replaces_the_places(db: Database) -> None:
    from sencoplan.domain.codes import NeedType, Tier
    from sencoplan.domain.models import Pupil
    from sencoplan.store.provision import (
        clear_places,
        list_reviews,
        save_place,
        save_provision,
        save_review,
    )
    from sencoplan.store.pupils import save_pupil
    from sencoplan.store.schools import save_school

    school = save_school(db, School(name="Oak Primary"))
    assert school.id is not None
    pupil = save_pupil(
        db,
        Pupil(school_id=school.id, year_group="3", tier=Tier.TARGETED, primary_need=NeedType.SLCN),
    )
    provision = save_provision(db, Provision(school_id=school.id, name="Talk Boost"))
    assert pupil.id and provision.id
    save_place(
        db, PupilProvision(school_id=school.id, provision_id=provision.id, pupil_id=pupil.id)
    )
    review = ProvisionReview(
        school_id=school.id,
        pupil_id=pupil.id,
        provision_id=provision.id,
        reviewed_on=dt.date(2026, 12, 11),
        outcome=ReviewOutcome.PARTLY_MET,
        continues=False,
    )
    save_review(db, review)
    save_review(db, review.model_copy(update={"outcome": ReviewOutcome.MET}))  # same day: replaced
    clear_places(db, school.id)
    kept = list_reviews(db, school.id)
    assert [(r.outcome, r.continues) for r in kept] == [(ReviewOutcome.MET, False)]


def test_a_paper_for_others_never_gives_a_banded_count_away_by_cost_per_pupil() -> None:
    from sencoplan.io.provision_report import PER_PUPIL_WITHHELD, school_map_text

    one = [_place(1, cost_per_hour=16.5, minutes=60, sessions_per_week=25, weeks=38)]
    paper = school_map_text(provision_map(SCHOOL, [TALK], one, {}, {}), markdown=True)
    assert "| fewer than 5 |" in paper and "| not shown |" in paper
    assert "£15,675 | £15,675" not in paper  # cost / cost per pupil = 1 pupil
    assert PER_PUPIL_WITHHELD in paper
    five = [_place(p, cost_per_hour=15, minutes=60, weeks=10) for p in range(1, 6)]
    paper = school_map_text(provision_map(SCHOOL, [TALK], five, {}, {}), markdown=True)
    assert "| 5 | 5 | not named | £750 | £150 |" in paper
    assert PER_PUPIL_WITHHELD not in paper
    mine = school_map_text(provision_map(SCHOOL, [TALK], one, {}, {}), markdown=False)
    assert "£15,675" in mine and "not shown" not in mine  # the SENCO's own table is exact


@given(
    start=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    weeks=st.integers(1, 52),
    end=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2036, 12, 31)),
)
def test_a_places_last_day_is_the_same_in_sql_and_in_python(
    start: dt.date, weeks: int, end: dt.date | None
) -> None:
    import sqlite3

    from sencoplan.store.provision import last_day_sql

    if end is not None and end < start:
        end = None
    place = _place(1, start=start, weeks=weeks, end=end)
    connection = sqlite3.connect(":memory:")
    (found,) = connection.execute(
        f'SELECT {last_day_sql("x")} FROM (SELECT ? AS start, ? AS weeks, ? AS "end") x',
        (start.isoformat(), weeks, end.isoformat() if end else None),
    ).fetchone()
    connection.close()
    assert found == (place.last_day() or dt.date.min).isoformat()


def test_a_place_ended_early_is_costed_for_the_weeks_it_ran_and_one_without_an_end_ends() -> None:
    # Ten weeks at £15 an hour, one hour a week, from Monday 2 November.
    place = _place(1, cost_per_hour=15, minutes=60, weeks=10, start=dt.date(2026, 11, 2))
    assert place.cost() == pytest.approx(150.0)
    # 39 school weeks in a year's 52: ten take 14 calendar weeks, holidays between.
    assert place.last_day() == dt.date(2027, 2, 7)
    ended = place.model_copy(update={"end": dt.date(2026, 12, 6)})  # five weeks in
    assert ended.weeks_costed() == 5 and ended.cost() == pytest.approx(75.0)
    over_half_term = _place(1, weeks=10, start=dt.date(2026, 9, 14), end=dt.date(2026, 11, 27))
    assert over_half_term.weeks_costed() == 10  # 11 calendar weeks, never more than its 10
    first, last = school_year(dt.date(2027, 9, 1))
    assert places_between([place], first, last) == []  # done long before 2027/28


def test_a_review_is_of_the_place_that_had_started_by_then() -> None:
    last_year = _place(1, start=dt.date(2025, 9, 8), end=dt.date(2026, 7, 17))
    this_year = _place(1, start=dt.date(2026, 9, 7))
    july = _review(1, "met", day=1, entry_measure=72, exit_measure=81)
    july = july.model_copy(update={"reviewed_on": dt.date(2026, 7, 17)})
    december = _review(1, "met", day=4, entry_measure=81, exit_measure=86)
    every = [last_year, this_year]
    old = provision_map(SCHOOL, [TALK], [last_year], {}, {}, [july, december], every)
    assert old.lines[0].outcomes.progress == pytest.approx(9.0)
    new = provision_map(SCHOOL, [TALK], [this_year], {}, {}, [july, december], every)
    assert new.lines[0].outcomes.progress == pytest.approx(5.0)
