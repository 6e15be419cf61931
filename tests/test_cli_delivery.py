"""`sencoplan session deliver|planned`: the command line's way round the CPD cycle."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from sencoplan.cli import main


@pytest.fixture(autouse=True)
def _no_real_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SENCOPLAN_DB", str(tmp_path / "default.db"))


@pytest.fixture
def planned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, list[int]]:
    """The sample trust with Oakfield's autumn planned from September (days long past)."""
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    args = ["plan", "suggest", "--school", "Oak", "--term", "Autumn 2026", "--db", str(path)]
    assert main([*args, "--from", "01/09/2026", "--save"]) == 0
    said = re.search(r"saved \d+ sessions to Autumn 2026: #(\d+)–#(\d+)", capsys.readouterr().err)
    assert said is not None
    return path, list(range(int(said.group(1)), int(said.group(2)) + 1))


def query(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, args).fetchall()


def coverage(path: Path, need: str, capsys: pytest.CaptureFixture[str]) -> float:
    assert main(["priorities", "--school", "Oak", "--format", "json", "--db", str(path)]) == 0
    items = json.loads(capsys.readouterr().out)
    return float(next(item["coverage"] for item in items if item["need"] == need))


def test_delivering_every_part_records_training_and_planned_again_removes_it(
    planned: tuple[Path, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = planned
    db = ["--db", str(path)]
    module_id, module = query(
        path,
        "SELECT s.module_id, m.code FROM sessions s JOIN modules m ON m.id = s.module_id "
        "WHERE s.id = ?",
        ids[0],
    )[0]
    parts = [
        row[0]
        for row in query(
            path, "SELECT id FROM sessions WHERE module_id = ? ORDER BY day", module_id
        )
    ]
    need = query(path, "SELECT need FROM module_needs WHERE module_id = ? LIMIT 1", module_id)[0][0]
    before = coverage(path, str(need), capsys)
    audience = query(
        path,
        "SELECT s.name FROM session_people p JOIN staff s ON s.id = p.staff_id "
        "WHERE p.session_id = ? AND p.part = 'audience' ORDER BY s.name",
        parts[-1],
    )
    absent = str(audience[0][0])
    present = "; ".join(str(row[0]) for row in audience[1:])
    for part in parts[:-1]:
        assert main(["session", "deliver", str(part), *db]) == 0
        out = capsys.readouterr().out
        assert f"delivered: {len(audience)} of {len(audience)} attended" in out
    assert main(["session", "deliver", str(parts[-1]), "--attended", present, *db]) == 0
    out = capsys.readouterr().out
    assert f"training recorded for {len(audience) - 1} (every part attended)" in out, module
    assert f"({absent} missed it: no record of the module for them)" in out
    made = query(path, "SELECT COUNT(*) FROM training_records WHERE session_id = ?", parts[-1])
    assert made == [(len(audience) - 1,)]
    assert not query(
        path,
        "SELECT 1 FROM training_records t JOIN staff s ON s.id = t.staff_id "
        "WHERE s.name = ? AND t.session_id IS NOT NULL",
        absent,
    )
    assert coverage(path, str(need), capsys) > before

    assert main(["session", "planned", str(parts[-1]), *db]) == 0
    assert "planned again" in capsys.readouterr().out
    assert query(path, "SELECT COUNT(*) FROM training_records WHERE session_id IS NOT NULL") == [
        (0,)
    ]
    assert coverage(path, str(need), capsys) == before


def test_mistakes_are_said_plainly(
    planned: tuple[Path, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = planned
    db = ["--db", str(path)]
    assert main(["session", "deliver", "999", *db]) == 1
    assert "no session 999" in capsys.readouterr().err
    assert main(["session", "deliver", str(ids[0]), "--attended", "Nobody Atall", *db]) == 2
    assert f"--attended: no one in session {ids[0]}'s audience called 'Nobody Atall'" in (
        capsys.readouterr().err
    )
    with sqlite3.connect(path) as con:
        con.execute("UPDATE sessions SET day = '2099-01-06' WHERE id = ?", (ids[0],))
    assert main(["session", "deliver", str(ids[0]), *db]) == 1
    assert "in the future: it can be marked delivered on or after its day" in (
        capsys.readouterr().err
    )
    assert query(path, "SELECT status FROM sessions WHERE id = ?", ids[0]) == [("planned",)]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["export", "session", "99999999999999999999999"], "larger than any session's number"),
        (["session", "deliver", "99999999999999999999999"], "larger than any session's number"),
        (["session", "planned", "0"], "sessions are numbered from 1"),
        (["export", "session", "twelve"], "'twelve' is not a number"),
    ],
)
def test_a_session_number_out_of_range_is_a_usage_error_not_an_overflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--db", str(tmp_path / "none.db")])
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err
