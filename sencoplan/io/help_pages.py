"""The reference pages in docs/, which the README links to and the app's F1 shows: written
once, read by both."""

from __future__ import annotations

from typing import NamedTuple

from sencoplan.io.shipped import shipped_folder


class Page(NamedTuple):
    file: str
    title: str


PAGES = (
    Page("app.md", "The app: screens and keys"),
    Page("cycle.md", "The CPD cycle"),
    Page("commands.md", "The command line"),
    Page("importing.md", "Importing"),
    Page("provision.md", "The provision map and reviews"),
    Page("how-it-works.md", "How priorities and risks are worked out"),
    Page("your-data.md", "Your data"),
    Page("speed.md", "How fast it is"),
    Page("developers.md", "For developers"),
)
"""Every page, in the order the help lists them (the first opens first)."""


def read_page(file: str) -> str:
    """A page's markdown; one not shipped says so rather than failing the help."""
    if file not in {page.file for page in PAGES}:
        raise ValueError(f"no help page {file!r}")
    try:
        return (shipped_folder("docs") / file).read_text(encoding="utf-8")
    except OSError as error:
        return f"# {file}\n\nThis page could not be read: {error.strerror or error}."
