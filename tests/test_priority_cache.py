"""Each school's priority lines kept and merged: the same answer as one pass over the file,
dropped when what they came from changes, and worked out again when a date passes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType
from sencoplan.domain.priorities import NeedGroup, Priority, compute_priorities
from sencoplan.domain.priority_merge import merge_schools
from sencoplan.io.sample import load_sample
from sencoplan.store.priorities import load_priorities, need_groups, staff_facts
from sencoplan.store.priority_cache import file_priorities
from tests.core_helpers import TODAY
from tests.priority_strategies import SCHOOLS, School


def _same_lines(merged: list[Priority], whole: list[Priority]) -> None:
    """Counts exactly, sums to rounding, and the same order (ties aside)."""
    assert {line.need for line in merged} == {line.need for line in whole}
    by_need = {line.need: line for line in whole}
    for line in merged:
        other = by_need[line.need]
        for name in (
            "pupils",
            "pupils_by_tier",
            "secondary",
            "incoming",
            "incoming_from",
            "staff_relevant",
            "staff_trained",
            "staff_partly_trained",
            "one_to_one_untrained",
            "ratings",
            "school_ids",
            "weight",
        ):
            assert getattr(line, name) == getattr(other, name), (line.need, name)
        assert line.demand == pytest.approx(other.demand)
        assert line.gap == pytest.approx(other.gap, abs=1e-9)
        if other.confidence is None:
            assert line.confidence is None
        else:
            assert line.confidence == pytest.approx(other.confidence)
    merged_scores = [line.score for line in merged]
    assert merged_scores == pytest.approx(sorted(merged_scores, reverse=True))
    assert merged_scores == pytest.approx([line.score for line in whole])


# --- the merge, as a property of the engine ---------------------------------------------


def _own_school_adults(
    groups: list[NeedGroup], school: int, staff_school: dict[int, int]
) -> list[NeedGroup]:
    """A school's groups, their adults limited to its own staff (as links in a file are)."""
    return [
        dataclasses.replace(
            group,
            adults=frozenset(a for a in group.adults if staff_school.get(a) == school),
            one_to_one=frozenset(a for a in group.one_to_one if staff_school.get(a) == school),
        )
        for group in groups
        if group.school_id == school
    ]


@settings(max_examples=150, deadline=None)
@given(school=SCHOOLS)
def test_merging_each_schools_lines_gives_the_whole_files_priorities(school: School) -> None:
    groups, staff, weights = school
    staff_school = {member.id: member.school_id for member in staff}
    schools = sorted({group.school_id for group in groups} | set(staff_school.values()))
    own = {s: _own_school_adults(groups, s, staff_school) for s in schools}
    whole = compute_priorities(
        [group for s in schools for group in own[s]], staff, weights=weights
    ).priorities
    parts = [
        compute_priorities(own[s], [m for m in staff if m.school_id == s]).priorities
        for s in schools
    ]
    _same_lines(merge_schools(parts, weights), whole)


# --- the kept lines, in a file -----------------------------------------------------------


@pytest.fixture(scope="module")
def sample_trust() -> Database:
    db = Database(memory=True)
    from sencoplan.store.migrations import MIGRATIONS

    MIGRATIONS.apply(db)
    db.execute("PRAGMA foreign_keys = ON")
    load_sample(db, today=TODAY)
    return db


@pytest.fixture
def trust(sample_trust: Database) -> Database:
    """A fresh copy of the sample trust for each test (building it once)."""
    copy = Database(memory=True)
    sample_trust.conn.backup(copy.conn)
    copy.execute("PRAGMA foreign_keys = ON")
    return copy


def _one_pass(db: Database, today: dt.date) -> list[Priority]:
    from sencoplan.store.priorities import load_weights

    result = compute_priorities(
        need_groups(db, today, once=True), staff_facts(db, today), weights=load_weights(db, None)
    )
    return result.priorities


def _kept(db: Database) -> set[int]:
    return {row[0] for row in db.execute("SELECT school_id FROM priority_cache").fetchall()}


def _schools(db: Database) -> dict[str, int]:
    return {name: id_ for id_, name in db.execute("SELECT id, name FROM schools").fetchall()}


def test_the_merged_file_matches_one_pass_over_it(trust: Database) -> None:
    assert _kept(trust) == set()
    _same_lines(file_priorities(trust, TODAY), _one_pass(trust, TODAY))
    assert _kept(trust) == set(_schools(trust).values())
    # and again from the kept lines
    _same_lines(file_priorities(trust, TODAY), _one_pass(trust, TODAY))


def test_kept_lines_are_what_the_second_reading_uses(trust: Database) -> None:
    file_priorities(trust, TODAY)
    school = min(_kept(trust))
    lines = json.loads(
        trust.execute("SELECT lines FROM priority_cache WHERE school_id = ?", (school,)).fetchone()[
            0
        ]
    )
    lines["once" if "once" in lines else "own"][0]["pupils"] += 1000
    trust.execute(
        "UPDATE priority_cache SET lines = ? WHERE school_id = ?", (json.dumps(lines), school)
    )
    need = NeedType(lines["own"][0]["need"])
    before = {line.need: line.pupils for line in _one_pass(trust, TODAY)}
    after = {line.need: line.pupils for line in file_priorities(trust, TODAY)}
    assert after[need] == before[need] + 1000


def _first_pupil(db: Database, school: int) -> int:
    """A pupil with SEN on this school's roll only (no other school has their UPN)."""
    return int(
        db.execute(
            "SELECT id FROM pupils p WHERE school_id = ? AND tier != 'universal' AND NOT EXISTS "
            "(SELECT 1 FROM pupils o WHERE o.upn = p.upn AND o.school_id != p.school_id) "
            "LIMIT 1",
            (school,),
        ).fetchone()[0]
    )


def _first_staff(db: Database, school: int) -> int:
    return int(
        db.execute("SELECT id FROM staff WHERE school_id = ? LIMIT 1", (school,)).fetchone()[0]
    )


CHANGES = {
    "a pupil's need": lambda db, s: db.execute(
        "UPDATE pupils SET primary_need = 'VI', tier = 'specialist' WHERE id = ?",
        (_first_pupil(db, s),),
    ),
    "a pupil removed": lambda db, s: db.execute(
        "DELETE FROM pupils WHERE id = ?", (_first_pupil(db, s),)
    ),
    "a member of staff leaving": lambda db, s: db.execute(
        "UPDATE staff SET leaving_date = '2026-01-01' WHERE id = ?", (_first_staff(db, s),)
    ),
    "training recorded": lambda db, s: db.execute(
        "INSERT INTO training_records (staff_id, module_id, completed) "
        "SELECT ?, id, '2026-11-01' FROM modules",
        (_first_staff(db, s),),
    ),
    "a confidence rating": lambda db, s: db.execute(
        "INSERT INTO confidence (staff_id, need, rating, rated_on) "
        "VALUES (?, 'VI', 1, '2026-11-20')",
        (_first_staff(db, s),),
    ),
    "a support link removed": lambda db, s: db.execute(
        "DELETE FROM supports WHERE school_id = ?", (s,)
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_drops_only_its_schools_lines(trust: Database, change: str) -> None:
    file_priorities(trust, TODAY)
    schools = _schools(trust)
    changed = schools["Oakfield Primary School"]
    CHANGES[change](trust, changed)
    assert _kept(trust) == set(schools.values()) - {changed}
    _same_lines(file_priorities(trust, TODAY), _one_pass(trust, TODAY))


def test_a_catalogue_change_drops_every_schools_lines(trust: Database) -> None:
    file_priorities(trust, TODAY)
    trust.execute("UPDATE modules SET refresh_months = 1")
    assert _kept(trust) == set()
    _same_lines(file_priorities(trust, TODAY), _one_pass(trust, TODAY))


def test_deleting_a_school_drops_its_lines(trust: Database) -> None:
    file_priorities(trust, TODAY)
    schools = _schools(trust)
    gone = schools["Oakfield Primary School"]
    trust.execute("DELETE FROM schools WHERE id = ?", (gone,))
    assert gone not in _kept(trust)
    _same_lines(file_priorities(trust, TODAY), _one_pass(trust, TODAY))


@settings(max_examples=25, deadline=None)
@given(days=st.lists(st.integers(min_value=-30, max_value=800), min_size=1, max_size=4))
def test_lines_kept_on_one_day_are_right_on_any_later_day(
    sample_trust: Database, days: list[int]
) -> None:
    """Leavers, joiners, staff leaving and training lapsing all happen on dates: lines kept
    on one day are used only until the first of those dates, then worked out again."""
    db = Database(memory=True)
    sample_trust.conn.backup(db.conn)
    for offset in sorted(days):
        day = TODAY + dt.timedelta(days=offset)
        _same_lines(file_priorities(db, day), _one_pass(db, day))


def test_an_earlier_day_never_uses_later_lines(trust: Database) -> None:
    file_priorities(trust, TODAY)
    earlier = TODAY - dt.timedelta(days=400)
    _same_lines(file_priorities(trust, earlier), _one_pass(trust, earlier))


def test_an_earlier_days_lines_never_replace_a_later_days(trust: Database) -> None:
    """Two windows a day apart: the one behind works its lines out without keeping them, so
    the two never keep replacing each other's (and waking each other) every time."""
    file_priorities(trust, TODAY)
    kept = trust.execute("SELECT * FROM priority_cache ORDER BY school_id").fetchall()
    changes = trust.conn.total_changes
    earlier = TODAY - dt.timedelta(days=400)
    _same_lines(file_priorities(trust, earlier), _one_pass(trust, earlier))
    assert trust.execute("SELECT * FROM priority_cache ORDER BY school_id").fetchall() == kept
    assert trust.conn.total_changes == changes
    later = TODAY + dt.timedelta(days=1)
    trust.execute("DELETE FROM priority_cache")
    file_priorities(trust, later)
    file_priorities(trust, TODAY)  # later lines are not valid for TODAY, nor replaced
    days = {row[0] for row in trust.execute("SELECT computed_on FROM priority_cache")}
    assert days == {later.isoformat()}


def test_a_lapse_at_a_months_end_is_never_missed(trust: Database) -> None:
    """Training done on 31 January with a 1-month refresh lapses on 28 February (dateutil);
    SQLite's month sum says 3 March, so the kept lines must not outlive 28 February."""
    school = _schools(trust)["Oakfield Primary School"]
    member = _first_staff(trust, school)
    trust.execute(
        "DELETE FROM training_records WHERE staff_id IN (SELECT id FROM staff WHERE school_id = ?)",
        (school,),
    )
    module = trust.execute(
        "SELECT m.id FROM modules m JOIN module_needs n ON n.module_id = m.id "
        "WHERE n.need = 'SEMH' LIMIT 1"
    ).fetchone()[0]
    trust.execute("UPDATE modules SET refresh_months = 1 WHERE id = ?", (module,))
    trust.execute(
        "INSERT INTO training_records (staff_id, module_id, completed) VALUES (?, ?, '2027-01-31')",
        (member, module),
    )
    file_priorities(trust, dt.date(2027, 2, 1))
    for day in (dt.date(2027, 2, 27), dt.date(2027, 2, 28), dt.date(2027, 3, 1)):
        _same_lines(file_priorities(trust, day), _one_pass(trust, day))


def test_load_priorities_for_the_file_reports_progress(trust: Database) -> None:
    seen: list[tuple[int, int]] = []
    result = load_priorities(
        trust,
        TODAY,
        None,
        staff_views=False,
        progress=lambda done, total: seen.append((done, total)),
    )
    schools = len(_schools(trust))
    assert seen[0] == (0, schools) and seen[-1] == (schools, schools)
    assert result.staff_gaps == [] and result.priorities
    seen.clear()
    load_priorities(trust, TODAY, None, progress=lambda done, total: seen.append((done, total)))
    assert seen == []  # every school's lines were kept


def test_a_change_from_another_connection_mid_reading_is_not_kept(tmp_path: object) -> None:
    """Lines worked out from a snapshot another writer has since changed are used, but not
    kept: SQLite refuses to turn the stale read into a write."""
    from pathlib import Path

    from sencoplan.store import open_database, priority_cache

    path = Path(str(tmp_path)) / "trust.db"
    db = open_database(path)
    load_sample(db, today=TODAY)
    other = open_database(path)
    real = priority_cache.compute_lines
    school = _schools(db)["Oakfield Primary School"]

    def meddling(*args: object, **kwargs: object) -> dict[int, priority_cache.SchoolLines]:
        lines = real(*args, **kwargs)  # type: ignore[arg-type]
        other.execute(
            "UPDATE pupils SET tier = 'specialist' WHERE id = ?", (_first_pupil(other, school),)
        )
        other.conn.commit()
        return lines

    priority_cache.compute_lines = meddling
    try:
        file_priorities(db, TODAY, [school])
    finally:
        priority_cache.compute_lines = real
    assert _kept(db) == set()
    _same_lines(file_priorities(db, TODAY, [school]), _one_pass_school(db, school))
    other.close()
    db.close()


def _one_pass_school(db: Database, school: int) -> list[Priority]:
    return merge_schools(
        [
            compute_priorities(
                need_groups(db, TODAY, school), staff_facts(db, TODAY, school)
            ).priorities
        ]
    )


def _shared(db: Database) -> list[tuple[int, int, str]]:
    """Pupils with SEN on two rolls: (leaving school's row, joining school's row, need)."""
    return db.execute(
        "SELECT a.id, b.id, b.primary_need FROM pupils a JOIN pupils b ON a.upn = b.upn "
        "AND a.school_id != b.school_id WHERE b.on_roll_from > ? AND b.tier != 'universal'",
        (TODAY.isoformat(),),
    ).fetchall()


def test_a_pupil_on_two_rolls_counts_once_in_the_trusts_figures(trust: Database) -> None:
    """The sample's Year 6 leavers at Oakfield are Riverside's Year 7 joiners: each
    school's own report counts them (on roll at one, joining the other); the trust once,
    at Oakfield until September."""
    from sencoplan.store.priorities import load_priorities

    shared = _shared(trust)
    assert len(shared) >= 4
    need = NeedType(shared[0][2])
    twice = sum(
        line.pupils
        for school in _schools(trust).values()
        for line in load_priorities(trust, TODAY, school).priorities
        if line.need is need
    )
    once = {line.need: line for line in file_priorities(trust, TODAY)}[need]
    sharing = sum(1 for _, _, each in shared if each == need.value)
    assert once.pupils == twice - sharing
    # After the admission date they count at Riverside only: Oakfield's rows, with no
    # leaving date recorded, no longer count them twice.
    later = dt.date(2027, 9, 2)
    both = sum(
        line.pupils
        for school in _schools(trust).values()
        for line in load_priorities(trust, later, school).priorities
        if line.need is need
    )
    after = {line.need: line for line in file_priorities(trust, later)}[need]
    assert after.pupils == both - sharing


def test_a_change_to_a_shared_pupil_drops_both_schools_lines(trust: Database) -> None:
    file_priorities(trust, TODAY)
    leaving, _, _ = _shared(trust)[0]
    trust.execute("UPDATE pupils SET primary_need = 'VI' WHERE id = ?", (leaving,))
    assert _kept(trust) == set()
    _same_lines(file_priorities(trust, TODAY), _one_pass(trust, TODAY))
