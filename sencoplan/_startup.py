"""Start-up: keep numpy out of sqlite-utils' import.

sqlite-utils imports numpy whenever it is installed, only to map numpy's number types to
column types. sencoplan never stores a numpy value, but numpy is installed (HiGHS, the plan
solver, needs it), and importing it cost about 50 ms of every start, before the register
could be drawn. This finder turns numpy away from sqlite-utils' module alone (as if it
were not installed), then steps aside; the solver imports it as usual when a plan is made.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType


class NumpyNotForSqliteUtils:
    """A finder on sys.meta_path (it needs only find_spec: importlib.abc would cost 10 ms
    of imports of its own)."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname != "numpy":
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") == "sqlite_utils.db":
                sys.meta_path.remove(self)  # once is all sqlite-utils asks
                raise ModuleNotFoundError("numpy is not used by sencoplan's sqlite-utils")
            frame = frame.f_back  # type: ignore[assignment]
        return None


def keep_numpy_out_of_sqlite_utils() -> None:
    """Before sqlite-utils is first imported (a no-op after, or if numpy is loaded)."""
    if "sqlite_utils.db" in sys.modules or "numpy" in sys.modules:
        return
    if not any(isinstance(finder, NumpyNotForSqliteUtils) for finder in sys.meta_path):
        sys.meta_path.insert(0, NumpyNotForSqliteUtils())
