"""Putting people's names in the order a person expects: case and accents ignored.

Sorting by the raw text puts "Amélie" after "Amira" and "Łukasz" after "Zuzanna" (code point
order); a register is read alphabetically, so names sort on a key that folds them to plain
letters: NFKD decomposition with the combining marks dropped, then casefold. A few letters
have no decomposition (Ł, Ø, Đ, Æ...) and are spelt out first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from difflib import get_close_matches

_UNDECOMPOSED = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Ħ": "H",
        "ħ": "h",
        "Ŧ": "T",
        "ŧ": "t",
        "ı": "i",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "TH",
        "þ": "th",
    }
)


def name_sort_key(name: str) -> str:
    """'Amélie' -> 'amelie', 'Łukasz' -> 'lukasz', 'STRAßE' -> 'strasse'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def initials(name: str | None) -> str:
    """A name as its initials, for a screen others can see: 'Zoë O'Brien' -> 'Z. O.'.

    The first letter of the first and of the last word, each followed by a full stop
    (middle names are left out: fewer letters, less to recognise). A word with no letter
    in it is skipped; no name at all gives ''. Never more than one letter of any word:
    a letter whose capital is longer ('ß' -> 'SS') is kept as it is.
    """
    letters = []
    # NFKC first: a ligature such as 'ﬁ' is one character but two letters ('fi').
    for word in unicodedata.normalize("NFKC", name or "").split():
        first = next((char for char in word if char.isalpha()), None)
        if first is not None:
            upper = first.upper()
            letters.append(upper if len(upper) == 1 else first)
    if len(letters) > 2:
        letters = [letters[0], letters[-1]]
    return " ".join(f"{letter}." for letter in letters)


def nearest(name: str, names: Iterable[str]) -> str:
    """' (did you mean Joanne Smith or Joanne Sutton?)', or '' when no name is near; a
    name two people share is offered once."""
    near = get_close_matches(name, list(dict.fromkeys(names)), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(near)}?)" if near else ""


def ids_from_names(
    names: Mapping[int, str], text: str, *, whom: str = "member of staff"
) -> tuple[int, ...]:
    """'Amira Khan; Ben Jones' -> their ids, in order (case and accents ignored); names that
    are no one's (of `whom` the names are) are an error naming each, with the nearest."""
    by_key = {name_sort_key(name): person for person, name in names.items()}
    ids, unknown = [], []
    for name in (part.strip() for part in text.split(";")):
        if not name:
            continue
        person = by_key.get(name_sort_key(name))
        if person is None:
            unknown.append(f"{name!r}{nearest(name, names.values())}")
        else:
            ids.append(person)
    if unknown:
        called = "called" if len(unknown) == 1 else "called any of"
        raise ValueError(f"no {whom} {called} {'; '.join(unknown)}")
    return tuple(dict.fromkeys(ids))
