"""British dates from schools' files: day/month/year, never a guess."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sencoplan.io.dates import parse_date

FAST = settings(max_examples=100, deadline=None)
REAL_DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2026",
        "3/4/2026",
        "03.04.2026",
        "03-04-2026",
        " 03/04/2026 ",
        "2026-04-03",
        "2026-4-3",
        "2026-04-03T10:15:00",
        "2026-04-03 00:00",
        "2026-04-03T00:00:00.000",
        "3 April 2026",
        "3 april 2026",
        "3 Apr 2026",
        "3-Apr-2026",
        "03 APRIL 2026",
        "3 April, 2026",
    ],
)
def test_third_of_april(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 4, 3)


def test_day_comes_first_never_the_month() -> None:
    assert parse_date("03/04/2026") == dt.date(2026, 4, 3)
    assert parse_date("12/01/2026") == dt.date(2026, 1, 12)
    assert parse_date("3 Sept 2026") == dt.date(2026, 9, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2026", "'31/02/2026' is not a real date (dates are day/month/year)"),
        ("29/02/2025", "'29/02/2025' is not a real date (dates are day/month/year)"),
        # an American date is refused, not swapped
        ("04/13/2026", "'04/13/2026' is not a real date (dates are day/month/year)"),
        ("2026-02-30", "'2026-02-30' is not a real date (dates are day/month/year)"),
        ("31 June 2026", "'31 June 2026' is not a real date (dates are day/month/year)"),
        ("03/04/26", "'03/04/26' needs a four-digit year (day/month/year)"),
        ("3/4/202", "'3/4/202' needs a four-digit year (day/month/year)"),
        ("3 Foo 2026", "'3 Foo 2026' has an unknown month"),
        ("3 April 26", "'3 April 26' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("tomorrow", "'tomorrow' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("", "'' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("2026/04/03", "'2026/04/03' is not a date (use day/month/year, e.g. 03/04/2026)"),
        ("46115", "'46115' is not a date (use day/month/year, e.g. 03/04/2026)"),
    ],
)
def test_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_date(text)
    assert str(raised.value) == message


def test_leap_day_is_real_in_a_leap_year() -> None:
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)


@FAST
@given(REAL_DATES)
def test_any_real_date_round_trips_as_day_month_year(day: dt.date) -> None:
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year:04d}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year:04d}") == day
    assert parse_date(f"{day.day:02d}.{day.month:02d}.{day.year:04d}") == day


@FAST
@given(REAL_DATES)
def test_any_real_date_round_trips_as_iso(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


@FAST
@given(REAL_DATES)
def test_any_real_date_round_trips_in_words(day: dt.date) -> None:
    assert parse_date(f"{day.day} {day:%B} {day.year:04d}") == day


@FAST
@given(st.integers(1, 31), st.integers(1, 12), st.integers(1000, 9999))
def test_day_month_year_is_that_date_or_refused(day: int, month: int, year: int) -> None:
    text = f"{day:02d}/{month:02d}/{year}"
    try:
        expected = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(ValueError, match="is not a real date"):
            parse_date(text)
    else:
        assert parse_date(text) == expected


def test_a_date_that_has_to_have_happened_is_refused_in_the_future() -> None:
    """One rule for births, training done and survey answers, in every form and importer."""
    import datetime as dt

    from sencoplan.io.dates import past_date

    today = dt.date(2026, 11, 23)
    assert past_date(today)("23/11/2026") == today
    with pytest.raises(ValueError, match=r"^24/11/2026 is in the future$"):
        past_date(today)("24/11/2026")
    with pytest.raises(ValueError, match=r"^date of birth 01/01/2030 is in the future$"):
        past_date(today, "date of birth")("01/01/2030")
