"""Priorities from a real database: the aggregate queries, weights, the CLI and the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.upn import check_letter
from sencoplan.io.importers import import_file
from sencoplan.store.db import open_database
from sencoplan.store.priorities import load_priorities, need_groups, save_weight

TODAY = dt.date(2026, 11, 23)


def upn(serial: int) -> str:
    body = f"801200{serial:06d}"
    return check_letter(body) + body


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def school_db(tmp_path: Path) -> Path:
    """30 SLCN pupils whose teachers are trained and confident; 20 ASD pupils whose are not."""
    db_path = tmp_path / "school.db"
    db = open_database(db_path)
    modules = write(
        tmp_path,
        "modules.csv",
        "Code,Title,Needs,Level\nSLCN-T,Language for learning,SLCN,targeted\n"
        "AUT-T,Autism in the classroom,ASD,targeted\n",
    )
    staff_lines = ["Name,Role"] + [f"Teacher {n},Teacher" for n in range(1, 7)]
    staff_lines.append("Tess Aide,TA")
    staff = write(tmp_path, "staff.csv", "\n".join(staff_lines) + "\n")
    pupils = ["UPN,Forename,Surname,DOB,Year,SEN Status,Primary Need,Class,Admission Date"]
    for n in range(30):
        pupils.append(f"{upn(n)},Sam,Slcn{n},01/01/2015,7,K,SLCN,7A,01/09/2025")
    for n in range(30, 50):
        pupils.append(f"{upn(n)},Ash,Asd{n},01/01/2015,7,K,ASD,7B,01/09/2025")
    pupils.append(f"{upn(99)},New,Starter,01/01/2015,7,E,ASD,7N,01/09/2027")
    roll = write(tmp_path, "pupils.csv", "\n".join(pupils) + "\n")
    supports = ["Staff,Class,UPN,Kind"]
    supports += [f"Teacher {n},7A,,class teacher" for n in (1, 2, 3)]
    supports += [f"Teacher {n},7B,,class teacher" for n in (4, 5, 6)]
    supports.append(f"Tess Aide,,{upn(99)},1:1")
    links = write(tmp_path, "supports.csv", "\n".join(supports) + "\n")
    training = ["Staff,Module,Completed"] + [f"Teacher {n},SLCN-T,01/09/2025" for n in (1, 2, 3)]
    training.append("Teacher 4,AUT-T,01/09/2025")
    records = write(tmp_path, "training.csv", "\n".join(training) + "\n")
    confidence = ["Staff,Need,Rating,Date"] + [f"Teacher {n},SLCN,5,01/10/2026" for n in (1, 2, 3)]
    confidence += [f"Teacher {n},ASD,2,01/10/2026" for n in (4, 5, 6)]
    ratings = write(tmp_path, "confidence.csv", "\n".join(confidence) + "\n")
    import_file(db, "modules", modules, today=TODAY)
    for kind, path in (
        ("staff", staff),
        ("pupils", roll),
        ("supports", links),
        ("training", records),
        ("confidence", ratings),
    ):
        import_file(db, kind, path, school="Elm School", today=TODAY)
    db.close()
    return db_path


def test_the_need_few_staff_are_trained_for_tops_the_list(school_db: Path) -> None:
    db = open_database(school_db)
    result = load_priorities(db, TODAY)
    top, second = result.priorities[:2]
    assert top.need is NeedType.ASD and second.need is NeedType.SLCN
    assert second.pupils > top.pupils - 1  # SLCN has more pupils on roll
    assert top.pupils == 21 and top.incoming == 1 and top.ehcp == 1
    assert (top.staff_relevant, top.staff_trained) == (4, 1)
    assert top.one_to_one_untrained == 1
    assert top.reason() == (
        "ASD: 21 pupils, 1 with an EHCP, 1 joining in September; 1 of 4 staff who work "
        "with them has the training their role needs, 3 hold none; 1 one-to-one adult "
        "below the level needed; confidence low (2.0 of 5)"
    )
    # SLCN: every pupil's three teachers hold targeted training and rate themselves 5.
    assert second.gap == pytest.approx(0.0)
    assert second.coverage == pytest.approx(1.0)


def test_groups_come_from_aggregates_with_the_right_adults(school_db: Path) -> None:
    db = open_database(school_db)
    groups = need_groups(db, TODAY)
    by_need = {(g.need, g.tier, g.incoming): g for g in groups}
    slcn = by_need[(NeedType.SLCN, Tier.TARGETED, False)]
    assert slcn.count == 30 and len(slcn.adults) == 3
    incoming = by_need[(NeedType.ASD, Tier.SPECIALIST, True)]
    assert incoming.count == 1 and incoming.starts == dt.date(2027, 9, 1)
    assert len(incoming.one_to_one) == 1 and incoming.one_to_one <= incoming.adults
    assert sum(g.count for g in groups) == 51


def test_a_development_plan_weight_can_change_the_ranking(school_db: Path) -> None:
    db = open_database(school_db)
    school_id = db.execute("SELECT id FROM schools").fetchone()[0]
    before = load_priorities(db, TODAY, school_id)
    assert before.priorities[0].need is NeedType.ASD
    # A weight on SLCN cannot lift a need with no gap; a training record can close ASD's.
    save_weight(db, school_id, "ASD", 1.0)
    weighted = load_priorities(db, TODAY, school_id).priorities[0]
    assert weighted.score == pytest.approx(before.priorities[0].score * 2)
    assert "development plan priority (+100%)" in weighted.reason()
    save_weight(db, school_id, "ASD", 0)
    assert load_priorities(db, TODAY, school_id).priorities[0].weight == 0


def test_cli_json_lists_best_first_with_the_documented_fields(
    school_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["priorities", "--db", str(school_db), "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [item["rank"] for item in items] == list(range(1, len(items) + 1))
    assert items[0]["need"] == "ASD" and items[0]["area"] == "communication_interaction"
    for key in ("score", "pupils", "staff_relevant", "staff_trained", "reason"):
        assert key in items[0]
    assert items[0]["score"] >= items[1]["score"]


def test_markdown_export_bands_small_counts_and_names_no_pupil(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "priorities.md"
    args = ["export", "priorities", "--format", "markdown", "-o", str(out)]
    assert main([*args, "--db", str(school_db), "--school", "elm"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# SEND training priorities: Elm School")
    assert "| 1 | ASD (Autistic spectrum disorder) |" in text
    assert "fewer than 5 with EHCPs" in text or "fewer than 5 joining" in text
    for forbidden in ("Starter", "Slcn1", upn(99), "2015-01-01", "01/01/2015"):
        assert forbidden not in text


def test_an_unknown_school_is_a_usage_error(
    school_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["priorities", "--db", str(school_db), "--school", "Nowhere"]) == 2
    assert "no school called 'Nowhere'" in capsys.readouterr().err
