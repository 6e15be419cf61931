"""The SQLite file: permissions, pragmas, migrations, typed round trips, constraints."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from collections import Counter
from pathlib import Path

import pytest
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import (
    ConfidenceRating,
    Module,
    Pupil,
    Qualification,
    School,
    StaffMember,
    Support,
    TrainingRecord,
)
from sencoplan.domain.staff_codes import ModuleLevel, Phase, Provider, Role, Setting, SupportKind
from sencoplan.domain.succession_codes import QualificationKind, QualificationStatus
from sencoplan.store import (
    StoreError,
    check_database,
    connect,
    open_database,
    schema_version,
    write_transaction,
)
from sencoplan.store.catalogue import (
    delete_module,
    get_module,
    list_modules,
    modules_by_code,
    save_module,
)
from sencoplan.store.migrations import MIGRATIONS
from sencoplan.store.pupils import (
    delete_pupil,
    get_pupil,
    incoming_counts,
    list_pupils,
    pupils_by_upn,
    reg_groups,
    register_counts,
    save_pupil,
)
from sencoplan.store.schools import (
    delete_school,
    find_school,
    get_school,
    list_schools,
    save_school,
)
from sencoplan.store.staff import (
    delete_staff,
    get_staff,
    list_staff,
    save_staff,
    staff_by_name,
)
from sencoplan.store.supports import (
    delete_support,
    list_supports,
    pupils_supported_count,
    save_support,
)
from sencoplan.store.training import (
    delete_training,
    list_confidence,
    list_qualifications,
    list_training,
    save_confidence,
    save_qualification,
    save_training,
    training_for_staff,
)
from tests.core_helpers import make_upn

TODAY = dt.date(2026, 11, 23)


def count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _teacher(db: Database, school: School, name: str = "Ann Teacher") -> StaffMember:
    assert school.id is not None
    return save_staff(db, StaffMember(school_id=school.id, name=name, role=Role.TEACHER))


def _module(db: Database, code: str = "ASD-1", refresh: int | None = None) -> Module:
    return save_module(
        db,
        Module(
            code=code,
            title="Autism awareness",
            needs=(NeedType.ASD, NeedType.SLCN),
            refresh_months=refresh,
        ),
    )


# --- the file ----------------------------------------------------------------------------


def test_file_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "sencoplan.db"
    db = open_database(path)
    try:
        db.execute("INSERT INTO schools (name) VALUES ('A school')")
        db.conn.commit()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        wal = Path(f"{path}-wal")
        assert wal.exists()
        # SQLite gives the write-ahead log the database file's permissions.
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        db.close()


def test_missing_folder_created_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "sencoplan.db"
    open_database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_pragmas_on_a_file(tmp_path: Path) -> None:
    db = open_database(tmp_path / "sencoplan.db")
    try:
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        db.close()


def test_second_connection_has_foreign_keys_too(tmp_path: Path) -> None:
    path = tmp_path / "sencoplan.db"
    open_database(path).close()
    other = connect(path)
    try:
        assert other.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_in_memory_has_foreign_keys(db: Database) -> None:
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_schema_version_is_the_last_migration(db: Database) -> None:
    registered = [migration.name for migration in MIGRATIONS._migrations]
    assert registered[0] == "0001_initial"
    assert [m.name for m in MIGRATIONS.applied(db)] == registered
    assert schema_version(db) == registered[-1]
    assert MIGRATIONS.pending(db) == []


def test_schema_version_of_an_empty_database() -> None:
    db = connect(":memory:")
    try:
        assert schema_version(db) == "none"
    finally:
        db.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "sencoplan.db"
    db = open_database(path)
    save_school(db, School(name="Kept School"))
    db.close()
    db = open_database(path)
    try:
        applied = db.execute("SELECT name FROM _sqlite_migrations").fetchall()
        assert len(applied) == len(MIGRATIONS._migrations)
        assert [school.name for school in list_schools(db)] == ["Kept School"]
    finally:
        db.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a shopping list, not a database\n" * 100)
    with pytest.raises(StoreError, match="is not a sencoplan database"):
        open_database(path)


def test_tables_exist(db: Database) -> None:
    assert {
        "schools",
        "pupils",
        "staff",
        "supports",
        "modules",
        "module_needs",
        "training_records",
        "qualifications",
        "confidence",
    } <= set(db.table_names())


# --- round trips -------------------------------------------------------------------------


def test_school_round_trip(db: Database) -> None:
    saved = save_school(
        db,
        School(
            name="Brook Academy",
            urn="1234567",
            phase=Phase.SECONDARY,
            setting=Setting.SPECIALIST,
        ),
    )
    assert saved.id is not None
    assert get_school(db, saved.id) == saved
    assert find_school(db, "brook academy") == saved
    assert find_school(db, "1234567") == saved
    assert find_school(db, "Nowhere") is None
    second = save_school(db, School(name="Ash Primary"))
    assert [school.name for school in list_schools(db)] == ["Ash Primary", "Brook Academy"]
    updated = save_school(db, saved.model_copy(update={"phase": Phase.ALL_THROUGH}))
    assert updated.id == saved.id
    assert get_school(db, saved.id) == updated
    delete_school(db, saved.id)
    assert get_school(db, saved.id) is None
    assert list_schools(db) == [second]


def test_schools_are_listed_by_name_as_id_name_and_phase(db: Database) -> None:
    from sencoplan.domain.staff_codes import Phase
    from sencoplan.store.schools import SchoolEntry, school_entries

    yew = save_school(db, School(name="Yew Academy", phase=Phase.SECONDARY))
    ash = save_school(db, School(name="Ash Primary"))
    assert school_entries(db) == [
        SchoolEntry(ash.id or 0, "Ash Primary", Phase.PRIMARY),
        SchoolEntry(yew.id or 0, "Yew Academy", Phase.SECONDARY),
    ]


def test_school_names_are_unique_ignoring_case(db: Database, school: School) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        save_school(db, School(name=school.name.upper()))


def test_pupil_round_trip(db: Database, school: School) -> None:
    assert school.id is not None
    pupil = Pupil(
        school_id=school.id,
        upn=make_upn(1).lower(),
        display_name="Zoë O'Brien",
        date_of_birth=dt.date(2015, 9, 30),
        year_group="Year 6",
        tier=Tier.TARGETED_PLUS,
        primary_need=NeedType.SLCN,
        secondary_need=NeedType.SEMH,
        reg_group="6B",
        on_roll_from=dt.date(2019, 9, 4),
        plan_review_due=dt.date(2027, 1, 15),
        ehcp_review_due=None,
    )
    assert pupil.upn == make_upn(1)
    assert pupil.year_group == "6"
    saved = save_pupil(db, pupil)
    assert saved.id is not None
    assert get_pupil(db, saved.id) == saved
    row = db.execute(
        "SELECT upn, date_of_birth, tier, primary_need, secondary_need FROM pupils"
    ).fetchone()
    assert row == (make_upn(1), "2015-09-30", "targeted_plus", "SLCN", "SEMH")
    assert pupils_by_upn(db, school.id) == {make_upn(1): saved}
    assert reg_groups(db, school.id) == {"6B"}
    delete_pupil(db, saved.id)
    assert get_pupil(db, saved.id) is None
    assert list_pupils(db, school.id) == []


def test_one_upn_per_school(db: Database, school: School) -> None:
    assert school.id is not None
    save_pupil(db, Pupil(school_id=school.id, upn=make_upn(1), year_group="3"))
    with pytest.raises(sqlite3.IntegrityError):
        save_pupil(db, Pupil(school_id=school.id, upn=make_upn(1), year_group="4"))
    other = save_school(db, School(name="Other School"))
    assert other.id is not None
    save_pupil(db, Pupil(school_id=other.id, upn=make_upn(1), year_group="4"))
    # Pupils without a UPN are not constrained.
    save_pupil(db, Pupil(school_id=school.id, year_group="R"))
    save_pupil(db, Pupil(school_id=school.id, year_group="R"))
    assert count(db, "pupils") == 4


def _register(db: Database, school: School) -> dict[str, Pupil]:
    assert school.id is not None
    sid = school.id
    pupils = {
        "amy": Pupil(school_id=sid, display_name="Amy", year_group="3", reg_group="3A"),
        "ben": Pupil(
            school_id=sid,
            display_name="Ben",
            year_group="3",
            reg_group="3A",
            tier=Tier.TARGETED,
            primary_need=NeedType.ASD,
        ),
        "cat": Pupil(
            school_id=sid,
            display_name="Cat",
            year_group="5",
            tier=Tier.SPECIALIST,
            primary_need=NeedType.ASD,
            secondary_need=NeedType.SLCN,
        ),
        "dan": Pupil(
            school_id=sid,
            display_name="Dan",
            year_group="5",
            tier=Tier.TARGETED,
            primary_need=NeedType.SLCN,
            on_roll_to=dt.date(2026, 7, 22),  # left last summer
        ),
        "eve": Pupil(
            school_id=sid,
            display_name="Eve",
            year_group="R",
            tier=Tier.TARGETED,
            primary_need=NeedType.ASD,
            on_roll_from=dt.date(2027, 1, 5),  # joining in January
        ),
    }
    return {key: save_pupil(db, pupil) for key, pupil in pupils.items()}


def test_list_pupils_filters(db: Database, school: School) -> None:
    assert school.id is not None
    saved = _register(db, school)

    def names(pupils: list[Pupil]) -> list[str | None]:
        return [pupil.display_name for pupil in pupils]

    assert names(list_pupils(db, school.id)) == ["Amy", "Ben", "Cat", "Dan", "Eve"]
    assert names(list_pupils(db, school.id, on=TODAY)) == ["Amy", "Ben", "Cat", "Eve"]
    assert names(list_pupils(db, school.id, on=dt.date(2026, 7, 22))) == [
        "Amy",
        "Ben",
        "Cat",
        "Dan",
        "Eve",
    ]
    assert names(list_pupils(db, school.id, tier=Tier.TARGETED)) == ["Ben", "Dan", "Eve"]
    assert names(list_pupils(db, school.id, need=NeedType.SLCN)) == ["Cat", "Dan"]
    assert names(list_pupils(db, school.id, need=NeedType.SLCN, on=TODAY)) == ["Cat"]
    assert names(list_pupils(db, school.id, year_group="3")) == ["Amy", "Ben"]
    assert names(list_pupils(db, school.id, sen_only=True, on=TODAY)) == ["Ben", "Cat", "Eve"]
    assert saved["eve"].incoming(TODAY)
    assert saved["eve"].on_roll(TODAY)
    assert not saved["dan"].on_roll(TODAY)
    assert not saved["amy"].incoming(TODAY)


def test_register_counts(db: Database, school: School) -> None:
    """On roll that day: not those who have left, nor those who have not joined yet."""
    assert school.id is not None
    _register(db, school)
    assert register_counts(db, school.id, TODAY) == Counter(
        {
            ("", "universal"): 1,
            ("ASD", "targeted"): 1,  # Ben; Eve joins in January
            ("ASD", "specialist"): 1,
        }
    )
    assert register_counts(db, school.id, dt.date(2026, 7, 1)) == Counter(
        {
            ("", "universal"): 1,
            ("ASD", "targeted"): 1,
            ("ASD", "specialist"): 1,
            ("SLCN", "targeted"): 1,
        }
    )
    assert register_counts(db, school.id, dt.date(2027, 1, 5))[("ASD", "targeted")] == 2
    other = save_school(db, School(name="Empty School"))
    assert other.id is not None
    assert register_counts(db, other.id, TODAY) == Counter()


def test_incoming_counts(db: Database, school: School) -> None:
    """Joining after that day: the incoming cohort, counted apart from the roll."""
    assert school.id is not None
    _register(db, school)
    assert incoming_counts(db, school.id, TODAY) == Counter({("ASD", "targeted"): 1})
    assert incoming_counts(db, school.id, dt.date(2027, 1, 4)) == Counter({("ASD", "targeted"): 1})
    assert incoming_counts(db, school.id, dt.date(2027, 1, 5)) == Counter()  # joined today
    other = save_school(db, School(name="Empty School"))
    assert other.id is not None
    assert incoming_counts(db, other.id, TODAY) == Counter()


def test_staff_round_trip(db: Database, school: School) -> None:
    assert school.id is not None
    member = save_staff(
        db,
        StaffMember(
            school_id=school.id,
            name="Siobhán Kelly",
            role=Role.DEPUTY_SENCO,
            fte=0.6,
            cpd_hours=12.5,
            email="s.kelly@example.org",
            start_date=dt.date(2021, 9, 1),
            leaving_date=dt.date(2027, 8, 31),
        ),
    )
    assert member.id is not None
    assert get_staff(db, member.id) == member
    assert list_staff(db, school.id) == [member]
    assert staff_by_name(db, school.id) == {"siobhán kelly": member}
    assert member.in_post(TODAY)
    assert not member.in_post(dt.date(2027, 9, 1))
    delete_staff(db, member.id)
    assert get_staff(db, member.id) is None


def test_staff_names_unique_within_a_school(db: Database, school: School) -> None:
    _teacher(db, school)
    with pytest.raises(sqlite3.IntegrityError):
        _teacher(db, school)


def test_module_round_trip_with_needs_and_audience(db: Database) -> None:
    module = save_module(
        db,
        Module(
            code="EPI-2",
            title="Epilepsy and rescue medication",
            needs=(NeedType.PD, NeedType.MSI),
            level=ModuleLevel.SPECIALIST,
            hours=3,
            audience=(Role.TA, Role.LSA, Role.TEACHER),
            refresh_months=12,
            provider=Provider.EXTERNAL,
            organisation="County nursing team",
            cost=85.0,
            mandatory_specialist=True,
        ),
    )
    assert module.id is not None
    got = get_module(db, module.id)
    assert got == module
    assert got is not None
    assert got.needs == (NeedType.PD, NeedType.MSI)
    assert got.audience == (Role.TA, Role.LSA, Role.TEACHER)
    assert db.execute("SELECT audience, mandatory_specialist FROM modules").fetchone() == (
        "ta;lsa;teacher",
        1,
    )
    assert sorted(db.execute("SELECT need FROM module_needs").fetchall()) == [("MSI",), ("PD",)]
    # Saving again replaces its needs rather than adding to them.
    changed = save_module(db, module.model_copy(update={"needs": (NeedType.HI,), "audience": ()}))
    assert get_module(db, module.id) == changed
    assert db.execute("SELECT need FROM module_needs").fetchall() == [("HI",)]
    assert modules_by_code(db) == {"EPI-2": changed}
    assert list_modules(db) == [changed]
    delete_module(db, module.id)
    assert get_module(db, module.id) is None
    assert count(db, "module_needs") == 0


def test_modules_listed_by_code(db: Database) -> None:
    _module(db, "ZZ-1")
    _module(db, "AA-1")
    assert [module.code for module in list_modules(db)] == ["AA-1", "ZZ-1"]
    assert set(modules_by_code(db)) == {"AA-1", "ZZ-1"}


def test_training_round_trip(db: Database, school: School) -> None:
    member = _teacher(db, school)
    module = _module(db, refresh=24)
    assert member.id is not None and module.id is not None and school.id is not None
    older = save_training(
        db, TrainingRecord(staff_id=member.id, module_id=module.id, completed=dt.date(2023, 5, 2))
    )
    newer = save_training(
        db, TrainingRecord(staff_id=member.id, module_id=module.id, completed=dt.date(2026, 1, 9))
    )
    assert list_training(db, school.id) == [newer, older]
    assert training_for_staff(db, member.id) == [newer, older]
    assert newer.valid_on(module, TODAY)
    assert not older.valid_on(module, TODAY)
    assert newer.id is not None
    delete_training(db, newer.id)
    assert training_for_staff(db, member.id) == [older]


def test_confidence_and_qualification_round_trip(db: Database, school: School) -> None:
    member = _teacher(db, school)
    assert member.id is not None and school.id is not None
    rating = save_confidence(
        db,
        ConfidenceRating(
            staff_id=member.id, need=NeedType.SEMH, rating=2, rated_on=dt.date(2026, 10, 1)
        ),
    )
    assert list_confidence(db, school.id) == [rating]
    qualification = save_qualification(
        db,
        Qualification(
            staff_id=member.id,
            kind=QualificationKind.NPQ_SENCO,
            status=QualificationStatus.STUDYING,
            started=dt.date(2025, 10, 1),
            expected=dt.date(2027, 7, 1),
        ),
    )
    assert list_qualifications(db, school.id) == [qualification]
    with pytest.raises(sqlite3.IntegrityError):  # one rating per need per day
        save_confidence(db, rating.model_copy(update={"id": None, "rating": 4}))


def test_confidence_rating_outside_one_to_five_refused_by_the_table(
    db: Database, school: School
) -> None:
    member = _teacher(db, school)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO confidence (staff_id, need, rating, rated_on) VALUES (?, 'ASD', 6, ?)",
            (member.id, "2026-10-01"),
        )


def test_supports_round_trip(db: Database, school: School) -> None:
    assert school.id is not None
    saved = _register(db, school)
    teacher = _teacher(db, school)
    ta = save_staff(db, StaffMember(school_id=school.id, name="Tom Assistant", role=Role.TA))
    assert teacher.id is not None and ta.id is not None
    whole_class = save_support(
        db, Support(school_id=school.id, staff_id=teacher.id, reg_group="3A")
    )
    one_to_one = save_support(
        db,
        Support(
            school_id=school.id,
            staff_id=ta.id,
            pupil_id=saved["cat"].id,
            kind=SupportKind.ONE_TO_ONE,
        ),
    )
    also_ben = save_support(
        db, Support(school_id=school.id, staff_id=teacher.id, pupil_id=saved["ben"].id)
    )
    assert list_supports(db, school.id) == [whole_class, one_to_one, also_ben]
    # Amy and Ben through class 3A; Ben again directly: two distinct pupils.
    assert pupils_supported_count(db, teacher.id) == 2
    assert pupils_supported_count(db, ta.id) == 1
    assert one_to_one.id is not None
    delete_support(db, one_to_one.id)
    assert pupils_supported_count(db, ta.id) == 0


def test_a_support_links_one_pupil_or_one_class() -> None:
    with pytest.raises(ValueError, match="one pupil or one class"):
        Support(school_id=1, staff_id=1, pupil_id=1, reg_group="3A")
    with pytest.raises(ValueError, match="one pupil or one class"):
        Support(school_id=1, staff_id=1)


def test_the_table_refuses_a_support_with_both_targets(db: Database, school: School) -> None:
    saved = _register(db, school)
    member = _teacher(db, school)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO supports (school_id, staff_id, pupil_id, reg_group) VALUES (?, ?, ?, ?)",
            (school.id, member.id, saved["amy"].id, "3A"),
        )


# --- constraints -------------------------------------------------------------------------


def test_training_for_a_missing_member_of_staff_refused(db: Database) -> None:
    module = _module(db)
    assert module.id is not None
    with pytest.raises(sqlite3.IntegrityError):
        save_training(
            db, TrainingRecord(staff_id=999, module_id=module.id, completed=dt.date(2026, 1, 1))
        )
    assert count(db, "training_records") == 0


def test_pupil_for_a_missing_school_refused(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        save_pupil(db, Pupil(school_id=42, year_group="1"))


def test_deleting_staff_deletes_their_training_confidence_and_links(
    db: Database, school: School
) -> None:
    assert school.id is not None
    member = _teacher(db, school)
    keep = _teacher(db, school, "Bea Kept")
    module = _module(db)
    assert member.id is not None and keep.id is not None and module.id is not None
    for staff_id in (member.id, keep.id):
        save_training(db, TrainingRecord(staff_id=staff_id, module_id=module.id, completed=TODAY))
        save_confidence(
            db, ConfidenceRating(staff_id=staff_id, need=NeedType.ASD, rating=3, rated_on=TODAY)
        )
        save_qualification(db, Qualification(staff_id=staff_id, kind=QualificationKind.NASENCO))
        save_support(db, Support(school_id=school.id, staff_id=staff_id, reg_group="3A"))
    delete_staff(db, member.id)
    for table in ("training_records", "confidence", "qualifications", "supports"):
        assert db.execute(f"SELECT staff_id FROM {table}").fetchall() == [(keep.id,)], table


def test_deleting_a_school_deletes_its_pupils_and_staff(db: Database, school: School) -> None:
    assert school.id is not None
    _register(db, school)
    _teacher(db, school)
    delete_school(db, school.id)
    assert count(db, "pupils") == 0
    assert count(db, "staff") == 0


def test_a_module_with_training_records_cannot_be_deleted(db: Database, school: School) -> None:
    member = _teacher(db, school)
    module = _module(db)
    assert member.id is not None and module.id is not None
    save_training(db, TrainingRecord(staff_id=member.id, module_id=module.id, completed=TODAY))
    with pytest.raises(sqlite3.IntegrityError):
        delete_module(db, module.id)
    assert get_module(db, module.id) == module


# --- transactions and checks -------------------------------------------------------------


def test_write_transaction_commits(db: Database) -> None:
    with write_transaction(db):
        save_school(db, School(name="Committed"))
    assert not db.conn.in_transaction
    assert [school.name for school in list_schools(db)] == ["Committed"]


def test_write_transaction_rolls_back_on_error(db: Database, school: School) -> None:
    with pytest.raises(RuntimeError, match="boom"), write_transaction(db):
        save_school(db, School(name="Never Saved"))
        assert school.id is not None
        _teacher(db, school)
        raise RuntimeError("boom")
    assert not db.conn.in_transaction
    assert list_schools(db) == [school]
    assert count(db, "staff") == 0


def test_nested_write_transaction_rolls_back_only_the_inner_part(db: Database) -> None:
    with write_transaction(db):
        save_school(db, School(name="Outer"))
        with pytest.raises(RuntimeError), write_transaction(db):
            save_school(db, School(name="Inner"))
            raise RuntimeError
    assert [school.name for school in list_schools(db)] == ["Outer"]


def test_write_transaction_rolls_back_on_a_file(tmp_path: Path) -> None:
    path = tmp_path / "sencoplan.db"
    db = open_database(path)
    with pytest.raises(sqlite3.IntegrityError), write_transaction(db):
        save_school(db, School(name="Half"))
        save_pupil(db, Pupil(school_id=999, year_group="1"))
    db.close()
    db = open_database(path)
    try:
        assert list_schools(db) == []
    finally:
        db.close()


def test_check_database_ok(db: Database, school: School) -> None:
    _register(db, school)
    result = check_database(db)
    assert result.ok
    assert result.integrity == ["ok"]
    assert result.foreign_key_problems == []
    assert result.schema == schema_version(db)
    assert result.pending_migrations == []


def test_check_database_reports_a_broken_foreign_key(db: Database) -> None:
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("INSERT INTO staff (id, school_id, name, role) VALUES (7, 99, 'Lost', 'ta')")
    db.conn.commit()
    db.execute("PRAGMA foreign_keys = ON")
    result = check_database(db)
    assert result.foreign_key_problems == [("staff", 7, "schools")]
    assert not result.ok
