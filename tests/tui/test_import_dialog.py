"""Importing from inside the app: a broken MIS export is refused whole, the fixed one goes in."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import (
    Checkbox,
    DataTable,
    DirectoryTree,
    Input,
    ProgressBar,
    Select,
    Static,
)

from sencoplan.domain.upn import check_letter
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.tabular import NOT_TEXT, SAVE_AGAIN
from sencoplan.tui.app import SencoplanApp, create_app
from sencoplan.tui.screens.import_file import ImportScreen, _problems_heading
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import TODAY, count, on_screen, settle, text_of

HEADER = "UPN,Surname,Forename,Date of Birth,Year Group,SEN Provision,Primary Need,Form\r\n"


def roll(lines: list[str]) -> bytes:
    """An export as Excel saves it: Windows-1252, CRLF line ends."""
    return (HEADER + "".join(line + "\r\n" for line in lines)).encode("cp1252")


NEED_TYPES = "SLCN, ASD, SPLD, MLD, SLD, PMLD, SEMH, HI, VI, MSI, PD, OTH, NSA"
BAD_NEED = f"unknown need type 'WIBBLE' (use one of {NEED_TYPES})"


def upn(serial: str) -> str:
    body = "801200005" + serial
    return check_letter(body) + body


async def test_bad_rows_are_listed_and_nothing_is_written(
    small_app: SencoplanApp, small_db: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "roll.csv"
    bad.write_bytes(
        roll(
            [
                f"{upn('101')},D'Souza,Zoë,03/04/2017,4,SEN Support,SLCN,4K",
                f"{upn('102')},Núñez,José,31/02/2017,4,EHC Plan,,4K",
                f"A{upn('103')[1:]},Ó Briain,Siobhán,05/06/2016,5,N,,5K",
            ]
        )
    )
    before = count(small_db, "SELECT COUNT(*) FROM pupils")
    async with small_app.run_test(size=(170, 55)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        dialog = small_app.screen
        assert isinstance(dialog, ImportScreen)
        assert dialog.query_one("#import-kind", Select).value == "pupils"
        dialog.query_one("#import-path", Input).value = str(bad)
        await pilot.click("#import-run")
        await settle(pilot)
        errors = dialog.query_one("#import-errors", DataTable)
        problems = [[str(cell) for cell in errors.get_row_at(i)] for i in range(errors.row_count)]
        assert [
            "3",
            "Date of Birth",
            "'31/02/2017' is not a real date (dates are day/month/year)",
        ] in (problems)
        assert [
            "3",
            "Primary Need",
            "a pupil with an EHCP (E) must have a primary need",
        ] in problems
        assert any(
            row[0] == "4" and row[1] == "UPN" and "check letter A" in row[2] for row in problems
        )
        assert "refused, nothing was imported (2 bad rows)" in text_of(
            dialog.query_one("#import-result", Static)
        )
        assert count(small_db, "SELECT COUNT(*) FROM pupils") == before

        good = tmp_path / "roll-fixed.csv"
        good.write_bytes(
            roll(
                [
                    f"{upn('101')},D'Souza,Zoë,03/04/2017,4,SEN Support,SLCN,4K",
                    f"{upn('102')},Núñez,José,28/02/2017,4,EHC Plan,ASD,4K",
                    f"{upn('103')},Ó Briain,Siobhán,05/06/2016,5,N,,5K",
                ]
            )
        )
        dialog.query_one("#import-path", Input).value = str(good)
        await pilot.click("#import-run")
        await settle(pilot)
        result = text_of(dialog.query_one("#import-result", Static))
        assert "imported pupils into Oak Primary: 3 new" in result
        assert "3 no longer on roll, marked as left" in result
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(small_app.screen, PupilsScreen)
    assert count(small_db, "SELECT COUNT(*) FROM pupils WHERE display_name = 'José Núñez'") == 1
    assert count(small_db, "SELECT COUNT(*) FROM pupils WHERE on_roll_to IS NULL") == 3


async def _open_dialog(pilot: Pilot[None], app: SencoplanApp) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, ImportScreen)
    return dialog


async def _import(pilot: Pilot[None], dialog: ImportScreen, path: Path) -> str:
    """What the dialog says after importing `path` (typed in the box, Import pressed)."""
    dialog.query_one("#import-path", Input).value = str(path)
    await pilot.click("#import-run")
    await settle(pilot)
    return text_of(dialog.query_one("#import-result", Static)).strip()


def _problems(dialog: ImportScreen) -> list[list[str]]:
    table = dialog.query_one("#import-errors", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _bad_roll(tmp_path: Path) -> Path:
    bad = tmp_path / "roll.csv"
    bad.write_bytes(roll([f"{upn('101')},Núñez,José,31/02/2017,4,N,,4K"]))
    return bad


async def test_a_folder_is_named_as_a_folder(small_app: SencoplanApp, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    async with small_app.run_test(size=(170, 55)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        result = await _import(pilot, dialog, folder)
        assert result == f"{folder} is a folder: type the path of a CSV or XLSX file in it"
        assert not dialog.query_one("#import-errors", DataTable).display
        result = await _import(pilot, dialog, folder / "missing.csv")
        assert result == f"There is no file at {folder / 'missing.csv'}"


async def test_row_problems_are_headed_as_rows_to_fix(
    small_app: SencoplanApp, tmp_path: Path
) -> None:
    async with small_app.run_test(size=(170, 55)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        result = await _import(pilot, dialog, _bad_roll(tmp_path))
        assert result.splitlines() == [
            "roll.csv: refused, nothing was imported (1 bad row)",
            "Fix these rows and import the file again:",
        ]
        assert _problems(dialog) == [
            ["2", "Date of Birth", "'31/02/2017' is not a real date (dates are day/month/year)"]
        ]


async def test_a_file_that_cannot_be_read_is_not_headed_as_rows(
    small_app: SencoplanApp, tmp_path: Path
) -> None:
    """Random bytes, no headings, text in a damaged encoding: the file's own fault, which
    no row can fix, even where the line it shows on is named. Said in words under the
    heading, not as a row of a table."""
    noise = tmp_path / "noise.csv"
    noise.write_bytes(b"UPN,Year Group\r\n\x81\x8d\x8f,4\r\n")
    headless = tmp_path / "headless.csv"
    headless.write_bytes(b"--,**\r\nx,y\r\n")
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes("UPN,Year Group\r\nB80,4\r\n".encode("utf-16") + b"x")
    async with small_app.run_test(size=(170, 55)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        for path, reason in [
            (noise, NOT_TEXT),
            (headless, "line 1: the first row has no headings"),
            (damaged, "line 3: the file starts as UTF-16 text but stops part-way through a letter"),
        ]:
            result = await _import(pilot, dialog, path)
            lines = result.splitlines()
            assert lines[:2] == [
                f"{path.name}: refused, nothing was imported",
                "This file cannot be imported:",
            ], path.name
            assert len(lines) == 3 and lines[2].startswith(reason), lines
            assert "Fix these rows" not in result
            assert "codec" not in result and "file:" not in result
            assert not dialog.query_one("#import-errors", DataTable).display
            assert " ".join(lines) in on_screen(small_app)  # whole, not cut off


async def test_a_file_problem_is_read_in_full_at_160_and_100_columns(
    small_db: Path, tmp_path: Path
) -> None:
    """Random bytes read as a pupils CSV: the reason and the advice after it are on screen,
    wrapped, however wide the terminal is."""
    noise = tmp_path / "pupils.csv"
    noise.write_bytes(bytes(range(128, 256)) * 30)
    for size in [(160, 45), (100, 45)]:
        app = create_app(small_db, today=TODAY)
        async with app.run_test(size=size) as pilot:
            dialog = await _open_dialog(pilot, app)
            await _import(pilot, dialog, noise)
            shown = on_screen(app)
            assert f"This file cannot be imported: {NOT_TEXT}" in shown, size
            assert SAVE_AGAIN in shown
            assert "file" not in [str(row[0]) for row in _problems(dialog)]


async def test_a_long_row_problem_wraps_in_the_table(
    small_app: SencoplanApp, tmp_path: Path
) -> None:
    """A bad need type lists every need type: the Problem column wraps onto a second line
    rather than stopping at 'SEMH, HI, VI,', at 160 columns, and again after the terminal
    is narrowed to 100."""
    bad = tmp_path / "roll.csv"
    bad.write_bytes(
        roll(
            [
                f"{upn('101')},Núñez,José,03/04/2017,4,SEN Support,WIBBLE,4K",
                f"{upn('102')},D'Souza,Zoë,31/02/2017,4,SEN Support,SLCN,4K",
            ]
        )
    )
    async with small_app.run_test(size=(160, 45)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        result = await _import(pilot, dialog, bad)
        assert result.splitlines()[1] == "Fix these rows and import the file again:"
        assert _problems(dialog) == [
            ["2", "Primary Need", BAD_NEED],
            ["3", "Date of Birth", "'31/02/2017' is not a real date (dates are day/month/year)"],
        ]
        table = dialog.query_one("#import-errors", DataTable)
        for width in (160, 100):
            await pilot.resize_terminal(width, 45)
            await settle(pilot)
            shown = on_screen(small_app)
            assert "Line Column Problem" in shown, width
            assert f"2 Primary Need {BAD_NEED} 3 Date of Birth '31/02/2017'" in shown, width
            assert [row.height for row in table.ordered_rows] == [2, 1], width
            assert table.virtual_size.width <= table.scrollable_content_region.width, width


async def test_the_file_s_fault_above_the_rows_to_fix(
    small_app: SencoplanApp, tmp_path: Path
) -> None:
    """A missing column and bad rows together: the column in words under the heading, the
    rows in the table."""
    supports = tmp_path / "supports.csv"
    supports.write_text("Staff,Role\r\nNobody Here,TA\r\n", encoding="utf-8")
    async with small_app.run_test(size=(160, 45)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        dialog.query_one("#import-kind", Select).value = "supports"
        await settle(pilot)
        result = await _import(pilot, dialog, supports)
        assert result.splitlines()[1:] == [
            "Fix the file and these rows, then import it again:",
            "column UPN: the file needs a UPN column or a Class column",
        ]
        problems = _problems(dialog)
        assert problems and all(row[0] == "2" for row in problems), problems
        # The kind chosen stands; what the headings fit is only said.
        guess = text_of(dialog.query_one("#import-guess", Static)).strip()
        assert guess == "supports.csv looks like Succession roles: change the kind above if it is"
        shown = on_screen(small_app)
        assert "column UPN: the file needs a UPN column or a Class column" in shown
        assert "no member of staff called 'Nobody Here'" in shown


async def test_the_problems_go_when_the_path_changes_or_a_new_import_starts(
    small_app: SencoplanApp, tmp_path: Path
) -> None:
    bad = _bad_roll(tmp_path)
    folder = tmp_path / "exports"
    folder.mkdir()
    async with small_app.run_test(size=(170, 55)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        table = dialog.query_one("#import-errors", DataTable)
        result = dialog.query_one("#import-result", Static)

        # The SENCO corrects the path by hand: the last file's problems are gone at once.
        await _import(pilot, dialog, bad)
        assert table.display and table.row_count == 1
        await pilot.click("#import-path")
        await pilot.press("end", "backspace")
        await settle(pilot)
        assert not table.display and table.row_count == 0
        assert text_of(result) == ""

        # ...or chooses another file in the tree.
        await _import(pilot, dialog, bad)
        assert table.display
        dialog.post_message(
            DirectoryTree.FileSelected(
                dialog.query_one("#import-tree", DirectoryTree).root, tmp_path / "other.csv"
            )
        )
        await settle(pilot)
        assert dialog.query_one("#import-path", Input).value == str(tmp_path / "other.csv")
        assert not table.display and table.row_count == 0

        # ...or imports the same path again after fixing the file: the old rows are not
        # left under the new result.
        await _import(pilot, dialog, bad)
        assert table.display
        bad.write_bytes(roll([f"{upn('101')},Núñez,José,28/02/2017,4,N,,4K"]))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not table.display and table.row_count == 0
        assert "imported pupils into Oak Primary: 1 new" in text_of(result)

        # ...or a folder after a failure: only the folder is spoken of.
        bad.write_bytes(b"UPN,Year Group\r\nnot a upn,4\r\n")
        await _import(pilot, dialog, bad)
        assert table.display
        await _import(pilot, dialog, folder)
        assert not table.display and table.row_count == 0
        assert text_of(result).startswith(f"{folder} is a folder")


def test_the_heading_fits_what_is_wrong() -> None:
    rows = ImportRejected("f.csv", [RowError(2, "UPN", "bad"), RowError(3, "UPN", "bad")])
    assert _problems_heading(rows) == "Fix these rows and import the file again:"
    whole = ImportRejected("f.csv", [RowError(0, "", "the file is empty")])
    assert _problems_heading(whole) == "This file cannot be imported:"
    both = ImportRejected("f.csv", [RowError(0, "UPN", "missing"), RowError(2, "Class", "bad")])
    assert _problems_heading(both) == "Fix the file and these rows, then import it again:"


async def test_the_options_read_in_full_at_160_120_and_100_columns(small_db: Path) -> None:
    """Each option's label is on screen whole (a walkthrough found 'Many have le'): side by
    side in the wide dialog, one under another on a narrow terminal."""
    for size in [(160, 45), (120, 45), (100, 45)]:
        app = create_app(small_db, today=TODAY)
        async with app.run_test(size=size) as pilot:
            dialog = await _open_dialog(pilot, app)
            shown = on_screen(app)
            for option in ["#import-dry-run", "#import-partial", "#import-many-leavers"]:
                label = str(dialog.query_one(option, Checkbox).label)
                assert f"X {label}" in shown, (size, label)
            assert "Allow many leavers" in shown


async def test_the_progress_bar_goes_when_an_import_is_refused_or_fails(
    small_app: SencoplanApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walkthrough found the bar left at '0%' under a refusal, as if an import were still
    to run: it is out of sight after a refusal or a failure, and back for the next import."""
    from sencoplan.io.importers import pupils

    bad = _bad_roll(tmp_path)
    async with small_app.run_test(size=(160, 45)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        bar = dialog.query_one("#import-progress", ProgressBar)
        result = await _import(pilot, dialog, bad)
        assert "refused, nothing was imported" in result
        assert not bar.display
        assert "%" not in on_screen(small_app)

        bad.write_bytes(roll([f"{upn('101')},Núñez,José,28/02/2017,4,N,,4K"]))
        result = await _import(pilot, dialog, bad)
        assert "imported pupils into Oak Primary: 1 new" in result
        assert bar.display and bar.percentage == 1
        assert "100%" in on_screen(small_app)

        def broken_write_in_batches(*args: object, **kwargs: object) -> None:
            raise RuntimeError("the disk went away")

        monkeypatch.setattr(pupils, "write_in_batches", broken_write_in_batches)
        bad.write_bytes(roll([f"{upn('102')},D'Souza,Zoë,03/04/2017,4,N,,4K"]))
        result = await _import(pilot, dialog, bad)
        assert result.startswith("The import failed, nothing was imported")
        assert not bar.display
        assert "%" not in on_screen(small_app)


async def test_tab_goes_path_tree_kind_school_options_and_the_tree_opens_in_documents(
    small_app: SencoplanApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DirectoryTree

    from sencoplan.tui.screens.import_file import ImportScreen

    (tmp_path / "Documents").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    async with small_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        dialog = small_app.screen
        assert isinstance(dialog, ImportScreen)
        assert dialog.query_one(DirectoryTree).path == tmp_path / "Documents"
        order = []
        for _ in range(5):
            focused = small_app.focused
            order.append((type(focused).__name__, getattr(focused, "id", None)))
            await pilot.press("tab")
        assert order == [
            ("Input", "import-path"),
            ("SpreadsheetTree", "import-tree"),
            ("Select", "import-kind"),
            ("Input", "import-school"),
            ("Checkbox", "import-dry-run"),
        ]


async def test_a_file_chosen_in_the_tree_sets_the_kind_its_headings_fit(
    small_app: SencoplanApp, small_db: Path, tmp_path: Path
) -> None:
    """A staff list chosen while Pupils is selected is offered as Staff (and imported as
    staff); a file whose headings fit no kind leaves the choice alone."""
    staff = tmp_path / "staff.csv"
    staff.write_text("Name,Role,FTE\nDara Quinn,TA,1\n", encoding="utf-8")
    odd = tmp_path / "notes.csv"
    odd.write_text("Colour,Shape\nred,round\n", encoding="utf-8")
    async with small_app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(pilot, small_app)
        tree = dialog.query_one("#import-tree", DirectoryTree)
        kind = dialog.query_one("#import-kind", Select)
        assert kind.value == "pupils"
        dialog.post_message(DirectoryTree.FileSelected(tree.root, odd))
        await settle(pilot)
        assert kind.value == "pupils"
        dialog.post_message(DirectoryTree.FileSelected(tree.root, staff))
        await settle(pilot)
        assert kind.value == "staff"
        said = text_of(dialog.query_one("#import-guess", Static)).strip()
        assert said == "staff.csv looks like Staff: chosen above (change it if not)"
        # Said just under the kind, in view at 80x24 too.
        kind_row, guess = kind.region, dialog.query_one("#import-guess").region
        assert guess.y == kind_row.bottom and guess.height >= 1
        # A path typed (or pasted) is read too, once it names a file.
        path = dialog.query_one("#import-path", Input)
        path.value = str(odd)
        await settle(pilot)
        assert text_of(dialog.query_one("#import-guess", Static)).strip() == ""
        path.value = str(staff)
        await settle(pilot)
        assert "looks like Staff" in text_of(dialog.query_one("#import-guess", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert count(small_db, "SELECT COUNT(*) FROM staff WHERE name = 'Dara Quinn'") == 1
