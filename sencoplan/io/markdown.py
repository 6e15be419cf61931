"""Small helpers for markdown that any CommonMark/GFM viewer renders as meant."""

from __future__ import annotations

import re
from collections.abc import Sequence

SMALL_COUNT = 5
"""Counts below this can identify a child: reports band them."""


def banded(count: int) -> str:
    """A pupil count as a report may show it: 'fewer than 5' below the threshold."""
    return str(count) if count == 0 or count >= SMALL_COUNT else f"fewer than {SMALL_COUNT}"


def cell(text: object) -> str:
    """Text safe inside a table cell: pipes escaped, line breaks flattened."""
    return re.sub(r"\s*\n\s*", " ", str(text)).replace("\\", "\\\\").replace("|", "\\|")


def inline(text: object) -> str:
    """Text safe in a paragraph or list item: markdown's special characters escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", str(text))


def table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = [
        "| " + " | ".join(cell(heading) for heading in headings) + " |",
        "| " + " | ".join("---" for _ in headings) + " |",
    ]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines)
