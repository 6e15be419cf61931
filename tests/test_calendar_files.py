"""Calendar files read the same in every program: each event's time worked out from the
file's own VTIMEZONE by a second reader (dateutil's tzical) is zoneinfo's, in winter, in
summer and either side of the clock changes; the zone is written as yearly rules (what
Outlook's import expects; ical.js reads only the first value of a multi-valued RDATE);
lines and UIDs are as RFC 5545 asks."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzical
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from sencoplan.domain.calendar import Term
from sencoplan.domain.sessions import CpdSession
from sencoplan.io.ical_timezone import last_sunday
from sencoplan.io.session_export import term_calendar

LONDON = ZoneInfo("Europe/London")


def _calendar(days: list[dt.date], start: dt.time, first: dt.date, last: dt.date) -> bytes:
    term = Term(id=1, school_id=1, name="Year", start=first, end=last)
    sessions = [
        CpdSession(id=n, term_id=1, school_id=1, day=day, start=start, minutes=60, title="CPD")
        for n, day in enumerate(days, start=1)
    ]
    return term_calendar(term, sessions, modules={}, school_name="Oak School")


def _first_values_only(zone_text: str) -> str:
    """The zone as ical.js (Thunderbird, many web calendars) reads it: a property with
    several comma-separated values is taken at its first."""
    unfolded = zone_text.replace("\r\n ", "")
    return re.sub(r"(?m)^((?:RDATE|EXDATE)[^:]*:[^,\r\n]*),[^\r\n]*", r"\1", unfolded)


def _second_reading(ics: bytes) -> list[tuple[dt.datetime, dt.datetime]]:
    """(UTC by the file's VTIMEZONE as a second reader takes it, UTC by zoneinfo) for each
    event; the reader is dateutil's tzical, given the zone as ical.js would read it (which
    changes nothing in a zone written as rules)."""
    text = ics.decode("utf-8")
    zone_text = re.search(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE\r\n", text, re.S)
    assert zone_text is not None
    zone = tzical(io.StringIO(_first_values_only(zone_text.group(0)))).get("Europe/London")
    pairs = []
    for local in re.findall(r"DTSTART;TZID=Europe/London:(\d{8}T\d{6})", text):
        naive = dt.datetime.strptime(local, "%Y%m%dT%H%M%S")
        by_file = naive.replace(tzinfo=zone).astimezone(dt.UTC)
        by_zoneinfo = naive.replace(tzinfo=LONDON).astimezone(dt.UTC)
        pairs.append((by_file, by_zoneinfo))
    return pairs


def _around_the_changes(year: int) -> list[dt.date]:
    """Winter, summer, and the days either side of both clock changes."""
    spring, autumn = last_sunday(year, 3), last_sunday(year, 10)
    one = dt.timedelta(days=1)
    return [
        dt.date(year, 1, 13),
        spring - 2 * one,
        spring - one,
        spring + one,
        dt.date(year, 7, 1),
        autumn - 2 * one,
        autumn - one,
        autumn + one,
        dt.date(year, 12, 1),
    ]


@pytest.mark.parametrize("year", [2026, 2027, 2031, 2037])
def test_every_event_reads_the_same_by_the_files_own_zone_as_by_zoneinfo(year: int) -> None:
    days = _around_the_changes(year)
    first_half = [day for day in days if day.month <= 6]  # a term is at most 200 days
    second_half = [day for day in days if day.month > 6]
    pairs = _second_reading(
        _calendar(first_half, dt.time(15, 30), dt.date(year, 1, 1), dt.date(year, 6, 30))
    ) + _second_reading(
        _calendar(second_half, dt.time(15, 30), dt.date(year, 7, 1), dt.date(year, 12, 31))
    )
    assert len(pairs) == len(days)
    assert [by_file for by_file, _ in pairs] == [by_zoneinfo for _, by_zoneinfo in pairs]
    winter, summer = pairs[0][0], pairs[4][0]
    assert (winter.hour, summer.hour) == (15, 14)  # 15:30 GMT in January, 14:30 UTC in July


@given(
    day=st.dates(min_value=dt.date(2024, 9, 1), max_value=dt.date(2037, 7, 31)),
    minutes=st.integers(0, 22 * 60 + 59),  # a 60-minute session ends by midnight
)
def test_any_day_and_time_reads_the_same_by_both(day: dt.date, minutes: int) -> None:
    start = dt.time(minutes // 60, minutes % 60)
    local = dt.datetime.combine(day, start)
    if (
        local.replace(tzinfo=LONDON, fold=0).utcoffset()
        != local.replace(tzinfo=LONDON, fold=1).utcoffset()
    ):
        return  # the hour the clocks skip or repeat: no one holds a session then
    ics = _calendar([day], start, day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    ((by_file, by_zoneinfo),) = _second_reading(ics)
    assert by_file == by_zoneinfo


def test_the_zone_is_two_yearly_rules_and_no_list_of_dates() -> None:
    ics = _calendar(
        [dt.date(2027, 1, 13)], dt.time(15, 30), dt.date(2027, 1, 4), dt.date(2027, 3, 26)
    )
    zone = next(c for c in Calendar.from_ical(ics).walk() if c.name == "VTIMEZONE")
    parts = {c.name: c for c in zone.subcomponents}
    assert set(parts) == {"DAYLIGHT", "STANDARD"}
    assert "RDATE" not in ics.decode("utf-8")
    assert parts["DAYLIGHT"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert parts["STANDARD"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    # Both rules begin before the first event, so every event falls under them.
    for part in parts.values():
        assert part.decoded("DTSTART") < dt.datetime(2027, 1, 13)


def test_lines_end_in_crlf_are_folded_at_75_octets_and_uids_are_unique() -> None:
    days = [dt.date(2027, 1, 6) + dt.timedelta(weeks=n) for n in range(10)]
    ics = _calendar(days, dt.time(15, 15), dt.date(2027, 1, 4), dt.date(2027, 3, 26))
    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    uids = re.findall(rb"^UID:(.+)$", ics, re.M)
    assert len(uids) == len(set(uids)) == 10
    assert all(uid.endswith(b"@sencoplan.invalid\r") or b"@" in uid for uid in uids)
