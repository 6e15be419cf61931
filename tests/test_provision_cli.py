"""sencoplan import provisions and provision map, end to end through the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from pathlib import Path

import pytest

from sencoplan.cli import main
from tests.core_helpers import csv_text, make_upn

U1, U2, U3 = make_upn(1), make_upn(2), make_upn(3)
SCHOOL = "Oak Primary"


@pytest.fixture
def school_file(tmp_path: Path) -> Path:
    """A school with three pupils, a teacher and two TAs, and a provisions file imported."""
    db = tmp_path / "school.db"
    roll = tmp_path / "roll.csv"
    roll.write_text(
        csv_text(
            ["UPN", "Surname", "Forename", "Year", "SEN Status", "Primary Need"],
            [
                [U1, "Ash", "Amy", "4", "E", "ASD"],
                [U2, "Birch", "Ben", "4", "K", "SLCN"],
                [U3, "Cedar", "Cat", "5", "K", "SLCN"],
            ],
        ),
        encoding="utf-8",
    )
    staff = tmp_path / "staff.csv"
    staff.write_text(
        csv_text(
            ["Name", "Role"],
            [["Ann Lee", "Teacher"], ["Bob Ray", "TA"], ["Dee Fox", "TA"]],
        ),
        encoding="utf-8",
    )
    places = tmp_path / "provisions.csv"
    places.write_text(
        csv_text(
            [
                "UPN",
                "Provision",
                "Need",
                "Kind",
                "Delivered By",
                "Group Size",
                "Sessions Per Week",
                "Minutes",
                "Weeks",
                "Cost Per Hour",
                "Target",
                "Review Date",
            ],
            [
                [
                    U1,
                    "1:1 autism support",
                    "ASD",
                    "1:1",
                    "Bob Ray",
                    "1",
                    "25",
                    "60",
                    "38",
                    "£15",
                    "Calm transitions",
                    "01/02/2027",
                ],
                [
                    U2,
                    "Talk Boost",
                    "SLCN",
                    "small group",
                    "Dee Fox",
                    "2",
                    "3",
                    "30",
                    "10",
                    "£14",
                    "",
                    "",
                ],
                [
                    U3,
                    "Talk Boost",
                    "SLCN",
                    "small group",
                    "Dee Fox",
                    "2",
                    "3",
                    "30",
                    "10",
                    "£14",
                    "",
                    "",
                ],
                [
                    U1,
                    "Speech therapy",
                    "SLCN",
                    "external",
                    "Able Speech Ltd",
                    "1",
                    "1",
                    "45",
                    "30",
                    "",
                    "",
                    "",
                ],
            ],
        ),
        encoding="utf-8",
    )
    for kind, path in (("pupils", roll), ("staff", staff), ("provisions", places)):
        assert main(["import", kind, str(path), "--school", SCHOOL, "--db", str(db)]) == 0
    return db


def test_the_school_map_costs_each_provision_and_flags_the_high_cost_pupil(
    school_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["provision", "map", "--format", "json", "--db", str(school_file)]) == 0
    found = json.loads(capsys.readouterr().out)
    by_name = {item["name"]: item for item in found["provisions"]}
    # £15 x 1 hour x 25 a week x 38 weeks = £14,250 for Amy's one-to-one.
    assert by_name["1:1 autism support"]["cost"] == 14250
    # £14 x 0.5 h x 3 x 10 / 2 = £105 each, £210 for the group; 1.5 adult hours a week.
    assert by_name["Talk Boost"] == {
        "name": "Talk Boost",
        "kind": "small_group",
        "needs": ["SLCN"],
        "pupils": 2,
        "hours_per_week": 1.5,
        "cost": 210,
        "cost_per_pupil": 105,
        "unpriced": 0,
        "reviewed": 0,
        "met": 0,
        "partly_met": 0,
        "not_met": 0,
        "share_met": None,
        "progress": None,
    }
    assert by_name["Speech therapy"]["unpriced"] == 1  # no cost per hour, no staff role
    assert found["total_cost"] == 14460
    assert found["pupils_over_threshold"] == 1


def test_markdown_for_governors_bands_small_counts_and_names_no_pupil(
    school_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["provision", "map", "--format", "markdown", "--db", str(school_file)]) == 0
    text = capsys.readouterr().out
    assert "| Talk Boost | small group | SLCN | fewer than 5 | 1.5 | Dee Fox | £210 |" in text
    assert "Pupils whose support costs more than £6,000 a year: fewer than 5" in text
    for private in ("Amy", "Ash", U1, "Ben", U2):
        assert private not in text


def test_one_pupils_map_is_confidential_and_private(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "amy.md"
    argv = ["provision", "map", "--pupil", U1, "-o", str(out), "--db", str(school_file)]
    assert main(argv) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("**Confidential: contains a pupil's details.")
    assert f"Amy Ash ({U1}), Year 4" in text
    assert re.search(r"Cost for \d{4}/\d\d: £14,250 \(more than the school meets", text)
    assert "| Calm transitions | 01/02/2027 | not reviewed yet |" in text  # a British date
    assert "Ben" not in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    capsys.readouterr()
    assert (
        main(["provision", "map", "--pupil", U2, "--format", "json", "--db", str(school_file)]) == 0
    )
    ben = json.loads(capsys.readouterr().out)
    assert ben["cost"] == 105 and ben["over_threshold"] is False
    assert [item["provision"] for item in ben["provisions"]] == ["Talk Boost"]


def test_the_deliverer_of_a_one_to_one_shows_in_the_staff_gaps(
    school_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bob, an untrained TA, delivers Amy's one-to-one autism support (she has an EHCP)."""
    capsys.readouterr()
    assert main(["export", "gaps", "--db", str(school_file)]) == 0
    gaps = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    (bob_asd,) = [row for row in gaps if row["Staff"] == "Bob Ray" and row["Need"] == "ASD"]
    assert (bob_asd["Level needed"], bob_asd["Level held"]) == ("Specialist", "none")


def test_a_role_rate_prices_a_place_given_no_cost_and_the_budget_is_set_against(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(school_file)
    rates = tmp_path / "rates.csv"
    rates.write_text(csv_text(["Role", "Hourly Rate"], [["TA", "£20"]]), encoding="utf-8")
    schools = tmp_path / "schools.csv"
    schools.write_text(
        csv_text(["Name", "Notional SEN Budget"], [[SCHOOL, "£20,000"]]), encoding="utf-8"
    )
    places = tmp_path / "places.csv"
    places.write_text(
        csv_text(
            [
                "UPN",
                "Provision",
                "Delivered By",
                "Group Size",
                "Sessions Per Week",
                "Minutes",
                "Weeks",
            ],
            [[U2, "Talk Boost", "Dee Fox", "2", "3", "30", "10"]],
        ),
        encoding="utf-8",
    )
    assert main(["import", "rates", str(rates), "--school", SCHOOL, "--db", db]) == 0
    assert main(["import", "schools", str(schools), "--db", db]) == 0
    assert main(["import", "provisions", str(places), "--school", SCHOOL, "--db", db]) == 0
    capsys.readouterr()
    assert main(["provision", "map", "--db", db]) == 0
    out = capsys.readouterr().out
    # A TA's £20 x 0.5 h x 3 a week x 10 weeks / a group of 2 = £150 for Ben's place.
    assert "Total: £150 of a notional SEN budget of £20,000" in out
    assert "Pupils whose support costs more than £6,000 a year: 0" in out


def test_the_school_map_as_csv_for_a_spreadsheet(
    school_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.csv"
    assert (
        main(["provision", "map", "--format", "csv", "-o", str(out), "--db", str(school_file)]) == 0
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    talk = next(row for row in rows if row["Provision"] == "Talk Boost")
    assert (talk["Pupils"], talk["Adult hours a week"], talk["Cost (£)"]) == (
        "fewer than 5",
        "1.5",
        "210.0",
    )
    capsys.readouterr()
    argv = ["provision", "map", "--pupil", U1, "--format", "csv", "--db", str(school_file)]
    assert main(argv) == 2
    assert "one pupil's map is markdown or JSON" in capsys.readouterr().err


def test_the_map_never_overwrites_the_database(
    school_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o is held to export's rules: the database itself is refused before any work."""
    before = school_file.read_bytes()
    argv = ["provision", "map", "-o", str(school_file), "--db", str(school_file)]
    assert main(argv) == 2
    assert "is the database itself" in capsys.readouterr().err
    assert school_file.read_bytes() == before
