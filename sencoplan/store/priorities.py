"""Reading the roll for the priorities engine: a few aggregate queries, never one per pupil."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import (
    NeedGroup,
    PriorityResult,
    StaffFacts,
    best_levels,
    compute_priorities,
)
from sencoplan.domain.provision import ProvisionKind, relationship
from sencoplan.domain.staff_codes import Role, SupportKind
from sencoplan.store.catalogue import list_modules
from sencoplan.store.db import write_transaction
from sencoplan.store.levels import level_tables
from sencoplan.store.priority_cache import Progress, file_result
from sencoplan.store.provision import last_day_sql

_GROUPS = """
WITH scope_pupils AS (
    SELECT id, school_id, tier, primary_need, secondary_need, on_roll_from, reg_group
    FROM pupils
    WHERE tier != 'universal' AND (on_roll_to IS NULL OR on_roll_to >= :today) {school_filter}
        {moved_filter}
),
sen AS (
    SELECT id, school_id, tier, primary_need AS need, 1 AS is_primary, on_roll_from
    FROM scope_pupils WHERE primary_need IS NOT NULL
    UNION ALL
    SELECT id, school_id, tier, secondary_need, 0, on_roll_from
    FROM scope_pupils WHERE secondary_need IS NOT NULL
),
links AS (
    SELECT p.id AS pupil_id, s.staff_id, s.kind
    FROM scope_pupils p JOIN supports s ON s.pupil_id = p.id
    UNION
    SELECT p.id, s.staff_id, s.kind
    FROM scope_pupils p JOIN supports s
        ON s.school_id = p.school_id AND s.reg_group = p.reg_group
),
adults AS (
    SELECT pupil_id,
        group_concat(staff_id) AS adults,
        group_concat(CASE WHEN kind = 'one_to_one' THEN staff_id END) AS one_to_one,
        group_concat(CASE WHEN kind = 'key_adult' THEN staff_id END) AS key_adults,
        group_concat(CASE WHEN kind = 'class_support' THEN staff_id END) AS class_support
    FROM (
        -- staff in post, found by their key: never a scan of every school's staff
        SELECT DISTINCT links.pupil_id, links.staff_id, links.kind
        FROM links JOIN staff ON staff.id = links.staff_id
        WHERE staff.leaving_date IS NULL OR staff.leaving_date >= :today
        ORDER BY links.pupil_id, links.staff_id
    )
    GROUP BY pupil_id
),
places_today AS (
    -- who delivers each pupil a provision under way today (staff in post; an external
    -- specialist is no one on the staff): "staff:kind:group size", for domain/provision,
    -- with the provision's needs (none: every need of the pupil). A place with no end runs
    -- until its weeks are done: PupilProvision.last_day, the same rule.
    SELECT DISTINCT x.pupil_id, n.need,
        x.staff_id || ':' || p.kind || ':' || x.group_size AS place
    FROM pupil_provisions x
    JOIN scope_pupils sp ON sp.id = x.pupil_id
    JOIN provisions p ON p.id = x.provision_id
    JOIN staff ON staff.id = x.staff_id
    LEFT JOIN provision_needs n ON n.provision_id = p.id
    WHERE (x.start IS NULL OR x.start <= :today)
        AND COALESCE({last_day}, :today) >= :today
        AND (staff.leaving_date IS NULL OR staff.leaving_date >= :today)
),
provided AS (
    SELECT sen.id AS pupil_id, sen.need, group_concat(t.place) AS places
    FROM sen JOIN (SELECT * FROM places_today ORDER BY pupil_id, place) t
        ON t.pupil_id = sen.id AND (t.need IS NULL OR t.need = sen.need)
    GROUP BY sen.id, sen.need
)
SELECT sen.school_id, sen.need, sen.tier, sen.is_primary,
    CASE WHEN sen.on_roll_from > :today THEN sen.on_roll_from END AS starts,
    adults.adults, adults.one_to_one, adults.key_adults, adults.class_support,
    provided.places,
    COUNT(*) AS pupils
FROM sen LEFT JOIN adults ON adults.pupil_id = sen.id
    LEFT JOIN provided ON provided.pupil_id = sen.id AND provided.need = sen.need
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
"""


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _ids(text: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",")) if text else frozenset()


def _provided(text: str | None) -> frozenset[tuple[int, SupportKind]]:
    """'12:small_group:4,15:one_to_one:1' -> each deliverer with what the provision makes
    them (domain/provision.relationship); an external specialist is left out."""
    found = set()
    for place in text.split(",") if text else ():
        staff_id, kind, group_size = place.split(":")
        made = relationship(ProvisionKind(kind), int(group_size))
        if made is not None:
            found.add((int(staff_id), made))
    return frozenset(found)


ONCE_IN_THE_FILE = """
        AND NOT EXISTS (
            -- one pupil, one count: on two schools' rolls (the same UPN), a pupil counts at
            -- the school they are joining from its admission date, at the one they are
            -- leaving until then
            SELECT 1 FROM pupils other
            WHERE other.upn = pupils.upn AND other.school_id != pupils.school_id
                AND (other.on_roll_from IS NULL OR other.on_roll_from <= :today)
                AND (other.on_roll_to IS NULL OR other.on_roll_to >= :today)
                AND (pupils.on_roll_from > :today
                    OR other.on_roll_from > COALESCE(pupils.on_roll_from, ''))
        )"""


def need_groups(
    db: Database,
    today: dt.date,
    school_id: int | None = None,
    *,
    among: Sequence[int] | None = None,
    once: bool = False,
) -> list[NeedGroup]:
    """Pupils on roll (and joining) grouped by need, tier, primary or secondary, and adults:
    of one school, of the schools `among` (one read for many), or of the whole file.
    `once`: for a trust's figures, a pupil on two schools' rolls counts at one of them
    (`ONCE_IN_THE_FILE`)."""
    school_filter = ""
    if school_id:
        school_filter = "AND school_id = :school"
    elif among is not None:
        school_filter = "AND school_id IN (SELECT value FROM json_each(:among))"
    sql = _GROUPS.format(
        school_filter=school_filter,
        moved_filter=ONCE_IN_THE_FILE if once else "",
        last_day=last_day_sql("x"),
    )
    params: dict[str, Any] = {
        "today": today.isoformat(),
        "school": school_id,
        "among": json.dumps(list(among or [])),
    }
    groups = []
    rows = db.execute(sql, params).fetchall()
    for school, need, tier, primary, starts, adults, ones, keys, support, places, count in rows:
        groups.append(
            NeedGroup(
                school_id=school,
                need=NeedType(need),
                tier=Tier(tier),
                primary=bool(primary),
                incoming=starts is not None,
                starts=dt.date.fromisoformat(starts) if starts else None,
                adults=_ids(adults),
                one_to_one=_ids(ones),
                key_adults=_ids(keys),
                class_support=_ids(support),
                provided=_provided(places),
                count=count,
            )
        )
    return groups


def staff_facts(
    db: Database,
    today: dt.date,
    school_id: int | None = None,
    modules: Sequence[Module] | None = None,
    *,
    among: Sequence[int] | None = None,
) -> list[StaffFacts]:
    """Staff in post with their best valid training level and latest confidence per need,
    as they were on `today` (a rating made later does not count; `modules`: the catalogue,
    when the caller has it already): of one school, the schools `among`, or the file."""
    where = "(leaving_date IS NULL OR leaving_date >= ?)"
    params: list[Any] = [today.isoformat()]
    if school_id:
        where += " AND school_id = ?"
        params.append(school_id)
    elif among is not None:
        where += " AND school_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(among)))
    staff = db.execute(
        f"SELECT id, school_id, name, role FROM staff WHERE {where}", params
    ).fetchall()
    in_scope = "SELECT id FROM staff WHERE " + where
    days: dict[str, dt.date] = {}
    records = [
        (staff_id, module_id, days.get(completed) or days.setdefault(completed, _day(completed)))
        for staff_id, module_id, completed in db.execute(
            f"SELECT staff_id, module_id, completed FROM training_records "
            f"WHERE staff_id IN ({in_scope})",
            params,
        ).fetchall()
    ]
    catalogue = {
        module.id: module
        for module in (list_modules(db) if modules is None else modules)
        if module.id is not None
    }
    levels = best_levels(records, catalogue, today)
    confidence: dict[int, dict[NeedType, int]] = defaultdict(dict)
    # SQLite returns the row holding MAX(rated_on) for the bare columns: the latest rating.
    for staff_id, need, rating, _ in db.execute(
        f"SELECT staff_id, need, rating, MAX(rated_on) FROM confidence "
        f"WHERE staff_id IN ({in_scope}) AND rated_on <= ? GROUP BY staff_id, need",
        [*params, today.isoformat()],
    ).fetchall():
        confidence[staff_id][NeedType(need)] = rating
    return [
        StaffFacts(
            id=staff_id,
            school_id=school,
            name=name,
            role=Role(role),
            levels=levels.get(staff_id, {}),
            confidence=confidence.get(staff_id, {}),
        )
        for staff_id, school, name, role in staff
    ]


def load_weights(db: Database, school_id: int | None) -> dict[str, float]:
    """The development plan weights for a school, or the trust's (school None)."""
    rows = db.execute(
        "SELECT target, weight FROM priority_weights WHERE COALESCE(school_id, 0) = ?",
        (school_id or 0,),
    ).fetchall()
    return {target: float(weight) for target, weight in rows}


def save_weight(db: Database, school_id: int | None, target: str, weight: float) -> None:
    """Set (or, with 0, clear) the weight for a need code or broad area value."""
    with write_transaction(db):
        db.execute(
            "DELETE FROM priority_weights WHERE COALESCE(school_id, 0) = ? AND target = ?",
            (school_id or 0, target),
        )
        if weight:
            db.execute(
                "INSERT INTO priority_weights (school_id, target, weight) VALUES (?, ?, ?)",
                (school_id, target, weight),
            )


def load_priorities(
    db: Database,
    today: dt.date,
    school_id: int | None = None,
    *,
    staff_views: bool = True,
    progress: Progress | None = None,
) -> PriorityResult:
    """The ranked priorities for one school, or for every school in the file (None).

    Every school's ranking is merged from each school's kept lines (see priority_cache),
    and knows which needs every school shows exactly (`PriorityResult.exact_needs`, for
    reports); `staff_views` adds who is (un)trained for each need, which takes a pass over
    the file.
    """
    if school_id:
        return compute_priorities(
            need_groups(db, today, school_id),
            staff_facts(db, today, school_id),
            weights=load_weights(db, school_id),
            modules=list_modules(db),
            levels=level_tables(db, school_id),
        )
    found = file_result(db, today, progress=progress)
    if not staff_views:
        return found
    whole = compute_priorities(
        need_groups(db, today, once=True),
        staff_facts(db, today),
        modules=list_modules(db),
        levels=level_tables(db),
    )
    return PriorityResult(
        found.priorities,
        whole.staff_gaps,
        whole.staff_by_need,
        exact_needs=found.exact_needs,
        moved=found.moved,
    )
