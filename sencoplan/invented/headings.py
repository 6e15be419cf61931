"""File headings for invented import files, checked against the importers' own column
lists: a generator that writes a heading no importer reads fails when it runs, not when a
user's demo quietly loses a column."""

from __future__ import annotations

from collections.abc import Sequence

from sencoplan.io.importers import IMPORTERS
from sencoplan.io.tabular import fold_heading


def accepted(kind: str) -> dict[str, str]:
    """Every heading the importer of `kind` reads (folded) -> the field it fills."""
    return {
        fold_heading(heading): column.field
        for column in IMPORTERS[kind].columns
        for heading in column.headings
    }


def headings(kind: str, written: Sequence[str]) -> list[str]:
    """The headings as a file of `kind` will carry them, each one the importer reads and no
    field twice; raises ValueError naming any that is not."""
    known = accepted(kind)
    unknown = [heading for heading in written if fold_heading(heading) not in known]
    if unknown:
        raise ValueError(f"the {kind} importer reads no heading {', '.join(map(repr, unknown))}")
    fields = [known[fold_heading(heading)] for heading in written]
    twice = sorted({f for f in fields if fields.count(f) > 1})
    if twice:
        raise ValueError(f"the {kind} headings fill {', '.join(twice)} more than once")
    return list(written)


def documented(kind: str, *fields: str) -> list[str]:
    """The documented heading (each column's first) of each field, in the order given."""
    names = {column.field: column.name for column in IMPORTERS[kind].columns}
    return [names[field] for field in fields]
