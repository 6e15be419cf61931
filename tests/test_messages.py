"""Validation errors in plain English: what an import report or a form says is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType
from sencoplan.domain.messages import plain_message, pounds
from sencoplan.domain.models import Module, School, StaffMember
from sencoplan.domain.staff_codes import Role
from sencoplan.io.errors import RowError
from sencoplan.io.importers import ImportRejected, import_file
from tests.core_helpers import WriteFile, csv_text


class Sample(BaseModel):
    at_least_0: float = Field(0, ge=0)
    at_most: float = Field(0, le=1.5)
    big_limit: float = Field(0, le=100_000)
    more_than_0: float = Field(1, gt=0)
    less_than_10: int = Field(0, lt=10)
    halves: float = Field(0, multiple_of=0.5)
    long_text: str = Field("", max_length=200)
    short_text: str = Field("x", min_length=1)
    three_letters: str = Field("abc", min_length=3)
    some: tuple[int, ...] = Field((1,), min_length=1)
    two: tuple[int, ...] = Field((1, 2), min_length=2)
    few: tuple[int, ...] = Field((), max_length=2)
    whole: int = 0
    number: float = 0
    yes_no: bool = False
    day: dt.date = dt.date(2026, 1, 1)
    role: Role = Role.TA
    choice: Literal["x", "y"] = "x"
    text: str = ""
    checked: str = ""
    required: int

    @field_validator("checked")
    @classmethod
    def _check(cls, value: str) -> str:
        if value == "bad":
            raise ValueError("is not good enough")
        return value


def _message(field: str, value: Any) -> str:
    data: dict[str, Any] = {"required": 1, field: value}
    if field == "required":
        del data["required"]
    with pytest.raises(ValidationError) as raised:
        Sample.model_validate(data)
    [detail] = raised.value.errors()
    assert detail["loc"] == (field,)
    return plain_message(detail)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("at_least_0", -1, "must be at least 0"),
        ("at_most", 2, "must be at most 1.5"),
        ("big_limit", 200_000, "must be at most 100,000"),
        ("more_than_0", 0, "must be more than 0"),
        ("less_than_10", 10, "must be less than 10"),
        ("halves", 0.3, "must be a multiple of 0.5"),
        ("long_text", "x" * 201, "is too long (at most 200 characters)"),
        ("short_text", "", "is blank"),
        ("three_letters", "ab", "is too short (at least 3 characters)"),
        ("some", (), "needs at least one value"),
        ("two", (1,), "needs at least 2 values"),
        ("few", (1, 2, 3), "has too many values (at most 2)"),
        ("whole", "x", "must be a whole number"),
        ("whole", 1.5, "must be a whole number"),
        ("number", "y", "must be a number"),
        ("yes_no", "maybe", "must be yes or no"),
        ("day", "nope", "must be a date"),
        ("choice", "z", "must be one of 'x' or 'y'"),
        ("text", 5, "must be text"),
        ("checked", "bad", "is not good enough"),
        ("required", None, "is missing"),
    ],
)
def test_plain_messages(field: str, value: Any, message: str) -> None:
    assert _message(field, value) == message


def test_an_unknown_type_keeps_pydantics_words() -> None:
    detail = {"type": "something_new", "loc": ("a",), "msg": "Something new happened"}
    assert plain_message(detail) == "Something new happened"
    assert plain_message({"type": "less_than_equal", "msg": "Odd", "ctx": {}}) == "Odd"


def test_a_value_error_without_its_exception() -> None:
    detail = {"type": "value_error", "msg": "Value error, a URN is 6 or 7 digits"}
    assert plain_message(detail) == "a URN is 6 or 7 digits"


@pytest.mark.parametrize("urn", ["12345", "12345678", "abcdef", "", "١٢٣٤٥٦"])
def test_a_urn_is_6_or_7_digits(urn: str) -> None:
    with pytest.raises(ValidationError) as raised:
        School(name="Oak", urn=urn)
    [detail] = raised.value.errors()
    assert plain_message(detail) == "a URN is 6 or 7 digits"


def test_good_urns() -> None:
    assert School(name="Oak", urn="123456").urn == "123456"
    assert School(name="Oak", urn=" 1234567 ").urn == "1234567"
    assert School(name="Oak").urn is None


@pytest.mark.parametrize("code", ["has space", "£5", "a/b", "é1"])
def test_a_module_code_has_a_plain_message(code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Module(code=code, title="T", needs=(NeedType.ASD,))
    [detail] = raised.value.errors()
    assert plain_message(detail) == "a module code uses letters, digits, - _ and . only"


def test_a_model_error_in_plain_english() -> None:
    with pytest.raises(ValidationError) as raised:
        StaffMember(school_id=1, name="A", role=Role.TA, fte=-0.5, cpd_hours=600)
    assert [plain_message(detail) for detail in raised.value.errors()] == [
        "must be at least 0",
        "must be at most 500",
    ]


def test_import_reports_say_what_is_wrong_plainly(
    db: Database, school: School, write_file: WriteFile
) -> None:
    text = csv_text(
        ["Name", "Role", "FTE", "CPD Hours", "Email"],
        [
            ["Ann Lee", "TA", "-1", "", ""],
            ["Bob Ray", "TA", "1", "501", ""],
            ["Cara Singh", "TA", "1", "", "c" * 201],
            ["D" * 201, "TA", "1", "", ""],
        ],
    )
    with pytest.raises(ImportRejected) as raised:
        import_file(db, "staff", write_file("staff.csv", text), school=school.name)
    assert raised.value.errors == [
        RowError(2, "FTE", "must be at least 0"),
        RowError(3, "CPD Hours", "must be at most 500"),
        RowError(4, "Email", "is too long (at most 200 characters)"),
        RowError(5, "Name", "is too long (at most 200 characters)"),
    ]


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        (16.40 * 0.5 * 3 * 10 / 4, "£62"),  # 61.4999... in floating point: £61.50
        (61.49, "£61"),
        (0.5, "£1"),
        (15675.0, "£15,675"),
        (0.0, "£0"),
    ],
)
def test_pounds_round_to_the_penny_then_half_up(amount: float, said: str) -> None:
    assert pounds(amount) == said
