"""Two at once: the app and a command-line import (or two app windows) on one file.

Each test runs real processes on a real file, through the store's own save functions: a
person must never see "database is locked" because someone else was writing for a moment,
and no save may be lost. A writer kept waiting longer than the busy timeout gets a clear
message instead of a traceback. Every person and pupil here is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import pytest

from sencoplan.cli import main
from sencoplan.domain.calendar import Term
from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    Module,
    ModuleLeader,
    School,
    StaffMember,
    SuccessionRole,
    TrainingRecord,
)
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.staff_codes import Role
from sencoplan.domain.succession_codes import SuccessionRoleKind
from sencoplan.store import db as store_db
from sencoplan.store.catalogue import get_module, save_module
from sencoplan.store.db import StoreError, connect, open_database, write_transaction
from sencoplan.store.errors import friendly_error
from sencoplan.store.schools import save_school
from sencoplan.store.sessions import get_session, save_session
from sencoplan.store.staff import list_staff, save_staff
from sencoplan.store.succession import (
    delete_action,
    list_actions,
    list_candidates,
    save_action,
    save_candidate,
    save_leader,
    save_role,
)
from sencoplan.store.terms import save_term
from sencoplan.store.training import list_training, save_training
from tests.core_helpers import make_upn

FORK = multiprocessing.get_context("fork")
"""Forked workers start at once (sencoplan is already loaded); no connection is open in
this process when they fork (SQLite's rule)."""
SCHOOL = "Heron Lane Primary"
DAY = dt.date(2026, 11, 23)
ROLL_SIZE = 5000
"""The roll imported while the app saves: its write lock lasts about a second here."""


@dataclass(frozen=True)
class Shared:
    """A file two processes work on, and the records they both refer to."""

    path: Path
    school_id: int
    module_ids: tuple[int, int]
    staff_ids: tuple[int, ...]
    role_id: int
    session_id: int


@pytest.fixture
def shared(tmp_path: Path) -> Shared:
    """A school with staff, two modules, a SENCO role and a session; the file closed again
    (no connection may be open here when the workers fork)."""
    path = tmp_path / "shared.db"
    db = open_database(path)
    try:
        school = save_school(db, School(name=SCHOOL))
        assert school.id is not None
        staff = [
            save_staff(db, StaffMember(school_id=school.id, name=f"Teacher {n}", role=Role.TEACHER))
            for n in range(8)
        ]
        modules = [
            save_module(db, Module(code=code, title=title, needs=(need,), hours=1.5))
            for code, title, need in (
                ("AUT-1", "Autism: a calm classroom", NeedType.ASD),
                ("SLC-1", "Speech and language basics", NeedType.SLCN),
            )
        ]
        role = save_role(
            db, SuccessionRole(school_id=school.id, kind=SuccessionRoleKind.SENCO, title="SENCO")
        )
        term = save_term(
            db,
            Term(
                school_id=school.id,
                name="Spring",
                start=dt.date(2027, 1, 5),
                end=dt.date(2027, 3, 26),
            ),
        )
        assert term.id is not None and role.id is not None
        session = save_session(
            db,
            CpdSession(
                term_id=term.id,
                school_id=school.id,
                day=dt.date(2027, 1, 12),
                start=dt.time(15, 45),
                minutes=60,
                title="Twilight: autism",
            ),
        )
        assert session.id is not None
        return Shared(
            path=path,
            school_id=school.id,
            module_ids=(int(modules[0].id or 0), int(modules[1].id or 0)),
            staff_ids=tuple(int(member.id or 0) for member in staff),
            role_id=role.id,
            session_id=session.id,
        )
    finally:
        db.close()


def _guarded(results: Any, name: str, work: Callable[..., object], args: tuple[Any, ...]) -> None:
    """A worker's body: its result, or its traceback, goes back to the test."""
    try:
        value = work(*args)
    except BaseException:
        results.put((name, False, traceback.format_exc()))
        raise SystemExit(1) from None
    results.put((name, True, value))


def run_together(jobs: dict[str, tuple[Callable[..., object], tuple[Any, ...]]]) -> dict[str, Any]:
    """Run each job in a process of its own, at the same time; every result, or fail with
    every worker's traceback."""
    results = FORK.Queue()
    processes = [
        FORK.Process(target=_guarded, args=(results, name, work, args))
        for name, (work, args) in jobs.items()
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=300) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():  # stuck: never leave it running after the test
                process.kill()
    failures = [f"{name}:\n{value}" for name, ok, value in outcomes if not ok]
    assert not failures, "\n".join(failures)
    return {name: value for name, _, value in outcomes}


def check_file(path: Path) -> None:
    """SQLite's own checks pass: nothing two writers did at once damaged the file."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


# --- two app windows saving at once ---------------------------------------------------------

PER_PROCESS = 60


def add_records(shared: Shared, who: str, start: Barrier) -> int:
    """What a busy window saves, one record at a time as the screens do: new staff, their
    training and development actions; and, for people the other window is naming too,
    module leaders and succession candidates (each a read, then a write); and an edit of
    a module the other window edits too."""
    db = connect(shared.path)
    try:
        start.wait()
        for n in range(PER_PROCESS):
            member = save_staff(
                db, StaffMember(school_id=shared.school_id, name=f"{who} {n:03d}", role=Role.TA)
            )
            assert member.id is not None
            save_training(
                db,
                TrainingRecord(
                    staff_id=member.id, module_id=shared.module_ids[n % 2], completed=DAY
                ),
            )
            action = save_action(
                db,
                DevelopmentAction(
                    school_id=shared.school_id, staff_id=member.id, action=f"Shadow {who} {n}"
                ),
            )
            if n % 3 == 0:
                assert action.id is not None
                delete_action(db, action.id)
            named = shared.staff_ids[n % len(shared.staff_ids)]
            save_leader(db, ModuleLeader(staff_id=named, module_id=shared.module_ids[n % 2]))
            save_candidate(
                db, Candidate(role_id=shared.role_id, staff_id=named, notes=f"{who} {n}")
            )
            module = get_module(db, shared.module_ids[1])
            assert module is not None  # both windows edit the same module, turn about
            save_module(db, module.model_copy(update={"title": f"Speech: {who} {n}"}))
            list_staff(db, shared.school_id)  # a screen refreshing between saves
        return PER_PROCESS
    finally:
        db.close()


def test_two_windows_saving_at_once_lose_nothing(shared: Shared) -> None:
    start = FORK.Barrier(2, timeout=120)
    run_together(
        {
            "window A": (add_records, (shared, "Window A", start)),
            "window B": (add_records, (shared, "Window B", start)),
        }
    )

    check_file(shared.path)
    db = connect(shared.path)
    try:
        names = {member.name for member in list_staff(db, shared.school_id)}
        for who in ("Window A", "Window B"):
            assert {f"{who} {n:03d}" for n in range(PER_PROCESS)} <= names
        assert len(names) == len(shared.staff_ids) + 2 * PER_PROCESS
        assert len(list_training(db, shared.school_id)) == 2 * PER_PROCESS
        kept = [n for n in range(PER_PROCESS) if n % 3]
        assert sorted(a.action for a in list_actions(db, shared.school_id)) == sorted(
            f"Shadow {who} {n}" for who in ("Window A", "Window B") for n in kept
        )
        leaders = db.execute("SELECT staff_id, module_id FROM module_leaders").fetchall()
        expected = {
            (shared.staff_ids[n % len(shared.staff_ids)], shared.module_ids[n % 2])
            for n in range(PER_PROCESS)
        }
        assert sorted(leaders) == sorted(expected)  # each once, none lost
        candidates = list_candidates(db, shared.school_id)
        assert sorted(c.staff_id for c in candidates) == sorted(shared.staff_ids)
        module = get_module(db, shared.module_ids[1])
        assert module is not None
        last = {f"Speech: {who} {PER_PROCESS - 1}" for who in ("Window A", "Window B")}
        assert module.title in last and module.needs == (NeedType.SLCN,)
    finally:
        db.close()


JOINERS = 40


def join_session(shared: Shared, staff_ids: list[int], start: Barrier) -> int:
    """Add people to one session's audience one at a time: read the session, add one, save
    it, inside one write transaction, as a screen that edits a list does."""
    db = connect(shared.path)
    try:
        start.wait()
        for staff_id in staff_ids:
            with write_transaction(db):
                session = get_session(db, shared.session_id)
                assert session is not None
                save_session(
                    db, session.model_copy(update={"audience": (*session.audience, staff_id)})
                )
        return len(staff_ids)
    finally:
        db.close()


def test_read_modify_write_from_two_processes_loses_no_update(shared: Shared) -> None:
    db = connect(shared.path)
    try:
        people = [
            save_staff(
                db, StaffMember(school_id=shared.school_id, name=f"Joiner {n}", role=Role.TA)
            )
            for n in range(2 * JOINERS)
        ]
    finally:
        db.close()
    ids = [int(member.id or 0) for member in people]
    start = FORK.Barrier(2, timeout=120)
    run_together(
        {
            "first": (join_session, (shared, ids[:JOINERS], start)),
            "second": (join_session, (shared, ids[JOINERS:], start)),
        }
    )

    check_file(shared.path)
    db = connect(shared.path)
    try:
        session = get_session(db, shared.session_id)
        assert session is not None
        assert sorted(session.audience) == sorted(ids)  # all 80, none overwritten
    finally:
        db.close()


# --- the app saving while a command-line import runs ----------------------------------------


def write_roll(path: Path) -> Path:
    """A primary school's whole roll of invented pupils, as an MIS exports it."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["UPN", "Surname", "Forename", "Year Group", "SEN Status", "Primary Need"])
        for serial in range(ROLL_SIZE):
            status, need = (("N", ""), ("K", "SLCN"), ("E", "ASD"))[serial % 3]
            upn = make_upn(serial % 1000, estab="5432", year=f"{serial // 1000:02d}")
            writer.writerow([upn, "Nguyen", f"Pupil{serial}", str(1 + serial % 6), status, need])
    return path


def import_holds_lock(watch: sqlite3.Connection) -> bool:
    """Whether another process holds the write lock (tried without waiting, let go at once)."""
    try:
        watch.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            return True
        raise
    watch.execute("ROLLBACK")
    return False


EDITS = 12


def edit_during_import(shared: Shared, ready: Event) -> dict[str, Any]:
    """The app's side: wait until the import holds the write lock, then save edits the way
    the screens do (some in the form's write transaction, some straight through the store's
    save functions) while it runs."""
    watch = sqlite3.connect(shared.path, timeout=0, isolation_level=None)
    try:
        ready.set()
        deadline = time.monotonic() + 120
        while not import_holds_lock(watch):
            assert time.monotonic() < deadline, "the import never took the write lock"
            time.sleep(0.002)
    finally:
        watch.close()
    db = connect(shared.path)
    waits: list[float] = []
    try:
        for n in range(EDITS):
            started = time.perf_counter()
            if n % 2:
                with write_transaction(db):  # as the form saves
                    save_staff(
                        db,
                        StaffMember(school_id=shared.school_id, name=f"Edited {n}", role=Role.TA),
                    )
            else:
                save_staff(
                    db, StaffMember(school_id=shared.school_id, name=f"Edited {n}", role=Role.TA)
                )
            module = get_module(db, shared.module_ids[0])
            assert module is not None
            save_module(db, module.model_copy(update={"title": f"Autism: edit {n}"}))
            waits.append(time.perf_counter() - started)
        return {"first wait": waits[0], "longest wait": max(waits)}
    finally:
        db.close()


def test_the_app_saves_while_a_long_import_runs(shared: Shared, tmp_path: Path) -> None:
    roll = write_roll(tmp_path / "roll.csv")
    ready = FORK.Event()
    results = FORK.Queue()
    app = FORK.Process(target=_guarded, args=(results, "app", edit_during_import, (shared, ready)))
    app.start()
    assert ready.wait(timeout=120)
    command = [sys.executable, "-m", "sencoplan", "import", "pupils", str(roll)]
    command += ["--school", SCHOOL, "--db", str(shared.path)]
    imported = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    _, ok, value = results.get(timeout=300)
    app.join(timeout=60)

    assert imported.returncode == 0, imported.stderr
    assert f"{ROLL_SIZE} new" in imported.stdout
    assert ok, value
    print(f"\napp's saves during the import: {value}")
    check_file(shared.path)
    db = connect(shared.path)
    try:
        count = db.execute("SELECT COUNT(*) FROM pupils WHERE school_id = ?", (shared.school_id,))
        assert count.fetchone()[0] == ROLL_SIZE
        names = {member.name for member in list_staff(db, shared.school_id)}
        assert {f"Edited {n}" for n in range(EDITS)} <= names
        module = get_module(db, shared.module_ids[0])
        assert module is not None and module.title == f"Autism: edit {EDITS - 1}"
    finally:
        db.close()


# --- a writer kept waiting too long ---------------------------------------------------------


def hold_write_lock(path: Path, held: Event, release: Event) -> None:
    """Another program in the middle of a long write: it holds the lock until told."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(timeout=120)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def test_a_writer_kept_waiting_too_long_is_told_plainly(
    shared: Shared,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    roll = tmp_path / "roll.csv"
    roll.write_text(f"UPN,Surname,Forename,Year Group\n{make_upn(1)},Ali,Sara,3\n")
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=hold_write_lock, args=(shared.path, held, release))
    holder.start()
    try:
        assert held.wait(timeout=120)
        monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 300)  # not 5 s, for the test's sake
        argv = ["import", "pupils", str(roll), "--school", SCHOOL, "--db", str(shared.path)]
        code = main(argv)
        printed = capsys.readouterr()
        db = connect(shared.path)
        try:
            with pytest.raises(StoreError) as raised:
                save_staff(db, StaffMember(school_id=shared.school_id, name="Late", role=Role.TA))
        finally:
            db.close()
    finally:
        release.set()
        holder.join(timeout=60)

    assert code == 1
    assert printed.out == ""
    message = printed.err.strip()
    assert "busy" in message and "another" in message, message
    assert "Traceback" not in message and "OperationalError" not in message
    assert friendly_error(raised.value) == str(raised.value) == message
    check_file(shared.path)
    db = connect(shared.path)
    try:  # nothing was written by either
        assert db.execute("SELECT COUNT(*) FROM pupils").fetchone()[0] == 0
        assert "Late" not in {member.name for member in list_staff(db, shared.school_id)}
    finally:
        db.close()


def test_every_connection_waits_for_a_writer(tmp_path: Path) -> None:
    """The app's windows and workers (connect) and the command line (open_database) all
    wait for a writer rather than failing at once."""
    path = tmp_path / "sencoplan.db"
    for opener in (open_database, connect):
        db = opener(path)
        try:
            timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
            assert timeout == store_db.BUSY_TIMEOUT_MS >= 5000
        finally:
            db.close()


# --- two processes opening a new file at once ------------------------------------------------


def open_new_file(path: Path, start: Barrier) -> str:
    start.wait(timeout=60)
    db = open_database(path)
    try:
        from sencoplan.store.migrations import MIGRATIONS

        return ",".join(migration.name for migration in MIGRATIONS.applied(db))
    finally:
        db.close()


def test_two_processes_setting_up_one_new_file_take_turns(tmp_path: Path) -> None:
    """The app and an import both opening a file that is not set up yet: one applies the
    migrations under the write lock, the other waits and finds nothing left to do."""
    from sencoplan.store.migrations import MIGRATIONS

    reference = open_database(":memory:")
    for attempt in range(8):
        path = tmp_path / f"new-{attempt}.db"
        start = FORK.Barrier(2)
        counts = run_together(
            {
                "app": (open_new_file, (path, start)),
                "import": (open_new_file, (path, start)),
            }
        )
        every = ",".join(migration.name for migration in MIGRATIONS.applied(reference))
        assert counts == {"app": every, "import": every}
        check_file(path)
