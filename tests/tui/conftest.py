"""A small invented school on disk, and helpers to drive the app as a person would."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable

from sencoplan.domain.calendar import Closure, Term
from sencoplan.io.importers import import_file
from sencoplan.store.db import connect, open_database, write_transaction
from sencoplan.store.terms import save_term
from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.form import RecordForm

TODAY = dt.date(2026, 11, 23)

MODULES = """\
Code,Title,Needs,Level,Hours,Audience,Refresh Months,Provider,Cost
AUT1,Autism awareness,ASD,universal,2,,,internal,0
SLCN2,Language for learning,SLCN,targeted,6,teacher;ta,,external,250
MED1,Epilepsy and rescue medication,OTH;PD,specialist,3,ta;senco,12,external,90
"""

STAFF = """\
Name,Role,FTE,CPD Hours,Start Date
Amira Khan,SENCO,1,20,23/05/2024
Ben Ó Briain,Teacher,1,12,
Cara Jones,TA,0.8,10,
"""

PUPILS = """\
UPN,Legal Surname,Legal Forename,DOB,NC Year Actual,Reg,SEN Status,SEN Need Type 1,SEN Need Type 2
V951200005001,O'Brien,Zoë,03/04/2017,4,4K,K,SLCN,
V951000016049,Smith,Ann,01/02/2017,4,4K,E,ASD,SLCN
{upn3},Patel,Dev,05/06/2016,5,5K,N,,
"""

TRAINING = """\
Staff,Module,Completed
Ben Ó Briain,AUT1,01/09/2025
Cara Jones,MED1,10/10/2025
Cara Jones,SLCN2,01/02/2024
"""


def _upn(body: str) -> str:
    from sencoplan.domain.upn import check_letter

    return check_letter(body) + body


def build_small_school(path: Path) -> Path:
    """Oak Primary: three pupils, three staff, three modules, a little training."""
    files = {
        "modules": MODULES,
        "staff": STAFF,
        "pupils": PUPILS.format(upn3=_upn("951200005002")),
        "training": TRAINING,
    }
    db = open_database(path)
    try:
        for kind, text in files.items():
            source = path.parent / f"{kind}.csv"
            source.write_text(text, encoding="utf-8")
            import_file(db, kind, source, school="Oak Primary", today=TODAY)
    finally:
        db.close()
    return path


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    return build_small_school(tmp_path / "oak.db")


@pytest.fixture
def small_app(small_db: Path) -> SencoplanApp:
    return create_app(small_db, today=TODAY)


async def settle(pilot: Pilot[None]) -> None:
    """Let our workers finish and the screen catch up.

    A DirectoryTree keeps a loader worker running for as long as it is open, and the app's
    file watcher runs until the app closes, so only workers that end are waited for.
    """
    from textual.widgets import DirectoryTree

    for _ in range(2):
        await pilot.pause()
        finite = [
            worker
            for worker in pilot.app.workers
            if not isinstance(worker.node, DirectoryTree) and worker.group != "watch"
        ]
        if finite:  # an empty list would mean "all workers"
            await pilot.app.workers.wait_for_complete(finite)
    await pilot.pause()


def count(db_path: Path, sql: str) -> int:
    db = connect(db_path)
    try:
        return int(db.execute(sql).fetchone()[0])
    finally:
        db.close()


def text_of(widget: object) -> str:
    """The plain text a Static shows, whether it holds markup, a rich Text or a rich Table."""
    from io import StringIO

    from rich.console import Console
    from textual.content import Content
    from textual.widgets import Static

    assert isinstance(widget, Static)
    content = widget.content
    if isinstance(content, str):
        markup = getattr(widget, "_render_markup", True)
        return Content.from_markup(content).plain if markup else content
    if isinstance(content, Content):
        return content.plain
    console = Console(file=StringIO(), width=200, color_system=None, legacy_windows=False)
    console.print(content)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return str(output)


PATIENCE = 30.0
"""The longest any wait here may take on a slow, shared machine (seconds)."""


@pytest.fixture
def no_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A watcher that does not look again in time: the app has not noticed a change yet."""
    monkeypatch.setattr(SencoplanApp, "WATCH_INTERVAL", 3600.0)


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run until `condition` holds (failing after PATIENCE seconds)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "the app did not catch up in time"
        await pilot.pause(0.05)


def outside(db_path: Path, change: Callable[..., object]) -> None:
    """A write by another connection, as another process makes it."""
    db = connect(db_path)
    try:
        with write_transaction(db):
            change(db)
    finally:
        db.close()


def screen_lines(app: SencoplanApp) -> list[str]:
    """The terminal's lines as plain text: what `export_screenshot` draws, without the SVG."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def footer(app: SencoplanApp) -> str:
    """The footer as it reads on screen, every run of spaces one space."""
    return " ".join(screen_lines(app)[-1].split())


APP_FOOTER_KEYS = ["f1 Help", "5 Planner", "6 Succession", "w School", "q Quit", "^p palette"]
"""The app's own keys at the end of every main screen's footer (w once a second school)."""


async def edit_pupil(pilot: Pilot[None], app: SencoplanApp, row: int) -> RecordForm[Any]:
    """Highlight a row of the register and press e: the pupil's form, open."""
    table = app.screen.query_one("#pupils", DataTable)
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("e")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    return form


def tick(screen: object, selector: str, *names: str) -> None:
    """Tick the people named in a form's pick list (a SelectionList of "Name (Role)")."""
    from textual.screen import Screen
    from textual.widgets import SelectionList

    assert isinstance(screen, Screen)
    picks = screen.query_one(selector, SelectionList)
    wanted = set(names)
    for index in range(picks.option_count):
        option = picks.get_option_at_index(index)
        name = str(option.prompt).rsplit(" (", 1)[0]
        if name in wanted:
            picks.select(option.value)
            wanted.discard(name)
    assert not wanted, f"not offered in {selector}: {sorted(wanted)}"


def offered(screen: object, selector: str) -> list[str]:
    """The names a form's pick list offers, in order."""
    from textual.screen import Screen
    from textual.widgets import SelectionList

    assert isinstance(screen, Screen)
    picks = screen.query_one(selector, SelectionList)
    return [
        str(picks.get_option_at_index(i).prompt).rsplit(" (", 1)[0]
        for i in range(picks.option_count)
    ]


def on_screen(app: SencoplanApp) -> str:
    """The words the import dialog shows, read off the screen line by line within its
    scrolling area: borders and scrollbars left out, every run of spaces one space. A
    message wrapped over two lines reads whole; one cut off does not."""
    region = app.screen.query_one("#import-scroll").region
    lines = screen_lines(app)[region.y : region.bottom]
    text = " ".join(line[region.x : region.right] for line in lines)
    return " ".join(re.sub("[\u2500-\u259f]", " ", text).split())


def add_spring_term(db_path: Path) -> None:
    db = open_database(db_path)
    save_term(
        db,
        Term(
            school_id=1,
            name="Spring 2027",
            start=dt.date(2027, 1, 5),
            end=dt.date(2027, 3, 26),
            closures=(
                Closure(start=dt.date(2027, 2, 15), end=dt.date(2027, 2, 19), label="Half term"),
            ),
            cpd_budget=1000,
            senco_hours=10,
        ),
    )
    db.close()
