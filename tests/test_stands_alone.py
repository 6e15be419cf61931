"""The project stands alone: nothing in it points at design notes outside the repository."""

from __future__ import annotations

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
