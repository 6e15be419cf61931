"""Every export of the sample trust, checked: no pupil is named, identified by UPN or by date
of birth (in any usual form); small pupil counts are banded; every file is mode 0600; CSV
cells cannot start a spreadsheet formula.

The trust is built as a user builds it (`sencoplan demo --no-tui`), its terms planned and
saved (`plan suggest --save`), then every export is written with `sencoplan export ... -o`,
each school's and the trust's.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import sqlite3
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sencoplan.cli import main
from sencoplan.io.csv_export import CSV_ENCODING, FORMULA_STARTS

SCHOOLS = ("Oakfield", "Riverside")
TERMS = ("Autumn 2026", "Spring 2027", "Summer 2027")
PLAN_FROM = "01/09/2026"
"""Plan each term from its start whatever today is (a --from before a term is allowed)."""


def run(*args: str) -> str:
    """`sencoplan ARGS`, its output returned; a failure fails the test with its message."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code == 0, f"sencoplan {' '.join(args)} -> {code}: {err.getvalue()}"
    return out.getvalue()


# -- who must never appear ------------------------------------------------------------------


@dataclass(frozen=True)
class Identities:
    """Every pupil's name, UPN and date of birth, ready to look for in a text."""

    names: frozenset[tuple[str, ...]]
    """Each name as casefolded words, in its order and reversed ('Abdi, Sagal')."""
    upns: frozenset[str]
    births: frozenset[dt.date]
    longest: int

    @classmethod
    def of(cls, pupils: Iterable[tuple[str | None, str | None, str | None]]) -> Identities:
        names: set[tuple[str, ...]] = set()
        upns: set[str] = set()
        births: set[dt.date] = set()
        for upn, name, born in pupils:
            if name:
                words = tuple(WORD.findall(name.casefold()))
                names.update({words, words[::-1]})
            if upn:
                upns.add(upn.casefold())
            if born:
                births.add(dt.date.fromisoformat(born))
        return cls(frozenset(names), frozenset(upns), frozenset(births), max(map(len, names)))

    def found_in(self, text: str) -> list[str]:
        """Every pupil identity in `text`, as found (empty when there is none)."""
        folded = text.casefold()
        found = [upn for upn in UPN.findall(folded) if upn in self.upns]
        words = WORD.findall(folded)
        for size in range(1, self.longest + 1):
            for start in range(len(words) - size + 1):
                if tuple(words[start : start + size]) in self.names:
                    found.append(" ".join(words[start : start + size]))
        found += [f"born {day}" for day, shown in dates_in(text) if day in self.births]
        return found


WORD = re.compile(r"[\w'’-]+")
UPN = re.compile(r"(?<![a-z0-9])[a-z]\d{11}[a-z0-9](?![a-z0-9])")

MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B"),
        dt.date(2000, number, 1).strftime("%b"),
        "Sept" if number == 9 else dt.date(2000, number, 1).strftime("%b"),
    )
}
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ORDINAL = r"(?:st|nd|rd|th)?"
DATE_FORMS = [
    # 2015-03-04, 2015/03/04, 2015.3.4
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    # 04/03/2015, 4-3-2015, 04.03.15: day first as in England, month first as in the US
    (
        re.compile(r"(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?![\d/.-])"),
        ("d", "m", "y"),
    ),
    (
        re.compile(r"(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?![\d/.-])"),
        ("m", "d", "y"),
    ),
    # 20150304 (as a calendar file writes a date)
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), ("y", "m", "d")),
    # 4 March 2015, 4th Mar 2015, 4 March, 2015
    (
        re.compile(rf"(?<!\d)(\d{{1,2}}){ORDINAL}\s+({MONTH})\.?,?\s+(\d{{4}})", re.I),
        ("d", "M", "y"),
    ),
    # March 4, 2015; Mar 4th 2015
    (
        re.compile(rf"\b({MONTH})\.?\s+(\d{{1,2}}){ORDINAL},?\s+(\d{{4}})", re.I),
        ("M", "d", "y"),
    ),
]


def dates_in(text: str) -> Iterator[tuple[dt.date, str]]:
    """Every date written in `text` in a usual form, with the text it was read from."""
    for pattern, order in DATE_FORMS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            year = int(parts["y"])
            year += 2000 if year < 100 else 0
            month = MONTHS[parts["M"].casefold()] if "M" in parts else int(parts["m"])
            with contextlib.suppress(ValueError):
                yield dt.date(year, month, int(parts["d"])), match.group()


def pupils_of(db_path: Path) -> list[tuple[str | None, str | None, str | None]]:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT upn, display_name, date_of_birth FROM pupils").fetchall()


# -- the sample trust and every export --------------------------------------------------------


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample trust with every term of both schools planned and saved."""
    path = tmp_path_factory.mktemp("trust") / "demo.db"
    run("demo", "--no-tui", "--db", str(path))
    for school in SCHOOLS:
        for term in TERMS:
            args = ("--school", school, "--term", term, "--from", PLAN_FROM)
            run("plan", "suggest", *args, "--save", "--format", "json", "--db", str(path))
    return path


@pytest.fixture(scope="module")
def identities(trust: Path) -> Identities:
    return Identities.of(pupils_of(trust))


@pytest.fixture(scope="module")
def exports(trust: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every file `sencoplan export` writes for the trust, by a name saying what it is."""
    folder = tmp_path_factory.mktemp("exports")
    db = ("--db", str(trust))
    files: dict[str, Path] = {}

    def export(name: str, *args: str) -> None:
        files[name] = folder / name
        run("export", *args, "-o", str(files[name]), *db)

    scopes = [(school.casefold(), ("--school", school)) for school in SCHOOLS]
    # "trust": a document that leaves the trust; "trust-own": its own figures, for its board.
    trusts = [("trust", ("--trust", "--publish")), ("trust-own", ("--trust",))]
    for slug, scope in [*scopes, *trusts]:
        export(f"priorities-{slug}.md", "priorities", *scope)
        export(f"priorities-{slug}.csv", "priorities", "--format", "csv", *scope)
        export(f"gaps-{slug}.csv", "gaps", *scope)
        export(f"succession-{slug}.md", "succession", *scope)
    for slug, scope in scopes:
        for term in TERMS:
            stem = f"term-{slug}-{term.replace(' ', '-').casefold()}"
            export(f"{stem}.md", "term", "--term", term, *scope)
            export(f"{stem}.ics", "term", "--term", term, "--format", "ics", *scope)
    with sqlite3.connect(trust) as connection:
        sessions = [row[0] for row in connection.execute("SELECT id FROM sessions ORDER BY id")]
    for session in sessions:
        export(f"session-{session}.md", "session", str(session))
    return files


@pytest.fixture(scope="module")
def json_reports(trust: Path) -> dict[str, str]:
    """`sencoplan priorities --format json` (printed, for other tools) for each scope."""
    scopes = [("--school", school) for school in SCHOOLS] + [("--trust",)]
    return {
        " ".join(scope): run("priorities", "--format", "json", *scope, "--db", str(trust))
        for scope in scopes
    }


def text_of(path: Path) -> str:
    return path.read_bytes().decode(CSV_ENCODING if path.suffix == ".csv" else "utf-8")


TIME_ZONE = re.compile(r"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", re.DOTALL)


def data_of(path: Path) -> str:
    """What an export says about the school: a calendar's time zone definition aside.

    A calendar file defines Europe/London by listing every clock change since 1996, and
    some pupils were born on one; the definition is the same in every file (a test says
    so), so it carries nothing from the database.
    """
    return TIME_ZONE.sub("", text_of(path))


# -- the checks ---------------------------------------------------------------------------------


def test_the_trust_is_big_enough_to_prove_something(
    trust: Path, exports: dict[str, Path], identities: Identities
) -> None:
    assert len(pupils_of(trust)) > 1000
    assert all(len(words) >= 2 for words in identities.names)  # a name is never one word
    sessions = [name for name in exports if name.startswith("session-")]
    assert len(sessions) >= 10  # plans were made and saved, and each one exported
    kinds = {path.suffix for path in exports.values()}
    assert kinds == {".md", ".csv", ".ics"}
    # The staff are named in exports, so no pupil may share a name with a member of staff
    # (else the test could not tell them apart).
    with sqlite3.connect(trust) as db:
        staff = [row[0] for row in db.execute("SELECT name FROM staff")]
    assert not identities.found_in("\n".join(staff))


def test_the_check_finds_a_pupil_in_every_usual_form(identities: Identities, trust: Path) -> None:
    """The check itself can fail: each way of writing a pupil's identity is caught."""
    upn, name, born = pupils_of(trust)[0]
    assert upn and name and born
    day = dt.date.fromisoformat(born)
    forename, *_, surname = name.split()
    written = [
        f"A note about {name}.",
        f"| {name.upper()} |",
        f"{surname}, {forename} (Year 4)",
        f"UPN {upn.lower()}",
        f'"{upn}",',
        f"born {day.isoformat()}",
        f"born {day:%d/%m/%Y}",
        f"born {day.day}/{day.month}/{day.year}",
        f"born {day:%m/%d/%Y}",
        f"born {day:%d.%m.%y}",
        f"born {day.day} {day:%B %Y}",
        f"born {day.day}th {day:%b} {day.year}",
        f"born {day:%B} {day.day}, {day.year}",
        f"DTSTART:{day:%Y%m%d}",
    ]
    for text in written:
        assert identities.found_in(text), text
    assert not identities.found_in("Ann met Ben on 02/12/2026 about 42 pupils")


def test_no_export_names_or_identifies_a_pupil(
    exports: dict[str, Path], json_reports: dict[str, str], identities: Identities
) -> None:
    texts = {name: data_of(path) for name, path in exports.items()} | json_reports
    leaks = {name: found for name, text in texts.items() if (found := identities.found_in(text))}
    assert leaks == {}


SMALL = re.compile(
    r"(?<![\d.,/:#£-])([1-4]) (pupils?|with (?:an )?EHCPs?|joining)\b", re.IGNORECASE
)
PUPIL_COLUMNS = ("Pupils", "Targeted", "Targeted plus", "Specialist")


def _csv_rows(path: Path) -> list[dict[str, object]]:
    reader = csv.DictReader(io.StringIO(text_of(path), newline=""), quoting=csv.QUOTE_NONNUMERIC)
    return list(reader)


def test_pupil_counts_under_5_are_banded(
    exports: dict[str, Path], json_reports: dict[str, str]
) -> None:
    for name, path in exports.items():
        assert not SMALL.findall(text_of(path)), name
    for scope, slug in [("--school Oakfield", "oakfield"), ("--trust", "trust")]:
        exact = {item["need"]: item for item in json.loads(json_reports[scope])}
        rows = _csv_rows(exports[f"priorities-{slug}.csv"])
        assert [row["Need"] for row in rows] == list(exact)
        for row in rows:
            counts = exact[row["Need"]]
            shown = [row[column] for column in PUPIL_COLUMNS]
            tiers = counts["pupils_by_tier"]
            wanted = [counts["pupils"], tiers["targeted"], tiers["targeted_plus"]]
            wanted.append(tiers["specialist"])
            for column, got, count in zip(PUPIL_COLUMNS, shown, wanted, strict=True):
                if got == "5 or more":  # a total withheld so that a banded tier stays hidden
                    assert count >= 5 and column == "Pupils"
                elif got == "withheld":  # over schools, a need some school hides counts of
                    assert slug == "trust" and count > 0
                    assert row["Score"] == "withheld" and row["Coverage %"] == "withheld"
                else:
                    assert got == ("fewer than 5" if 0 < count < 5 else float(count))
            # No banded tier is the shown total less the shown tiers (secondary suppression).
            if isinstance(shown[0], float):
                assert sum(isinstance(tier, str) for tier in shown[1:]) != 1, row
        for row in _csv_rows(exports[f"gaps-{slug}.csv"]):
            pupils = row["Pupils"]
            assert pupils in ("fewer than 5", "5 or more") or pupils >= 5  # type: ignore[operator]
    # Banding had something to do: the sample has needs with a few pupils.
    trust = json.loads(json_reports["--trust"])
    assert any(0 < tier < 5 for item in trust for tier in item["pupils_by_tier"].values())
    assert "fewer than 5" in text_of(exports["priorities-oakfield.md"])
    assert "| withheld |" in text_of(exports["priorities-trust.md"])  # and over the schools
    # The trust's own figures: every need's pupils exact from 5, every tier under 5 banded.
    own = _csv_rows(exports["priorities-trust-own.csv"])
    for row in own:
        counts = {item["need"]: item for item in trust}[row["Need"]]
        tiers = counts["pupils_by_tier"]
        for column, count in zip(
            PUPIL_COLUMNS,
            [counts["pupils"], tiers["targeted"], tiers["targeted_plus"], tiers["specialist"]],
            strict=True,
        ):
            assert row[column] == ("fewer than 5" if 0 < count < 5 else float(count)), row
        assert row["Score"] != "withheld" and row["Coverage %"] != "withheld"
    # and so had secondary suppression: a total reads "5 or more" somewhere.
    assert any(
        row["Pupils"] == "5 or more"
        for slug in ("oakfield", "trust")
        for row in _csv_rows(exports[f"priorities-{slug}.csv"])
    )


def test_calendars_share_one_time_zone_definition(exports: dict[str, Path]) -> None:
    """What data_of leaves out holds nothing of the school's: it is the same in every file."""
    zones = {
        name: TIME_ZONE.findall(text_of(path))
        for name, path in exports.items()
        if path.suffix == ".ics"
    }
    assert len(zones) == len(SCHOOLS) * len(TERMS)
    assert all(len(found) == 1 for found in zones.values())
    assert len({found[0] for found in zones.values()}) == 1
    assert "TZID:Europe/London" in next(iter(zones.values()))[0]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_every_exported_file_is_readable_by_its_owner_only(exports: dict[str, Path]) -> None:
    modes = {name: stat.S_IMODE(path.stat().st_mode) for name, path in exports.items()}
    assert {name: mode for name, mode in modes.items() if mode != 0o600} == {}
    folder = next(iter(exports.values())).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(exports)  # no temporaries left


def test_no_csv_cell_can_start_a_formula(exports: dict[str, Path]) -> None:
    for name, path in exports.items():
        if path.suffix == ".csv":
            for row in csv.reader(io.StringIO(text_of(path), newline="")):
                assert not [cell for cell in row if cell[:1] in FORMULA_STARTS], name


def test_hostile_staff_and_school_names_are_neutralised(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names come from imported files: one that looks like a formula is shown as text."""
    copy = tmp_path / "hostile.db"
    with sqlite3.connect(trust) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    out = tmp_path / "gaps.csv"
    run("export", "gaps", "--trust", "-o", str(out), "--db", str(copy))
    person = _csv_rows(out)[0]["Staff"]
    attack = '=HYPERLINK("http://example.invalid","x")'
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE staff SET name = ? WHERE name = ?", (attack, person))
        db.execute("UPDATE schools SET name = '@Riverside' WHERE name LIKE 'Riverside%'")
    run("export", "gaps", "--trust", "-o", str(out), "--db", str(copy))
    rows = _csv_rows(out)
    assert rows[0]["Staff"] == "'" + attack
    assert "'@Riverside" in {row["School"] for row in rows}
    assert not [c for row in csv.reader(io.StringIO(text_of(out))) for c in row if c[:1] == "="]
    priorities = tmp_path / "priorities.csv"
    run(
        "export",
        "priorities",
        "--trust",
        "--format",
        "csv",
        "-o",
        str(priorities),
        "--db",
        str(copy),
    )
    schools = [str(row["Schools"]) for row in _csv_rows(priorities)]
    assert any(cell.startswith("'@Riverside") or "; @Riverside" in cell for cell in schools)
    assert not any(cell.startswith("@") for cell in schools)


async def test_the_apps_exports_are_private_too(
    trust: Path, identities: Identities, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """x on Priorities (needs, then staff gaps), Planner and Succession, and p on a session."""
    from textual.widgets import DataTable

    from sencoplan.tui.app import create_app
    from tests.tui.conftest import TODAY, settle

    copy = tmp_path / "trust.db"
    with sqlite3.connect(trust) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    out = tmp_path / "out"  # the exports folder; the app is started elsewhere
    monkeypatch.setenv("SENCOPLAN_EXPORTS", str(out))
    monkeypatch.chdir(tmp_path)
    app = create_app(copy, today=TODAY)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(pilot)
        for keys in (("4", "x", "g", "x"), ("5", "x"), ("6", "x")):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        sessions = app.screen.query_one("#planner-sessions", DataTable)
        assert sessions.row_count > 0
        sessions.focus()
        await pilot.press("p")
        await settle(pilot)
    written = {path.suffix: path for path in out.iterdir()}
    assert sorted(path.name.split("-")[0] for path in out.iterdir()) == [
        "cpd",
        "cpd",
        "priorities",
        "priorities",
        "session",
        "staff",
        "succession",
    ]
    assert set(written) == {".md", ".csv", ".ics"}
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o700  # the folder made private too
    for path in out.iterdir():
        assert identities.found_in(data_of(path)) == [], path.name
        if sys.platform != "win32":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_each_report_in_its_own_formats_only(
    trust: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gaps.md"
    db = ("--db", str(trust))
    assert main(["export", "gaps", "--format", "markdown", "-o", str(out), *db]) == 2
    assert "the gaps report is csv" in capsys.readouterr().err
    assert main(["export", "succession", "--format", "csv", "-o", str(out), *db]) == 2
    assert main(["export", "term", "--format", "csv", "--school", "Oak", *db]) == 2
    assert not out.exists()
    # Printed, a CSV has no byte-order mark and one line per row.
    assert main(["export", "priorities", "--format", "csv", "--school", "Oak", *db]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith('"Rank","Need",') and "\n\n" not in printed
