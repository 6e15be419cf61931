"""The files a command names: a mistake in the command is a usage error (exit 2) found
before any work, and `demo --force` replaces a file only as carefully as a restore does.
"""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from contextlib import nullcontext
from pathlib import Path

import pytest
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.io import sample
from sencoplan.io.errors import ImportRejected
from sencoplan.store.backup import restore_hint
from sencoplan.store.db import open_database, write_transaction
from sencoplan.store.schools import list_schools
from tests.core_helpers import snapshot


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


def _own_file(path: Path) -> Path:
    """A user's own database: one school the sample trust does not have."""
    db = open_database(path)
    with write_transaction(db):
        db.execute("INSERT INTO schools (name) VALUES ('Our Own Primary')")
    db.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(path)
    try:
        return snapshot(db)
    finally:
        db.close()


def _school_names(path: Path) -> list[str]:
    db = open_database(path)
    try:
        return [school.name for school in list_schools(db)]
    finally:
        db.close()


def test_demo_force_keeps_the_file_it_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _own_file(tmp_path / "mine.db")
    before = _contents(path)
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    kept = list((tmp_path / "backups").glob("mine-replaced-by-demo-*.db"))
    assert len(kept) == 1
    assert f"the file it replaced is kept as {kept[0]}" in out
    assert _contents(kept[0]) == before
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert "Our Own Primary" not in _school_names(path)
    assert "Our Own Primary" in _school_names(kept[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_demo_force_refuses_another_programs_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "accounts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (amount)")
    before = _digest(path)
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "not a sencoplan database" in err
    assert "imported" not in out  # refused before the build, not after it
    assert _digest(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_demo_force_changes_nothing_when_the_sample_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(db: Database, on_import: object = None) -> None:
        with write_transaction(db):
            db.execute("INSERT INTO schools (name) VALUES ('Half Built')")
        raise ImportRejected("pupils.csv", [])

    monkeypatch.setattr(sample, "load_sample", refused)
    path = _own_file(tmp_path / "mine.db")
    before = _digest(path)
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 1
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.db"]


@pytest.mark.parametrize(
    "argv, says",
    [
        (["backup", "{db}"], "is the database itself"),
        (["backup", "{tmp}/missing/copy.db"], "missing is not a folder"),
        (["restore", "{tmp}/missing.db"], "missing.db does not exist"),
        (["export", "priorities", "-o", "{tmp}/missing/report.md"], "is not a folder"),
        (["export", "gaps", "-o", "{tmp}"], "is a folder: give a file name, e.g. {tmp}/gaps.csv"),
        (["export", "priorities", "-o", "{db}"], "is the database itself"),
        (["export", "gaps", "-o", "{tmp}/./mine.db"], "is the database itself"),
        (["export", "succession", "-o", "{tmp}/copy.db"], "copy.db is a database"),
        (["export", "priorities", "-o", "{db}-wal"], "mine.db-wal is the database itself"),
        (["export", "gaps", "-o", "{db}-shm"], "mine.db-shm is the database itself"),
        (["backup", "{db}-wal"], "mine.db-wal is the database itself"),
        (["check", "--db", "{tmp}"], "is a folder: give the database file with --db"),
        (["demo", "--force", "--no-tui", "--db", "{tmp}"], "is a folder: give the database"),
        (["priorities", "--db", "{tmp}/"], "is a folder: give the database file with --db"),
        (["backup", "{tmp}/missing/"], "missing/ is not a folder: create it first"),
        (["backup", "-"], "a backup is a file: give its name"),
        (["restore", "{tmp}"], "is a folder: give the backup file in it"),
        (["import", "pupils", "{tmp}"], "is a folder: give the CSV or XLSX file in it"),
        (["import", "pupils", "{tmp}/roll.csv"], "roll.csv does not exist"),
    ],
)
def test_a_file_named_wrongly_is_a_usage_error_and_nothing_is_written(
    tmp_path: Path, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _own_file(tmp_path / "mine.db")
    _own_file(tmp_path / "copy.db")
    before = {p.name: _digest(p) for p in tmp_path.iterdir() if p.is_file()}
    filled = [part.format(db=path, tmp=tmp_path) for part in argv]
    if "--db" not in filled:
        filled += ["--db", str(path)]
    with pytest.raises(SystemExit) if argv[-1] in ("{tmp}/missing/", "-") else nullcontext():
        assert main(filled) == 2
    assert says.format(tmp=tmp_path) in capsys.readouterr().err
    assert {p.name: _digest(p) for p in tmp_path.iterdir() if p.is_file()} == before


def test_check_of_a_missing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(tmp_path / "nothere.db")]) == 2
    assert "nothere.db does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nothere.db").exists()


def test_check_of_a_corrupt_file_says_how_to_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _own_file(tmp_path / "mine.db")
    assert main(["backup", str(tmp_path / "kept.db"), "--db", str(path)]) == 0
    with open(path, "r+b") as damaged:
        damaged.seek(100)
        damaged.write(b"\xff" * 3000)  # the schema page
    capsys.readouterr()
    assert main(["check", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "restore a backup with `sencoplan restore BACKUP`" in err
    assert err.count("sencoplan restore") == 1
    assert "Traceback" not in err


def test_sencoplan_db_naming_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path))
    for command in (["check"], ["priorities"], ["backup", str(tmp_path / "b.db")]):
        assert main(command) == 2, command
        assert f"{tmp_path} is a folder" in capsys.readouterr().err


def test_the_restore_advice_names_only_this_databases_own_backups(tmp_path: Path) -> None:
    path = tmp_path / "school.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "school-old-before-0009_priority_cache-20261201T000000Z.db").write_bytes(b"")
    assert restore_hint(path) == "restore a backup with `sencoplan restore BACKUP`"
    (folder / "school-replaced-by-restore-20261201T000000Z.db").write_bytes(b"")
    assert restore_hint(path).endswith(f"(its automatic backups are in {folder})")


def test_output_dash_is_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _own_file(tmp_path / "mine.db")
    monkeypatch.chdir(tmp_path)
    assert main(["export", "priorities", "-o", "-", "--db", str(path)]) == 0
    assert capsys.readouterr().out.startswith("# SEND training priorities")
    assert not (tmp_path / "-").exists()


def test_a_page_damaged_past_the_opening_checks_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening reads the schema only: a damaged data page is found part way through."""
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    size = path.stat().st_size
    with open(path, "r+b") as damaged:
        for offset in range(size // 4, 3 * size // 4, 16384):  # pages all through the data
            damaged.seek(offset)
            damaged.write(b"\xff" * 4096)
    capsys.readouterr()
    codes = []
    for command in (["priorities"], ["export", "gaps"], ["workload", "--school", "Oak"]):
        codes.append(main([*command, "--db", str(path)]))  # a traceback fails the test
        err = capsys.readouterr().err
        if codes[-1]:  # a command that never reads the damaged page succeeds
            assert codes[-1] == 1, command
            assert "database disk image is malformed" in err
            assert "restore a backup with `sencoplan restore BACKUP`" in err
    assert 1 in codes


def test_a_database_error_that_is_not_damage_gives_no_restore_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk is not a damaged file: restoring would replace a healthy database."""

    def full(args: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    path = _own_file(tmp_path / "mine.db")
    monkeypatch.setattr("sencoplan.cli.priorities.run", full)
    assert main(["priorities", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "database or disk is full" in err and "nothing was changed" in err
    assert "restore" not in err


def test_the_file_demo_force_replaced_outlives_later_automatic_backups(tmp_path: Path) -> None:
    """It may be the only copy of a real roll: the keep-the-last-few pruning leaves it."""
    from sencoplan.store.backup import KEEP_AUTOMATIC, automatic_backup

    path = _own_file(tmp_path / "mine.db")
    assert main(["demo", "--force", "--no-tui", "--db", str(path)]) == 0
    (kept,) = (tmp_path / "backups").glob("mine-replaced-by-demo-*.db")
    db = open_database(path)
    for n in range(KEEP_AUTOMATIC + 2):
        automatic_backup(db, path, f"import{n}")
    db.close()
    assert kept.exists()
    assert len(list((tmp_path / "backups").glob("mine-before-*.db"))) == KEEP_AUTOMATIC


def _garble_the_schema(path: Path) -> None:
    """Bytes that are not UTF-8 in a table's CREATE statement, as a damaged page might."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = CAST(X'435245415445205441424cc5' AS TEXT) "
        "|| substr(sql, 13) WHERE name = 'succession_roles'"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "command",
    [["check"], ["priorities"], ["export", "priorities"], ["backup", "{out}"], ["import"]],
)
def test_a_schema_with_bytes_that_are_not_text_is_damage_never_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """The command meant to diagnose damage is the last that may fail on it."""
    path = _own_file(tmp_path / "mine.db")
    _garble_the_schema(path)
    roll = tmp_path / "roll.csv"
    roll.write_text("UPN,Year\n", encoding="utf-8")
    words = [word.replace("{out}", str(tmp_path / "copy.db")) for word in command]
    if words == ["import"]:
        words = ["import", "pupils", str(roll), "--school", "Oak"]
    assert main([*words, "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "database disk image is malformed" in err
    assert "schema holds bytes that are not text" in err
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("command", ["import", "demo"])
def test_a_read_only_folder_is_said_not_a_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    """import and demo into a folder that cannot be written (read-only media): a sentence
    saying so, exit 1, nothing written."""
    import errno
    import os

    folder = tmp_path / "usb"
    folder.mkdir()
    real_open = os.open

    def read_only(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).startswith(str(folder)) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    roll = tmp_path / "roll.csv"
    roll.write_text("UPN,Year\n", encoding="utf-8")
    argv = (
        ["import", "pupils", str(roll), "--school", "Oak"]
        if command == "import"
        else ["demo", "--no-tui"]
    )
    assert main([*argv, "--db", str(folder / "school.db")]) == 1
    err = capsys.readouterr().err
    assert "Read-only file system" in err and "nothing was written" in err
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["priorities"],
        ["priorities", "--format", "json"],
        ["export", "priorities"],
        ["export", "succession"],
        ["workload", "--school", "Our Own Primary"],
    ],
)
def test_read_commands_work_on_a_file_that_cannot_be_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """A file on read-only media (or shared read-only) is read as it is: nothing is written,
    not even the -wal and -shm files SQLite keeps beside a file it may write."""
    from sencoplan.store import db as store_db

    path = _own_file(tmp_path / "mine.db")
    if command[0] == "workload":
        assert main(["import", "terms", str(_terms(tmp_path)), "--db", str(path)]) == 0
    before = _digest(path)
    capsys.readouterr()
    monkeypatch.setattr(store_db, "can_write", lambda path: False)
    assert main([*command, "--db", str(path)]) == 0, capsys.readouterr().err
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mine.db")) == ["mine.db"]


def _terms(folder: Path) -> Path:
    terms = folder / "terms.csv"
    terms.write_text("Term,Start,End\nAutumn 2026,01/09/2026,18/12/2026\n", encoding="utf-8")
    return terms
