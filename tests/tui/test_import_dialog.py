"""Importing from inside the app: a broken MIS export is refused whole, the fixed one goes in."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from sencoplan.domain.upn import check_letter
from sencoplan.tui.app import SencoplanApp
from sencoplan.tui.screens.import_file import ImportScreen
from sencoplan.tui.screens.pupils import PupilsScreen
from tests.tui.conftest import count, settle, text_of

HEADER = "UPN,Surname,Forename,Date of Birth,Year Group,SEN Provision,Primary Need,Form\r\n"


def roll(lines: list[str]) -> bytes:
    """An export as Excel saves it: Windows-1252, CRLF line ends."""
    return (HEADER + "".join(line + "\r\n" for line in lines)).encode("cp1252")


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
