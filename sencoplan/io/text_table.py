"""Tables for the terminal: the `table` format of the read commands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH = 120
"""Long cells fold at this width, so a table reads the same in any terminal or log."""


def text_table(title: str | None, headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A boxed table, long cells folded (rich is imported only when a table is drawn)."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", expand=False)
    for heading in headings:
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    buffer = StringIO()
    Console(file=buffer, width=WIDTH, color_system=None, markup=False).print(table)
    return buffer.getvalue().rstrip("\n")
