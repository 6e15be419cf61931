"""The toolkit for invented schools: UPNs no real child can have, names, dates, shares and
headings the importers read."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sencoplan.domain.upn import is_valid_upn
from sencoplan.invented.dates import between, birth_window, school_day
from sencoplan.invented.headings import documented, headings
from sencoplan.invented.names import FAMOUS, adult_name, child_name, email_local
from sencoplan.invented.shares import SUPPORT_NEEDS, quotas
from sencoplan.invented.upns import INVENTED_LA_CODES, UpnMaker


@pytest.mark.parametrize("la_code", [201, 938, 949, 1000])
def test_an_la_code_a_real_authority_could_have_is_refused(la_code: int) -> None:
    with pytest.raises(ValueError, match="950 to 999"):
        UpnMaker(la_code)


@given(
    la_code=st.sampled_from(INVENTED_LA_CODES),
    establishment=st.integers(0, 9999),
    year=st.integers(2000, 2030),
    seed=st.integers(0, 2**32),
)
def test_invented_upns_are_valid_unique_and_carry_the_la_code(
    la_code: int, establishment: int, year: int, seed: int
) -> None:
    maker = UpnMaker(la_code, random.Random(seed))
    made = [maker.random(establishment, year) for _ in range(40)]
    made += [maker.next(establishment, year + 1) for _ in range(40)]
    assert all(is_valid_upn(upn) for upn in made)
    assert len(set(made)) == len(made)
    assert {int(upn[1:4]) for upn in made} == {la_code}
    assert {upn[4:8] for upn in made} == {f"{establishment:04d}"}


def test_a_thousandth_pupil_in_one_year_is_refused_not_wrapped() -> None:
    maker = UpnMaker(951)
    for _ in range(999):
        maker.next(2417, 2026)
    with pytest.raises(ValueError, match="more than 999"):
        maker.next(2417, 2026)


def test_headings_must_be_ones_the_importer_reads_once_each() -> None:
    assert headings("pupils", ["UPN", "Legal Surname", "NC Year Actual"]) == [
        "UPN",
        "Legal Surname",
        "NC Year Actual",
    ]
    with pytest.raises(ValueError, match="reads no heading 'Shoe Size'"):
        headings("pupils", ["UPN", "Shoe Size"])
    with pytest.raises(ValueError, match="more than once"):
        headings("pupils", ["UPN", "Unique Pupil Number"])
    assert documented("pupils", "upn", "dob") == ["UPN", "DOB"]


def test_quotas_keep_the_total_and_the_order_of_the_shares() -> None:
    needs = quotas(76, SUPPORT_NEEDS["primary"])
    assert len(needs) == 76
    counts = {need: needs.count(need) for need in dict.fromkeys(needs)}
    assert next(iter(counts)) == "SLCN" and max(counts.values()) == counts["SLCN"]


def test_names_are_never_famous_and_emails_are_plain_ascii() -> None:
    rng = random.Random(5)
    children = [" ".join(child_name(rng)) for _ in range(2000)]
    adults = [adult_name(rng) for _ in range(2000)]
    assert not (set(children) | set(adults)) & FAMOUS
    for name in adults:
        local = email_local(name)
        assert local.isascii() and " " not in local and local[1] == "."
    assert email_local("Siobhán Ó Ceallaigh") == "s.oceallaigh"


def test_school_days_are_term_time_weekdays_and_births_fit_the_year_group() -> None:
    rng = random.Random(7)
    for _ in range(500):
        day = school_day(rng, dt.date(2026, 7, 1), dt.date(2027, 1, 31))
        assert day is not None and day.weekday() < 5 and day.month != 8
        assert not (day.month == 12 and day.day > 19)
    assert school_day(rng, dt.date(2027, 1, 2), dt.date(2027, 1, 1)) is None
    first, last = birth_window("7", 2026)
    assert (first, last) == (dt.date(2014, 9, 1), dt.date(2015, 8, 31))
    assert first <= between(rng, first, last) <= last
