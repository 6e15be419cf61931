"""The project stands alone: nothing in it points at design notes outside the repository."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_file_cites_a_design_document_outside_the_repository() -> None:
    citing = [
        str(path.relative_to(ROOT))
        for folder in ("sencoplan", "tests", "benchmarks", "sample_data")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".md", ".tcss", ".toml"}
        and path != Path(__file__)
        and ("DESIGN.md" in (text := path.read_text(encoding="utf-8")) or "../shared" in text)
    ]
    assert citing == []


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in helper modules (core_helpers, priority_strategies,
    tests/tui/conftest), so running one test file never runs another's tests."""
    importing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(
            ("from test_", "import test_", "from tests.test_", "from tests.tui.test_")
        )
    ]
    assert importing == []


def test_the_sample_generator_reproduces_sample_data_byte_for_byte(tmp_path: Path) -> None:
    """sample_data/ is what make_sample_data.py writes (so a change to one is a change to
    both), and its UPNs use an LA code no real authority has (950-999)."""
    import importlib.util
    import sys

    from sencoplan.invented.upns import INVENTED_LA_CODES

    spec = importlib.util.spec_from_file_location(
        "make_sample_data", ROOT / "sample_data" / "make_sample_data.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(generator)
    finally:
        del sys.modules[spec.name]
    generator.main(tmp_path)
    made = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.csv")}
    kept = {
        p.relative_to(ROOT / "sample_data"): p.read_bytes()
        for p in (ROOT / "sample_data").rglob("*.csv")
    }
    assert made.keys() == kept.keys()
    assert [name for name in made if made[name] != kept[name]] == []
    assert generator.LA_CODE in INVENTED_LA_CODES
    for school in ("oakfield-primary-school", "riverside-academy"):
        with (tmp_path / school / "pupils.csv").open(encoding="utf-8", newline="") as handle:
            upns = [row["UPN"] for row in csv.DictReader(handle) if row["UPN"]]
        assert upns and all(int(upn[1:4]) == generator.LA_CODE for upn in upns)


def test_sql_lives_in_store() -> None:
    """Every query is a named function in sencoplan/store/: no SQL in a string, nor a
    connection's execute, anywhere else in the package."""
    import re

    sql = re.compile(
        r"""["'](SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|WITH)\s|\.execute\(|executemany|"""
        r"""insert_all|upsert_all"""
    )
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "sencoplan").rglob("*.py")
        if "store" not in path.relative_to(ROOT / "sencoplan").parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if sql.search(line)
    ]
    assert found == []
