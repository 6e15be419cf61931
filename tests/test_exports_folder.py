"""Where the app's exports go: one folder chosen once, never the folder it started in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sencoplan.io import exports_folder as module


def test_the_default_is_documents_else_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SENCOPLAN_EXPORTS")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert module.exports_folder() == tmp_path / "data" / "sencoplan" / "exports"
    (tmp_path / "Documents").mkdir()
    assert module.exports_folder() == tmp_path / "Documents" / "sencoplan"


def test_a_chosen_folder_is_kept_and_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SENCOPLAN_EXPORTS")
    chosen = module.choose_exports_folder(tmp_path / "board papers")
    assert chosen == (tmp_path / "board papers").resolve()
    assert module.exports_folder() == chosen
    assert module.ready_exports_folder() == chosen and chosen.is_dir()
    settings = module.settings_path()
    if os.name == "posix":
        assert settings.stat().st_mode & 0o077 == 0
    settings.write_text("not json", encoding="utf-8")  # a damaged settings file: the default
    assert module.exports_folder() == module.default_exports_folder()


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        module.choose_exports_folder(tmp_path / "taken")
