"""Each school's priority lines, worked out once and kept: the whole file's priorities are
then a merge of stored lines, so a trust (or a national file) ranks in a moment.

A school's stored lines are dropped by triggers (migration 0009) whenever a row they came
from changes. They also depend on the day (who is on roll, who is in post, whose training is
valid), so each is kept with the first day on which a date in the school's rows would change
them (`valid_until`), and worked out again from that day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import (
    NeedGroup,
    Priority,
    PriorityResult,
    StaffFacts,
    compute_priorities,
)
from sencoplan.domain.priority_merge import exact_in_every_school, merge_schools
from sencoplan.store import engine
from sencoplan.store.catalogue import list_modules
from sencoplan.store.provision import last_day_sql

Progress = Callable[[int, int], None]
"""Called with (schools worked out so far, schools to work out) while lines are computed."""

CHUNK = 100
"""Schools worked out, and their lines stored, per transaction."""

# The first day after `today` on which a date in the school's rows changes its lines: a
# leaver goes off roll the day after leaving, a joiner stops being "incoming" on arrival,
# staff leave the day after their leaving date, a confidence rating counts from its day,
# training counts from the day it was done
# and lapses `refresh_months` later. SQLite's month arithmetic runs up to 3 days past
# dateutil's at a month's end, so lapses are taken 3 days early (but never before tomorrow):
# never late.
_VALID_UNTIL = """
SELECT MIN(day) FROM (
    SELECT date(on_roll_to, '+1 day') AS day FROM pupils
    WHERE school_id = :school AND on_roll_to >= :today
    UNION ALL
    SELECT on_roll_from FROM pupils WHERE school_id = :school AND on_roll_from > :today
    UNION ALL
    SELECT date(leaving_date, '+1 day') FROM staff
    WHERE school_id = :school AND leaving_date >= :today
    UNION ALL
    SELECT t.completed FROM training_records t JOIN staff s ON s.id = t.staff_id
    WHERE s.school_id = :school AND t.completed > :today
    UNION ALL
    SELECT c.rated_on FROM confidence c JOIN staff s ON s.id = c.staff_id
    WHERE s.school_id = :school AND c.rated_on > :today
    UNION ALL
    SELECT other.on_roll_from FROM pupils p JOIN pupils other
        ON other.upn = p.upn AND other.school_id != p.school_id
    WHERE p.school_id = :school AND other.on_roll_from > :today
    UNION ALL
    SELECT date(other.on_roll_to, '+1 day') FROM pupils p JOIN pupils other
        ON other.upn = p.upn AND other.school_id != p.school_id
    WHERE p.school_id = :school AND other.on_roll_to >= :today
    UNION ALL
    SELECT x.start FROM pupil_provisions x WHERE x.school_id = :school AND x.start > :today
    UNION ALL
    SELECT date({last_day}, '+1 day') FROM pupil_provisions x
    WHERE x.school_id = :school AND {last_day} >= :today
    UNION ALL
    SELECT MAX(
        date(t.completed, '+' || m.refresh_months || ' months', '-3 days'),
        date(:today, '+1 day')
    )
    FROM training_records t JOIN staff s ON s.id = t.staff_id JOIN modules m ON m.id = t.module_id
    WHERE s.school_id = :school AND m.refresh_months IS NOT NULL
        AND date(t.completed, '+' || m.refresh_months || ' months') > :today
)
"""


def _to_json(line: Priority) -> dict[str, Any]:
    return {
        "need": line.need.value,
        "pupils": line.pupils,
        "tiers": {tier.value: count for tier, count in line.pupils_by_tier.items()},
        "secondary": line.secondary,
        "incoming": line.incoming,
        "incoming_from": line.incoming_from.isoformat() if line.incoming_from else None,
        "demand": line.demand,
        "gap": line.gap,
        "relevant": line.staff_relevant,
        "trained": line.staff_trained,
        "some": line.staff_some,
        "below": line.staff_below,
        "one_to_one": line.one_to_one_untrained,
        "assumed": line.assumed,
        "confidence": line.confidence,
        "ratings": line.ratings,
        "schools": line.school_ids,
    }


_NEEDS = {need.value: need for need in NeedType}
_TIERS = {tier.value: tier for tier in Tier}
# (Looked up, not called: a national file holds some 220,000 kept lines, and calling an
# enum by value is several times slower than a dictionary.)


def _from_json(item: dict[str, Any]) -> Priority:
    starts = item["incoming_from"]
    return Priority(
        need=_NEEDS[item["need"]],
        pupils=item["pupils"],
        pupils_by_tier={_TIERS[tier]: count for tier, count in item["tiers"].items()},
        secondary=item["secondary"],
        incoming=item["incoming"],
        incoming_from=dt.date.fromisoformat(starts) if starts else None,
        demand=item["demand"],
        gap=item["gap"],
        staff_relevant=item["relevant"],
        staff_trained=item["trained"],
        staff_some=item["some"],
        staff_below=item["below"],
        one_to_one_untrained=item["one_to_one"],
        assumed=item["assumed"],
        confidence=item["confidence"],
        ratings=item["ratings"],
        school_ids=list(item["schools"]),
    )


def _still_valid(computed_on: str, valid_until: str | None, today: dt.date) -> bool:
    day = today.isoformat()
    return computed_on <= day and (valid_until is None or day < valid_until)


@dataclass(frozen=True)
class SchoolLines:
    """A school's lines as its own report counts them, and as the trust's figures count
    them (`once`: a pupil on two schools' rolls at one of them); the same lines for a
    school that shares no pupil with another."""

    own: list[Priority]
    once: list[Priority]


def compute_lines(
    db: Database, school_ids: Sequence[int], today: dt.date, modules: Sequence[Module]
) -> dict[int, SchoolLines]:
    """Each school's lines, unweighted and unranked (the parts a merge adds up), from one
    read of them all: a few queries, not a few per school."""
    from sencoplan.store.levels import level_tables
    from sencoplan.store.priorities import need_groups, staff_facts

    facts: dict[int, list[StaffFacts]] = {school: [] for school in school_ids}
    for person in staff_facts(db, today, modules=modules, among=school_ids):
        facts[person.school_id].append(person)
    tables = level_tables(db)

    def lines(once: bool) -> dict[int, list[Priority]]:
        groups: dict[int, list[NeedGroup]] = {school: [] for school in school_ids}
        for group in need_groups(db, today, among=school_ids, once=once):
            groups[group.school_id].append(group)
        return {
            school: compute_priorities(
                groups[school], facts[school], staff_views=False, levels=tables
            ).priorities
            for school in school_ids
        }

    own = lines(once=False)
    shared = _sharing_pupils(db, school_ids)
    once = lines(once=True) if shared else own
    return {school: SchoolLines(own[school], once[school]) for school in school_ids}


def _sharing_pupils(db: Database, school_ids: Sequence[int]) -> set[int]:
    """The schools among these with a pupil whose UPN is on another school's roll too."""
    rows = db.execute(
        "SELECT DISTINCT p.school_id FROM pupils p JOIN pupils other ON other.upn = p.upn "
        "AND other.school_id != p.school_id "
        "WHERE p.school_id IN (SELECT value FROM json_each(?)) AND p.upn IS NOT NULL",
        (json.dumps(list(school_ids)),),
    ).fetchall()
    return {row[0] for row in rows}


def _stored(db: Database, today: dt.date) -> dict[int, SchoolLines]:
    kept: dict[int, SchoolLines] = {}
    for school_id, computed_on, valid_until, lines in db.execute(
        "SELECT school_id, computed_on, valid_until, lines FROM priority_cache"
    ).fetchall():
        if _still_valid(computed_on, valid_until, today):
            found = json.loads(lines)
            own = [_from_json(item) for item in found["own"]]
            once = [_from_json(item) for item in found["once"]] if "once" in found else own
            kept[school_id] = SchoolLines(own, once)
    return kept


def _lines_json(lines: SchoolLines) -> str:
    """Kept as {"own": [...], "once": [...]}, "once" only where it differs."""
    kept: dict[str, Any] = {"own": [_to_json(line) for line in lines.own]}
    if lines.once is not lines.own:
        kept["once"] = [_to_json(line) for line in lines.once]
    return json.dumps(kept)


def _work_out(
    db: Database, school_ids: Sequence[int], today: dt.date, modules: Sequence[Module]
) -> dict[int, SchoolLines]:
    """Work out these schools' lines and keep them, all read from one snapshot.

    Reading and then writing in one transaction means lines are stored only if nothing they
    came from changed meanwhile: if another connection wrote in between, SQLite refuses to
    turn the read into a write, and the lines (right for the snapshot) are used unstored.
    """
    own = not db.conn.in_transaction
    if own:
        db.execute("BEGIN")
    try:
        lines = compute_lines(db, school_ids, today, modules)
        rows = [
            (
                school,
                today.isoformat(),
                _valid_until(db, school, today),
                _lines_json(found),
            )
            for school, found in lines.items()
        ]
        stored = _store(db, rows)
    except BaseException:
        if own and db.conn.in_transaction:
            db.conn.rollback()
        raise
    if own and stored:
        db.execute("COMMIT")
    elif own:
        db.conn.rollback()
    return lines


def _valid_until(db: Database, school_id: int, today: dt.date) -> str | None:
    sql = _VALID_UNTIL.format(last_day=last_day_sql("x"))
    day = db.execute(sql, {"school": school_id, "today": today.isoformat()}).fetchone()
    return str(day[0]) if day[0] is not None else None


def _store(db: Database, rows: list[tuple[int, str, str | None, str]]) -> bool:
    """Keep the lines; False if SQLite refused (busy, changed under us, a read-only file).

    Lines worked out for a later day are not replaced by an earlier day's: two windows
    whose "today" differs (one left open overnight) would otherwise replace each other's
    lines, and each see the other's write as news, every time they looked."""
    try:
        db.conn.executemany(
            "INSERT INTO priority_cache (school_id, computed_on, valid_until, lines) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (school_id) DO UPDATE SET "
            "computed_on = excluded.computed_on, valid_until = excluded.valid_until, "
            "lines = excluded.lines WHERE excluded.computed_on >= priority_cache.computed_on",
            rows,
        )
    except engine.OperationalError:
        return False
    return True


def school_lines(
    db: Database,
    today: dt.date,
    school_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> dict[int, SchoolLines]:
    """Each school's lines (every school in the file if none are named): kept lines where
    still valid, the others worked out (and kept) in batches, reporting progress."""
    if school_ids is None:
        wanted = [row[0] for row in db.execute("SELECT id FROM schools ORDER BY id").fetchall()]
    else:
        wanted = sorted(set(school_ids))
    kept = _stored(db, today)
    found = {school: kept[school] for school in wanted if school in kept}
    missing = [school for school in wanted if school not in found]
    if missing:
        modules = list_modules(db)
        if progress:
            progress(0, len(missing))
        for start in range(0, len(missing), CHUNK):
            found.update(_work_out(db, missing[start : start + CHUNK], today, modules))
            if progress:
                progress(min(start + CHUNK, len(missing)), len(missing))
    return found


def file_result(
    db: Database,
    today: dt.date,
    school_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> PriorityResult:
    """The ranked priorities of several schools (every school in the file if none are
    named), weighted by the trust's development plan weights, without staff views.

    It knows which needs every school shows exactly (`exact_needs`), found from the same
    schools' lines the ranking is merged from, so that reports can withhold the others."""
    from sencoplan.store.priorities import load_weights

    lines = school_lines(db, today, school_ids, progress)
    schools = [lines[school] for school in sorted(lines)]
    return PriorityResult(
        merge_schools([each.once for each in schools], weights=load_weights(db, None)),
        [],
        exact_needs=exact_in_every_school([each.own for each in schools]),
        moved=_moved([each for each in schools]),
    )


def _moved(schools: list[SchoolLines]) -> frozenset[NeedType]:
    """Needs whose pupils the trust counts differently from its schools' own reports."""
    moved: set[NeedType] = set()
    for each in schools:
        if each.once is each.own:
            continue
        own = {line.need: (line.pupils, line.incoming) for line in each.own}
        once = {line.need: (line.pupils, line.incoming) for line in each.once}
        moved.update(need for need in own.keys() | once.keys() if own.get(need) != once.get(need))
    return frozenset(moved)


def file_priorities(
    db: Database,
    today: dt.date,
    school_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> list[Priority]:
    """The ranked priorities of several schools (`file_result`)."""
    return file_result(db, today, school_ids, progress).priorities
