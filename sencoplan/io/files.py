"""Writing an export: readable by its owner only, and never left half written.

A report about children's needs should not be readable by every account on the machine,
and a write cut short (a full disk, the laptop shutting) should not leave half a report
that looks whole. `write_private` writes to a new file beside the target, created with
mode 0600 (owner read and write), flushes it to disk, then renames it over the target in
one step: the target is either the old file, or the whole new one, always mode 0600.

On Windows the mode only sets or clears the read-only flag; who may read the file is
decided by the folder's permissions (a user's own folders are private by default).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o600
"""Owner read and write; no one else anything."""


def write_private(path: Path | str, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write `data` (text is encoded with `encoding`) to `path`, mode 0600, all or nothing.

    A path that exists and is not a regular file (a pipe, /dev/stdout) is written to
    directly: it cannot be replaced, and there is no file to leave half written.
    """
    target = Path(path)
    content = data.encode(encoding) if isinstance(data, str) else data
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.stat(target).st_mode):
            with open(target, "wb") as stream:
                stream.write(content)
            return target
    # mkstemp creates the file with O_EXCL and mode 0600, so it is never readable by
    # others, not even for a moment; fchmod makes sure whatever the platform's default.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            if hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), PRIVATE_MODE)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder to sync it)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
