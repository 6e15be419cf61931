"""Small helpers for markdown that any CommonMark/GFM viewer renders as meant."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sencoplan.domain.messages import SMALL_COUNT, banded

__all__ = ["SMALL_COUNT", "banded", "cell", "inline", "table"]


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
