"""The docs stay true: every heading the importers accept is in docs/importing.md, every
command's options in docs/commands.md are the CLI's own, every link leads somewhere, and
the README's test command is what CI runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sencoplan.cli.imports import IMPORT_KINDS
from sencoplan.cli.main import COMMANDS, build_parser
from sencoplan.io.help_pages import PAGES, read_page
from sencoplan.io.importers import IMPORTERS
from sencoplan.tui.screens.import_file import KIND_LABELS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
IMPORTING = (DOCS / "importing.md").read_text(encoding="utf-8")
COMMAND_ROWS = [
    line
    for line in (DOCS / "commands.md").read_text(encoding="utf-8").splitlines()
    if line.startswith("| `sencoplan")
]


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_accepted_heading_is_in_the_import_reference(kind: str) -> None:
    missing = [
        heading
        for column in IMPORTERS[kind].columns
        for heading in column.headings
        if f"`{heading}`" not in IMPORTING
    ]
    assert missing == []


def test_every_import_kind_is_in_the_reference_and_the_cli() -> None:
    assert set(IMPORT_KINDS) == set(IMPORTERS)
    assert set(KIND_LABELS) == set(IMPORTERS)  # the app's import dialog offers every kind
    for kind in IMPORT_KINDS:
        assert f"`{kind}`" in IMPORTING


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """Each option's spellings (`-o`, `--output`), leaving out --help and --version."""
    return [
        tuple(action.option_strings)
        for action in parser._actions
        if action.option_strings and action.dest not in {"help", "version"}
    ]


def _usage(command: str | None) -> str:
    """The usage cells of the command's rows (export has one row per report)."""
    start = "| `sencoplan " + (f"{command} " if command else "[")
    rows = [line.split(" | ")[0] for line in COMMAND_ROWS if line.startswith(start)]
    assert rows, f"no row for {command} in docs/commands.md"
    return " ".join(rows)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_the_command_reference_has_the_options_the_cli_has(command: str | None) -> None:
    """Each command's usage in docs/commands.md names every option its parser takes, and
    no other: the reference and `--help` cannot drift apart."""
    top = build_parser()
    parser = top if command is None else _subparsers(top)[command]
    usage = _usage(command)
    written = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", usage))
    taken = _options(parser)
    assert [spellings for spellings in taken if not written & set(spellings)] == []
    known = {spelling for spellings in taken for spelling in spellings}
    assert written - known == set()


def test_the_command_reference_lists_every_command_and_no_other() -> None:
    named = {re.match(r"\| `sencoplan (\w+)", row) for row in COMMAND_ROWS}
    assert {m.group(1) for m in named if m} == set(COMMANDS)


def test_every_page_of_the_help_is_in_docs_and_linked_from_the_readme() -> None:
    assert {page.file for page in PAGES} == {path.name for path in DOCS.glob("*.md")}
    for page in PAGES:
        assert f"](docs/{page.file})" in README
        assert read_page(page.file).startswith("# ")


def _anchor(heading: str) -> str:
    """A heading's anchor as GitHub and CommonMark renderers make it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("source", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))])
def test_every_link_between_the_pages_leads_to_a_page_and_a_heading(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    local = [link for link in links if not re.match(r"[a-z]+:", link)]
    for link in local:
        file, _, anchor = link.partition("#")
        target = (source.parent / file) if file else source
        assert target.is_file(), f"{source.name}: {link}"
        if anchor:
            headings = re.findall(r"(?m)^#+ (.+)$", target.read_text(encoding="utf-8"))
            assert anchor in {_anchor(h) for h in headings}, f"{source.name}: {link}"


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/pip install -e '.[test]' && .venv/bin/pytest -n auto\n" in README
    assert ".venv/bin/pip install --quiet -e '.[test]'" in ci
    assert "\n.venv/bin/pytest -n auto\n" in ci
