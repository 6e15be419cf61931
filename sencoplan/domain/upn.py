"""Unique pupil numbers and their check letter, as the DfE specifies them.

A UPN is 13 characters: a check letter, then 12 characters (LA 3 digits,
establishment 4, year 2, serial 3 — or 2 digits and a letter for a temporary UPN).
"""

from __future__ import annotations

import functools
import re

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

_UPN_SHAPE = re.compile(r"[A-Z]\d{11}[0-9A-Z]")


_CHAR_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **{letter: index for index, letter in enumerate(CHECK_LETTERS)},
}
"""A digit counts as itself, a letter as its place in CHECK_LETTERS (looked up: a roll of
thousands is checked on every import)."""


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (weights 2..13, sum mod 23)."""
    if len(body) != 12:
        raise ValueError("a UPN body has 12 characters")
    total = 0
    for weight, char in enumerate(body, start=2):
        value = _CHAR_VALUES.get(char)
        if value is None:
            raise ValueError(f"{char!r} cannot appear in a UPN")
        total += value * weight
    return CHECK_LETTERS[total % 23]


@functools.lru_cache(maxsize=1 << 16)
def normalise_upn(text: str) -> str:
    """A UPN validated and upper-cased; raises ValueError saying exactly what is wrong."""
    upn = "".join(text.split()).upper()
    if len(upn) != 13:
        raise ValueError(f"UPN {text.strip()!r} has {len(upn)} characters, not 13")
    if not _UPN_SHAPE.fullmatch(upn):
        raise ValueError(f"UPN {text.strip()!r} is not a letter, 11 digits and a digit or letter")
    if upn[12].isalpha() and upn[12] not in CHECK_LETTERS:
        raise ValueError(f"UPN {text.strip()!r} ends in a letter a UPN never uses")
    expected = check_letter(upn[1:])
    if upn[0] != expected:
        raise ValueError(f"UPN {text.strip()!r} has check letter {upn[0]}, expected {expected}")
    return upn


def is_valid_upn(text: str) -> bool:
    try:
        normalise_upn(text)
    except ValueError:
        return False
    return True
