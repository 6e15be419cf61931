"""Hostile files through the app's import dialog: the refusal is shown, the app keeps
answering keys, and the database file is exactly as it was."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Static

from sencoplan.io.tabular import NOT_TEXT
from sencoplan.store.db import connect
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.import_file import ImportScreen
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import on_screen, settle, text_of


def dump(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the file."""
    db = connect(db_path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        return {
            table: sorted(db.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        db.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(4000))


def _cut_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["UPN", "Year Group"])
    book.active.append(["V951200005001", 4])
    book.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _bad_sheet_xml(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["UPN", "Year Group"])
    book.save(path)
    with zipfile.ZipFile(path) as old:
        parts = {item.filename: old.read(item.filename) for item in old.infolist()}
    parts["xl/worksheets/sheet1.xml"] = b"<<<not xml"
    with zipfile.ZipFile(path, "w") as new:
        for name, content in parts.items():
            new.writestr(name, content)


FILE = ""
"""The file's own fault: said in words under the heading, not as a row to fix."""

HOSTILE: list[tuple[str, Callable[[Path], object], str, str]] = [
    ("pupils.csv", _random_bytes, FILE, NOT_TEXT),
    ("pupils.xlsx", _cut_workbook, FILE, "the spreadsheet cannot be opened: "),
    ("damaged.xlsx", _bad_sheet_xml, FILE, "the spreadsheet cannot be "),
    (
        "locked.xlsx",
        lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000)),
        FILE,
        "the workbook is password-protected (encrypted)",
    ),
    (
        "unicode.csv",
        lambda path: path.write_bytes("UPN,Year Group\r\nB80,4\r\n".encode("utf-16") + b"x"),
        FILE,
        "line 3: the file starts as UTF-16 text but stops part-way through a letter "
        "(is it cut short?)",
    ),
    (
        "huge.csv",
        lambda path: path.write_text("UPN,Year Group\r\n" + "x" * 1_000_000 + ",4\r\n"),
        "2",
        "the CSV cannot be read: field larger than field limit",
    ),
    ("empty.csv", lambda path: path.write_bytes(b"\xef\xbb\xbf"), FILE, "the file is empty"),
    (
        "formulas.csv",
        lambda path: path.write_text("UPN,Year Group\r\n=1+1,=SUM(A1:A2)\r\n"),
        "2",
        "UPN '=1+1' has 4 characters, not 13",
    ),
]


async def _import(pilot: Pilot[None], app: SencoplanApp, path: Path) -> tuple[str, list[list[str]]]:
    dialog = app.screen
    assert isinstance(dialog, ImportScreen)
    dialog.query_one("#import-path", Input).value = str(path)
    await pilot.click("#import-run")
    await settle(pilot)
    errors = dialog.query_one("#import-errors", DataTable)
    rows = [[str(cell) for cell in errors.get_row_at(i)] for i in range(errors.row_count)]
    return text_of(dialog.query_one("#import-result", Static)), rows


async def test_hostile_files_are_refused_in_the_dialog_and_the_app_keeps_going(
    small_app: SencoplanApp, small_db: Path, tmp_path: Path
) -> None:
    before = dump(small_db)
    async with small_app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        for name, make, line, reason in HOSTILE:
            path = tmp_path / name
            make(path)
            result, rows = await _import(pilot, small_app, path)
            assert f"{name}: refused, nothing was imported" in result, name
            if line == FILE:
                assert rows == [], name
                [said] = result.splitlines()[2:]
                assert said.startswith(reason), (name, said)
                assert said in on_screen(small_app), name  # whole, not cut off
            else:
                assert any(row[0] == line and row[2].startswith(reason) for row in rows), (
                    name,
                    rows,
                )
                assert all(row[2] in on_screen(small_app) for row in rows), name
            assert not small_app.screen.query_one("#import-run", Button).disabled
        # Still answering keys: close the dialog, open it again, close it.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(small_app.screen, ImportScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
        assert small_app.is_running
    assert dump(small_db) == before


async def test_an_unexpected_failure_is_shown_and_the_app_keeps_going(
    small_app: SencoplanApp, small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever else goes wrong inside an import (here a failure while writing) becomes a
    message, not a crash, and the transaction takes back what was written."""
    from sencoplan.io.importers import pupils

    def broken_write_in_batches(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(pupils, "write_in_batches", broken_write_in_batches)
    path = tmp_path / "roll.csv"
    path.write_text("UPN,Year Group\r\nV951200005001,5\r\n", encoding="utf-8")
    before = dump(small_db)
    async with small_app.run_test(size=(170, 55)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        result, _ = await _import(pilot, small_app, path)
        assert result.strip() == "The import failed, nothing was imported: the disk went away"
        messages = [str(notification.message) for notification in small_app._notifications]
        assert "the disk went away" in messages
        dialog = small_app.screen
        assert isinstance(dialog, ImportScreen)
        assert not dialog.query_one("#import-run", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
        assert small_app.is_running
    assert dump(small_db) == before
