"""The domain models validate on the way in, with the census rules of rules.py."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import (
    ConfidenceRating,
    Module,
    Pupil,
    School,
    StaffMember,
)
from sencoplan.domain.rules import pupil_problems
from sencoplan.domain.staff_codes import Role
from sencoplan.domain.terms import usual_term
from sencoplan.io.sample import school_folder
from tests.core_helpers import make_upn

TODAY = dt.date(2026, 11, 23)


def only_message(raised: pytest.ExceptionInfo[ValidationError]) -> str:
    [error] = raised.value.errors()
    return str(error["msg"]).removeprefix("Value error, ")


@pytest.mark.parametrize(
    ("tier", "primary", "secondary", "problems"),
    [
        (Tier.UNIVERSAL, None, None, []),
        (Tier.TARGETED, NeedType.ASD, NeedType.SLCN, []),
        (
            Tier.SPECIALIST,
            None,
            None,
            [("primary_need", "a pupil with an EHCP (E) must have a primary need")],
        ),
        (
            Tier.TARGETED_PLUS,
            None,
            None,
            [("primary_need", "a pupil on SEN support (K) must have a primary need")],
        ),
        (
            Tier.UNIVERSAL,
            NeedType.ASD,
            NeedType.HI,
            [
                ("primary_need", "a need is given but the SEN status is N (no SEN)"),
                ("secondary_need", "a need is given but the SEN status is N (no SEN)"),
            ],
        ),
        (
            Tier.TARGETED,
            None,
            NeedType.HI,
            [
                ("primary_need", "a pupil on SEN support (K) must have a primary need"),
                ("secondary_need", "a secondary need is given without a primary need"),
            ],
        ),
        (
            Tier.SPECIALIST,
            NeedType.PD,
            NeedType.PD,
            [("secondary_need", "the secondary need is the same as the primary need")],
        ),
    ],
)
def test_pupil_problems(
    tier: Tier,
    primary: NeedType | None,
    secondary: NeedType | None,
    problems: list[tuple[str, str]],
) -> None:
    assert pupil_problems(tier, primary, secondary) == problems


def test_pupil_problems_dates() -> None:
    day = dt.date(2026, 9, 1)
    assert pupil_problems(Tier.UNIVERSAL, None, None, day, day) == []
    assert pupil_problems(Tier.UNIVERSAL, None, None, day, day - dt.timedelta(days=1)) == [
        ("on_roll_to", "the leaving date is before the admission date")
    ]


def test_pupil_model_applies_the_rules() -> None:
    with pytest.raises(ValidationError) as raised:
        Pupil(school_id=1, year_group="7", tier=Tier.SPECIALIST)
    assert only_message(raised) == "a pupil with an EHCP (E) must have a primary need"
    wrong = make_upn(1)[1:] + "1"
    with pytest.raises(ValidationError) as raised:
        Pupil(school_id=1, year_group="7", upn=wrong)
    assert only_message(raised) == f"UPN {wrong!r} is not a letter, 11 digits and a digit or letter"
    with pytest.raises(ValidationError) as raised:
        Pupil(school_id=1, year_group="Year 15")
    assert only_message(raised) == "year group 'Year 15' is out of range (N1, N2, R, 1–14)"


def test_pupil_normalises_upn_year_and_blanks() -> None:
    pupil = Pupil(
        school_id=1,
        year_group="Reception",
        upn=" " + make_upn(4).lower(),
        display_name="  Zoë O'Brien ",
    )
    assert pupil.upn == make_upn(4)
    assert pupil.year_group == "R"
    assert pupil.display_name == "Zoë O'Brien"
    assert pupil.initials == "ZO"
    assert Pupil(school_id=1, year_group="3", upn="").upn is None
    assert Pupil(school_id=1, year_group="3").initials == "?"


def test_on_roll_and_incoming() -> None:
    joining = Pupil(school_id=1, year_group="R", on_roll_from=dt.date(2027, 1, 5))
    left = Pupil(
        school_id=1,
        year_group="6",
        on_roll_from=dt.date(2020, 9, 1),
        on_roll_to=dt.date(2026, 11, 22),
    )
    leaving_today = left.model_copy(update={"on_roll_to": TODAY})
    assert joining.on_roll(TODAY) and joining.incoming(TODAY)
    assert not joining.incoming(dt.date(2027, 1, 5))
    assert not left.on_roll(TODAY)
    assert left.on_roll(dt.date(2026, 11, 22))
    assert leaving_today.on_roll(TODAY)


def test_validate_assignment() -> None:
    pupil = Pupil(school_id=1, year_group="3")
    with pytest.raises(ValidationError):
        pupil.tier = Tier.SPECIALIST  # an EHCP needs a primary need


def test_school_urn_and_name() -> None:
    assert School(name=" Oak ", urn="123456").name == "Oak"
    with pytest.raises(ValidationError):
        School(name="Oak", urn="12345")
    with pytest.raises(ValidationError):
        School(name="   ")


def test_staff_bounds() -> None:
    assert StaffMember(school_id=1, name="A", role=Role.TA, fte=1.5).fte == 1.5
    with pytest.raises(ValidationError):
        StaffMember(school_id=1, name="A", role=Role.TA, fte=1.6)
    with pytest.raises(ValidationError):
        StaffMember(school_id=1, name="A", role=Role.TA, cpd_hours=-1)


def test_module_needs_at_least_one_need() -> None:
    with pytest.raises(ValidationError) as raised:
        Module(code="X", title="Nothing", needs=())
    assert only_message(raised) == "a module covers at least one need type"
    module = Module(code="X.1_b-2", title="T", needs=(NeedType.ASD,))
    assert module.covers(NeedType.ASD)
    assert not module.covers(NeedType.SLCN)
    with pytest.raises(ValidationError):
        Module(code="has space", title="T", needs=(NeedType.ASD,))


def test_confidence_rating_one_to_five() -> None:
    for rating in (1, 5):
        ConfidenceRating(staff_id=1, need=NeedType.ASD, rating=rating, rated_on=TODAY)
    for rating in (0, 6):
        with pytest.raises(ValidationError):
            ConfidenceRating(staff_id=1, need=NeedType.ASD, rating=rating, rated_on=TODAY)


@pytest.mark.parametrize(
    ("day", "name", "start", "end"),
    [
        (TODAY, "Autumn 2026", dt.date(2026, 9, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 1), "Spring 2027", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 8, 31), "Summer 2027", dt.date(2027, 4, 1), dt.date(2027, 8, 31)),
    ],
)
def test_usual_term(day: dt.date, name: str, start: dt.date, end: dt.date) -> None:
    term = usual_term(day)
    assert (term.name, term.start, term.end) == (name, start, end)
    assert term.contains(day)
    assert not term.contains(end + dt.timedelta(days=1))


def test_school_folder() -> None:
    assert school_folder("Oakfield Primary School") == "oakfield-primary-school"
    assert school_folder("St Mary's C of E (VA) Primary") == "st-mary-s-c-of-e-va-primary"
