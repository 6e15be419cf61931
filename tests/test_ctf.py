"""sencoplan import ctf: a Common Transfer File's pupils join a school, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.store.db import open_database
from tests.core_helpers import make_upn, wrong_check_letter

SCHOOL = "Riverside Academy"
U1, U2, U3 = make_upn(201, estab="3001"), make_upn(202, estab="3001"), make_upn(203, estab="3001")


def _pupil(upn: str, forename: str, year: str, provision: str, *needs: str) -> str:
    ranked = "".join(
        f"<SENneed><SENtypeRank>{rank}</SENtypeRank><SENtype>{need}</SENtype></SENneed>"
        for rank, need in reversed(list(enumerate(needs, start=1)))  # out of order on purpose
    )
    sen = (
        f"<SENhistory><SEN><StartDate>2024-09-01</StartDate><SENprovision>{provision}"
        f"</SENprovision></SEN><SENneeds>{ranked}</SENneeds></SENhistory>"
        if provision
        else ""
    )
    return (
        f"    <Pupil>\n      <UPN>{upn}</UPN><Surname>Okafor</Surname><Forename>{forename}"
        f"</Forename><DOB>2015-03-0{year[-1]}</DOB><Sex>F</Sex>\n"
        f"      <BasicDetails><NCyearActual>{year}</NCyearActual></BasicDetails>\n"
        f"      {sen}\n    </Pupil>\n"
    )


def ctf(*pupils: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n  <Header>\n'
        "    <DocumentName>Common Transfer File</DocumentName><CTFversion>24.0</CTFversion>\n"
        "    <SourceSchool><LEA>951</LEA><Estab>3001</Estab>"
        "<SchoolName>Brook Lane Primary</SchoolName></SourceSchool>\n"
        "  </Header>\n  <CTFpupilData>\n" + "".join(pupils) + "  </CTFpupilData>\n</CTfile>\n"
    )


@pytest.fixture
def school_db(tmp_path: Path) -> Path:
    path = tmp_path / "school.db"
    roll = tmp_path / "roll.csv"
    roll.write_text(f"UPN,Forename,Surname,Year\n{make_upn(1)},Ann,Lee,7\n", encoding="utf-8")
    assert main(["import", "pupils", str(roll), "--school", SCHOOL, "--db", str(path)]) == 0
    return path


def _joining(path: Path) -> list[tuple[object, ...]]:
    db = open_database(path)
    try:
        return db.execute(
            "SELECT upn, display_name, year_group, tier, primary_need, secondary_need, "
            "on_roll_from FROM pupils WHERE on_roll_from IS NOT NULL ORDER BY upn"
        ).fetchall()
    finally:
        db.close()


def test_a_ctfs_pupils_join_with_their_ranked_needs(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "brook-lane.xml"
    file.write_text(
        ctf(
            _pupil(U1, "Ada", "6", "E", "ASD", "SLCN"),
            _pupil(U2, "Bea", "6", "K", "SEMH"),
            _pupil(U3, "Cy", "6", ""),
        ),
        encoding="utf-8",
    )
    argv = ["import", "ctf", str(file), "--school", "Riverside", "--joining", "01/09/2027"]
    assert main([*argv, "--db", str(school_db)]) == 0
    out = capsys.readouterr().out
    assert "3 new" in out and "from the CTF of Brook Lane Primary: joining on 01/09/2027" in out
    assert sorted(_joining(school_db)) == sorted(
        [
            # Year 6 at the sending school, joining in September: Year 7 here.
            (U1, "Ada Okafor", "7", "specialist", "ASD", "SLCN", "2027-09-01"),
            (U2, "Bea Okafor", "7", "targeted", "SEMH", None, "2027-09-01"),
            (U3, "Cy Okafor", "7", "universal", None, None, "2027-09-01"),
        ]
    )
    capsys.readouterr()  # and they are Riverside's joiners from outside the trust
    argv = ["transition", "--to", "Riverside", "--format", "json", "--db", str(school_db)]
    assert main(argv) == 0
    joining = json.loads(capsys.readouterr().out)
    assert (joining["pupils"], joining["with_sen"]) == (3, 2)
    assert joining["by_need"] == {"ASD": 1, "SEMH": 1, "SLCN": 1}
    assert joining["from"] == {"outside the trust": 3}


def test_a_bad_pupil_refuses_the_whole_file_at_its_line(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = wrong_check_letter(U2)
    file = tmp_path / "bad.xml"
    text = ctf(_pupil(U1, "Ada", "6", "E", "ASD"), _pupil(bad, "Bea", "6", "K", "XYZ"))
    file.write_text(text, encoding="utf-8")
    argv = ["import", "ctf", str(file), "--school", "Riverside", "--db", str(school_db)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    line = text.splitlines().index("    <Pupil>", text.splitlines().index("    <Pupil>") + 1) + 1
    assert f"line {line}, column UPN" in err and "XYZ" in err
    assert _joining(school_db) == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("UPN,Year\nA,7\n", "not a readable CTF (XML)"),
        ("<?xml version='1.0'?><Roll><Pupil/></Roll>", "its root is <Roll>"),
        (ctf(), "the CTF holds no pupils"),
        (
            '<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CTfile>&b;</CTfile>',
            "it declares XML entities, which a CTF never needs",
        ),
    ],
    ids=["csv", "another xml", "no pupils", "entities"],
)
def test_what_is_not_a_ctf_is_refused_with_why(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    file = tmp_path / "file.xml"
    file.write_text(text, encoding="utf-8")
    argv = ["import", "ctf", str(file), "--school", "Riverside", "--db", str(school_db)]
    assert main(argv) == 1
    assert said in capsys.readouterr().err
    assert _joining(school_db) == []


def test_a_ctf_needs_the_receiving_school(tmp_path: Path, school_db: Path) -> None:
    file = tmp_path / "c.xml"
    file.write_text(ctf(_pupil(U1, "Ada", "6", "K", "ASD")), encoding="utf-8")
    assert main(["import", "ctf", str(file), "--db", str(school_db)]) == 2


def test_the_next_september() -> None:
    from sencoplan.cli.imports import next_september

    assert next_september(dt.date(2026, 12, 6)) == dt.date(2027, 9, 1)
    assert next_september(dt.date(2027, 8, 31)) == dt.date(2027, 9, 1)
    assert next_september(dt.date(2027, 9, 1)) == dt.date(2028, 9, 1)


def test_a_ctf_joins_only_a_school_the_file_holds(
    tmp_path: Path, school_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "c.xml"
    file.write_text(ctf(_pupil(U1, "Ada", "6", "K", "ASD")), encoding="utf-8")
    argv = ["import", "ctf", str(file), "--school", "Riversid Acadmy", "--db", str(school_db)]
    assert main(argv) == 2
    assert "no school called 'Riversid Acadmy' for them to join" in capsys.readouterr().err
    db = open_database(school_db)
    assert db.execute("SELECT COUNT(*) FROM schools").fetchone() == (1,)
    db.close()


def test_an_in_year_joiner_keeps_the_year_the_ctf_gives() -> None:
    from sencoplan.io.ctf import _year

    today = dt.date(2026, 12, 6)
    assert _year("6", dt.date(2027, 1, 11), today) == "6"  # this school year
    assert _year("6", dt.date(2027, 9, 1), today) == "7"  # next school year
    assert _year("R", dt.date(2027, 9, 1), today) == "1"
    assert _year("14", dt.date(2027, 9, 1), today) == "14"
