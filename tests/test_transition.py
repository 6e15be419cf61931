"""Pupils joining a school: from the trust's own schools by UPN and from outside, by need
and tier, the training to plan, and the sending school's record carried over."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.store.db import open_database


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trust") / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    return path


@pytest.fixture
def trust(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    shutil.copy(built, copy)
    copy.chmod(0o600)
    return copy


def _shared(path: Path) -> list[tuple[str, str, str | None]]:
    db = open_database(path)
    try:
        return db.execute(
            "SELECT b.upn, a.tier, a.primary_need FROM pupils a JOIN pupils b ON a.upn = b.upn "
            "AND a.school_id != b.school_id JOIN schools s ON s.id = b.school_id "
            "WHERE s.name LIKE 'Riverside%'"
        ).fetchall()
    finally:
        db.close()


def test_riversides_joiners_from_oakfield_by_need(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = _shared(trust)
    args = ["transition", "--to", "riverside", "--from", "oakfield", "--db", str(trust)]
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["pupils"] == len(shared) == 8
    db = open_database(trust)
    receiving = db.execute(
        "SELECT b.tier, b.primary_need, b.secondary_need FROM pupils a JOIN pupils b "
        "ON a.upn = b.upn AND a.school_id != b.school_id JOIN schools s ON s.id = b.school_id "
        "WHERE s.name LIKE 'Riverside%'"
    ).fetchall()
    db.close()
    with_sen = [row for row in receiving if row[0] != "universal"]
    assert found["with_sen"] == len(with_sen) > 0
    for need, count in found["by_need"].items():
        assert count == sum(1 for row in with_sen if need in row[1:]), need
    assert found["from"] == {"Oakfield Primary School": 8}


def test_the_paper_counts_and_names_no_one_unless_asked(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upns = [row[0] for row in _shared(trust)]
    capsys.readouterr()
    assert main(["transition", "--to", "riverside", "--db", str(trust)]) == 0
    paper = capsys.readouterr().out
    assert "# Pupils joining Riverside Academy" in paper
    assert "## Training before they arrive" in paper and "modules for it: AUT-U" in paper
    assert not any(upn in paper for upn in upns)
    out = tmp_path / "joining.md"
    argv = ["transition", "--to", "riverside", "--names", "-o", str(out), "--db", str(trust)]
    assert main(argv) == 0
    named = out.read_text(encoding="utf-8")
    assert named.startswith("**Confidential: names pupils joining the school.")
    assert all(upn in named for upn in upns)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main([*argv[:-4], "--format", "json", "--db", str(trust)]) == 2  # names: a paper


def test_carrying_over_copies_the_sending_schools_record(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(trust)
    (upn,) = db.execute(
        "SELECT b.upn FROM pupils a JOIN pupils b ON a.upn = b.upn AND a.school_id != b.school_id "
        "WHERE a.tier = 'specialist' AND b.on_roll_from > '2026-12-31' LIMIT 1"
    ).fetchone()
    db.execute(
        "UPDATE pupils SET tier = 'universal', primary_need = NULL, secondary_need = NULL, "
        "ehcp_review_due = NULL WHERE upn = ? AND on_roll_from > '2026-12-31'",
        (upn,),
    )
    db.conn.commit()
    sending = db.execute(
        "SELECT tier, primary_need, ehcp_review_due FROM pupils WHERE upn = ? "
        "AND (on_roll_from IS NULL OR on_roll_from <= '2026-12-31')",
        (upn,),
    ).fetchone()
    db.close()
    capsys.readouterr()
    argv = ["transition", "--to", "riverside", "--carry", "--db", str(trust)]
    assert main(argv) == 0
    assert "Carried over the sending school's record for" in capsys.readouterr().out
    db = open_database(trust)
    receiving = db.execute(
        "SELECT tier, primary_need, ehcp_review_due FROM pupils WHERE upn = ? "
        "AND on_roll_from > '2026-12-31'",
        (upn,),
    ).fetchone()
    db.close()
    assert receiving == sending
