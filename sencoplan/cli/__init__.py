"""The command line: open the app, build the demo, import files, write reports, look after
the database file. One module per command; `main` is the `sencoplan` script."""

from sencoplan.cli.main import main

__all__ = ["main"]
