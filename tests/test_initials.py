"""Presenter mode shows pupils by their initials: never more than one letter of a name."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sencoplan.domain.names import initials


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Zoë O'Brien", "Z. O."),
        ("ann smith", "A. S."),
        ("Mary Jane Smith", "M. S."),  # middle names left out
        ("Łukasz Wiśniewski", "Ł. W."),
        ("Ólafur", "Ó."),
        ("  (Dev)  Patel-Shah ", "D. P."),
        ("ßara Öz", "ß. Ö."),  # 'ß' capitalised is 'SS': two letters, so kept as it is
        ("ﬁona Ng", "F. N."),  # a ligature is two letters
        ("42", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_initials(name: str | None, shown: str) -> None:
    assert initials(name) == shown


LETTER_RUN = re.compile(r"[^\W\d_]+")


@given(st.text(st.characters(codec="utf-8"), max_size=60))
@example("Ǆemal Ǉubić")  # one character that is drawn as two letters
@example("ﬀ ﬃ")
def test_never_more_than_one_letter_of_any_part(name: str) -> None:
    shown = initials(name)
    for text in (shown, unicodedata.normalize("NFKC", shown)):
        assert all(len(run) == 1 for run in LETTER_RUN.findall(text)), text
    assert len(LETTER_RUN.findall(shown)) <= 2
    assert re.fullmatch(r"(?:\S\.(?: \S\.)?)?", shown)
    # No word of two letters or more of the name is shown.
    for word in unicodedata.normalize("NFKC", name).split():
        for run in LETTER_RUN.findall(word):
            if len(run) > 1:
                assert run.casefold() not in shown.casefold()
