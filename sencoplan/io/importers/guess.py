"""Which kind of file a table is, from its headings alone: the import dialog offers it so
a staff list chosen while 'Pupils' is selected is not read as a roll."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType

from sencoplan.io.tabular import fold_heading


def guess_kind(headings: Iterable[str], importers: Mapping[str, ModuleType]) -> str | None:
    """The one kind whose required columns are all there and whose columns the headings
    match most; None when no kind fits, or two fit equally well (the user chooses)."""
    folded = {fold_heading(heading) for heading in headings if heading}
    scores: dict[str, int] = {}
    for kind, importer in importers.items():
        found = [
            column
            for column in importer.columns
            if any(fold_heading(alias) in folded for alias in column.headings)
        ]
        if found and all(column in found for column in importer.columns if column.required):
            scores[kind] = len(found)
    if not scores:
        return None
    best = max(scores.values())
    fitting = [kind for kind, score in scores.items() if score == best]
    return fitting[0] if len(fitting) == 1 else None
