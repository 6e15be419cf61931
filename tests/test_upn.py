"""UPN check letters, as the DfE specifies them (domain/upn.py says how)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sencoplan.domain.upn import CHECK_LETTERS, check_letter, is_valid_upn, normalise_upn

FAST = settings(max_examples=75, deadline=None)

permanent_bodies = st.text(alphabet=string.digits, min_size=12, max_size=12)
temporary_bodies = st.builds(
    lambda digits, letter: digits + letter,
    st.text(alphabet=string.digits, min_size=11, max_size=11),
    st.sampled_from(CHECK_LETTERS),
)


def value(char: str) -> int:
    """A character's value in the check sum: a digit itself, a letter its index."""
    return int(char) if char.isdigit() else CHECK_LETTERS.index(char)


def rejected(text: str) -> bool:
    with pytest.raises(ValueError):
        normalise_upn(text)
    return not is_valid_upn(text)


# --- the DfE vectors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "letter"), [("801200005001", "B"), ("207000016049", "P")], ids=["B", "P"]
)
def test_design_vectors(body: str, letter: str) -> None:
    assert check_letter(body) == letter
    assert normalise_upn(letter + body) == letter + body
    assert is_valid_upn(letter + body)


def test_check_letters_leave_out_the_ambiguous_ones() -> None:
    assert len(CHECK_LETTERS) == 23
    assert set(string.ascii_uppercase) - set(CHECK_LETTERS) == {"I", "O", "S"}


def test_check_letter_weights_by_position_two_to_thirteen() -> None:
    # A single 1 in the first body position weighs 2; in the last, 13.
    assert check_letter("100000000000") == CHECK_LETTERS[2]
    assert check_letter("000000000001") == CHECK_LETTERS[13]
    # A letter counts as its index: Z is 22, in the last position 22 * 13 = 286 = 10 mod 23.
    assert check_letter("00000000000Z") == CHECK_LETTERS[286 % 23]


def test_check_letter_needs_twelve_characters() -> None:
    with pytest.raises(ValueError, match="a UPN body has 12 characters"):
        check_letter("80120000500")


def test_temporary_upn_with_a_final_letter_is_accepted() -> None:
    body = "80120000501A"
    upn = check_letter(body) + body
    assert normalise_upn(upn) == upn


# --- how people type them --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["b801200005001", "B801 2000 05001", "  B 801 200 005 001  ", "b801200005001\t"],
)
def test_lowercase_and_spaces_accepted(typed: str) -> None:
    assert normalise_upn(typed) == "B801200005001"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("B80120000500", "UPN 'B80120000500' has 12 characters, not 13"),
        ("B8012000050011", "UPN 'B8012000050011' has 14 characters, not 13"),
        ("", "UPN '' has 0 characters, not 13"),
        (" B 80120000500 ", "UPN 'B 80120000500' has 12 characters, not 13"),
        (
            "B8012000050-1",
            "UPN 'B8012000050-1' is not a letter, 11 digits and a digit or letter",
        ),
        (
            "8801200005001",
            "UPN '8801200005001' is not a letter, 11 digits and a digit or letter",
        ),
        (
            "B8012000A5001",
            "UPN 'B8012000A5001' is not a letter, 11 digits and a digit or letter",
        ),
        ("B80120000500I", "UPN 'B80120000500I' ends in a letter a UPN never uses"),
        ("B80120000500O", "UPN 'B80120000500O' ends in a letter a UPN never uses"),
        ("B80120000500S", "UPN 'B80120000500S' ends in a letter a UPN never uses"),
        ("A801200005001", "UPN 'A801200005001' has check letter A, expected B"),
        ("q207000016049", "UPN 'q207000016049' has check letter Q, expected P"),
    ],
)
def test_exact_messages(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        normalise_upn(typed)
    assert str(raised.value) == message
    assert not is_valid_upn(typed)


# --- every single-character error and every transposition is caught --------------------


@FAST
@given(permanent_bodies)
def test_every_valid_permanent_upn_is_accepted(body: str) -> None:
    upn = check_letter(body) + body
    assert normalise_upn(upn) == upn
    assert normalise_upn(upn.lower()) == upn


@FAST
@given(permanent_bodies)
def test_permanent_upn_every_single_character_change_is_rejected(body: str) -> None:
    upn = check_letter(body) + body
    for position in range(13):
        # The check position holds a letter; positions 2–13 of a permanent UPN hold digits.
        # (Changing the last digit to a letter is covered separately below.)
        alphabet = string.ascii_uppercase if position == 0 else string.digits
        for replacement in alphabet:
            if replacement == upn[position]:
                continue
            changed = upn[:position] + replacement + upn[position + 1 :]
            assert rejected(changed), changed


@FAST
@given(permanent_bodies)
def test_permanent_upn_every_adjacent_swap_is_rejected(body: str) -> None:
    upn = check_letter(body) + body
    for position in range(12):
        first, second = upn[position], upn[position + 1]
        if first == second:
            continue
        swapped = upn[:position] + second + first + upn[position + 2 :]
        assert rejected(swapped), swapped


@FAST
@given(permanent_bodies)
def test_permanent_upn_last_digit_changed_to_a_letter(body: str) -> None:
    # The DfE algorithm values a letter by its index in CHECK_LETTERS, so in the last
    # position a digit and the letter with the same value (0/A, 5/F, 9/K...) weigh the
    # same and cannot be told apart: that single change is NOT detectable, by design of
    # the standard. Every other letter, and every letter a UPN never uses, is rejected.
    upn = check_letter(body) + body
    for letter in string.ascii_uppercase:
        changed = upn[:12] + letter
        if letter in CHECK_LETTERS and value(letter) == int(upn[12]):
            continue  # the documented exception above
        assert rejected(changed), changed


@FAST
@given(temporary_bodies)
def test_temporary_upn_changes_among_digits_and_letters_are_rejected(body: str) -> None:
    upn = check_letter(body) + body
    assert normalise_upn(upn) == upn
    for position in range(1, 12):
        for digit in string.digits:
            if digit != upn[position]:
                changed = upn[:position] + digit + upn[position + 1 :]
                assert rejected(changed), changed
    for letter in CHECK_LETTERS:
        if letter != upn[12]:
            assert rejected(upn[:12] + letter), upn[:12] + letter
    # The final letter of a temporary UPN swapped for the digit of the same value (F for
    # 5) gives the same sum, so it is accepted: the same limit of the standard as above.


@FAST
@given(temporary_bodies)
def test_temporary_upn_every_adjacent_swap_of_digits_is_rejected(body: str) -> None:
    upn = check_letter(body) + body
    for position in range(12):
        first, second = upn[position], upn[position + 1]
        if first != second:
            swapped = upn[:position] + second + first + upn[position + 2 :]
            assert rejected(swapped), swapped
