"""Where the app writes what it exports (x, p): one folder the user chooses once, never
silently the folder the app happened to be started in.

By default a `sencoplan` folder in Documents, or, where there is no Documents folder, the
data folder's `exports/`; $SENCOPLAN_EXPORTS overrides both. A folder chosen in the app is
kept in the user's settings file (readable by them only) and used from then on.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SETTING = "exports_folder"


def settings_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("sencoplan", appauthor=False) / "settings.json"


def _saved() -> Path | None:
    try:
        found = json.loads(settings_path().read_text(encoding="utf-8")).get(SETTING)
    except (OSError, ValueError, AttributeError):
        return None
    return Path(found).expanduser() if isinstance(found, str) and found else None


def default_exports_folder() -> Path:
    """Documents/sencoplan, else the data folder's exports/."""
    documents = Path.home() / "Documents"
    if documents.is_dir():
        return documents / "sencoplan"
    from platformdirs import user_data_path

    return user_data_path("sencoplan", appauthor=False) / "exports"


def exports_folder() -> Path:
    """$SENCOPLAN_EXPORTS, else the folder chosen in the app, else the default."""
    override = os.environ.get("SENCOPLAN_EXPORTS")
    if override:
        return Path(override).expanduser()
    return _saved() or default_exports_folder()


def ready_exports_folder() -> Path:
    """The exports folder, made (readable by its owner only) if it is not there yet."""
    folder = exports_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def choose_exports_folder(folder: Path) -> Path:
    """Keep `folder` as the exports folder from now on (made if need be)."""
    folder = folder.expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(settings, dict):
            settings = {}
    except (OSError, ValueError):
        settings = {}
    settings[SETTING] = str(folder)
    from sencoplan.io.files import write_private

    write_private(path, json.dumps(settings, indent=2))
    return folder
