"""Europe/London as a VTIMEZONE that every calendar program reads the same way.

The icalendar library can write a zone from zoneinfo, but it lists every clock change since
1970 as RDATE values on one property; ical.js (Thunderbird and many web calendars) reads
only the first value of each, so it kept summer time from 1973 on and showed a January
session an hour early. Outlook's own import expects each part as a yearly RRULE by month
and weekday. So the zone is written as the rule the UK has kept since 1996: summer time
from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
It is the same in every file (it says nothing of the school). A test reads it back with a
second parser (dateutil's tzical) and compares every event with zoneinfo.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import SU, relativedelta
from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

TZID = "Europe/London"
GMT, BST = dt.timedelta(0), dt.timedelta(hours=1)


def last_sunday(year: int, month: int) -> dt.date:
    """The last Sunday of a month (when the UK's clocks change, in March and October)."""
    return dt.date(year, month, 1) + relativedelta(day=31, weekday=SU(-1))


RULES_SINCE = 1996
"""The year the UK's present rule began (the autumn change moved to October's last Sunday)."""


def london_timezone() -> Timezone:
    """The VTIMEZONE: two yearly rules, from their first onsets in 1996."""
    first_year = RULES_SINCE
    zone = Timezone()
    zone.add("tzid", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "BST")
    daylight.add("tzoffsetfrom", GMT)
    daylight.add("tzoffsetto", BST)
    # DTSTART is local time before the change: 01:00 GMT becomes 02:00 BST.
    daylight.add("dtstart", dt.datetime.combine(last_sunday(first_year, 3), dt.time(1)))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "GMT")
    standard.add("tzoffsetfrom", BST)
    standard.add("tzoffsetto", GMT)
    # 02:00 BST becomes 01:00 GMT.
    standard.add("dtstart", dt.datetime.combine(last_sunday(first_year, 10), dt.time(2)))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone
