"""Folders shipped with sencoplan beside its code: `sample_data/` and `docs/`.

An installed wheel carries them inside the package (pyproject's force-include); a source
checkout (and an editable install) has them at its top level.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def shipped_folder(name: str) -> Path:
    """The folder inside the installed package, else beside it in a source checkout."""
    packaged = PACKAGE / name
    if packaged.is_dir():
        return packaged
    return PACKAGE.parent / name
