"""The command table: each command's module loads only when that command runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sencoplan.cli.main import COMMANDS, build_parser, command_module, named_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent

LOADED = """
import json, sys
from sencoplan.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("sencoplan"))), file=sys.stderr)
"""


def loaded_by(argv: list[str]) -> set[str]:
    """The sencoplan modules a fresh interpreter has loaded after running argv."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(argv=argv)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_help_loads_no_command_and_nothing_of_the_store() -> None:
    loaded = loaded_by(["--help"])
    assert "sencoplan.cli.main" in loaded
    assert not {f"sencoplan.cli.{c.module}" for c in COMMANDS.values()} & loaded
    assert not any(name.startswith(("sencoplan.store", "sencoplan.tui")) for name in loaded)


def test_a_command_loads_its_own_module_only(tmp_path: Path) -> None:
    loaded = loaded_by(["check", "--db", str(tmp_path / "missing.db")])
    commands = {f"sencoplan.cli.{c.module}" for c in COMMANDS.values()} & loaded
    assert commands == {"sencoplan.cli.check"}
    assert not any(name.startswith("sencoplan.tui") for name in loaded)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["import", "pupils", "roll.csv"], "import"),
        (["--db", "import", "check"], "check"),  # a database file called "import"
        (["--presenter"], None),
        (["--db", "x.db"], None),
        (["nonsense"], None),
    ],
)
def test_the_command_is_read_from_the_words_before_its_options(
    argv: list[str], command: str | None
) -> None:
    assert named_command(argv) == command


def test_every_command_has_its_options_and_handler(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()  # every module loaded: each must build its options
    for name in COMMANDS:
        assert callable(command_module(name).run)
        with pytest.raises(SystemExit):
            parser.parse_args([name, "--help"])
        out = capsys.readouterr().out
        assert f"usage: sencoplan {name}" in out and "--db PATH" in out, name


def test_encrypt_and_decrypt_each_say_what_they_do(capsys: pytest.CaptureFixture[str]) -> None:
    for name, words in (("encrypt", "encrypted with SQLCipher"), ("decrypt", "encrypted database")):
        with pytest.raises(SystemExit):
            build_parser([name]).parse_args([name, "--help"])
        assert words in capsys.readouterr().out
