"""Noticing what another process writes to the file while the app shows it.

Someone may run `sencoplan import` or `sencoplan retention --purge` in a terminal, or keep
a second window open, on the file the app shows. SQLite's `PRAGMA data_version`, asked on
one connection, changes when another connection has committed to the file since it was
last asked. A worker thread asks every few seconds and, on a change, posts `OutsideChange`
to the app, which reloads the schools and the screen.

The app's own writes come from other connections too (each worker opens its own), so each
runs inside `writing`: while one is under way the watcher does not judge what it sees, and
the first look after takes the version it finds as the baseline, without telling (an outside
write landing in that same moment is absorbed with it; the reload that follows the app's own
write reads it anyway). Marking the write before it commits, not after, is what keeps a
look between the commit and the app's reload from taking it for news. A screen's load may
store what it worked out (the priority lines kept for next time): `reading` absorbs that
only when nobody else wrote meanwhile.

The connection belongs to the watcher's thread alone, as sqlite3 connections belong to the
thread that opened them: other threads only set flags and wake it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError
from textual.app import App
from textual.message import Message
from textual.worker import get_current_worker

from sencoplan.store import engine
from sencoplan.store.db import connect, data_version

RECORD_GONE = (
    "That record is no longer in the file (another sencoplan window or a command removed "
    "it); the list has been reloaded."
)


def record_gone(error: BaseException) -> bool:
    """A write failed because the record it changes was removed meanwhile (the update or
    delete reads the row first, and finds nothing)."""
    return isinstance(error, NotFoundError)


class OutsideChange(Message):
    """Another process committed to the file: what the app shows may be out of date."""


@dataclass(eq=False)
class _Watching:
    """One file, watched by one worker thread; the flags are how other threads talk to it."""

    path: Path
    wake: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: bool = False
    own_write: bool = False
    writers: int = 0
    ask_again: bool = False
    waiting: list[threading.Event] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)


class FileWatch:
    """The app's watcher: follows the file the app shows, stops with the app."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._watching: _Watching | None = None
        self._started: list[_Watching] = []
        self.looks = 0
        """How many times the file was looked at (tests wait for a few)."""

    @property
    def running(self) -> bool:
        """Whether a watcher's thread is still going (none may be left once the app exits)."""
        return any(not watching.stopped.is_set() for watching in self._started)

    def follow(self, path: Path, interval: float) -> None:
        """Watch this file (from the UI thread): started once, restarted for another file."""
        if self._watching is not None and self._watching.path == path:
            return
        self.stop()
        watching = self._watching = _Watching(path)
        self._started = [*(w for w in self._started if not w.stopped.is_set()), watching]
        self.app.run_worker(
            partial(self._watch, watching, interval),
            name="file watch",
            group="watch",
            thread=True,
            exit_on_error=False,
        )

    def stop(self) -> None:
        """Stop looking (the app is closing, or shows another file): the thread ends now."""
        watching, self._watching = self._watching, None
        if watching is not None:
            watching.stopping = True
            watching.wake.set()

    def absorb(self) -> None:
        """The app has just written (any thread): not news from outside."""
        watching = self._watching
        if watching is not None:
            with watching.lock:
                watching.own_write = True
            watching.wake.set()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Around one of the app's own writes (any thread), from before it begins until
        after it commits: what the watcher sees meanwhile, and just after, is no news."""
        watching = self._watching
        if watching is None:
            yield
            return
        with watching.lock:
            watching.writers += 1
        try:
            yield
        finally:
            with watching.lock:
                watching.writers -= 1
                watching.own_write = True
            watching.wake.set()

    def ask_again(self) -> None:
        """The app could not reload just now (a dialog is open): tell it again next time."""
        watching = self._watching
        if watching is not None:
            with watching.lock:
                watching.ask_again = True

    def caught_up(self) -> None:
        """The app is reloading everything anyway: nothing is outstanding."""
        watching = self._watching
        if watching is not None:
            with watching.lock:
                watching.ask_again = False

    def look_now(self, timeout: float = 2.0) -> None:
        """Look at once, and wait for that look (from a worker thread, never the UI's)."""
        watching = self._watching
        if watching is None:
            return
        looked = threading.Event()
        with watching.lock:
            if watching.stopping:
                return
            watching.waiting.append(looked)
        watching.wake.set()
        looked.wait(timeout)

    @contextlib.contextmanager
    def reading(self, db: Database) -> Iterator[None]:
        """Around a screen's load on `db` (a worker thread), which may store what it worked
        out (a whole file's priority lines are kept a hundred schools at a time): those
        commits are the app's own, so the watcher does not judge until the load ends. Then
        what another connection wrote meanwhile is still told (`db`'s data_version moved),
        and the load's own writes are not. What others wrote before it began was looked for
        first."""
        self.look_now()
        watching = self._watching
        before = data_version(db)
        if watching is not None:
            with watching.lock:
                watching.writers += 1
        try:
            yield
        finally:
            try:
                others_wrote = data_version(db) != before
            except engine.DatabaseError:  # cannot tell: tell, a reload is harmless
                others_wrote = True
            if watching is not None:
                with watching.lock:
                    watching.writers -= 1
                    watching.own_write = True
                    watching.ask_again |= others_wrote
                watching.wake.set()

    def _watch(self, watching: _Watching, interval: float) -> None:
        """The worker: look every `interval` seconds (or when woken) until stopped."""
        worker = get_current_worker()
        try:
            db = connect(watching.path)
            try:
                seen = data_version(db)
                while True:
                    watching.wake.wait(interval)
                    watching.wake.clear()
                    if watching.stopping or worker.is_cancelled:
                        return
                    seen = self._look(watching, db, seen)
            finally:
                db.close()
        finally:
            with watching.lock:
                watching.stopping = True
                waiting, watching.waiting = watching.waiting, []
            for looked in waiting:
                looked.set()
            watching.stopped.set()

    def _look(self, watching: _Watching, db: Database, seen: int) -> int:
        """One look: tell the app of a change that is not its own (or that it asked again)."""
        with watching.lock:
            waiting, watching.waiting = watching.waiting, []
            if watching.writers:  # the app is writing: judge once it has finished
                self.looks += 1
                for looked in waiting:
                    looked.set()
                return seen
            own, again = watching.own_write, watching.ask_again
            watching.own_write = watching.ask_again = False
        try:
            version = data_version(db)
        except engine.DatabaseError:  # busy for a moment: look again next time
            with watching.lock:
                watching.own_write |= own
                watching.ask_again |= again
            return seen
        finally:
            for looked in waiting:
                looked.set()
        self.looks += 1
        if (version != seen and not own) or again:
            with contextlib.suppress(RuntimeError):  # the app's event loop has closed already
                self.app.post_message(OutsideChange())
        return version
