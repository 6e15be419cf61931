"""benchmarks/generate.py at tiny scale: deterministic, valid, importable, nationally shaped."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from benchmarks import generate as gen
from sencoplan.domain.models import ConfidenceRating, Pupil, StaffMember, Support, TrainingRecord
from sencoplan.domain.upn import is_valid_upn
from sencoplan.io.importers import import_file
from sencoplan.io.sample import school_folder
from sencoplan.store.db import check_database, inspect_database, open_database
from sencoplan.store.priorities import load_priorities

TODAY = gen.TODAY

SAME_ROWS = {
    "schools": "SELECT name, urn, phase, setting FROM schools",
    "pupils": """
        SELECT s.name, p.upn, p.display_name, p.date_of_birth, p.year_group, p.tier,
            p.primary_need, p.secondary_need, p.reg_group, p.on_roll_from, p.on_roll_to,
            p.plan_review_due, p.ehcp_review_due
        FROM pupils p JOIN schools s ON s.id = p.school_id
    """,
    "staff": """
        SELECT s.name, t.name, t.role, t.fte, t.cpd_hours, t.email, t.start_date, t.leaving_date
        FROM staff t JOIN schools s ON s.id = t.school_id
    """,
    "supports": """
        SELECT s.name, t.name, p.upn, x.reg_group, x.kind
        FROM supports x JOIN schools s ON s.id = x.school_id JOIN staff t ON t.id = x.staff_id
        LEFT JOIN pupils p ON p.id = x.pupil_id
    """,
    "training_records": """
        SELECT s.name, t.name, m.code, r.completed FROM training_records r
        JOIN staff t ON t.id = r.staff_id JOIN schools s ON s.id = t.school_id
        JOIN modules m ON m.id = r.module_id
    """,
    "confidence": """
        SELECT s.name, t.name, c.need, c.rating, c.rated_on FROM confidence c
        JOIN staff t ON t.id = c.staff_id JOIN schools s ON s.id = t.school_id
    """,
    "modules": """
        SELECT code, title, level, hours, audience, refresh_months, provider, organisation,
            cost, mandatory_specialist, trains_leaders FROM modules
    """,
    "module_needs": """
        SELECT m.code, n.need FROM module_needs n JOIN modules m ON m.id = n.module_id
    """,
}
"""Each table's content without ids, so two files can be compared row for row."""


def _content(db: Database, table: str) -> list[tuple[object, ...]]:
    return sorted(db.execute(SAME_ROWS[table]).fetchall(), key=repr)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*.csv"))
    }


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> gen.GeneratedData:
    return gen.generate("tiny", tmp_path_factory.mktemp("generated"))


@pytest.fixture
def tiny_db(tiny: gen.GeneratedData) -> Iterator[Database]:
    db = open_database(tiny.db)
    yield db
    db.close()


def test_writes_the_database_and_the_files_with_their_counts(tiny: gen.GeneratedData) -> None:
    assert tiny.db.name == "tiny.db" and tiny.db.exists()
    assert stat.S_IMODE(tiny.db.stat().st_mode) == 0o600
    assert tiny.files == tiny.db.parent / "tiny" / "files"
    assert (tiny.files / "schools.csv").exists() and (tiny.files / "modules.csv").exists()
    assert tiny.schools == 3 and len(tiny.school_names) == 3
    for name in tiny.school_names:
        folder = tiny.school_dir(name)
        assert folder.name == school_folder(name)
        assert sorted(path.name for path in folder.iterdir()) == [
            "confidence.csv",
            "pupils.csv",
            "staff.csv",
            "supports.csv",
            "training.csv",
        ]
    assert 250 <= tiny.pupils <= 350 and tiny.roll == tiny.pupils
    db = Database(tiny.db)
    try:
        for table, count in (
            ("pupils", tiny.pupils),
            ("staff", tiny.staff),
            ("supports", tiny.supports),
            ("training_records", tiny.training_records),
            ("confidence", tiny.confidence),
        ):
            assert db.table(table).count == count > 0
        sen = db.execute("SELECT COUNT(*) FROM pupils WHERE tier != 'universal'").fetchone()[0]
        assert sen == tiny.sen_pupils
    finally:
        db.close()


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    first = gen.generate("tiny", tmp_path / "first", seed=7)
    again = gen.generate("tiny", tmp_path / "again", seed=7)
    other = gen.generate("tiny", tmp_path / "other", seed=8)
    assert first.files is not None and again.files is not None and other.files is not None
    assert _digests(first.files) == _digests(again.files)
    assert first == dataclasses.replace(
        again, db=first.db, files=first.files, seconds=first.seconds
    )
    one, two = Database(first.db), Database(again.db)
    try:
        for table in SAME_ROWS:
            assert _content(one, table) == _content(two, table)
    finally:
        one.close()
        two.close()
    assert _digests(first.files) != _digests(other.files)


def test_the_files_import_cleanly_into_the_same_data(tiny: gen.GeneratedData) -> None:
    assert tiny.files is not None
    fresh = open_database(":memory:")
    generated = Database(tiny.db)
    try:
        for kind in ("schools", "modules"):
            report = import_file(fresh, kind, tiny.files / f"{kind}.csv", today=TODAY)
            assert not report.ignored_columns
        for name in tiny.school_names:
            for kind in ("pupils", "staff", "supports", "training", "confidence"):
                path = tiny.school_dir(name) / f"{kind}.csv"
                report = import_file(fresh, kind, path, school=name, today=TODAY)
                with path.open(encoding="utf-8") as handle:
                    rows = sum(1 for _ in csv.DictReader(handle))
                assert not report.ignored_columns, (path, report.ignored_columns)
                assert not report.school_created
                assert (report.created, report.skipped, report.marked_left) == (rows, 0, 0)
        for table in SAME_ROWS:
            assert _content(fresh, table) == _content(generated, table), table
    finally:
        fresh.close()
        generated.close()


def test_the_database_checks_out_and_matches_the_schema(
    tiny: gen.GeneratedData, tiny_db: Database
) -> None:
    assert inspect_database(tiny.db).ok
    result = check_database(tiny_db)
    assert result.integrity == ["ok"] and not result.foreign_key_problems
    assert not result.pending_migrations
    for table, columns in gen.TABLES.items():
        assert [column.name for column in tiny_db.table(table).columns] == list(columns)


def test_rows_are_valid_for_the_models(tiny_db: Database) -> None:
    for model, table in (
        (Pupil, "pupils"),
        (StaffMember, "staff"),
        (Support, "supports"),
        (TrainingRecord, "training_records"),
        (ConfidenceRating, "confidence"),
    ):
        for row in tiny_db.table(table).rows:
            model.model_validate(row)
    for (completed,) in tiny_db.execute("SELECT completed FROM training_records"):
        assert dt.date.fromisoformat(completed) <= TODAY
    for (rated_on,) in tiny_db.execute("SELECT rated_on FROM confidence"):
        assert dt.date.fromisoformat(rated_on) <= TODAY


def test_upns_are_valid_and_unique(tiny_db: Database) -> None:
    upns = [upn for (upn,) in tiny_db.execute("SELECT upn FROM pupils")]
    assert upns and all(is_valid_upn(upn) for upn in upns)
    assert len(set(upns)) == len(upns)


def test_the_shape_is_roughly_national(tiny_db: Database) -> None:
    tiers = Counter(tier for (tier,) in tiny_db.execute("SELECT tier FROM pupils"))
    total = sum(tiers.values())
    sen = total - tiers["universal"]
    assert 0.10 <= sen / total <= 0.25
    assert 0.02 <= tiers["specialist"] / total <= 0.12
    assert tiers["targeted"] > tiers["targeted_plus"] > 0
    phases = {phase for (phase,) in tiny_db.execute("SELECT phase FROM schools")}
    assert phases == {"primary", "secondary", "special"}
    special = tiny_db.execute(
        "SELECT COUNT(*), SUM(tier = 'specialist') FROM pupils p JOIN schools s "
        "ON s.id = p.school_id WHERE s.setting = 'specialist'"
    ).fetchone()
    assert special[1] >= 0.9 * special[0]
    assert tiny_db.execute(
        "SELECT COUNT(*) FROM pupils WHERE secondary_need IS NOT NULL"
    ).fetchone()[0]
    assert tiny_db.execute(
        "SELECT COUNT(*) FROM pupils WHERE on_roll_from > ?", (TODAY.isoformat(),)
    ).fetchone()[0]
    # One SENCO in every school; class teachers for every class; one-to-one TAs are TAs.
    sencos = tiny_db.execute(
        "SELECT s.id, COUNT(t.id) FROM schools s LEFT JOIN staff t "
        "ON t.school_id = s.id AND t.role = 'senco' GROUP BY s.id"
    ).fetchall()
    assert [count for _, count in sencos] == [1, 1, 1]
    untaught = tiny_db.execute(
        "SELECT COUNT(DISTINCT p.school_id || p.reg_group) FROM pupils p WHERE NOT EXISTS "
        "(SELECT 1 FROM supports x WHERE x.school_id = p.school_id "
        "AND x.reg_group = p.reg_group AND x.kind = 'class_teacher')"
    ).fetchone()[0]
    assert untaught == 0
    roles = {
        role
        for (role,) in tiny_db.execute(
            "SELECT t.role FROM supports x JOIN staff t ON t.id = x.staff_id "
            "WHERE x.kind = 'one_to_one'"
        )
    }
    assert roles and roles <= {"ta", "lsa"}


def test_the_need_mix_follows_the_national_figures() -> None:
    """Drawn as schools draw them (primary, secondary, special), the mix is the nation's:
    SLCN leads on SEN support, ASD with an EHCP, and every census need turns up."""
    import random

    from sencoplan.domain.codes import NeedType

    rng = random.Random(3)
    support = Counter(gen.draw_needs(rng, "targeted", "primary", 12_000))
    support.update(gen.draw_needs(rng, "targeted", "secondary", 8_000))
    assert [need for need, _ in support.most_common(3)] == ["SLCN", "SEMH", "MLD"]
    assert 0.24 <= support["SLCN"] / 20_000 <= 0.31
    ehcp = Counter(gen.draw_needs(rng, "specialist", "primary", 8_000))
    ehcp.update(gen.draw_needs(rng, "specialist", "secondary", 6_000))
    ehcp.update(gen.draw_needs(rng, "specialist", "special", 6_000))
    assert ehcp.most_common(1)[0][0] == "ASD"
    assert 0.30 <= ehcp["ASD"] / 20_000 <= 0.40
    assert "NSA" not in ehcp
    assert set(support) | set(ehcp) == {need.value for need in NeedType}


def test_priorities_load(tiny_db: Database) -> None:
    whole = load_priorities(tiny_db, TODAY, None)
    assert whole.priorities and any(line.pupils > 0 for line in whole.priorities)
    for (school_id,) in tiny_db.execute("SELECT id FROM schools"):
        assert load_priorities(tiny_db, TODAY, school_id).priorities


def test_only_pupils_with_sen_at_national_shape(tmp_path: Path) -> None:
    """National scale writes pupils with SEN only: the same code path, on tiny schools."""
    national = gen.SCALES["national"]
    assert sum(count for _, count in national.schools) == 22_000
    assert national.sen_only and not national.files
    lean = dataclasses.replace(gen.SCALES["tiny"], sen_only=True, lean_staff=True)
    data = gen.build(lean)
    pupils = data.rows("pupils")
    assert pupils and all(row["tier"] != "universal" for row in pupils)
    roll = sum(school.roll for school in data.schools)
    assert 0.10 <= len(pupils) / roll <= 0.25
    full = gen.build("tiny")
    assert len(data.rows("staff")) < len(full.rows("staff"))


def test_pupil_rows_for_a_bare_insert() -> None:
    data = gen.build("tiny")
    rows = gen.pupil_rows(data)
    largest = data.largest_school
    assert len(rows) == len(largest.pupils) and rows[0]["school_id"] == largest.id
    assert list(rows[0]) == list(gen.PUPIL_COLUMNS)
    db = open_database(":memory:")
    try:
        db.table("schools").insert_all(data.rows("schools", largest.id))
        db.table("pupils").insert_all(rows, batch_size=5_000)
        assert db.table("pupils").count == len(rows)
        assert not check_database(db).foreign_key_problems
    finally:
        db.close()


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen.main(["--scale", "tiny", "--out", str(tmp_path), "--seed", "2"]) == 0
    assert (tmp_path / "tiny" / "files" / "schools.csv").exists()
    out = capsys.readouterr().out
    assert "scale tiny (seed 2)" in out and "pupils with SEN" in out and "tiny.db" in out
    # Without files, files from an earlier run go: they would no longer match the database.
    assert gen.main(["--scale", "tiny", "--out", str(tmp_path), "--no-files"]) == 0
    assert not (tmp_path / "tiny" / "files").exists()
    assert "import files: not written" in capsys.readouterr().out
    with pytest.raises(ValueError, match="unknown scale"):
        gen.generate("galaxy", tmp_path)
