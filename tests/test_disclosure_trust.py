"""Secondary suppression across schools: no export over the whole file gives a count back
that a school's own export hides, by subtracting the other schools' exports from it.

Each school's export hides its small counts by the row rule (tests/test_disclosure.py). An
export over the whole file sums the schools' rows: shown exactly, a sum over one school's
hidden cell less the other schools' shown cells is that cell. So a need summed over schools
shows its sums only when every school with it shows all its counts exactly, and otherwise
none of them (domain/disclosure.withheld_across).

A reader here holds every export: each school's and the whole file's. A cell reads as in
tests/test_disclosure.py ("fewer than 5" is 1 to 4, "5 or more" at least 5), and "withheld"
or "some" as any count at all.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.cli import main
from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.disclosure import (
    SOME,
    WITHHELD,
    WITHHELD_FIGURE,
    counts_exact,
    row_labels,
    shown_exactly,
    withheld_across,
)
from sencoplan.domain.messages import SMALL_COUNT
from sencoplan.domain.priorities import (
    Priority,
    PriorityResult,
)
from sencoplan.domain.priority_merge import exact_in_every_school, merge_schools
from sencoplan.io.csv_export import gaps_csv, priorities_csv
from sencoplan.io.importers import import_file
from sencoplan.io.priorities_report import priorities_markdown
from sencoplan.store.priorities import load_priorities
from sencoplan.store.priority_cache import school_lines
from sencoplan.store.schools import list_schools
from tests.core_helpers import TODAY, WriteFile, make_upn

SMALL = f"fewer than {SMALL_COUNT}"
COUNTS = ("Pupils", "Targeted", "Targeted plus", "Specialist")
FUTURE = "04/01/2027"  # after TODAY: these pupils are joining
ON_ROLL = "01/09/2025"

# (need, tier, pupils, of whom joining) for each school. Ash's SEMH is hidden (3
# specialist) and Birch's exact, as Oakfield's and Riverside's are in the demo; ASD is
# hidden in both; SLCN is exact in both; SPLD's tiers are exact in both, but Ash's 3
# joining are banded (its sum with Birch's 6 would give them away); HI is Ash's alone.
ASH = [
    ("SEMH", "targeted", 17, 0),
    ("SEMH", "specialist", 3, 0),
    ("SLCN", "targeted", 20, 0),
    ("SLCN", "specialist", 6, 0),
    ("ASD", "targeted", 8, 0),
    ("ASD", "specialist", 3, 0),
    ("SPLD", "targeted", 10, 3),
    ("HI", "targeted", 6, 0),
    ("HI", "specialist", 2, 0),
]
BIRCH = [
    ("SEMH", "targeted", 41, 0),
    ("SEMH", "specialist", 13, 0),
    ("SLCN", "targeted", 10, 0),
    ("ASD", "targeted", 6, 0),
    ("ASD", "targeted plus", 2, 0),
    ("SPLD", "targeted", 6, 6),
]


def _import_school(
    db: Database,
    write_file: WriteFile,
    name: str,
    rows: Sequence[tuple[str, str, int, int]],
    *,
    first: int,
    teachers: tuple[str, str],
) -> None:
    """A school whose first teacher teaches every pupil (7A) and whose second teaches the
    first two pupils of each need and tier again (7B), so some counts are small."""
    pupils = ["UPN,Forename,Surname,DOB,Year,SEN Status,Primary Need,Class,Admission Date"]
    serial = itertools.count(first)
    for need, tier, count, joining in rows:
        for index in range(count):
            n = next(serial)
            group = "7B" if index < 2 else "7A"
            starts = FUTURE if index >= count - joining else ON_ROLL
            pupils.append(f"{make_upn(n)},Pat,Pupil{n},01/01/2015,7,{tier},{need},{group},{starts}")
    one, two = teachers
    files = {
        "staff": f"Name,Role\n{one},Teacher\n{two},Teacher\n",
        "pupils": "\n".join(pupils) + "\n",
        "supports": f"Staff,Class,UPN,Kind\n{one},7A,,class teacher\n{one},7B,,class teacher\n"
        f"{two},7B,,class teacher\n",
    }
    for kind, text in files.items():
        path = write_file(f"{name}-{kind}.csv", text)
        import_file(db, kind, path, school=name, today=TODAY)


@pytest.fixture
def two(db: Database, write_file: WriteFile) -> Database:
    _import_school(db, write_file, "Ash School", ASH, first=1, teachers=("Ann Ash", "Amy Ash"))
    _import_school(
        db, write_file, "Birch School", BIRCH, first=500, teachers=("Bob Birch", "Bea Birch")
    )
    return db


def _ids(db: Database) -> dict[str, int]:
    return {school.name: school.id for school in list_schools(db) if school.id is not None}


def _csv(text: str) -> list[dict[str, object]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


def _label(value: object) -> str:
    return str(int(value)) if isinstance(value, float) else str(value)


REASON = re.compile(
    r"^\w+: (?P<pupils>.+?) pupils?(?:, (?P<ehcp>.+?) with (?:an EHCP|EHCPs))?"
    r"(?:, (?P<joining>.+?) joining(?: in \w+)?)?;"
)


def cells(row: Mapping[str, object]) -> dict[str, str]:
    """Every count a priorities row shows, by name: the pupil columns, and pupils joining
    as its reason says it ("0" where it says nothing of them)."""
    found = {column: _label(row[column]) for column in COUNTS}
    match = REASON.match(str(row["Reason"]))
    assert match, row["Reason"]
    found["Joining"] = match["joining"] or "0"
    return found


def exports(db: Database) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, dict[str, str]]]]:
    """need -> cells of the whole-file priorities CSV; school -> need -> cells of its own."""
    names = {school_id: name for name, school_id in _ids(db).items()}
    whole = _csv(priorities_csv(_published(load_priorities(db, TODAY, None)), names))
    schools = {
        name: {
            str(row["Need"]): cells(row)
            for row in _csv(priorities_csv(load_priorities(db, TODAY, school_id), names))
        }
        for school_id, name in names.items()
    }
    return {str(row["Need"]): cells(row) for row in whole}, schools


def _published(result: PriorityResult) -> PriorityResult:
    """The result as a document that leaves the trust (--publish) shows it."""
    return dataclasses.replace(result, published=True)


def hidden(label: str) -> bool:
    return not label.isdigit()


def test_the_exports_together_gave_hidden_counts_back_before(two: Database) -> None:
    """From the schools' own lines, as the whole-file export used to show them: the file's
    SEMH less Birch's is Ash's 20 pupils and 3 specialist, which Ash's export hides."""
    ids = _ids(two)
    lines = school_lines(two, TODAY)
    ash, birch = lines[ids["Ash School"]].own, lines[ids["Birch School"]].own
    (merged,) = [line for line in merge_schools([ash, birch]) if line.need is NeedType.SEMH]
    (own,) = [line for line in ash if line.need is NeedType.SEMH]
    (other,) = [line for line in birch if line.need is NeedType.SEMH]
    before = row_labels(merged.pupils, merged.tier_counts)
    assert before == ("74", ("58", "0", "16"))
    assert row_labels(own.pupils, own.tier_counts) == (WITHHELD, ("17", "0", SMALL))
    assert row_labels(other.pupils, other.tier_counts) == ("54", ("41", "0", "13"))
    assert int(before[0]) - other.pupils == 20 and int(before[1][2]) - other.ehcp == 3


def test_no_hidden_count_comes_back_by_subtraction(two: Database) -> None:
    whole, schools = exports(two)
    assert set(schools) == {"Ash School", "Birch School"}
    subtractions = 0
    for school, own in schools.items():
        (other,) = [rows for name, rows in schools.items() if name != school]
        for need, shown in own.items():
            for cell, label in shown.items():
                if not hidden(label):
                    continue
                whole_label = whole[need][cell]
                other_label = other.get(need, {}).get(cell, "0")  # no line: none of them
                assert hidden(whole_label) or hidden(other_label), (school, need, cell)
                subtractions += 1
    assert subtractions == 9  # SEMH's and ASD's pupils and one tier each, SPLD's joiners, HI's two
    # The rows that were bait: each shows no count at all over the whole file.
    for need in ("SEMH", "ASD", "SPLD"):
        assert set(whole[need].values()) <= {WITHHELD_FIGURE, SOME, "0"}, need


def test_a_need_exact_in_every_school_shows_its_sums(two: Database) -> None:
    whole, schools = exports(two)
    assert whole["SLCN"] == {
        "Pupils": "36",
        "Targeted": "30",
        "Targeted plus": "0",
        "Specialist": "6",
        "Joining": "0",
    }
    assert schools["Ash School"]["SLCN"]["Pupils"] == "26"
    assert schools["Birch School"]["SLCN"]["Pupils"] == "10"
    result = load_priorities(two, TODAY, None)
    assert result.exact_needs == frozenset({NeedType.SLCN})
    (slcn,) = [line for line in result.priorities if line.need is NeedType.SLCN]
    (row,) = [row for row in _csv(priorities_csv(result, {})) if row["Need"] == "SLCN"]
    assert row["Score"] == pytest.approx(round(slcn.score, 1))
    assert row["Coverage %"] == round(100 * slcn.coverage)


def test_a_need_withheld_over_the_file_shows_nothing_worked_out_from_its_counts(
    two: Database,
) -> None:
    result = _published(load_priorities(two, TODAY, None))
    rows = {row["Need"]: row for row in _csv(priorities_csv(result, {}))}
    semh = rows["SEMH"]
    assert [semh[column] for column in COUNTS] == [WITHHELD_FIGURE, WITHHELD_FIGURE, 0, "withheld"]
    assert semh["Score"] == WITHHELD_FIGURE and semh["Coverage %"] == WITHHELD_FIGURE
    assert str(semh["Reason"]).startswith("SEMH: some pupils, some with EHCPs; ")
    assert str(rows["SPLD"]["Reason"]).startswith("SPLD: some pupils, some joining in January; ")
    text = priorities_markdown(result, scope="the trust", today=TODAY, school_names={})
    (row,) = [line for line in text.splitlines() if "| SEMH (" in line]
    assert [cell.strip() for cell in row.strip("|").split("|")][3:] == [
        *(WITHHELD_FIGURE, WITHHELD_FIGURE, "0", WITHHELD_FIGURE),
        "0 / 4",
        "not rated",
        WITHHELD_FIGURE,
        WITHHELD_FIGURE,
    ]
    assert "SEMH: some pupils, some with EHCPs; 0 of 4 staff" in text
    assert "unless every school with it shows all its counts" in text  # it says what it does
    single = priorities_markdown(
        load_priorities(two, TODAY, _ids(two)["Ash School"]),
        scope="Ash School",
        today=TODAY,
        school_names={},
    )
    assert "unless every school" not in single


def test_a_need_held_by_one_school_reads_as_its_own_export(two: Database) -> None:
    whole, schools = exports(two)
    assert whole["HI"] == schools["Ash School"]["HI"]
    assert whole["HI"]["Pupils"] == WITHHELD  # its own row's rule, not "withheld"


def test_the_whole_file_gaps_show_no_count_a_school_shows_banded(two: Database) -> None:
    ids = _ids(two)
    names = {school_id: name for name, school_id in ids.items()}

    def gaps(school_id: int | None) -> dict[tuple[str, str], str]:
        result = _published(load_priorities(two, TODAY, school_id))
        rows = _csv(gaps_csv(result, names))
        return {(str(row["Staff"]), str(row["Need"])): _label(row["Pupils"]) for row in rows}

    whole = gaps(None)
    own: dict[tuple[str, str], str] = {}
    for school_id in ids.values():
        own.update(gaps(school_id))
    assert set(whole) == set(own)
    for key, label in whole.items():
        if hidden(own[key]):
            assert hidden(label), key
        if own[key] == SMALL:
            assert label == SMALL, key
    # Ann teaches all 20 of Ash's SEMH pupils: 20 is the total Ash's export hides.
    assert own[("Ann Ash", "SEMH")] == WITHHELD and whole[("Ann Ash", "SEMH")] == WITHHELD
    # Bob teaches all 54 of Birch's, which Birch shows; over the file, SEMH shows no count.
    assert own[("Bob Birch", "SEMH")] == "54" and whole[("Bob Birch", "SEMH")] == WITHHELD
    assert whole[("Ann Ash", "SLCN")] == own[("Ann Ash", "SLCN")] == "26"


def test_a_file_with_one_school_exports_as_that_school_does(
    db: Database, write_file: WriteFile
) -> None:
    _import_school(db, write_file, "Ash School", ASH, first=1, teachers=("Ann Ash", "Amy Ash"))
    (school,) = list_schools(db)
    assert school.id is not None
    names = {school.id: school.name}
    whole, own = load_priorities(db, TODAY, None), load_priorities(db, TODAY, school.id)
    assert whole.exact_needs is not None and own.exact_needs is None
    assert priorities_csv(whole, names) == priorities_csv(own, names)
    assert gaps_csv(whole, names) == gaps_csv(own, names)
    assert WITHHELD in priorities_csv(whole, names)  # it had rows to hide


# -- any two schools --------------------------------------------------------------------------

Counts = tuple[int, ...]
"""One school's (targeted, targeted plus, specialist, of whom joining) in one need."""

World = tuple[Counts, ...]
"""Each school's counts."""


@functools.cache
def _row(world: World, school: int | None) -> tuple[str, ...] | None:
    """The need's row in one school's export (None: the whole file's), as text; None when
    the export has no such row."""
    lines = []
    for school_id, (*tiers, joining) in enumerate(world):
        if sum(tiers):
            by_tier = dict(
                zip((Tier.TARGETED, Tier.TARGETED_PLUS, Tier.SPECIALIST), tiers, strict=True)
            )
            demand = tiers[0] + 2 * tiers[1] + 3 * tiers[2]
            lines.append(
                Priority(
                    NeedType.SEMH,
                    pupils=sum(tiers),
                    pupils_by_tier={tier: n for tier, n in by_tier.items() if n},
                    incoming=joining,
                    demand=demand,
                    gap=demand / 2,
                    school_ids=[school_id],
                )
            )
    if school is None:
        result = PriorityResult(
            merge_schools([[line] for line in lines]),
            [],
            exact_needs=exact_in_every_school([[line] for line in lines]),
            published=True,
        )
    else:
        result = PriorityResult([line for line in lines if line.school_ids == [school]], [])
    rows = _csv(priorities_csv(result, {}))
    if not rows:
        return None
    (row,) = rows
    return tuple(_label(row[column]) for column in (*COUNTS, "Coverage %", "Score", "Reason"))


def _could_be(label: str, ceiling: int) -> range:
    if label == SMALL:
        return range(1, SMALL_COUNT)
    if label in (WITHHELD, WITHHELD_FIGURE, SOME):
        return range(1, ceiling + 1)
    return range(int(label), int(label) + 1)


def _candidates(world: World, school: int, ceiling: int) -> list[Counts]:
    """Every (targeted, targeted plus, specialist, joining) that the school's own export
    reads the same as the truth: the strictest reader, who knows the rule."""
    seen = _row(world, school)
    if seen is None:
        return [(0, 0, 0, 0)]
    ranges = [_could_be(label, ceiling) for label in seen[1:4]]
    joining = REASON.match(seen[-1])
    assert joining
    said = joining["joining"]
    found: list[Counts] = []
    for tiers in itertools.product(*ranges):
        for joins in range(sum(tiers) + 1) if said else (0,):
            if said and said.isdigit() and joins != int(said):
                continue
            guess = list(world)
            guess[school] = (*tiers, joins)
            if _row(tuple(guess), school) == seen:
                found.append((*tiers, joins))
    return found


def _worked_out(world: World, ceiling: int) -> Iterator[tuple[int, int]]:
    """(school, cell) for each count a school's export hides that only one value fits,
    reading every school's export and the whole file's together."""
    whole = _row(world, None)
    options = [_candidates(world, school, ceiling) for school in range(len(world))]
    for school, shown in enumerate(options):
        truth = world[school]
        assert truth in shown or sum(truth[:3]) == 0
        own = _row(world, school)
        if own is None:
            continue  # no pupils with the need: nothing hidden
        joining = REASON.match(own[-1])
        assert joining
        labels = [*own[1:4], joining["joining"] or "0", own[0]]
        others = [options[other] for other in range(len(world)) if other != school]
        for cell in range(5):  # each tier, the joiners, and the total
            if not hidden(labels[cell]):
                continue
            value = (lambda guess: sum(guess[:3])) if cell == 4 else itemgetter(cell)
            fits: set[int] = set()
            for guess in shown:
                if value(guess) in fits:
                    continue
                for rest in itertools.product(*others):
                    world_guess = list(rest)
                    world_guess.insert(school, guess)
                    if _row(tuple(world_guess), None) == whole:
                        fits.add(value(guess))
                        break
                if len(fits) > 1:
                    break
            if len(fits) < 2:
                yield school, cell


tiers = st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)).map(
    lambda t: (t[0], t[1], t[2], min(t[3], t[0] + t[1] + t[2]))
)


@settings(max_examples=200, deadline=None)
@given(tiers, tiers)
@example((17, 0, 3, 0), (41, 0, 13, 0))  # the demo's SEMH
@example((10, 0, 0, 3), (6, 0, 0, 6))  # exact tiers, banded joiners
@example((8, 0, 3, 0), (6, 2, 0, 0))  # hidden in both
@example((5, 0, 0, 0), (5, 0, 0, 0))  # exact in both
@example((3, 0, 0, 0), (0, 0, 0, 0))  # one school alone
@example((5, 1, 0, 0), (5, 0, 1, 0))
def test_no_hidden_cell_can_be_worked_out_from_all_the_exports(ash: Counts, birch: Counts) -> None:
    world = (ash, birch)
    ceiling = sum(ash[:3]) + sum(birch[:3]) + 4
    assert list(_worked_out(world, ceiling)) == []


@given(st.lists(st.integers(0, 12), min_size=1, max_size=3), st.integers(0, 12))
def test_shown_exactly_is_counts_exact_with_the_joiners(parts: list[int], joining: int) -> None:
    exact = counts_exact(sum(parts), parts) and (joining == 0 or joining >= SMALL_COUNT)
    assert shown_exactly(sum(parts), parts, (joining,)) is exact


def test_the_rule_is_all_or_nothing_over_two_or_more_schools() -> None:
    assert not withheld_across(1, exact_in_each=False)  # one school: its own row rule
    assert not withheld_across(3, exact_in_each=True)
    assert withheld_across(2, exact_in_each=False)


# -- the command line, on the demo ------------------------------------------------------------


def test_oakfields_semh_cannot_be_worked_out_from_the_demo_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0

    def export(*scope: str) -> dict[str, dict[str, str]]:
        out = tmp_path / f"priorities{'-'.join(scope)}.csv"
        args = ["export", "priorities", "--format", "csv", "--publish", *scope, "-o", str(out)]
        assert main([*args, "--db", str(path)]) == 0
        text = out.read_text(encoding="utf-8-sig")
        return {str(row["Need"]): cells(row) for row in _csv(text)}

    whole, oakfield, riverside = (
        export(),
        export("--school", "Oakfield"),
        export("--school", "Riverside"),
    )
    capsys.readouterr()
    assert hidden(oakfield["SEMH"]["Pupils"]) and hidden(oakfield["SEMH"]["Specialist"])
    assert riverside["SEMH"]["Pupils"].isdigit()  # the other half of the subtraction
    for cell in ("Pupils", "Specialist"):
        assert hidden(whole["SEMH"][cell])
    for need, shown in oakfield.items():
        for cell, label in shown.items():
            if hidden(label):
                other = riverside.get(need, {}).get(cell, "0")
                assert hidden(whole[need][cell]) or hidden(other), (need, cell)


def test_the_trusts_own_figures_are_exact_and_only_small_cells_banded(two: Database) -> None:
    """Within the trust (its inclusion lead, its board) the sums are shown: SEMH's 74
    pupils over Ash's 20 and Birch's 54, though Ash's own export hides its total."""
    whole = {
        str(row["Need"]): row for row in _csv(priorities_csv(load_priorities(two, TODAY, None), {}))
    }
    _, schools = exports(two)
    assert hidden(schools["Ash School"]["SEMH"]["Pupils"])
    assert whole["SEMH"]["Pupils"] == 74
    assert whole["SEMH"]["Score"] != WITHHELD_FIGURE
    text = priorities_markdown(
        load_priorities(two, TODAY, None),
        scope="the trust",
        today=TODAY,
        school_names={},
        trust=True,
    )
    assert "These are the trust's own figures" in text and "unless every school" not in text


def test_published_a_need_with_pupils_moving_between_schools_shows_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trust counts a pupil on two rolls once, their schools' own reports once each:
    published, the difference would say how many move between them (3 with ASD)."""
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-tui", "--db", str(path)]) == 0
    capsys.readouterr()
    argv = ["export", "priorities", "--format", "csv", "--trust", "--db", str(path)]
    assert main([*argv, "--publish"]) == 0
    published = {str(row["Need"]): row for row in _csv(capsys.readouterr().out)}
    assert published["ASD"]["Pupils"] == WITHHELD_FIGURE
    assert main(argv) == 0  # the trust's own figures: exact
    own = {str(row["Need"]): row for row in _csv(capsys.readouterr().out)}
    assert own["ASD"]["Pupils"] == 55  # 58 in the two schools, 3 of them counted once
