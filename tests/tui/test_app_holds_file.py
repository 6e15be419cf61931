"""The app keeps the file open while it shows it, so a restore cannot swap it underneath."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sencoplan.store.backup import BackupError, backup_file, restore_file
from sencoplan.tui.app import SencoplanApp
from tests.tui.conftest import settle


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_restore_is_refused_while_the_app_shows_the_file(
    small_app: SencoplanApp, small_db: Path, tmp_path: Path
) -> None:
    copy = backup_file(small_db, tmp_path / "copy.db")
    async with small_app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        before = _digest(small_db)
        with pytest.raises(BackupError, match="open"):
            restore_file(copy, small_db)
        assert _digest(small_db) == before
        await pilot.press("2")  # the app still works on its file
        await settle(pilot)
        assert small_app.screen.query("#staff")
    # once the app has closed, the same restore goes ahead
    small_app._holder = None
    import gc

    gc.collect()
    restore_file(copy, small_db)
