"""Backups and restore, on real files: consistent, checked, private, and never a loss.

`sencoplan backup DEST` keeps a copy only if it passes its checks; `sencoplan restore SRC`
refuses a damaged, foreign or newer file and leaves the database as it was, and keeps the
database it replaces.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.store import backup as store_backup
from sencoplan.store.backup import BackupError, backup_file, restore_file
from sencoplan.store.db import connect, open_database, write_transaction
from sencoplan.store.migrations import MIGRATIONS
from tests.core_helpers import snapshot

SECOND = MIGRATIONS._migrations[1].name


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


def _fill(path: Path, school: str = "Oakfield Primary", pupils: int = 3) -> None:
    db = open_database(path)
    try:
        with write_transaction(db):
            db.execute("INSERT INTO schools (name) VALUES (?)", (school,))
            school_id = db.execute("SELECT max(id) FROM schools").fetchone()[0]
            db.execute(
                "INSERT INTO staff (school_id, name, role) VALUES (?, 'Ada Shah', 'senco')",
                (school_id,),
            )
            staff_id = db.execute("SELECT max(id) FROM staff").fetchone()[0]
            for n in range(pupils):
                db.execute(
                    "INSERT INTO pupils (school_id, year_group, tier, primary_need, "
                    "display_name) VALUES (?, '5', 'targeted', 'ASD', ?)",
                    (school_id, f"Pupil {n}"),
                )
                pupil_id = db.execute("SELECT max(id) FROM pupils").fetchone()[0]
                db.execute(
                    "INSERT INTO supports (school_id, staff_id, pupil_id) VALUES (?, ?, ?)",
                    (school_id, staff_id, pupil_id),
                )
    finally:
        db.close()


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row, read without changing the file."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        from sqlite_utils import Database

        return snapshot(Database(conn))
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "sencoplan.db"
    _fill(path)
    return path


# backup


def test_backup_is_a_checked_private_copy(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "copy.db"
    assert main(["backup", str(dest), "--db", str(db_path)]) == 0
    assert f"backed up {db_path} to {dest}" in capsys.readouterr().out
    assert _mode(dest) == 0o600
    assert _dump(dest) == _dump(db_path)
    assert _dump(dest)["pupils"]  # not two empty files
    with sqlite3.connect(dest) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    assert not Path(f"{dest}-wal").exists()
    assert _leftovers(tmp_path) == []


def test_backup_into_a_folder_names_it_after_the_database_and_the_time(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    first = backup_file(db_path, folder)
    second = backup_file(db_path, folder)
    assert first.parent == folder and second.parent == folder and first != second
    assert first.name.startswith("sencoplan-") and first.name.endswith("Z.db")
    assert _mode(first) == 0o600
    assert _dump(second) == _dump(db_path)


def test_backup_refuses_to_replace_a_file_without_force(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"someone's notes")
    assert main(["backup", str(dest), "--db", str(db_path)]) == 2
    assert "already exists: use --force" in capsys.readouterr().err
    assert dest.read_bytes() == b"someone's notes"
    assert main(["backup", str(dest), "--force", "--db", str(db_path)]) == 0
    assert _dump(dest) == _dump(db_path)
    assert _mode(dest) == 0o600


def test_backup_does_not_change_the_database(db_path: Path, tmp_path: Path) -> None:
    before = _digest(db_path)
    backup_file(db_path, tmp_path / "copy.db")
    assert _digest(db_path) == before


def test_a_backup_that_fails_its_checks_is_not_kept(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db_path) as broken:  # foreign keys off: a support for no one
        broken.execute("INSERT INTO supports (school_id, staff_id, pupil_id) VALUES (1, 99, 1)")
    dest = tmp_path / "copy.db"
    assert main(["backup", str(dest), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "no backup" in err and "foreign key problem: supports" in err
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100], ids=["empty", "text"])
def test_backup_of_something_that_is_not_a_sencoplan_database_is_refused(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "other.db"
    source.write_bytes(content)
    dest = tmp_path / "copy.db"
    assert main(["backup", str(dest), "--db", str(source)]) == 1
    assert "no backup" in capsys.readouterr().err
    assert not dest.exists()
    assert source.read_bytes() == content
    assert _leftovers(tmp_path) == []


def test_backup_of_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(missing)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()


BATCH = 400


def test_a_backup_while_another_connection_writes_is_consistent(
    db_path: Path, tmp_path: Path
) -> None:
    """A writer commits batches of pupils, each batch in one transaction; every backup taken
    meanwhile holds whole batches only, and passes its checks."""
    stop, committed = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        db = connect(db_path)
        try:
            batch = 0
            while not stop.is_set():
                with write_transaction(db):
                    db.conn.executemany(
                        "INSERT INTO pupils (school_id, year_group, reg_group) VALUES (1, '7', ?)",
                        [(f"batch {batch}",)] * BATCH,
                    )
                batch += 1
                committed.set()
        except BaseException as error:  # surfaced by the test, not lost in the thread
            failures.append(error)
            committed.set()
        finally:
            db.close()

    writer = threading.Thread(target=write)
    writer.start()
    sizes: list[int] = []
    try:
        for n in range(6):
            assert committed.wait(timeout=60)
            committed.clear()
            dest = backup_file(db_path, tmp_path / f"backup-{n}.db")
            with sqlite3.connect(dest) as copy:
                batches = copy.execute(
                    "SELECT reg_group, COUNT(*) FROM pupils WHERE reg_group IS NOT NULL "
                    "GROUP BY reg_group"
                ).fetchall()
                assert batches, "the backup was taken after at least one batch"
                assert {count for _, count in batches} == {BATCH}
                numbers = sorted(int(name.split()[1]) for name, _ in batches)
                assert numbers == list(range(len(numbers)))  # no batch missing in between
                assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
            sizes.append(len(batches))
    finally:
        stop.set()
        writer.join(timeout=60)
    assert failures == []
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]  # the file grew between backups


# restore


def test_restore_replaces_the_database_and_keeps_the_old_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current, saved = tmp_path / "sencoplan.db", tmp_path / "saved.db"
    _fill(saved, "Riverside Academy", pupils=5)
    _fill(current, "Oakfield Primary", pupils=2)
    wanted, old = _dump(saved), _dump(current)

    assert main(["restore", str(saved), "--db", str(current)]) == 0
    out = capsys.readouterr().out
    assert f"restored {saved} to {current}" in out

    assert _dump(current) == wanted
    assert _mode(current) == 0o600
    kept = list((tmp_path / "backups").glob("sencoplan-replaced-by-restore-*.db"))
    assert len(kept) == 1 and f"kept as {kept[0]}" in out
    assert _dump(kept[0]) == old
    assert _mode(kept[0]) == 0o600
    assert _mode(tmp_path / "backups") == 0o700
    assert not Path(f"{current}-wal").exists() and not Path(f"{current}-shm").exists()
    assert _leftovers(tmp_path) == []
    db = open_database(current)  # the app opens it as usual
    try:
        assert [row[0] for row in db.execute("SELECT name FROM schools")] == ["Riverside Academy"]
    finally:
        db.close()


@pytest.mark.parametrize(
    "damage",
    [
        "random bytes",
        "truncated",
        "overwritten pages",
        "index out of step",
        "other tables",
        "empty",
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    current, bad = tmp_path / "sencoplan.db", tmp_path / "bad.db"
    _fill(current)
    _fill(bad, pupils=200)
    if damage == "random bytes":
        bad.write_bytes(bytes(range(256)) * 64)
    elif damage == "truncated":
        data = bad.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "overwritten pages":
        pages = bytearray(bad.read_bytes())
        pages[4096 * 2 : 4096 * 4] = b"\xff" * 8192
        bad.write_bytes(bytes(pages))
    elif damage == "index out of step":
        # Reads still work and a VACUUM INTO copy would rebuild the index and pass: only
        # checking the file itself finds it.
        with sqlite3.connect(bad) as db:
            db.execute("PRAGMA writable_schema = ON")
            db.execute(
                "UPDATE sqlite_master SET sql = 'CREATE INDEX pupils_school_need ON "
                "pupils(school_id, secondary_need, tier)' WHERE name = 'pupils_school_need'"
            )
    elif damage == "other tables":
        bad.unlink()
        with sqlite3.connect(bad) as other:
            other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    else:
        bad.write_bytes(b"")
    before, rows = _digest(current), _dump(current)

    assert main(["restore", str(bad), "--db", str(current)]) == 1
    assert f"{bad} was not restored" in capsys.readouterr().err
    assert _digest(current) == before
    assert _dump(current) == rows
    assert not (tmp_path / "backups").exists()
    assert _leftovers(tmp_path) == []


def test_restore_refuses_a_file_from_a_newer_sencoplan(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "newer.db"
    _fill(newer)
    with sqlite3.connect(newer) as db:
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('sencoplan', '9999_from_the_future', '2099-01-01')"
        )
    before = _digest(db_path)
    assert main(["restore", str(newer), "--db", str(db_path)]) == 1
    assert "newer sencoplan (schema 9999_from_the_future)" in capsys.readouterr().err
    assert _digest(db_path) == before


def test_restore_refuses_while_the_database_is_open(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_backup, "BUSY_TIMEOUT_MS", 200)
    saved = tmp_path / "saved.db"
    _fill(saved, "Riverside Academy")
    app = connect(db_path)  # as the app holds it: write-ahead log, a read done
    try:
        app.execute("SELECT COUNT(*) FROM pupils").fetchone()
        rows = _dump(db_path)
        with pytest.raises(BackupError, match="close it and try again"):
            restore_file(saved, db_path)
        assert app.execute("SELECT name FROM schools").fetchall() == [("Oakfield Primary",)]
    finally:
        app.close()
    assert _dump(db_path) == rows


def test_restore_keeps_what_was_only_in_the_write_ahead_log(tmp_path: Path) -> None:
    """A database left with committed rows still in its -wal (the app was killed): the copy
    kept before the restore holds them, and the old -wal is not replayed into the new file."""
    current, saved = tmp_path / "sencoplan.db", tmp_path / "saved.db"
    _fill(saved, "Riverside Academy")
    _fill(tmp_path / "source.db", "Oakfield Primary")
    writer = connect(tmp_path / "source.db")
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        with write_transaction(writer):
            writer.execute("INSERT INTO schools (name) VALUES ('Only In The Log')")
        # A copy of the file as a killed app leaves it: the database and its -wal.
        shutil.copyfile(tmp_path / "source.db", current)
        shutil.copyfile(tmp_path / "source.db-wal", Path(f"{current}-wal"))
    finally:
        writer.close()
    assert Path(f"{current}-wal").stat().st_size > 0

    result = restore_file(saved, current)
    assert result.previous is not None
    old_names = {row[1] for row in _dump(result.previous)["schools"]}
    assert old_names == {"Oakfield Primary", "Only In The Log"}
    assert not Path(f"{current}-wal").exists()
    assert {row[1] for row in _dump(current)["schools"]} == {"Riverside Academy"}
    with sqlite3.connect(current) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_of_an_older_schema_is_migrated_when_next_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current, old = tmp_path / "sencoplan.db", tmp_path / "old.db"
    _fill(current)
    first = connect(old)
    try:
        MIGRATIONS.apply(first, stop_before=SECOND)
        first.execute("INSERT INTO schools (name) VALUES ('Old School')")
        first.conn.commit()
    finally:
        first.close()
    assert main(["restore", str(old), "--db", str(current)]) == 0
    assert f"pending migrations: {SECOND}" in capsys.readouterr().out
    db = open_database(current)
    try:
        assert db.execute("SELECT name FROM schools").fetchall() == [("Old School",)]
        assert MIGRATIONS.pending(db) == []
    finally:
        db.close()
    assert list((tmp_path / "backups").glob(f"sencoplan-before-{SECOND}-*.db"))


def test_restore_to_a_new_place(tmp_path: Path) -> None:
    saved, target = tmp_path / "saved.db", tmp_path / "new" / "sencoplan.db"
    _fill(saved)
    result = restore_file(saved, target)
    assert result.previous is None
    assert _dump(target) == _dump(saved)
    assert _mode(target) == 0o600


def test_restore_of_a_missing_file(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(db_path)
    assert main(["restore", str(db_path.parent / "nope.db"), "--db", str(db_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert _digest(db_path) == before


def test_backup_over_the_database_itself_is_refused(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(db_path)
    assert main(["backup", str(db_path), "--force", "--db", str(db_path)]) == 2
    assert "is the database itself" in capsys.readouterr().err
    assert _digest(db_path) == before


def _leftover(folder: Path, name: str, *, hours_old: float) -> Path:
    path = folder / f".{name}.0badc0de.tmp"
    path.write_bytes(b"SQLite format 3\x00 half a copy of the roll")
    stamp = time.time() - hours_old * 3600
    os.utime(path, (stamp, stamp))
    return path


def test_a_killed_backups_leftover_copy_is_cleared_by_the_next_one(
    db_path: Path, tmp_path: Path
) -> None:
    """A backup killed mid-copy leaves a hidden temporary file holding pupils' data: the
    next backup to the same place deletes it once it is clearly abandoned (an hour old)."""
    folder = tmp_path / "copies"
    folder.mkdir()
    abandoned = _leftover(folder, "sencoplan-20261101T090000Z.db", hours_old=3)
    named = _leftover(folder, "named.db", hours_old=3)
    recent = _leftover(folder, "sencoplan-20261205T090000Z.db", hours_old=0)
    someone_elses = _leftover(folder, "notes.txt", hours_old=3)
    backup_file(db_path, folder)
    assert not abandoned.exists()
    assert named.exists()  # another destination's: cleared by a backup to it
    assert recent.exists()  # it may be a backup still running
    assert someone_elses.exists()
    backup_file(db_path, folder / "named.db")
    assert not named.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_backup_never_replaces_a_pipe_or_socket_even_with_force(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--force` replaces a file; a named pipe or a socket is not one (nor is a device:
    renaming a copy over /dev/null would replace the device)."""
    import socket

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for special in (pipe, sock_path):
            assert main(["backup", str(special), "--force", "--db", str(db_path)]) == 2
            err = capsys.readouterr().err
            assert f"{special} is not a regular file (a device, pipe or socket)" in err
        assert stat.S_ISFIFO(pipe.stat().st_mode) and stat.S_ISSOCK(sock_path.stat().st_mode)
    finally:
        server.close()
    database = {db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"}
    assert {path.name for path in tmp_path.iterdir()} <= database | {"pipe", "sock"}


def test_encrypt_and_decrypt_hold_their_destination_to_the_same_rules(
    db_path: Path, tmp_path: Path
) -> None:
    from sencoplan.store.backup import WrongPath, new_file_destination

    with pytest.raises(WrongPath, match="is not a regular file"):
        new_file_destination(Path("/dev/null"), db_path, force=True)
    with pytest.raises(WrongPath, match="is the database itself"):
        new_file_destination(db_path, db_path, force=True)
    with pytest.raises(FileExistsError, match="use --force"):
        new_file_destination(db_path.parent / db_path.name, tmp_path / "other.db", force=False)
    new_file_destination(tmp_path / "new.db", db_path, force=False)  # a new file: fine


def test_a_backup_with_a_planted_trigger_is_refused_and_check_names_it(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trigger in a backup passed restore and check, and the next import deleted every
    member of staff: what sencoplan did not make is refused like what is missing."""
    planted = tmp_path / "planted.db"
    assert main(["backup", str(planted), "--db", str(db_path)]) == 0
    with sqlite3.connect(planted) as conn:
        conn.execute("CREATE TRIGGER wipe AFTER INSERT ON pupils BEGIN DELETE FROM staff; END")
    conn.close()
    capsys.readouterr()
    before = _dump(db_path)
    assert main(["restore", str(planted), "--db", str(db_path)]) == 1
    assert "it holds a trigger sencoplan did not make: wipe" in capsys.readouterr().err
    assert _dump(db_path) == before
    assert main(["check", "--db", str(planted)]) == 1
    captured = capsys.readouterr()
    assert "schema: damaged" in captured.out
    assert "it holds a trigger sencoplan did not make: wipe" in captured.err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_restore_through_a_link_replaces_the_file_it_points_to(
    db_path: Path, tmp_path: Path
) -> None:
    """The link stays a link; the real file (perhaps on an encrypted volume) is restored,
    and the file it replaced is kept beside it, not beside the link."""
    volume = tmp_path / "volume"
    volume.mkdir()
    real = volume / "school.db"
    shutil.copyfile(db_path, real)
    link = tmp_path / "link.db"
    link.symlink_to(real)
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy), "--db", str(db_path)]) == 0
    with sqlite3.connect(real) as conn:
        conn.execute("DELETE FROM staff")
    conn.close()
    assert main(["restore", str(copy), "--db", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert _dump(real) == _dump(db_path)
    assert list((volume / "backups").glob("school-replaced-by-restore-*.db"))
    assert not (tmp_path / "backups").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_database_reached_by_a_link_is_used_through_it(db_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    assert main(["check", "--db", str(link)]) == 0
    assert main(["backup", str(tmp_path / "via-link.db"), "--db", str(link)]) == 0
    assert _dump(tmp_path / "via-link.db") == _dump(db_path)
