"""A school term in the real calendar: its dates, closures, and the CPD slots between them.

Slots come from an RFC 5545 recurrence rule (e.g. `FREQ=WEEKLY;BYDAY=TU`) read by
python-dateutil, from the term's first day to its last, and never fall on a closure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Self

from dateutil.rrule import rrulestr
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sencoplan.domain.models import Record


class Closure(BaseModel):
    """Days the school is shut to CPD: half-term, an INSET day, a bank holiday."""

    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date
    label: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError("a closure ends before it starts")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        days = (
            f"{self.start:%d/%m/%Y}"
            if self.start == self.end
            else f"{self.start:%d/%m/%Y}-{self.end:%d/%m/%Y}"
        )
        return f"{days} {self.label}".strip()


SLOT_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
_WITHIN_A_DAY = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})


def check_rule(rule: str) -> str:
    """An RRULE that dateutil can read, without a DTSTART of its own (the term gives it),
    that names days: the slot's start gives the time of day.

    dateutil reads FREQ=SECONDLY too, and a term of it is 9 million slots to plan: such a
    rule is refused wherever it is typed or imported.
    """
    text = rule.strip().removeprefix("RRULE:")
    if not text:
        raise ValueError("the slot rule is blank (e.g. FREQ=WEEKLY;BYDAY=TU)")
    if "DTSTART" in text.upper():
        raise ValueError("leave DTSTART out of the slot rule: the term's first day is used")
    if "\n" in text or "\r" in text:
        raise ValueError("the slot rule is one line, e.g. FREQ=WEEKLY;BYDAY=TU")
    try:
        rrulestr(text, dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError) as error:
        raise ValueError(f"the slot rule {rule.strip()!r} cannot be read: {error}") from None
    parts = {
        key.strip().upper(): value.strip().upper()
        for key, _, value in (part.partition("=") for part in text.split(";"))
    }
    if parts.get("FREQ") not in SLOT_FREQUENCIES or _WITHIN_A_DAY & parts.keys():
        raise ValueError(
            f"the slot rule {rule.strip()!r} repeats within a day: a slot rule names days "
            "(FREQ=DAILY, WEEKLY, MONTHLY or YEARLY) and the slot start gives the time"
        )
    if _no_such_day(parts):
        raise ValueError(f"the slot rule {rule.strip()!r} names a day no month has")
    return text


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


def rule_from_words(days: Iterable[str], every_other_week: bool = False) -> str:
    """The slot rule for CPD on these weekdays ("TU", "TH"), every week or every other."""
    chosen = [day for day in WEEKDAYS if day in set(days)]
    if not chosen:
        raise ValueError("choose at least one weekday for the CPD slots")
    interval = ";INTERVAL=2" if every_other_week else ""
    return f"FREQ=WEEKLY{interval};BYDAY={','.join(chosen)}"


def rule_in_words(rule: str) -> tuple[tuple[str, ...], bool] | None:
    """(weekdays, every other week) for a rule the words can say; None for any other rule
    (say, one imported as an RRULE with BYSETPOS): the form then keeps it as it is."""
    parts = {
        key.strip().upper(): value.strip().upper()
        for key, _, value in (part.partition("=") for part in rule.split(";"))
    }
    days = tuple(day for day in parts.pop("BYDAY", "").split(",") if day)
    interval = parts.pop("INTERVAL", "1")
    if parts.pop("FREQ", "") != "WEEKLY" or parts or interval not in ("1", "2"):
        return None
    if not days or not set(days) <= set(WEEKDAYS):
        return None
    return tuple(day for day in WEEKDAYS if day in days), interval == "2"


def rule_said(rule: str) -> str:
    """A slot rule in words: "every Tuesday", "every other Monday and Thursday"."""
    words = rule_in_words(rule)
    if words is None:
        return f"as the rule {rule} says"
    days, other = words
    names = [WEEKDAY_NAMES[day] for day in days]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{'every other' if other else 'every'} {listed}"


def _no_such_day(parts: dict[str, str]) -> bool:
    """BYMONTHDAY=30;BYMONTH=2: dateutil would search to the year 9999 for a slot."""
    try:
        days = [int(day) for day in parts.get("BYMONTHDAY", "").split(",") if day]
        months = [int(month) for month in parts.get("BYMONTH", "").split(",") if month]
    except ValueError:
        return False
    if not days or not months:
        return False
    return all(
        day > _DAYS_IN_MONTH[month - 1] for day in days for month in months if 1 <= month <= 12
    )


class Term(Record):
    """One school's term: what the SENCO plans CPD into."""

    school_id: int
    name: str = Field(min_length=1, max_length=100)
    start: dt.date
    end: dt.date
    closures: tuple[Closure, ...] = ()
    slot_rule: str = "FREQ=WEEKLY;BYDAY=TU"
    slot_start: dt.time = dt.time(15, 45)
    slot_minutes: int = Field(default=60, gt=0, le=600)
    cpd_budget: float = Field(default=0.0, ge=0, le=1_000_000)
    senco_hours: float = Field(default=0.0, ge=0, le=60)
    """The SENCO's allocated SENCO time, hours a week."""
    ehcp_review_hours: float = Field(default=3.0, ge=0, le=40)
    """What one EHCP annual review takes the SENCO: preparing, chairing, writing up."""
    isp_review_hours: float = Field(default=1.0, ge=0, le=40)
    """What one Individual Support Plan review takes the SENCO."""
    impact_weeks: int = Field(default=6, ge=1, le=52)
    """How long after a module's last part a re-survey counts as its impact."""
    room_capacity: int | None = Field(default=None, ge=1, le=10_000)
    """How many people a CPD session's room holds (None: no limit): the plan's cap on a
    session's audience, and a conflict where a session goes over it."""

    @field_validator("slot_rule")
    @classmethod
    def _rule(cls, value: str) -> str:
        return check_rule(value)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end < self.start:
            raise ValueError("the term ends before it starts")
        if (self.end - self.start).days > 200:
            raise ValueError("a term is at most 200 days long")
        outside = [c for c in self.closures if c.end < self.start or c.start > self.end]
        if outside:
            raise ValueError(
                f"closure {outside[0]} falls outside the term "
                f"({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"
            )
        return self

    def closed(self, day: dt.date) -> Closure | None:
        """The closure that day falls in, if any."""
        return next((closure for closure in self.closures if closure.covers(day)), None)

    def slots(self) -> list[dt.datetime]:
        """Every CPD slot of the term, in order, none on a closure."""
        rule = rrulestr(self.slot_rule, dtstart=dt.datetime.combine(self.start, self.slot_start))
        last = dt.datetime.combine(self.end, dt.time.max)
        return [
            moment
            for moment in rule.between(dt.datetime.combine(self.start, dt.time.min), last, inc=True)
            if self.closed(moment.date()) is None
        ]

    def weeks(self) -> list[dt.date]:
        """The Monday of each week the term touches."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        weeks = []
        while monday <= self.end:
            weeks.append(monday)
            monday += dt.timedelta(days=7)
        return weeks


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 for last) weekday (0 Monday) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    from dateutil.easter import easter

    return easter(year)


def usual_term_around(school_id: int, today: dt.date) -> Term:
    """The usual English term (`usual_year`) today falls in, or the next one: a term to
    set up when a school has none."""
    autumn_year = today.year if today.month >= 9 else today.year - 1
    terms = usual_year(school_id, autumn_year) + usual_year(school_id, autumn_year + 1)
    return next(term for term in terms if term.end >= today)


def usual_year(school_id: int, autumn_year: int) -> list[Term]:
    """The English school year's usual shape, as a starting point to edit.

    Autumn from the first weekday of September (an INSET day) to the Friday before
    Christmas, with half-term the last full week of October; spring from the first Monday
    of January (INSET) to the Thursday before Good Friday, half-term the third week of
    February; summer from the Monday a fortnight after Easter Monday (two weeks off from
    Good Friday) to the third Friday of July, half-term the last week of May with the late
    May bank holiday, and the early May bank holiday closed. Schools' own dates differ:
    edit them.
    """
    year = autumn_year
    autumn_start = dt.date(year, 9, 1)
    while autumn_start.weekday() >= 5:
        autumn_start += dt.timedelta(days=1)
    christmas = dt.date(year, 12, 25)
    autumn_end = christmas - dt.timedelta(days=(christmas.weekday() - 4) % 7 or 7)
    october_half = _nth_weekday(year, 10, 0, -1)
    if october_half + dt.timedelta(days=4) > dt.date(year, 10, 31):
        october_half -= dt.timedelta(days=7)

    spring_start = _nth_weekday(year + 1, 1, 0, 1)
    if spring_start.day < 3:
        spring_start += dt.timedelta(days=7)
    easter = _easter(year + 1)
    spring_end = easter - dt.timedelta(days=3)  # the Thursday before Good Friday
    february_half = _nth_weekday(year + 1, 2, 0, 3)

    summer_start = easter + dt.timedelta(days=15)  # two weeks off from Good Friday
    summer_end = _nth_weekday(year + 1, 7, 4, 3)
    may_bank = _nth_weekday(year + 1, 5, 0, 1)
    may_half = _nth_weekday(year + 1, 5, 0, -1)

    def week(monday: dt.date, label: str) -> Closure:
        return Closure(start=monday, end=monday + dt.timedelta(days=4), label=label)

    def day(when: dt.date, label: str) -> Closure:
        return Closure(start=when, end=when, label=label)

    return [
        Term(
            school_id=school_id,
            name=f"Autumn {year}",
            start=autumn_start,
            end=autumn_end,
            closures=(day(autumn_start, "INSET day"), week(october_half, "Half term")),
        ),
        Term(
            school_id=school_id,
            name=f"Spring {year + 1}",
            start=spring_start,
            end=spring_end,
            closures=(day(spring_start, "INSET day"), week(february_half, "Half term")),
        ),
        Term(
            school_id=school_id,
            name=f"Summer {year + 1}",
            start=summer_start,
            end=summer_end,
            closures=(
                day(may_bank, "Early May bank holiday"),
                week(may_half, "Half term (with the spring bank holiday)"),
            ),
        ),
    ]
