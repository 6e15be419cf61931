"""Numbers as people type them: pounds, thousands separators and decimal commas."""

from __future__ import annotations

import pytest

from sencoplan.io.columns import parse_number, parse_whole_number

COMMA_PROBLEM = "a comma may only separate thousands (1,200) or mark decimals (7,5)"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7.5", 7.5),
        ("7,5", 7.5),  # a decimal comma, not 75
        ("0,8", 0.8),
        ("7,50", 7.5),
        ("-0,25", -0.25),
        ("1,200", 1200.0),
        ("12,000,000", 12_000_000.0),
        ("1,200.50", 1200.5),
        ("£250", 250.0),
        ("£1,250", 1250.0),
        ("£ 12,5", 12.5),
        (" 3 ", 3.0),
        ("0", 0.0),
        (".5", 0.5),
    ],
)
def test_numbers_read(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "1,2345",  # four digits after the comma
        "1,,200",
        "1,200,5",
        "12,00,000",  # Indian grouping: not thousands
        "1234,567",  # not a grouping of thousands, perhaps a decimal comma with three places
        "0,875",  # no thousands start with 0: a decimal comma with three places is ambiguous
        "012,345",
        "1.200,5",  # point for thousands, comma for decimals
        "7,",
        ",",
        "1,200,",
    ],
)
def test_other_commas_are_errors(text: str) -> None:
    with pytest.raises(ValueError) as problem:
        parse_number(text)
    assert str(problem.value) == f"{text!r} is not a number: {COMMA_PROBLEM}"


@pytest.mark.parametrize("text", ["x", "£", "nan", "inf", "1_000", "7.5.1", "1 000"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError) as problem:
        parse_number(text)
    assert str(problem.value) == f"{text!r} is not a number"


def test_whole_numbers() -> None:
    assert parse_whole_number("1,200") == 1200
    assert parse_whole_number("12") == 12
    with pytest.raises(ValueError, match=r"^'7,5' is not a whole number$"):
        parse_whole_number("7,5")
