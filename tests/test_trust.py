"""A trust's schools side by side: who could help whom, and the board's paper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.priorities import Priority
from sencoplan.domain.trust import GAP, STRONG, link_schools


def _line(need: NeedType, school: int, coverage: float, pupils: int = 10) -> Priority:
    demand = float(pupils)
    return Priority(
        need,
        pupils=pupils,
        pupils_by_tier={Tier.TARGETED: pupils},
        demand=demand,
        gap=demand * (1 - coverage),
        school_ids=[school],
    )


def test_the_strongest_school_is_linked_with_those_behind_it() -> None:
    lines = {
        1: [_line(NeedType.SLCN, 1, 0.35), _line(NeedType.ASD, 1, 0.40)],
        2: [_line(NeedType.SLCN, 2, 0.72), _line(NeedType.ASD, 2, 0.42)],
        3: [_line(NeedType.SLCN, 3, 0.70)],
    }
    names = {1: "Oakfield", 2: "Riverside", 3: "Brook"}
    leaders = {2: {NeedType.SLCN: [("Jane Doe", ["SLCN-T"])]}}
    (slcn,) = link_schools(lines, names, leaders)  # ASD: no school covers half its need
    assert slcn.need is NeedType.SLCN and slcn.strong.school == "Riverside"
    assert [w.school for w in slcn.weak] == ["Oakfield"]  # Brook is within GAP of Riverside
    assert slcn.sentence() == (
        "SLCN: Riverside covers 72% of its pupils' need, Oakfield (35%) less. "
        "At Riverside, Jane Doe (SLCN-T) could train Oakfield's staff."
    )
    assert STRONG == 0.5 and GAP == 0.05


def test_a_link_with_no_leader_says_who_to_name() -> None:
    lines = {1: [_line(NeedType.PD, 1, 0.3)], 2: [_line(NeedType.PD, 2, 0.8)]}
    (pd,) = link_schools(lines, {1: "Ash", 2: "Birch"}, {})
    assert "No one at Birch is named or trained to lead its PD modules yet" in pd.sentence()


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trust") / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    return path


def test_the_sample_trusts_links_name_who_could_lead(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["trust", "links", "--format", "json", "--db", str(trust)]) == 0
    links = {item["need"]: item for item in json.loads(capsys.readouterr().out)}
    slcn = links["SLCN"]
    assert slcn["strong"]["school"] == "Riverside Academy"
    assert [b["school"] for b in slcn["behind"]] == ["Oakfield Primary School"]
    assert slcn["strong"]["coverage"] - slcn["behind"][0]["coverage"] >= GAP
    leaders = slcn["leaders"]
    assert leaders and all(
        any(code.startswith(("SLCN", "AUT")) for code in each["modules"]) for each in leaders
    )
    assert leaders[0]["modules"][0] == "SLCN-S"  # who can lead the highest level first


def test_the_board_paper_reads_the_trusts_own_figures(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.md"
    assert main(["trust", "paper", "-o", str(out), "--db", str(trust)]) == 0
    paper = out.read_text(encoding="utf-8")
    for heading in (
        "## The top needs, and where they are",
        "## Coverage by school",
        "## Schools that could help each other",
        "## Succession",
        "## Training spend against budget",
        "## Pupils joining",
    ):
        assert heading in paper
    assert "Oakfield Primary School has no Deputy SENCO" in paper
    assert "Riverside Academy: 25 joining, 12 with SEN, 8 from the trust's own schools" in paper
    assert "| Oakfield Primary School |" in paper and "withheld" not in paper
    assert main(["trust", "paper", "--format", "json", "--db", str(trust)]) == 2


def test_one_session_is_suggested_where_several_schools_lack_the_same_training() -> None:
    from sencoplan.domain.models import Module
    from sencoplan.domain.staff_codes import ModuleLevel
    from sencoplan.domain.trust import SHARED_MIN, one_session_for_several

    def line(need: NeedType, school: int, relevant: int, trained: int) -> Priority:
        found = _line(need, school, 0.5)
        found.staff_relevant, found.staff_trained = relevant, trained
        return found

    lines = {
        1: [line(NeedType.SLCN, 1, 20, 10), line(NeedType.ASD, 1, 20, 19)],
        2: [line(NeedType.SLCN, 2, 40, 10), line(NeedType.ASD, 2, 40, 10)],
    }
    modules = [
        Module(
            id=1, code="SLCN-T", title="Talk", needs=(NeedType.SLCN,), level=ModuleLevel.TARGETED
        ),
        Module(
            id=2, code="AUT-T", title="Autism", needs=(NeedType.ASD,), level=ModuleLevel.TARGETED
        ),
    ]
    (slcn,) = one_session_for_several(lines, {1: "Ash", 2: "Birch"}, modules)
    assert slcn.need is NeedType.SLCN
    assert slcn.schools == [("Birch", 30), ("Ash", 10)] and slcn.modules == ["SLCN-T"]
    assert SHARED_MIN == 5  # ASD: Ash's one untrained person is not enough to share for
