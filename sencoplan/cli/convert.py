"""`sencoplan encrypt DEST` and `sencoplan decrypt DEST`: a checked copy of the database,
encrypted with SQLCipher or not; the database itself is not changed."""

from __future__ import annotations

import argparse
from pathlib import Path

from sencoplan.cli.common import EXIT_OK, db_option, db_path, writing

DESCRIPTIONS = {
    "encrypt": "Write a copy of the database (not encrypted) to DEST, encrypted with SQLCipher "
    "and the passphrase in the file $SENCOPLAN_KEY_FILE names, checked and readable by you "
    "only. Then use DEST (--db or $SENCOPLAN_DB) and delete the old file.",
    "decrypt": "Write a copy of the encrypted database (key: $SENCOPLAN_KEY_FILE) to DEST, "
    "not encrypted, checked and readable by you only.",
}


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTIONS[parser.prog.rsplit(" ", 1)[-1]]
    parser.add_argument("dest", type=Path, metavar="DEST", help="the new database file")
    parser.add_argument("--force", action="store_true", help="replace DEST if it exists")
    db_option(parser)


def run(args: argparse.Namespace) -> int:
    from sencoplan.store.backup import convert_file

    source = db_path(args)
    encrypt = args.command == "encrypt"
    with writing(args.dest):
        dest = convert_file(source, args.dest, encrypt=encrypt, force=args.force)
    state = "encrypted" if encrypt else "not encrypted"
    print(
        f"wrote {dest} from {source}: {state}, checked (integrity and foreign keys ok), mode 0600"
    )
    if encrypt:
        print(
            f"{source} is unchanged and not encrypted: open {dest} from now on, and once you "
            f"have checked it opens, delete {source} (and its backups) yourself"
        )
    return EXIT_OK
