"""What is wrong with an import file, row by row, in words a SENCO can act on."""

from __future__ import annotations

from dataclasses import dataclass

from sencoplan.domain.messages import counted

MAX_REASON_CHARS = 400
MAX_COLUMN_CHARS = 80


def _clip(text: str, limit: int) -> str:
    """The text, or its start and end around an ellipsis when it is longer than `limit`."""
    if len(text) <= limit:
        return text
    keep = limit - 1
    return text[: keep - keep // 4] + "…" + text[len(text) - keep // 4 :]


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the file line (1 is the heading row), the column heading, the reason.

    line 0 means the whole file (for example a missing column).
    """

    line: int
    column: str
    reason: str

    def __post_init__(self) -> None:
        # A reason quotes the bad value, and a heading can be anything: a 10,000-character
        # cell would make an unreadable message, so both are cut short in the middle.
        object.__setattr__(self, "column", _clip(self.column, MAX_COLUMN_CHARS))
        object.__setattr__(self, "reason", _clip(self.reason, MAX_REASON_CHARS))

    def __str__(self) -> str:
        where = "file" if self.line == 0 else f"line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class ImportRejected(Exception):
    """The file was refused whole: nothing was written.

    `whole_file`: the problem is the file itself (not a spreadsheet, no headings, text in
    no encoding sencoplan reads), not rows a SENCO could correct one by one; an error may
    still give the line where it shows. Left out, it is true when no error names a line.
    """

    def __init__(
        self,
        source: str,
        errors: list[RowError],
        *,
        whole_file: bool | None = None,
        ignored: list[str] | None = None,
    ) -> None:
        self.source = source
        self.errors = sorted(errors)
        self.ignored = list(ignored or [])
        self.whole_file = (
            all(not error.line for error in self.errors) if whole_file is None else whole_file
        )
        lines = "\n".join(f"  {error}" for error in self.errors[:200])
        more = len(self.errors) - 200
        if more > 0:
            lines += f"\n  ... and {more} more"
        rows = 0 if self.whole_file else len({error.line for error in self.errors if error.line})
        summary = f"{source}: refused, nothing was imported"
        if rows:
            summary += f" ({counted(rows, 'bad row')})"
        if self.ignored:  # a misnamed heading shows beside the error it caused
            lines += (
                f"\n  columns not read: {', '.join(self.ignored)} (a heading misnamed? "
                "docs/importing.md lists the headings each file's columns take)"
            )
        super().__init__(f"{summary}\n{lines}")
        self.summary = summary

    def ignoring(self, columns: list[str]) -> ImportRejected:
        """The same refusal, saying which of the file's columns were not read."""
        return ImportRejected(self.source, self.errors, whole_file=self.whole_file, ignored=columns)
