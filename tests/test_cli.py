"""The command line, headless: import, check, demo --no-tui, help and usage errors."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.store import db as store_db
from sencoplan.store import open_database, schema_version
from sencoplan.store.migrations import MIGRATIONS
from sencoplan.store.schools import list_schools
from tests.core_helpers import WriteFile, csv_text, make_upn, snapshot, wrong_check_letter

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
U1, U2, U3 = make_upn(1), make_upn(2), make_upn(3)
ROLL = csv_text(
    ["UPN", "Surname", "Forename", "Year Group", "SEN Status", "Primary Need"],
    [[U1, "Patel", "Asha", "5", "K", "SLCN"], [U2, "Smith", "Ella", "R", "N", ""]],
)


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever a test forgets, it never touches the user's own database."""
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sencoplan.db"


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = open_database(path)
    try:
        return snapshot(db)
    finally:
        db.close()


def test_import_prints_the_report(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("roll.csv", ROLL)
    code = main(["import", "pupils", str(path), "--school", "Oak School", "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    assert out.splitlines() == [
        "roll.csv: imported pupils into Oak School: 2 new, 0 updated, 0 unchanged",
        "created the school Oak School",
    ]
    dump = _dump(db_path)
    assert [row[1] for row in dump["schools"]] == ["Oak School"]
    assert sorted(row[2] for row in dump["pupils"]) == sorted([U1, U2])


def test_import_with_the_global_db_option(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("roll.csv", ROLL)
    assert main(["--db", str(db_path), "import", "pupils", str(path), "--school", "Oak"]) == 0
    assert "2 new" in capsys.readouterr().out
    assert len(_dump(db_path)["pupils"]) == 2


def test_import_uses_sencoplan_db_when_no_db_is_given(
    tmp_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("roll.csv", ROLL)
    assert main(["import", "pupils", str(path), "--school", "Oak"]) == 0
    capsys.readouterr()
    assert len(_dump(tmp_path / "default.db")["pupils"]) == 2


def test_import_bad_file_lists_every_bad_line_and_writes_nothing(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "pupils", str(write_file("roll.csv", ROLL)), "--school", "Oak",
                 "--db", str(db_path)]) == 0  # fmt: skip
    capsys.readouterr()
    before = _dump(db_path)
    bad_upn = wrong_check_letter(U3)
    bad = csv_text(
        ["UPN", "Year Group", "SEN Status", "Primary Need", "DOB"],
        [
            [U1, "5", "K", "SLCN", ""],
            [bad_upn, "5", "", "", ""],
            [U2, "R", "E", "", "31/02/2021"],
        ],
    )
    path = write_file("bad.csv", bad)
    code = main(["import", "pupils", str(path), "--school", "Oak", "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "bad.csv: refused, nothing was imported (2 bad rows)",
        f"  line 3, column UPN: UPN {bad_upn!r} has check letter {bad_upn[0]}, expected {U3[0]}",
        "  line 4, column DOB: '31/02/2021' is not a real date (dates are day/month/year)",
        "  line 4, column Primary Need: a pupil with an EHCP (E) must have a primary need",
    ]
    assert _dump(db_path) == before


def test_import_without_a_school_into_an_empty_database(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", "pupils", str(write_file("roll.csv", ROLL)), "--db", str(db_path)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [
        "roll.csv: refused, nothing was imported",
        "  file: name the school to import into with --school NAME",
    ]
    assert _dump(db_path)["schools"] == []


def test_import_dry_run_and_partial(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("roll.csv", ROLL)
    args = ["import", "pupils", str(path), "--school", "Oak", "--db", str(db_path)]
    assert main([*args, "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        "roll.csv: would import pupils into Oak: 2 new, 0 updated, 0 unchanged",
        "would create the school Oak",
        "dry run: nothing was written",
    ]
    assert _dump(db_path)["pupils"] == []
    assert main(args) == 0
    one = write_file("one.csv", csv_text(["UPN", "Year Group"], [[U2, "R"]]))
    partial = ["import", "pupils", str(one), "--school", "Oak", "--db", str(db_path)]
    capsys.readouterr()
    assert main([*partial, "--partial"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "one.csv: imported pupils into Oak: 0 new, 0 updated, 1 unchanged"
    ]
    assert main(partial) == 0
    assert capsys.readouterr().out.splitlines() == [
        "one.csv: imported pupils into Oak: 0 new, 0 updated, 1 unchanged, "
        "1 no longer on roll, marked as left"
    ]


def test_import_refuses_a_roll_that_would_mark_most_pupils_as_left_unless_allowed(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    upns = [make_upn(serial, estab="4000") for serial in range(12)]
    whole = write_file("whole.csv", csv_text(["UPN", "Year Group"], [[u, "3"] for u in upns]))
    assert main(["import", "pupils", str(whole), "--school", "Oak", "--db", str(db_path)]) == 0
    one = write_file("one.csv", csv_text(["UPN", "Year Group"], [[upns[0], "3"]]))
    args = ["import", "pupils", str(one), "--school", "Oak", "--db", str(db_path)]
    capsys.readouterr()
    assert main(args) == 1
    assert capsys.readouterr().err.splitlines() == [
        "one.csv: refused, nothing was imported",
        "  file: this file lists 1 pupil, but 11 of the 12 on roll are missing from it and "
        "would be marked as left: if it is only part of the roll, import it as a partial roll "
        "(--partial); if they really have left, use --allow-many-leavers",
    ]
    assert all(row[11] is None for row in _dump(db_path)["pupils"])  # on_roll_to
    assert main([*args, "--allow-many-leavers"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "one.csv: imported pupils into Oak: 0 new, 0 updated, 1 unchanged, "
        "11 no longer on roll, marked as left"
    ]


def test_check_prints_the_schema_version(
    db_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "pupils", str(write_file("roll.csv", ROLL)), "--school", "Oak",
          "--db", str(db_path)])  # fmt: skip
    capsys.readouterr()
    code = main(["check", "--db", str(db_path)])
    out, err = capsys.readouterr()
    db = open_database(db_path)
    version = schema_version(db)
    db.close()
    assert code == 0
    assert err == ""
    assert out.splitlines() == [
        f"database: {db_path}",
        f"schema version: {version}",
        "schema: complete",
        "pending migrations: none",
        "integrity: ok",
        "foreign keys: ok",
    ]
    assert re.fullmatch(r"\d{4}_[a-z_]+", version)


def _other_program_file(path: Path) -> bytes:
    """A SQLite file of another program (as `sqlite3 other.db "create table notes(a)"`)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (a)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_check_a_sqlite_file_of_another_program_changes_nothing_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.db"
    before = _other_program_file(path)
    assert main(["check", "--db", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"database: {path}", "schema version: none"]
    assert err.splitlines() == [
        f"{path} is not a sencoplan database: it already holds other tables (notes)"
    ]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_import_into_a_sqlite_file_of_another_program_is_refused(
    tmp_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.db"
    before = _other_program_file(path)
    roll = write_file("roll.csv", ROLL)
    assert main(["import", "pupils", str(roll), "--school", "Oak", "--db", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{path} is not a sencoplan database: it already holds other tables"
    ]
    assert path.read_bytes() == before


def test_check_an_empty_file_creates_nothing_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert main(["check", "--db", str(path)]) == 1
    out, err = capsys.readouterr()
    pending = ", ".join(migration.name for migration in MIGRATIONS._migrations)
    assert out.splitlines() == [
        f"database: {path}",
        "schema version: none",
        f"pending migrations: {pending} (applied when sencoplan next opens the file)",
        "integrity: ok",
        "foreign keys: ok",
    ]
    assert err.splitlines() == [
        f"{path} is not a sencoplan database yet: it is empty "
        "(sencoplan sets it up when it first opens it)"
    ]
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_check_reports_pending_migrations_without_applying_them(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, *later = [migration.name for migration in MIGRATIONS._migrations]
    old = Database(db_path)
    MIGRATIONS.apply(old, stop_before=later[0])
    old.close()
    assert main(["check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"database: {db_path}",
        f"schema version: {first}",
        "schema: complete",
        f"pending migrations: {', '.join(later)} (applied when sencoplan next opens the file)",
        "integrity: ok",
        "foreign keys: ok",
    ]
    old = Database(db_path)
    assert [migration.name for migration in MIGRATIONS.pending(old)] == later
    old.close()


def test_check_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.db"
    assert main(["check", "--db", str(path)]) == 2
    assert capsys.readouterr().err.strip() == f"{path} does not exist: give the database with --db"
    assert not path.exists()


def test_check_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database at all " * 200)
    assert main(["check", "--db", str(path)]) == 1
    assert "is not a sencoplan database" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["demo"], ["import"], ["check"]])
def test_help_for_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*command, "--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: sencoplan{' ' + command[0] if command else ''}")


def test_demo_help_names_its_own_default_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--db PATH the file to build (default: demo.db in your data folder; " in help_text
    assert "$SENCOPLAN_DB is not used" in help_text
    assert "else sencoplan.db" not in help_text


def test_demo_without_db_builds_demo_db_in_the_data_folder_not_sencoplan_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store_db, "_data_folder", lambda: tmp_path / "data")
    mine = tmp_path / "mine.db"
    monkeypatch.setenv("SENCOPLAN_DB", str(mine))
    demo = tmp_path / "data" / "demo.db"
    demo.parent.mkdir()
    demo.write_bytes(b"an old demo")
    assert main(["demo", "--no-tui"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{demo} already exists: use --force to replace it, or --db for another file"
    )
    assert not mine.exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == "sencoplan 0.1.0"


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["import", "parents", "file.csv"],
        ["import", "pupils"],
        ["check", "--nonsense"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage: sencoplan" in capsys.readouterr().err


def test_demo_refuses_an_existing_file_without_force(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path.write_bytes(b"precious")
    assert main(["demo", "--no-tui", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"{db_path} already exists: use --force to replace it, or --db for another file"
    )
    assert db_path.read_bytes() == b"precious"


@pytest.mark.skipif(
    not (SAMPLE_DIR / "schools.csv").exists(), reason="sample_data/ is not written yet"
)
def test_demo_builds_the_sample_trust(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-tui", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"demo database: {db_path}"
    db = open_database(db_path)
    try:
        schools = list_schools(db)
        assert len(schools) >= 1
        for school in schools:
            pupils = db.execute(
                "SELECT COUNT(*) FROM pupils WHERE school_id = ?", (school.id,)
            ).fetchone()[0]
            assert pupils > 0, school.name
        assert db.execute("SELECT COUNT(*) FROM modules").fetchone()[0] > 0
    finally:
        db.close()
    # Run again: refused without --force, rebuilt with it.
    assert main(["demo", "--no-tui", "--db", str(db_path)]) == 2
    capsys.readouterr()
    assert main(["demo", "--no-tui", "--force", "--db", str(db_path)]) == 0
    assert main(["check", "--db", str(db_path)]) == 0


def test_opening_another_programs_database_is_refused_before_the_app_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (a)")
    connection.commit()
    connection.close()
    before = other.read_bytes()
    assert main(["--db", str(other)]) == 1
    assert "is not a sencoplan database" in capsys.readouterr().err
    assert other.read_bytes() == before
