"""Invented data at a chosen scale, shaped like the national SEN figures, for the benchmarks.

Run from the project folder:

    python benchmarks/generate.py --scale trust      # 43 schools, ~30,000 pupils on roll
    python benchmarks/generate.py --scale national   # ~22,000 schools, ~1.7 million with SEN
    python benchmarks/generate.py --scale tiny       # 3 schools, ~300 pupils (for tests)

Options: `--out DIR` (default benchmarks/out/), `--seed N` (default 1), `--files/--no-files`.
It writes, for a scale:

- `OUT/<scale>.db`: a sencoplan database (opened with `open_database`, so migrated and
  readable by its owner only), filled with sqlite-utils `insert_all`, one transaction per
  table: schools, the training catalogue (`sample_data/modules.csv`), pupils, staff, supports,
  training records and confidence ratings;
- `OUT/<scale>/files/`: the same data as import files with the headings the importers read
  (`schools.csv`, `modules.csv`, and per school `<school-slug>/{staff,pupils,supports,
  training,confidence}.csv`), imported in that order. On by default for tiny and trust; off
  for national (`--files` turns it on: about 110,000 files).

The shape (DfE, January 2025), from the toolkit for invented schools shared with the sample
trust (sencoplan.invented.shares): 14.2% of pupils on SEN support and 5.3% with an EHCP;
18.2% of primary pupils with SEN, 16.5% of secondary; SLCN the most common primary need on
SEN support in primary, SEMH in secondary; ASD the most common with an EHCP (about a third);
special schools where nearly every pupil has an EHCP. Each school's SEN
rates vary around its phase's figure; some pupils have a secondary need; a few are joining
next term (the incoming cohort) and a few have left.

**National scale writes only the pupils with SEN** (about 1.8 million rows, not the 9.4
million on roll): pupils with no SEN carry no need, so the priorities, which read only pupils
with SEN, are unchanged, and generation stays within a few minutes. `GeneratedData.roll`
counts the pupils on roll the file stands for; `pupils` counts the rows written. Staff are
leaner there too (about 27 a school: no office staff, fewer TAs, and each
secondary form has its tutor and two more teachers rather than the whole department).

Everything is invented and deterministic from the seed: names come from the toolkit's
(sencoplan.invented.names); UPNs are valid (DfE check letter) and unique, made from LA codes
950-999 by the toolkit's UpnMaker, above
those of English local authorities (201-938), so none can be a real child's; URNs are
9xxxxx, far above those in use; emails use the reserved `.invalid` domain. Dates describe
23 November 2026 (no admission, training or survey answer after 13 November 2026:
importers refuse training and surveys dated in the future).

From another script: `generate(scale, out)` returns a `GeneratedData` (paths and counts);
`build(scale)` makes the rows in memory without writing anything; `pupil_rows(...)` gives one
school's pupils as dicts keyed by column, for a bare `insert_all`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import math
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sencoplan.invented.headings import headings as checked_headings
from sencoplan.invented.names import adult_name, child_name, email_local
from sencoplan.invented.shares import SECONDARY_NEEDS, SEN_RATES, draw, needs_for
from sencoplan.invented.upns import UpnMaker
from sencoplan.io.sample import sample_data_dir, school_folder
from sencoplan.store.db import open_database, write_transaction

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"

TODAY = dt.date(2026, 11, 23)
"""The day the data describes (as the sample trust): the spring-term planning round."""
LAST_RECORD = dt.date(2026, 11, 13)
"""No admission, training or survey answer is dated after this."""
YEAR_START = 2026
"""The academic year 2026-27 starts in September 2026."""
SPRING_START = dt.date(2027, 1, 4)
"""When the incoming pupils join."""
END_OF_TERM = dt.date(2026, 12, 18)
"""When staff who are leaving leave."""

Progress = Callable[[str], None]
Row = tuple[Any, ...]

# --------------------------------------------------------------------------------------------
# The tables, column for column as sencoplan/store/migrations.py makes them

SCHOOL_COLUMNS = (
    "id",
    "name",
    "urn",
    "phase",
    "setting",
    "retention_months",
    "notional_sen_budget",
    "high_cost_threshold",
)
PUPIL_COLUMNS = (
    "id",
    "school_id",
    "upn",
    "display_name",
    "date_of_birth",
    "year_group",
    "tier",
    "primary_need",
    "secondary_need",
    "reg_group",
    "on_roll_from",
    "on_roll_to",
    "plan_review_due",
    "ehcp_review_due",
)
STAFF_COLUMNS = (
    "id",
    "school_id",
    "name",
    "role",
    "fte",
    "cpd_hours",
    "email",
    "start_date",
    "leaving_date",
)
SUPPORT_COLUMNS = ("id", "school_id", "staff_id", "pupil_id", "reg_group", "kind")
TRAINING_COLUMNS = ("id", "staff_id", "module_id", "completed", "session_id")
CONFIDENCE_COLUMNS = ("id", "staff_id", "need", "rating", "rated_on")
MODULE_COLUMNS = (
    "id",
    "code",
    "title",
    "level",
    "hours",
    "audience",
    "refresh_months",
    "provider",
    "organisation",
    "cost",
    "mandatory_specialist",
    "trains_leaders",
)
MODULE_NEED_COLUMNS = ("module_id", "need")

TABLES: dict[str, tuple[str, ...]] = {
    "schools": SCHOOL_COLUMNS,
    "modules": MODULE_COLUMNS,
    "module_needs": MODULE_NEED_COLUMNS,
    "pupils": PUPIL_COLUMNS,
    "staff": STAFF_COLUMNS,
    "supports": SUPPORT_COLUMNS,
    "training_records": TRAINING_COLUMNS,
    "confidence": CONFIDENCE_COLUMNS,
}
"""Every table written, in the order it is written (parents before children)."""

# --------------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Scale:
    name: str
    schools: tuple[tuple[str, int], ...]
    """(phase, how many schools), in the order they are numbered."""
    primary_forms: tuple[int, ...]
    """Forms of entry a primary is drawn from (classes a year)."""
    secondary_forms: tuple[int, ...]
    special_roll: tuple[int, int]
    class_size: int = 30
    nursery_share: float = 0.35
    """Share of primaries with a nursery class (N2)."""
    sixth_form_share: float = 0.6
    la_codes: tuple[int, ...] = tuple(range(950, 1000))
    sen_only: bool = False
    """Write only the pupils with SEN (national): see the module docstring."""
    lean_staff: bool = False
    files: bool = True
    """Write the import files unless told otherwise."""


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        name="tiny",
        schools=(("primary", 1), ("secondary", 1), ("special", 1)),
        primary_forms=(1,),
        secondary_forms=(1,),
        special_roll=(14, 14),
        class_size=26,
        nursery_share=0.0,
        sixth_form_share=0.0,
        la_codes=(951,),
    ),
    "trust": Scale(
        name="trust",
        schools=(("primary", 29), ("secondary", 11), ("special", 3)),
        primary_forms=(1, 2, 2, 2, 3),
        secondary_forms=(8, 9, 10, 11, 12),
        special_roll=(110, 190),
        la_codes=(953, 957, 961),
    ),
    "national": Scale(
        name="national",
        schools=(("primary", 17_300), ("secondary", 3_500), ("special", 1_200)),
        primary_forms=(1, 1, 1, 1, 2, 2, 3),
        secondary_forms=(4, 5, 6, 7, 8, 9, 10),
        special_roll=(60, 200),
        sen_only=True,
        lean_staff=True,
        files=False,
    ),
}

# --------------------------------------------------------------------------------------------
# The national shape

TARGETED_PLUS_SHARE = 0.2
"""Of the pupils on SEN support, those in the targeted plus tier (the rest: targeted)."""

SECONDARY_NEED_SHARE = {"targeted": 0.25, "targeted_plus": 0.35, "specialist": 0.45}
"""Share of pupils with SEN who also have a secondary need, by tier."""

ONE_TO_ONE_SHARE = {"primary": 0.45, "secondary": 0.3, "special": 0.25}
KEY_ADULT_SHARE = {"primary": 0.3, "secondary": 0.4, "special": 0.3}
"""Of the pupils with an EHCP, those with a one-to-one TA, and those with a key adult."""
INCOMING_SHARE = 0.02
LEFT_SHARE = 0.012

# --------------------------------------------------------------------------------------------
# Invented place names for the schools, from short syllables


def _names(starts: str, ends: str) -> tuple[str, ...]:
    return tuple(start + end for start in starts.split() for end in ends.split())


PLACES = _names(
    "Ab Bel Cran Dor Elm Fal Gor Hal Ken Lin Mal Nor Orm Pel Ros Sal Tam Ux Wes Yel",
    "ar en in ow ter ing el",
)
PLACE_ENDS = ("brook", "bury", "dale", "field", "ham", "hurst", "mead", "stead", "thorpe", "wick")
PLACE_EXTRAS = ("", "", "", "Park", "Vale", "Green", "Hill", "Meadow", "Cross", "Lane", "Brook")
SCHOOL_KINDS = {
    "primary": (
        "Primary School",
        "Primary Academy",
        "Community Primary School",
        "Infant and Junior School",
    ),
    "secondary": ("Academy", "High School", "School", "Community College"),
    "special": ("Special School", "School", "Academy"),
}
CLASS_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"

# --------------------------------------------------------------------------------------------
# Staff: the job titles a school's list uses (each read by sencoplan.domain.codes.parse_role)

TITLES: dict[str, tuple[str, ...]] = {
    "head": ("Headteacher",),
    "deputy_head": ("Deputy Head", "Deputy Headteacher"),
    "assistant_head": ("Assistant Head",),
    "senco": ("SENCO", "SENDCo"),
    "deputy_senco": ("Deputy SENCO",),
    "assistant_senco": ("Assistant SENCO",),
    "teacher": ("Teacher", "Class Teacher"),
    "ect": ("ECT", "Early Career Teacher"),
    "trainee": ("Trainee teacher",),
    "ta": ("Teaching Assistant", "TA"),
    "lsa": ("LSA", "Learning Support Assistant"),
    "hlta": ("HLTA",),
    "pastoral_lead": ("Pastoral/SEMH lead", "SEMH lead"),
    "lead_practitioner": ("Lead practitioner",),
    "other": ("Other",),
}
ROLE_OF_POST = {
    "head": "slt",
    "deputy_head": "slt",
    "assistant_head": "slt",
}
"""A post's stored role where it differs from the post's own name."""
SUPPORT_STAFF = ("ta", "lsa", "hlta")
SENCO_TEAM = ("senco", "deputy_senco", "assistant_senco")

# --------------------------------------------------------------------------------------------
# Dates as day numbers (ordinals), turned into ISO text through one table

_FIRST_DAY = dt.date(1950, 1, 1).toordinal()
_ISO = [
    dt.date.fromordinal(_FIRST_DAY + n).isoformat()
    for n in range(dt.date(2031, 1, 1).toordinal() - _FIRST_DAY)
]


def _iso(day: int | None) -> str | None:
    return None if day is None else _ISO[day - _FIRST_DAY]


def _day(year: int, month: int, day: int) -> int:
    return dt.date(year, month, day).toordinal()


def _between(rng: random.Random, first: int, last: int) -> int:
    """A whole number from first to last (randint's job, quicker)."""
    return first + int(rng.random() * (last - first + 1))


def _weekday(rng: random.Random, first: int, last: int) -> int:
    """A day from first to last, a weekday unless the range is only a weekend."""
    day = _between(rng, first, last)
    weekday = day % 7  # ordinal 1 (1 January 0001) was a Monday: 6 Saturday, 0 Sunday
    if weekday == 6:
        day = day - 1 if day - 1 >= first else day + 2
    elif weekday == 0:
        day = day + 1 if day + 1 <= last else day - 2
    return min(max(day, first), last)


def british(iso: str | None) -> str:
    """'2026-04-03' -> '03/04/2026' (what a school's files say); None -> ''."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


TODAY_DAY = TODAY.toordinal()
LAST_DAY = LAST_RECORD.toordinal()
_SEPTEMBER = {year: _day(year, 9, 1) for year in range(1990, 2031)}
"""1 September of each year: when most pupils are admitted."""
_BORN = {
    offset: (_day(2021 - offset, 9, 1), _day(2022 - offset, 8, 31)) for offset in range(-2, 15)
}
"""Years after reception -> the first and last birthday of that year group in 2026-27."""


def _year_offset(year: str) -> int:
    """Years after reception: N1 -2, N2 -1, R 0, 1 1 ... 14 14."""
    named = {"N1": -2, "N2": -1, "R": 0}
    return named[year] if year in named else int(year)


# --------------------------------------------------------------------------------------------
# The catalogue: sample_data/modules.csv, read by sencoplan's own importer


@dataclass(frozen=True)
class CatalogueModule:
    id: int
    code: str
    level: str
    audience: frozenset[str]
    needs: tuple[str, ...]
    mandatory_specialist: bool
    trains_leaders: bool
    row: Row


def modules_file() -> Path:
    return sample_data_dir() / "modules.csv"


def load_catalogue() -> list[CatalogueModule]:
    """The sample catalogue through the modules importer (into a database in memory), so
    the rows are exactly what importing modules.csv stores; ids 1, 2, ... in file order."""
    from sencoplan.io.importers import import_file
    from sencoplan.store.catalogue import list_modules

    db = open_database(":memory:")
    try:
        import_file(db, "modules", modules_file(), today=TODAY)
        order = {
            str(code).upper(): index
            for index, (code,) in enumerate(db.execute("SELECT code FROM modules ORDER BY id"))
        }
        found = sorted(list_modules(db), key=lambda module: order[module.code.upper()])
    finally:
        db.close()
    catalogue = []
    for number, module in enumerate(found, start=1):
        audience = tuple(role.value for role in module.audience)
        row = (
            number,
            module.code,
            module.title,
            module.level.value,
            module.hours,
            ";".join(audience),
            module.refresh_months,
            module.provider.value,
            module.organisation,
            module.cost,
            int(module.mandatory_specialist),
            int(module.trains_leaders),
        )
        catalogue.append(
            CatalogueModule(
                id=number,
                code=module.code,
                level=module.level.value,
                audience=frozenset(audience),
                needs=tuple(need.value for need in module.needs),
                mandatory_specialist=module.mandatory_specialist,
                trains_leaders=module.trains_leaders,
                row=row,
            )
        )
    return catalogue


_LEVEL_CHANCE = {"universal": 0.45, "targeted": 0.16, "specialist": 0.05}
_ROLE_FACTOR = {
    "senco": 1.9,
    "deputy_senco": 1.7,
    "assistant_senco": 1.6,
    "lead_practitioner": 1.6,
    "pastoral_lead": 1.2,
    "slt": 1.0,
    "teacher": 1.0,
    "ect": 0.7,
    "trainee": 0.35,
    "ta": 1.0,
    "lsa": 1.0,
    "hlta": 1.3,
    "other": 0.25,
}
_LEVEL_RANK = {"universal": 1, "targeted": 2, "specialist": 3}


def training_chances(
    catalogue: Sequence[CatalogueModule], role: str, specialist: bool
) -> list[tuple[CatalogueModule, float]]:
    """(module, chance that someone in this role holds it) for the modules meant for them."""
    chances = []
    for module in catalogue:
        if module.audience and role not in module.audience:
            continue
        chance = _LEVEL_CHANCE[module.level] * _ROLE_FACTOR[role]
        if module.trains_leaders:
            chance = 0.35 if role in SENCO_TEAM or role == "lead_practitioner" else 0.0
        elif module.code.startswith("EHCP") and role == "senco":
            chance = 0.75
        if role == "pastoral_lead" and "SEMH" in module.needs:
            chance *= 1.8
        if specialist:
            chance *= 1.6
            if module.mandatory_specialist and role != "other":
                chance = max(chance, 0.75)
        if chance > 0:
            chances.append((module, min(chance, 0.95)))
    return chances


# --------------------------------------------------------------------------------------------
# What is built


@dataclass
class SchoolData:
    id: int
    name: str
    urn: str
    phase: str
    setting: str
    folder: str
    roll: int = 0
    """Pupils on roll (and joining, and left) the school stands for: the rows written, or
    more at national scale, where pupils with no SEN are left out."""
    pupils: list[Row] = field(default_factory=list)
    staff: list[Row] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    """Each member of staff's job title, as their staff file says it."""
    supports: list[Row] = field(default_factory=list)
    training: list[Row] = field(default_factory=list)
    confidence: list[Row] = field(default_factory=list)

    @property
    def row(self) -> Row:
        # No retention period or notional SEN budget set; the usual £6,000 threshold.
        return (self.id, self.name, self.urn, self.phase, self.setting, None, None, 6000.0)


@dataclass
class Dataset:
    """Every row of a scale, in memory: what `generate` writes to the database and files."""

    scale: Scale
    seed: int
    catalogue: list[CatalogueModule]
    schools: list[SchoolData]

    def table_rows(self, table: str) -> Iterator[Row]:
        """The rows of one table (as tuples in the order of `TABLES[table]`)."""
        if table == "schools":
            return (school.row for school in self.schools)
        if table == "modules":
            return (module.row for module in self.catalogue)
        if table == "module_needs":
            return ((module.id, need) for module in self.catalogue for need in module.needs)
        attribute = {
            "pupils": "pupils",
            "staff": "staff",
            "supports": "supports",
            "training_records": "training",
            "confidence": "confidence",
        }[table]
        return itertools.chain.from_iterable(getattr(school, attribute) for school in self.schools)

    def rows(self, table: str, school_id: int | None = None) -> list[dict[str, Any]]:
        """The rows of a table as dicts keyed by column; one school's (by id) if given."""
        columns = TABLES[table]
        if school_id is None:
            source: Iterator[Row] = self.table_rows(table)
        else:
            school = self.schools[school_id - 1]
            source = iter(
                {
                    "schools": [school.row],
                    "pupils": school.pupils,
                    "staff": school.staff,
                    "supports": school.supports,
                    "training_records": school.training,
                    "confidence": school.confidence,
                }[table]
            )
        return [dict(zip(columns, row, strict=True)) for row in source]

    def count(self, table: str) -> int:
        if table == "schools":
            return len(self.schools)
        return sum(1 for _ in self.table_rows(table))

    @property
    def largest_school(self) -> SchoolData:
        return max(self.schools, key=lambda school: (len(school.pupils), -school.id))


@dataclass(frozen=True)
class GeneratedData:
    """What `generate` wrote, with the counts of rows."""

    scale: str
    seed: int
    db: Path
    files: Path | None
    """The folder of import files (schools.csv, modules.csv, one folder per school), or None
    when no files were written."""
    schools: int
    pupils: int
    """Pupil rows written (at national scale only the pupils with SEN)."""
    sen_pupils: int
    staff: int
    supports: int
    training_records: int
    confidence: int
    roll: int
    """Pupils the schools stand for, those with no SEN included (equal to `pupils` except
    at national scale)."""
    school_names: tuple[str, ...] = ()
    seconds: float = 0.0

    def school_dir(self, name: str) -> Path:
        """A school's folder of import files."""
        if self.files is None:
            raise ValueError("no import files were written")
        return self.files / school_folder(name)


# --------------------------------------------------------------------------------------------
# Building one school


class _Ids:
    """Ids handed out across the whole file, so rows can refer to each other before insert."""

    def __init__(self) -> None:
        self.pupil = 0
        self.staff = 0
        self.support = 0
        self.training = 0
        self.confidence = 0


def draw_needs(rng: random.Random, tier: str, phase: str, count: int) -> list[str]:
    """Primary needs for `count` pupils of a tier in a school of that phase (national shares)."""
    return draw(rng, needs_for(phase, "E" if tier == "specialist" else "K"), count)


_SECOND_NEEDS = list(SECONDARY_NEEDS), list(itertools.accumulate(SECONDARY_NEEDS.values()))


class _SchoolBuilder:
    def __init__(
        self,
        rng: random.Random,
        scale: Scale,
        school: SchoolData,
        la: int,
        establishment: int,
        ids: _Ids,
        chances: dict[tuple[str, bool], list[tuple[CatalogueModule, float]]],
    ) -> None:
        self.rng = rng
        self.scale = scale
        self.school = school
        self.la = la
        self.establishment = establishment
        self.ids = ids
        self.chances = chances
        self.special = school.setting == "specialist"
        self.upns = UpnMaker(la)
        self.classes: list[tuple[str, str, int]] = []
        """(year group, class, pupils) for every class on roll."""
        self.posts: dict[str, list[int]] = {}
        """Staff ids by post (teacher, ta, senco...)."""
        self.trained: dict[int, dict[str, int]] = {}
        """Staff id -> need -> best level rank of training held."""

    # -- pupils -------------------------------------------------------------------------------

    def plan_classes(self) -> None:
        rng, scale, phase = self.rng, self.scale, self.school.phase
        size = scale.class_size
        classes: list[tuple[str, int]] = []
        if phase == "primary":
            forms = rng.choice(scale.primary_forms)
            if rng.random() < scale.nursery_share:
                classes.append(("N2", round(size * 0.85)))
            for year in ("R", "1", "2", "3", "4", "5", "6"):
                classes.extend((year, round(size * rng.uniform(0.85, 1.0))) for _ in range(forms))
        elif phase == "secondary":
            forms = rng.choice(scale.secondary_forms)
            for year in ("7", "8", "9", "10", "11"):
                classes.extend((year, round(size * rng.uniform(0.88, 1.0))) for _ in range(forms))
            if rng.random() < scale.sixth_form_share:
                groups = max(1, round(forms * 0.45))
                for year in ("12", "13"):
                    classes.extend(
                        (year, round(size * rng.uniform(0.8, 1.0))) for _ in range(groups)
                    )
        else:
            target = rng.randint(*scale.special_roll)
            count = max(1, round(target / 9))
            years = [str(year) for year in range(1, 15)]
            for index in range(count):
                year = years[index * len(years) // count]
                classes.append((year, max(1, round(target / count * rng.uniform(0.85, 1.15)))))
        letters: dict[str, int] = {}
        for year, pupils in classes:
            letter = CLASS_LETTERS[letters.get(year, 0)]
            letters[year] = letters.get(year, 0) + 1
            self.classes.append((year, f"{year}{letter}", pupils))

    def build_pupils(self) -> None:
        rng, scale, school = self.rng, self.scale, self.school
        slots = [(year, reg) for year, reg, size in self.classes for _ in range(size)]
        roll = len(slots)
        school.roll = roll
        support_rate, ehcp_rate = SEN_RATES[school.phase]
        if not self.special:
            support_rate *= rng.uniform(0.7, 1.3)
            ehcp_rate *= rng.uniform(0.6, 1.4)
        ehcps = min(roll, round(roll * ehcp_rate))
        on_support = min(roll - ehcps, round(roll * support_rate))
        chosen = rng.sample(range(roll), ehcps + on_support)
        tiers: dict[int, str] = {}
        for position in chosen[:ehcps]:
            tiers[position] = "specialist"
        for position in chosen[ehcps:]:
            tiers[position] = "targeted_plus" if rng.random() < TARGETED_PLUS_SHARE else "targeted"
        needs = {
            "specialist": iter(draw_needs(rng, "specialist", school.phase, ehcps)),
            "targeted": iter(draw_needs(rng, "targeted", school.phase, on_support)),
        }
        positions = sorted(chosen) if scale.sen_only else range(roll)
        # Every school has a few joining next term (at least one), as the incoming cohort.
        joining = set(rng.sample(range(roll), max(1, round(roll * INCOMING_SHARE))))
        first = min(_year_offset(year) for year, _, _ in self.classes)
        second_needs, second_weights = _SECOND_NEEDS
        for position in positions:
            year, reg = slots[position]
            tier = tiers.get(position, "universal")
            offset = _year_offset(year)
            born = _between(rng, *_BORN[offset])
            # Admitted in September of the school's first year (in a special school, or to a
            # sixth form, sometimes later); some join during a year.
            if school.phase == "special":
                entry = _between(rng, first, offset)
            elif offset >= 12 and rng.random() < 0.2:
                entry = 12
            else:
                entry = first
            admitted_in = YEAR_START - (offset - entry)
            admitted = _SEPTEMBER[admitted_in]
            if rng.random() < 0.12:
                admitted = _weekday(rng, admitted, min(_SEPTEMBER[admitted_in + 1] - 1, LAST_DAY))
            left = None
            if position in joining:
                admitted, admitted_in = SPRING_START.toordinal(), SPRING_START.year
            elif rng.random() < LEFT_SHARE and admitted < LAST_DAY - 14:
                left = _weekday(rng, max(admitted + 7, _day(2026, 9, 7)), LAST_DAY)
            primary = secondary = plan_review = ehcp_review = None
            if tier != "universal":
                primary = next(needs["specialist" if tier == "specialist" else "targeted"])
                if rng.random() < SECONDARY_NEED_SHARE[tier]:
                    while secondary is None or secondary == primary:
                        secondary = rng.choices(second_needs, cum_weights=second_weights)[0]
                if tier == "specialist":
                    ehcp_review = _weekday(rng, TODAY_DAY - 30, TODAY_DAY + 340)
                else:
                    plan_review = _weekday(rng, TODAY_DAY - 40, TODAY_DAY + 330)
            self.ids.pupil += 1
            school.pupils.append(
                (
                    self.ids.pupil,
                    school.id,
                    self.upns.next(self.establishment, admitted_in),
                    " ".join(child_name(rng)),
                    _ISO[born - _FIRST_DAY],
                    year,
                    tier,
                    primary,
                    secondary,
                    reg,
                    _ISO[admitted - _FIRST_DAY],
                    _iso(left),
                    _iso(plan_review),
                    _iso(ehcp_review),
                )
            )

    # -- staff --------------------------------------------------------------------------------

    def _recipe(self) -> list[str]:
        """The posts of the school, one entry a person."""
        rng, phase, lean = self.rng, self.school.phase, self.scale.lean_staff
        classes = len(self.classes)
        roll = self.school.roll

        def some(chance: float) -> int:
            return 1 if rng.random() < chance else 0

        posts = ["head", "senco"]
        if phase == "primary":
            posts += ["deputy_head"] * (classes >= (10 if lean else 7))
            posts += ["assistant_head"] * (classes >= 14)
            posts += ["deputy_senco"] * some(0.5 if classes >= 14 else 0.25)
            posts += ["class_teacher"] * classes
            posts += ["teacher"] * (0 if lean else math.ceil(classes / 4))
            assistants = round(classes * rng.uniform(0.8, 1.3) * (0.35 if lean else 1))
            posts += ["pastoral_lead"] * some(0.4)
            posts += ["other"] * (0 if lean else rng.randint(2, 4))
        elif phase == "secondary":
            posts += ["deputy_head"] * 2 + ["assistant_head"] * rng.randint(2, 4)
            posts += ["deputy_senco"] * some(0.7) + ["assistant_senco"] * some(0.4)
            posts += ["class_teacher"] * classes
            posts += ["teacher"] * (5 if lean else max(0, round(roll / 16) - classes))
            assistants = round(roll / 70 * (0.5 if lean else 1))
            posts += ["pastoral_lead"] * rng.randint(1, 3)
            posts += ["lead_practitioner"] * some(0.4)
            posts += ["other"] * (0 if lean else round(roll / 100))
        else:
            posts += ["deputy_head"] + ["assistant_head"] * some(0.5)
            posts += ["deputy_senco"] * some(0.5)
            posts += ["class_teacher"] * classes + ["teacher"] * 2
            assistants = round(classes * (1.2 if lean else 2.3))
            posts += ["pastoral_lead"] * some(0.6) + ["lead_practitioner"] * some(0.5)
            posts += ["other"] * (0 if lean else rng.randint(3, 5))
        hltas = max(1, round(assistants * (0.2 if self.special else 0.12)))
        lsas = round((assistants - hltas) * (0.3 if self.special else 0.2))
        posts += ["hlta"] * hltas + ["lsa"] * lsas + ["ta"] * max(1, assistants - hltas - lsas)
        return posts

    def _teacher_post(self) -> str:
        chance = self.rng.random()
        return "ect" if chance < 0.1 else "trainee" if chance < 0.13 else "teacher"

    def build_staff(self) -> None:
        rng, school = self.rng, self.school
        posts = self._recipe()
        left_from = len(posts)
        if not self.scale.lean_staff:
            # A few who left in the summer (still on the list, with their leaving date).
            posts += ["ta" if rng.random() < 0.6 else "teacher" for _ in range(len(posts) // 60)]
        names: set[str] = set()
        domain = school.folder.split("-")[0]
        for index, post in enumerate(posts):
            kind = self._teacher_post() if post == "class_teacher" else post
            role = ROLE_OF_POST.get(kind, kind)
            name = adult_name(rng)
            while name in names:
                name = adult_name(rng)
            names.add(name)
            fte, cpd, start = self._terms_of(role, kind)
            leaving = None
            if index >= left_from:
                leaving = _weekday(rng, _day(2026, 7, 10), _day(2026, 8, 28))
                start = min(start, leaving - 365)
            elif post not in ("head", "senco", "class_teacher") and rng.random() < 0.02:
                leaving = END_OF_TERM.toordinal()
            self.ids.staff += 1
            school.staff.append(
                (
                    self.ids.staff,
                    school.id,
                    name,
                    role,
                    fte,
                    cpd,
                    f"{email_local(name)}@{domain}.invalid",
                    _ISO[start - _FIRST_DAY],
                    _iso(leaving),
                )
            )
            school.titles.append(rng.choice(TITLES[kind]))
            if index < left_from:
                self.posts.setdefault(post, []).append(self.ids.staff)
            self._train(self.ids.staff, role, start)

    def _terms_of(self, role: str, kind: str) -> tuple[float, float, int]:
        """FTE, CPD hours a term, start date."""
        rng = self.rng
        if role in SUPPORT_STAFF:
            fte = rng.choice((1.0, 0.8, 0.8, 0.6, 0.6, 0.5))
            cpd = rng.uniform(6, 10) if role == "hlta" else rng.uniform(3, 8)
        elif role == "other":
            fte = rng.choice((1.0, 0.6, 0.5))
            cpd = rng.uniform(1, 3)
        elif role in ("teacher", "ect", "trainee"):
            fte = 1.0 if role != "teacher" or rng.random() < 0.75 else rng.choice((0.8, 0.6, 0.5))
            cpd = {"ect": 20.0, "trainee": 15.0}.get(role) or rng.uniform(8, 16)
        else:
            fte = 1.0
            cpd = rng.uniform(15, 24) if role == "senco" else rng.uniform(10, 18)
        if kind == "ect":
            start = _day(rng.choice((2025, 2026)), 9, 1)
        elif kind == "trainee":
            start = _day(2026, 9, 1)
        elif rng.random() < 0.7:
            start = _day(rng.randint(1998 if role != "senco" else 2010, 2026), 9, 1)
        else:
            start = _weekday(rng, _day(1998, 1, 5), LAST_DAY)
        return fte, round(cpd * 2) / 2, start

    def _train(self, staff_id: int, role: str, start: int) -> None:
        rng = self.rng
        earliest = max(_day(2017, 9, 1), start - 3 * 365)
        held: dict[str, int] = {}
        for module, chance in self.chances[(role, self.special)]:
            if rng.random() >= chance:
                continue
            completed = _weekday(rng, min(earliest, LAST_DAY - 30), LAST_DAY)
            self.ids.training += 1
            self.school.training.append(
                (self.ids.training, staff_id, module.id, _ISO[completed - _FIRST_DAY], None)
            )
            rank = _LEVEL_RANK[module.level]
            for need in module.needs:
                if held.get(need, 0) < rank:
                    held[need] = rank
        self.trained[staff_id] = held

    # -- supports -----------------------------------------------------------------------------

    def _support(
        self, staff_id: int, kind: str, *, pupil: int | None = None, reg: str | None = None
    ) -> None:
        self.ids.support += 1
        self.school.supports.append((self.ids.support, self.school.id, staff_id, pupil, reg, kind))

    def build_supports(self) -> None:
        """Who teaches or works in each class, then the pupils' one-to-ones and key adults."""
        self._class_supports()
        self._pupil_supports()

    def _class_supports(self) -> None:
        school, posts = self.school, self.posts
        with_pupils = {row[9] for row in school.pupils if row[11] is None}
        forms = [reg for _, reg, _ in self.classes]
        teachers = posts.get("class_teacher", [])
        for reg, teacher in zip(forms, teachers, strict=True):
            if reg in with_pupils:
                self._support(teacher, "class_teacher", reg=reg)
        assistants = posts.get("ta", []) + posts.get("lsa", []) + posts.get("hlta", [])
        others = posts.get("teacher", []) + posts.get("lead_practitioner", [])
        if school.phase == "secondary":
            leaders = posts.get("deputy_head", []) + posts.get("assistant_head", [])
            self._subject_teachers(forms, with_pupils, teachers, teachers + others + leaders)
            for assistant in assistants:
                self._some_classes(assistant, "class_support", forms, with_pupils)
            return
        # Cover and intervention teachers take a few classes; assistants work in classes.
        for teacher in others:
            self._some_classes(teacher, "class_teacher", forms, with_pupils)
        per_class = 2 if self.special else 1
        for index, reg in enumerate(forms):
            if reg not in with_pupils or not assistants:
                continue
            helpers = {
                assistants[(index * per_class + step) % len(assistants)]
                for step in range(per_class)
            }
            for helper in sorted(helpers):
                self._support(helper, "class_support", reg=reg)

    def _some_classes(self, staff_id: int, kind: str, forms: list[str], open_: set[str]) -> None:
        """Three classes at random, recorded where they have pupils."""
        for reg in self.rng.sample(forms, min(len(forms), 3)):
            if reg in open_:
                self._support(staff_id, kind, reg=reg)

    def _subject_teachers(
        self, forms: list[str], open_: set[str], tutors: list[int], everyone: list[int]
    ) -> None:
        """Each form is taught by several more teachers than its tutor (lean, national: two
        more, so staff stay about 25 a school)."""
        subjects = 2 if self.scale.lean_staff else 5
        for reg, tutor in zip(forms, tutors, strict=True):
            if reg not in open_:
                continue
            drawn = self.rng.sample(everyone, min(len(everyone), subjects + 1))
            for teacher in [t for t in drawn if t != tutor][:subjects]:
                self._support(teacher, "class_teacher", reg=reg)

    def _pupil_supports(self) -> None:
        rng, school, posts = self.rng, self.school, self.posts
        assistants = posts.get("ta", []) + posts.get("lsa", [])
        hltas = posts.get("hlta", [])
        key_adults = (
            hltas
            + posts.get("pastoral_lead", [])
            + posts.get("deputy_senco", [])
            + posts.get("assistant_senco", [])
            + posts.get("lead_practitioner", [])
            + assistants[: max(1, len(assistants) // 3)]
        )
        one_to_one = ONE_TO_ONE_SHARE[school.phase]
        key_adult = KEY_ADULT_SHARE[school.phase]
        for row in school.pupils:
            tier, left = row[6], row[11]
            if left is not None or tier not in ("specialist", "targeted_plus"):
                continue
            chance = rng.random()
            if tier == "targeted_plus":
                if chance < 0.2 and key_adults:
                    self._support(rng.choice(key_adults), "key_adult", pupil=row[0])
                continue
            ta = None
            if chance < one_to_one and assistants:
                ta = rng.choice(assistants)
                self._support(ta, "one_to_one", pupil=row[0])
            if rng.random() < key_adult and key_adults:
                adult = rng.choice(key_adults)
                if adult != ta:
                    self._support(adult, "key_adult", pupil=row[0])

    # -- confidence ---------------------------------------------------------------------------

    def build_confidence(self) -> None:
        rng, school = self.rng, self.school
        survey = _iso(_weekday(rng, _day(2026, 9, 21), LAST_DAY))
        lean = self.scale.lean_staff
        common = ("SLCN", "ASD", "SEMH", "SPLD", "MLD")
        rare = ("HI", "VI", "PD", "SLD", "PMLD", "MSI", "OTH")
        base = {
            "senco": 4.2,
            "deputy_senco": 3.9,
            "assistant_senco": 3.7,
            "lead_practitioner": 3.8,
            "pastoral_lead": 3.3,
            "ect": 2.5,
            "trainee": 2.2,
        }
        for staff_id, _, _, role, *_rest in school.staff:
            leaving = _rest[-1]
            if role == "other" or (leaving is not None and leaving < TODAY.isoformat()):
                continue
            if rng.random() >= (0.6 if lean else 0.75):
                continue
            if lean:
                needs = [*common[:3], rng.choice(common[3:])]
            else:
                needs = [*common, *rng.sample(rare, rng.randint(1, 3))]
            trained = self.trained.get(staff_id, {})
            for need in needs:
                score = base.get(role, 3.0) + rng.gauss(0, 0.8)
                score += (0.0, 0.4, 0.9, 1.2)[trained.get(need, 0)]
                if need in ("SLD", "PMLD", "MSI"):
                    score += 0.8 if self.special else -1.0
                if need == "SEMH" and role == "pastoral_lead":
                    score += 0.8
                self.ids.confidence += 1
                school.confidence.append(
                    (self.ids.confidence, staff_id, need, min(5, max(1, round(score))), survey)
                )


# --------------------------------------------------------------------------------------------
# Building a whole scale


def _school_names(rng: random.Random, scale: Scale) -> list[tuple[str, str]]:
    """(phase, name) for every school: invented and unique (ignoring case)."""
    taken: set[str] = set()
    named = []
    for phase, count in scale.schools:
        for _ in range(count):
            for attempt in itertools.count():
                place = rng.choice(PLACES) + rng.choice(PLACE_ENDS)
                extra = rng.choice(PLACE_EXTRAS)
                kind = rng.choice(SCHOOL_KINDS[phase])
                name = " ".join(part for part in (place, extra, kind) if part)
                if attempt > 50:
                    name = f"{place} {extra or 'Road'} {kind} {attempt}"
                if name.casefold() not in taken:
                    taken.add(name.casefold())
                    named.append((phase, name))
                    break
    return named


def build(scale: str | Scale, *, seed: int = 1, on_progress: Progress | None = None) -> Dataset:
    """Every row of the scale, in memory (nothing written): deterministic from the seed."""
    chosen = SCALES[scale] if isinstance(scale, str) else scale
    say = on_progress or (lambda message: None)
    rng = random.Random(f"sencoplan-{chosen.name}-{seed}")
    catalogue = load_catalogue()
    roles = {ROLE_OF_POST.get(post, post) for post in TITLES}
    chances = {
        (role, special): training_chances(catalogue, role, special)
        for role in roles
        for special in (False, True)
    }
    names = _school_names(rng, chosen)
    urns = rng.sample(range(900_000, 1_000_000), len(names))
    establishments: dict[tuple[int, str], int] = {}
    ids = _Ids()
    schools = []
    every = max(1, len(names) // 10)
    for number, ((phase, name), urn) in enumerate(zip(names, urns, strict=True), start=1):
        la = chosen.la_codes[(number - 1) % len(chosen.la_codes)]
        base = {"primary": 2000, "secondary": 4000, "special": 7000}[phase]
        establishment = establishments.get((la, phase), base) + 1
        establishments[(la, phase)] = establishment
        school = SchoolData(
            id=number,
            name=name,
            urn=str(urn),
            phase=phase,
            setting="specialist" if phase == "special" else "mainstream",
            folder=school_folder(name),
        )
        builder = _SchoolBuilder(rng, chosen, school, la, establishment, ids, chances)
        builder.plan_classes()
        builder.build_pupils()
        builder.build_staff()
        builder.build_supports()
        builder.build_confidence()
        schools.append(school)
        if number % every == 0 or number == len(names):
            say(f"built {number:,} of {len(names):,} schools ({ids.pupil:,} pupils)")
    return Dataset(scale=chosen, seed=seed, catalogue=catalogue, schools=schools)


def pupil_rows(
    scale: str | Dataset = "trust", *, seed: int = 1, school_id: int | None = None
) -> list[dict[str, Any]]:
    """One school's pupils (the largest when no id is given) as dicts keyed by the pupils
    table's columns, ids included: the rows for a bare `insert_all` floor. Its school must
    exist first (`Dataset.rows("schools", school_id)`)."""
    data = scale if isinstance(scale, Dataset) else build(scale, seed=seed)
    chosen = school_id if school_id is not None else data.largest_school.id
    return data.rows("pupils", chosen)


# --------------------------------------------------------------------------------------------
# Writing


def write_database(data: Dataset, path: Path, on_progress: Progress | None = None) -> None:
    """A fresh sencoplan database at `path`, every table filled with `insert_all`."""
    say = on_progress or (lambda message: None)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    db = open_database(path)
    try:
        # This connection only: the file is thrown away if generation fails half way.
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")
        for table, columns in TABLES.items():
            started = time.perf_counter()
            rows = data.table_rows(table)
            with write_transaction(db):
                # List mode: column names first, then tuples. sqlite-utils caps each batch at
                # 999 variables a statement whatever batch_size says.
                db.table(table).insert_all(
                    itertools.chain([list(columns)], rows), batch_size=100_000
                )
            count = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            say(f"wrote {count:,} {table} in {time.perf_counter() - started:.1f} s")
    finally:
        db.close()


SUPPORT_WORDS = {
    "class_teacher": "Class teacher",
    "class_support": "In-class support",
    "key_adult": "Key adult",
    "one_to_one": "1:1",
}
STATUS_WORDS = {
    "universal": "N",
    "targeted": "K",
    "targeted_plus": "Targeted plus",
    "specialist": "E",
}


def _write_csv(path: Path, written: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
    """A file named for its import kind, its headings checked against that importer's."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(checked_headings(path.stem, written))
        writer.writerows(rows)


def write_school_files(school: SchoolData, folder: Path, codes: dict[int, str]) -> None:
    """A school's staff, pupils, supports, training and confidence files."""
    folder.mkdir(parents=True, exist_ok=True)
    first_staff = school.staff[0][0] if school.staff else 0
    first_pupil = school.pupils[0][0] if school.pupils else 0

    def staff_name(staff_id: int) -> str:
        return str(school.staff[staff_id - first_staff][2])

    def upn(pupil_id: int) -> str:
        return str(school.pupils[pupil_id - first_pupil][2])

    _write_csv(
        folder / "staff.csv",
        ("Name", "Role", "FTE", "CPD Hours", "Email", "Start Date", "Leaving Date"),
        (
            (name, title, f"{fte:g}", f"{cpd:g}", email or "", british(start), british(leaving))
            for (_, _, name, _, fte, cpd, email, start, leaving), title in zip(
                school.staff, school.titles, strict=True
            )
        ),
    )
    _write_csv(
        folder / "pupils.csv",
        (
            "UPN",
            "Legal Surname",
            "Legal Forename",
            "DOB",
            "NC Year Actual",
            "Reg",
            "SEN Status",
            "SEN Need Type 1",
            "SEN Need Type 2",
            "Admission Date",
            "Leaving Date",
            "EHCP Review Due",
            "ISP Review Due",
        ),
        (
            (
                row[2],
                row[3].split(" ", 1)[1],
                row[3].split(" ", 1)[0],
                british(row[4]),
                row[5],
                row[9] or "",
                STATUS_WORDS[row[6]],
                row[7] or "",
                row[8] or "",
                british(row[10]),
                british(row[11]),
                british(row[13]),
                british(row[12]),
            )
            for row in school.pupils
        ),
    )
    _write_csv(
        folder / "supports.csv",
        ("Staff", "UPN", "Class", "Kind"),
        (
            (
                staff_name(staff_id),
                upn(pupil_id) if pupil_id is not None else "",
                reg or "",
                SUPPORT_WORDS[kind],
            )
            for _, _, staff_id, pupil_id, reg, kind in school.supports
        ),
    )
    _write_csv(
        folder / "training.csv",
        ("Staff", "Module", "Completed"),
        (
            (staff_name(staff_id), codes[module_id], british(completed))
            for _, staff_id, module_id, completed, _ in school.training
        ),
    )
    _write_csv(
        folder / "confidence.csv",
        ("Staff", "Need", "Rating", "Date"),
        (
            (staff_name(staff_id), need, rating, british(rated_on))
            for _, staff_id, need, rating, rated_on in school.confidence
        ),
    )


def write_files(data: Dataset, folder: Path, on_progress: Progress | None = None) -> None:
    """schools.csv, modules.csv and one folder per school, in a fresh `folder`."""
    say = on_progress or (lambda message: None)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _write_csv(
        folder / "schools.csv",
        ("Name", "URN", "Phase", "Setting"),
        ((school.name, school.urn, school.phase, school.setting) for school in data.schools),
    )
    shutil.copyfile(modules_file(), folder / "modules.csv")
    codes = {module.id: module.code for module in data.catalogue}
    every = max(1, len(data.schools) // 10)
    for number, school in enumerate(data.schools, start=1):
        write_school_files(school, folder / school.folder, codes)
        if number % every == 0 or number == len(data.schools):
            say(f"wrote the files of {number:,} of {len(data.schools):,} schools")


def generate(
    scale: str,
    out: Path,
    *,
    seed: int = 1,
    files: bool | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> GeneratedData:
    """Build the scale and write `out/<scale>.db` and (if `files`, by default for tiny and
    trust) the import files in `out/<scale>/files/`. Replaces what an earlier run wrote."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (use {', '.join(SCALES)})")
    started = time.perf_counter()
    chosen = SCALES[scale]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = build(chosen, seed=seed, on_progress=on_progress)
    db_path = out / f"{scale}.db"
    write_database(data, db_path, on_progress)
    folder = out / scale / "files"
    wanted = chosen.files if files is None else files
    if wanted:
        write_files(data, folder, on_progress)
    elif folder.exists():
        shutil.rmtree(folder)  # files from an earlier run would no longer match the database
    pupils = data.count("pupils")
    return GeneratedData(
        scale=scale,
        seed=seed,
        db=db_path,
        files=folder if wanted else None,
        schools=len(data.schools),
        pupils=pupils,
        sen_pupils=sum(1 for row in data.table_rows("pupils") if row[6] != "universal"),
        staff=data.count("staff"),
        supports=data.count("supports"),
        training_records=data.count("training_records"),
        confidence=data.count("confidence"),
        roll=sum(school.roll for school in data.schools),
        school_names=tuple(school.name for school in data.schools),
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write invented sencoplan data at a chosen scale: a database and import files."
    )
    parser.add_argument("--scale", choices=list(SCALES), default="trust")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: benchmarks/out/")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--files",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the import files too (default: yes for tiny and trust, no for national)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"{time.perf_counter() - started:7.1f} s  {message}", file=sys.stderr, flush=True)

    result = generate(args.scale, args.out, seed=args.seed, files=args.files, on_progress=say)
    size = result.db.stat().st_size / 1_000_000
    print(f"scale {result.scale} (seed {result.seed}) in {result.seconds:.1f} s")
    print(f"database: {result.db} ({size:,.1f} MB)")
    print(f"import files: {result.files or 'not written'}")
    sen = result.sen_pupils / result.roll if result.roll else 0.0
    for label, count in (
        ("schools", result.schools),
        ("pupils on roll", result.roll),
        ("pupil rows", result.pupils),
        (f"pupils with SEN ({sen:.1%} of the roll)", result.sen_pupils),
        ("staff", result.staff),
        ("supports", result.supports),
        ("training records", result.training_records),
        ("confidence ratings", result.confidence),
    ):
        print(f"  {label:36} {count:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
