"""`sencoplan export succession` on the demo trust: the paper says what the engine computes,
names no pupil, and its tables are well formed.

The command uses the real date, so these tests compare with what the store and the engine
compute for `datetime.date.today()`, never with fixed dates.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.domain.succession import Risk, lacks_deputy, school_risks, trust_risks
from sencoplan.io.markdown import inline
from sencoplan.store.db import open_database
from sencoplan.store.schools import list_schools
from sencoplan.store.succession import school_facts

OAK = "Oakfield Primary School"
RIVER = "Riverside Academy"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("succession") / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    return path


def export(demo: Path, out: Path, *scope: str) -> str:
    assert main(["export", "succession", *scope, "-o", str(out), "--db", str(demo)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def oak_paper(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return export(demo, tmp_path_factory.mktemp("oak") / "oak.md", "--school", "oak")


@pytest.fixture(scope="module")
def trust_paper(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return export(demo, tmp_path_factory.mktemp("trust") / "trust.md", "--trust")


def school_ids(demo: Path) -> dict[str, int]:
    db = open_database(demo)
    try:
        return {s.name: s.id for s in list_schools(db) if s.id is not None}
    finally:
        db.close()


def computed(demo: Path, name: str) -> list[Risk]:
    today = dt.date.today()
    db = open_database(demo)
    try:
        return school_risks(school_facts(db, school_ids(demo)[name], today), today)
    finally:
        db.close()


def section(text: str, start: str, end: str) -> list[str]:
    """The non-blank lines between two headings."""
    lines = text.splitlines()
    first = lines.index(start)
    last = lines.index(end, first)
    return [line for line in lines[first + 1 : last] if line.strip()]


def assert_risk_lines(lines: list[str], risks: list[Risk]) -> None:
    assert len(lines) == len(risks)
    for n, (line, risk) in enumerate(zip(lines, risks, strict=True), start=1):
        assert line.startswith(
            f"{n}. **{risk.severity.value}** · {inline(risk.subject)}: {inline(risk.what)}. "
        ), line
        assert line.endswith(f"*To clear it:* {inline(risk.clear_by)}."), line


def test_the_school_paper_lists_exactly_the_engines_risks(oak_paper: str, demo: Path) -> None:
    assert oak_paper.startswith(f"# SENCO succession review: {OAK}\n")
    risks = computed(demo, OAK)
    assert risks, "the demo school has succession risks"
    assert_risk_lines(section(oak_paper, "## Risks", "## Roles and bench"), risks)
    assert RIVER not in oak_paper


def test_the_school_paper_shows_every_role(oak_paper: str, demo: Path) -> None:
    today = dt.date.today()
    db = open_database(demo)
    try:
        roles = school_facts(db, school_ids(demo)[OAK], today).roles
    finally:
        db.close()
    rows = section(oak_paper, "## Roles and bench", "## Who can lead training (internal modules)")
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows[2:]] == [r.title for r in roles]
    assert any(row.startswith("| Deputy SENCO | vacant |") for row in rows)


def test_the_trust_paper_covers_both_schools(trust_paper: str, demo: Path) -> None:
    lines = trust_paper.splitlines()
    assert lines[0] == "# SENCO succession review: the trust"
    assert f"Schools without a deputy SENCO: {OAK}." in lines
    assert f"## {OAK}" in lines and f"## {RIVER}" in lines
    today = dt.date.today()
    ids = school_ids(demo)
    db = open_database(demo)
    try:
        facts = [school_facts(db, ids[name], today) for name in (OAK, RIVER)]
    finally:
        db.close()
    assert [lacks_deputy(f) for f in facts] == [True, False]
    for f in facts:
        risks = school_risks(f, today)
        high = sum(1 for r in risks if r.severity.value == "high")
        deputy = "no" if lacks_deputy(f) else "yes"
        assert f"| {f.school.name} | {high} | {len(risks)} | {deputy} |" in lines
        heading = f"## {f.school.name}"
        assert_risk_lines(
            section(trust_paper[trust_paper.index(heading) :], "### Risks", "### Roles and bench"),
            risks,
        )
    across = trust_risks(facts)
    assert across, "Riverside's ready-now deputy could cover Oakfield's SENCO"
    numbered = section(trust_paper, "## Across the trust", f"## {OAK}")
    assert_risk_lines([line for line in numbered if re.match(r"\d+\. ", line)], across)


def test_without_school_or_trust_the_paper_covers_the_trust(
    trust_paper: str, demo: Path, tmp_path: Path
) -> None:
    assert export(demo, tmp_path / "all.md") == trust_paper


def forbidden_pupil_strings(demo: Path) -> set[str]:
    db = open_database(demo)
    try:
        rows = db.execute("SELECT display_name, upn, date_of_birth FROM pupils").fetchall()
    finally:
        db.close()
    assert len(rows) > 1000
    found: set[str] = set()
    for name, upn, born in rows:
        found |= {text for text in (name, upn) if text}
        if born:
            day = dt.date.fromisoformat(born)
            found |= {day.isoformat(), f"{day:%d/%m/%Y}"}
    return found


@pytest.mark.parametrize("paper", ["oak_paper", "trust_paper"])
def test_no_pupil_is_named(paper: str, demo: Path, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(paper)
    leaked = sorted(s for s in forbidden_pupil_strings(demo) if s in text)
    assert leaked == []


_UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")


@pytest.mark.parametrize("paper", ["oak_paper", "trust_paper"])
def test_every_table_is_well_formed(paper: str, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(paper)
    lines = text.splitlines()
    tables = 0
    for n, line in enumerate(lines):
        if not line.startswith("|") or (n and lines[n - 1].startswith("|")):
            continue
        tables += 1
        assert n and lines[n - 1] == "", "a blank line before each table"
        rows = [line]
        for row in lines[n + 1 :]:
            if not row.startswith("|"):
                break
            rows.append(row)
        width = len(_UNESCAPED_PIPE.findall(line))
        assert re.fullmatch(r"\|( --- \|)+", rows[1])
        assert len(_UNESCAPED_PIPE.findall(rows[1])) == width
        for row in rows:
            assert len(_UNESCAPED_PIPE.findall(row)) == width, row
    assert tables == (3 if paper == "oak_paper" else 7)


def test_the_succession_paper_is_not_a_calendar(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "succession.ics"
    args = ["export", "succession", "--format", "ics", "-o", str(out), "--db", str(demo)]
    assert main(args) == 2
    assert "markdown" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_school_is_refused(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere.md"
    args = ["export", "succession", "--school", "Nowhere", "-o", str(out), "--db", str(demo)]
    assert main(args) == 2
    assert "no school called 'Nowhere'" in capsys.readouterr().err
    assert not out.exists()


def test_a_paper_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "one.db"
    assert main(["demo", "--no-tui", "--db", str(db)]) == 0
    capsys.readouterr()
    target = tmp_path / "no-such-folder" / "paper.md"
    assert main(["export", "succession", "--db", str(db), "-o", str(target)]) == 2
    assert "no-such-folder is not a folder: create it first" in capsys.readouterr().err
    assert not target.exists()
