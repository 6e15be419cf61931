"""What is wrong with an import file, row by row, in words a SENCO can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the file line (1 is the heading row), the column heading, the reason.

    line 0 means the whole file (for example a missing column).
    """

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = "file" if self.line == 0 else f"line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class ImportRejected(Exception):
    """The file was refused whole: nothing was written."""

    def __init__(self, source: str, errors: list[RowError]) -> None:
        self.source = source
        self.errors = sorted(errors)
        lines = "\n".join(f"  {error}" for error in self.errors[:200])
        more = len(self.errors) - 200
        if more > 0:
            lines += f"\n  ... and {more} more"
        rows = len({error.line for error in self.errors if error.line})
        summary = f"{source}: refused, nothing was imported"
        if rows:
            summary += f" ({rows} bad row{'s' if rows != 1 else ''})"
        super().__init__(f"{summary}\n{lines}")
        self.summary = summary
