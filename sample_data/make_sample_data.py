"""Write the invented sample trust in sample_data/: two schools, every file a user would import.

Everything here is invented: the schools, their URNs, every pupil and member of staff, every
name, UPN, date of birth and email address (emails use the reserved `.invalid` domain). The
shape follows the national SEN figures (DfE, January 2025): 14.2% of pupils on SEN support,
5.3% with an EHCP.

The output is deterministic (one fixed seed). Rerun it from the project folder with:

    python sample_data/make_sample_data.py

It uses sencoplan's toolkit for invented schools (sencoplan.invented: UPNs, names, dates,
the national shares of need, headings the importers read) and (re)writes schools.csv,
modules.csv and one folder per school holding staff, pupils, supports, training,
confidence, qualifications, terms, and the succession files (roles, candidates, development
actions, module leaders) as CSV files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sencoplan.invented.dates import between, birth_window, british, school_day, year_index
from sencoplan.invented.headings import headings as checked_headings
from sencoplan.invented.names import adult_name, ascii_fold, child_name, email_local
from sencoplan.invented.shares import SECONDARY_NEEDS, needs_for, quotas
from sencoplan.invented.upns import UpnMaker

SEED = 20_261_123
TODAY = dt.date(2026, 11, 23)
"""The day the sample describes: the start of the spring-term planning round."""
LAST_RECORD = dt.date(2026, 11, 15)
"""No training or survey answer is dated after this (importers refuse future dates)."""
OUT = Path(__file__).resolve().parent

LA_CODE = 951  # from INVENTED_LA_CODES (950-999): no invented UPN can be a real child's
"""The LA part of every invented UPN (establishment numbers and serials are invented too)."""

# --------------------------------------------------------------------------------------------
# Pupils

NEED_LABELS = {
    "SLCN": "Speech, Language and Communication Needs",
    "ASD": "Autistic Spectrum Disorder",
    "SPLD": "Specific Learning Difficulty",
    "MLD": "Moderate Learning Difficulty",
    "SLD": "Severe Learning Difficulty",
    "PMLD": "Profound and Multiple Learning Difficulty",
    "SEMH": "Social, Emotional and Mental Health",
    "HI": "Hearing Impairment",
    "VI": "Visual Impairment",
    "MSI": "Multi-Sensory Impairment",
    "PD": "Physical Disability",
    "OTH": "Other Difficulty/Disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}
"""How an Arbor-like export spells the need types (the SIMS-like one uses the codes)."""


@dataclass(eq=False)
class Child:
    upn: str
    forename: str
    surname: str
    dob: dt.date
    year: str
    reg: str
    status: str = "N"
    need1: str = ""
    need2: str = ""
    admitted: dt.date | None = None
    left: dt.date | None = None
    ehcp_review: dt.date | None = None
    isp_review: dt.date | None = None


@dataclass
class UpnBook:
    """Hands out unique, valid UPNs (LA, establishment, year of allocation, serial) and names."""

    rng: random.Random
    names: set[str] = field(default_factory=set)
    upns: UpnMaker = field(init=False)

    def __post_init__(self) -> None:
        self.upns = UpnMaker(LA_CODE, self.rng)

    def child_name(self, rng: random.Random) -> tuple[str, str]:
        """A forename and surname no other pupil in the trust has."""
        while True:
            forename, surname = child_name(rng)
            if f"{forename} {surname}" not in self.names:
                self.names.add(f"{forename} {surname}")
                return forename, surname

    def new(self, establishment: str, year_allocated: int) -> str:
        return self.upns.random(int(establishment), year_allocated)


def new_child(
    rng: random.Random, book: UpnBook, establishment: str, year: str, reg: str, admitted: dt.date
) -> Child:
    forename, surname = book.child_name(rng)
    reception_year = 2026 - year_index(year)
    return Child(
        upn=book.new(establishment, reception_year),
        forename=forename,
        surname=surname,
        dob=between(rng, *birth_window(year, 2026)),
        year=year,
        reg=reg,
        admitted=admitted,
    )


def pick_weighted(
    rng: random.Random, items: Sequence[Child], weight: Callable[[Child], float], k: int
) -> list[Child]:
    """k distinct items, each chance in proportion to its weight (Efraimidis-Spirakis)."""
    keyed = sorted(items, key=lambda item: rng.random() ** (1 / weight(item)), reverse=True)
    return keyed[:k]


def give_needs(
    rng: random.Random,
    pupils: Sequence[Child],
    status: str,
    weights: dict[str, float],
) -> None:
    """Set status and a primary need on these pupils, needs in the given proportions."""
    needs = quotas(len(pupils), weights)
    rng.shuffle(needs)
    for pupil, need in zip(pupils, needs, strict=True):
        pupil.status, pupil.need1 = status, need


def give_secondary_needs(rng: random.Random, pupils: Sequence[Child], share: float) -> None:
    candidates = [pupil for pupil in pupils if pupil.need1 and pupil.need1 != "NSA"]
    for pupil in rng.sample(candidates, round(share * len(pupils))):
        options = {need: w for need, w in SECONDARY_NEEDS.items() if need != pupil.need1}
        pupil.need2 = rng.choices(list(options), weights=list(options.values()))[0]


def give_reviews(rng: random.Random, pupils: Iterable[Child]) -> None:
    """EHCP annual reviews Dec 2026 to Jul 2027; ISP reviews across the year, a few overdue."""
    for pupil in pupils:
        if pupil.status == "E":
            pupil.ehcp_review = school_day(rng, dt.date(2026, 12, 1), dt.date(2027, 7, 16))
        elif pupil.status == "K":
            if rng.random() < 0.05:
                pupil.isp_review = school_day(rng, dt.date(2026, 10, 12), dt.date(2026, 11, 20))
            else:
                pupil.isp_review = school_day(rng, dt.date(2026, 11, 30), dt.date(2027, 11, 19))


FEEDER_ESTABS = ("2417", "2103", "2236", "2389", "2552", "2621", "2705", "3014", "3152", "2048")
"""Primary schools whose UPNs Riverside's pupils carry (2417 is Oakfield)."""
PRIMARY_YEARS = ("R", "1", "2", "3", "4", "5", "6")
PRIMARY_CLASS_LETTERS = ("O", "W")  # Oak and Willow: two classes of 30 in each year
OAKFIELD_ESTAB = "2417"


def primary_pupils(rng: random.Random, book: UpnBook) -> list[Child]:
    pupils: list[Child] = []
    for year in PRIMARY_YEARS:
        start = dt.date(2026 - year_index(year), 9, 1)
        for number in range(60):
            reg = f"{year}{PRIMARY_CLASS_LETTERS[number % 2]}"
            pupil = new_child(rng, book, OAKFIELD_ESTAB, year, reg, start)
            if year != "R" and rng.random() < 0.1:  # joined mid-way from another school
                pupil.upn = book.new(rng.choice(FEEDER_ESTABS[1:]), 2026 - year_index(year))
                pupil.admitted = school_day(rng, start, dt.date(2026, 11, 13))
            pupils.append(pupil)
    # 18.1% with SEN: 20 with an EHCP (4.8%), 56 on SEN support (13.3%); fewer in Reception.
    sen = pick_weighted(rng, pupils, lambda p: 0.5 if p.year == "R" else 1.0, 76)
    give_needs(rng, sen[:20], "E", needs_for("primary", "E"))
    give_needs(rng, sen[20:], "K", needs_for("primary", "K"))
    give_secondary_needs(rng, sen, 0.3)
    give_reviews(rng, pupils)
    return pupils


SECONDARY_YEARS = ("7", "8", "9", "10", "11")
FORM_LETTERS = "ABCDEFG"
INCOMING = dt.date(2027, 9, 1)


def secondary_pupils(rng: random.Random, book: UpnBook, oakfield: list[Child]) -> list[Child]:
    pupils: list[Child] = []
    for year in SECONDARY_YEARS:
        start = dt.date(2026 - (int(year) - 7), 9, 1)
        feeders = rng.choices(FEEDER_ESTABS, weights=[3, 2, 2, 2, 2, 1, 1, 1, 1, 1], k=200)
        for number, feeder in enumerate(feeders):
            reg = f"{year}{FORM_LETTERS[number % len(FORM_LETTERS)]}"
            pupil = new_child(rng, book, feeder, year, reg, start)
            if rng.random() < 0.06:
                pupil.admitted = school_day(rng, start, dt.date(2026, 11, 13))
            pupils.append(pupil)
    # 16.5% with SEN: 48 with an EHCP (4.8%), 117 on SEN support (11.7%).
    sen = rng.sample(pupils, 165)
    give_needs(rng, sen[:48], "E", needs_for("secondary", "E"))
    give_needs(rng, sen[48:], "K", needs_for("secondary", "K"))
    give_secondary_needs(rng, sen, 0.3)
    give_reviews(rng, pupils)

    # Leavers during 2025/26: year group and form as they were when they left.
    leavers = [
        ("8", "K", "SEMH", dt.date(2026, 2, 13)),
        ("10", "E", "ASD", dt.date(2026, 4, 24)),
        ("9", "N", "", dt.date(2025, 11, 28)),
        ("7", "N", "", dt.date(2026, 3, 20)),
        ("10", "N", "", dt.date(2026, 6, 5)),
        ("8", "K", "SLCN", dt.date(2026, 7, 17)),
    ]
    for year, status, need, left in leavers:
        reception_year = 2025 - year_index(year)
        forename, surname = book.child_name(rng)
        pupils.append(
            Child(
                upn=book.new(rng.choice(FEEDER_ESTABS), reception_year),
                forename=forename,
                surname=surname,
                dob=between(rng, *birth_window(year, 2025)),
                year=year,
                reg=f"{year}{rng.choice(FORM_LETTERS)}",
                status=status,
                need1=need,
                admitted=dt.date(reception_year + 7, 9, 1),
                left=left,
            )
        )

    # The incoming Year 7 of September 2027 (in Year 6 now): some from Oakfield, same records.
    oakfield_y6 = [p for p in oakfield if p.year == "6"]
    from_oakfield = [p for p in oakfield_y6 if p.need1 == "ASD"]
    from_oakfield += [p for p in oakfield_y6 if p.status != "N" and p not in from_oakfield][:2]
    others = [p for p in oakfield_y6 if p.status == "N"]
    from_oakfield += rng.sample(others, 8 - len(from_oakfield))
    for source in from_oakfield:
        pupils.append(
            Child(
                upn=source.upn,
                forename=source.forename,
                surname=source.surname,
                dob=source.dob,
                year="7",
                reg="",
                status=source.status,
                need1=source.need1,
                need2=source.need2,
                admitted=INCOMING,
                ehcp_review=source.ehcp_review,
                isp_review=source.isp_review,
            )
        )
    new_needs = [
        ("E", "ASD"),
        ("E", "ASD"),
        ("K", "ASD"),
        ("K", "ASD"),
        ("K", "ASD"),
        ("K", "SLCN"),
        ("K", "SEMH"),
    ] + [("N", "")] * 10
    for status, need in new_needs:
        pupil = new_child(rng, book, rng.choice(FEEDER_ESTABS[1:]), "6", "", INCOMING)
        pupil.year, pupil.status, pupil.need1 = "7", status, need
        if need == "ASD" and rng.random() < 0.5:
            pupil.need2 = rng.choice(["SLCN", "SEMH"])
        if status == "E":
            pupil.ehcp_review = school_day(rng, dt.date(2027, 1, 11), dt.date(2027, 2, 12))
        pupils.append(pupil)
    return pupils


def status_text(rng: random.Random, status: str, blank_for_none: bool) -> str:
    if status == "K":
        return "SEN Support" if rng.random() < 0.35 else "K"
    if status == "E":
        return "EHC Plan" if rng.random() < 0.35 else "E"
    return "" if blank_for_none else "N"


def write_primary_pupils(rng: random.Random, path: Path, pupils: list[Child]) -> None:
    headings = [
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
        "EHCP Review Due",
        "ISP Review Due",
    ]
    ordered = sorted(pupils, key=lambda p: (ascii_fold(p.surname), ascii_fold(p.forename)))
    rows = [
        [
            p.upn,
            p.surname,
            p.forename,
            british(p.dob),
            p.year,
            p.reg,
            status_text(rng, p.status, False),
            p.need1,
            p.need2,
            british(p.admitted),
            british(p.ehcp_review),
            british(p.isp_review),
        ]
        for p in ordered
    ]
    write_csv(path, headings, rows)


def write_secondary_pupils(rng: random.Random, path: Path, pupils: list[Child]) -> None:
    headings = [
        "Last Name",
        "First Name",
        "Year Group",
        "Registration Group",
        "UPN",
        "Date of Birth",
        "SEN Provision",
        "Primary Need",
        "Secondary Need",
        "Annual Review Date",
        "Plan Review Due",
        "Start Date",
        "Leaving Date",
    ]
    ordered = sorted(
        pupils, key=lambda p: (int(p.year), ascii_fold(p.surname), ascii_fold(p.forename))
    )
    rows = [
        [
            p.surname,
            p.forename,
            f"Year {p.year}",
            p.reg,
            p.upn,
            british(p.dob),
            status_text(rng, p.status, True),
            NEED_LABELS.get(p.need1, ""),
            NEED_LABELS.get(p.need2, ""),
            british(p.ehcp_review),
            british(p.isp_review),
            british(p.admitted),
            british(p.left),
        ]
        for p in ordered
    ]
    write_csv(path, headings, rows)


# --------------------------------------------------------------------------------------------
# Staff


@dataclass(eq=False)
class Adult:
    name: str
    title: str
    """The job title as the file writes it (the importer reads it as a role)."""
    role: str
    """Short role key used by this script: slt, senco, teacher, ect, ta..."""
    fte: float
    cpd: int
    email: str
    start: dt.date


CPD_HOURS = {
    "slt": (12, 20),
    "senco": (14, 20),
    "deputy_senco": (12, 18),
    "assistant_senco": (10, 16),
    "teacher": (10, 16),
    "ect": (14, 18),
    "trainee": (8, 12),
    "ta": (6, 10),
    "lsa": (6, 10),
    "hlta": (8, 12),
    "pastoral": (10, 16),
    "lead": (12, 18),
    "other": (6, 8),
}
TEACHING = {"slt", "senco", "deputy_senco", "teacher", "ect", "trainee", "lead"}
SUPPORT = {"ta", "lsa", "hlta"}


@dataclass
class StaffBook:
    rng: random.Random
    domain: str
    people: list[Adult] = field(default_factory=list)

    def add(
        self,
        role: str,
        title: str,
        start: dt.date | None = None,
        fte: float = 1.0,
    ) -> Adult:
        names = {person.name.casefold() for person in self.people}
        name = adult_name(self.rng)
        while name.casefold() in names:
            name = adult_name(self.rng)
        local = email_local(name)
        emails = {person.email for person in self.people}
        email, number = f"{local}@{self.domain}", 2
        while email in emails:
            email, number = f"{local}{number}@{self.domain}", number + 1
        if start is None:
            year = self.rng.randint(2004, 2025)
            start = (
                dt.date(year, 9, 1)
                if self.rng.random() < 0.7
                else school_day(self.rng, dt.date(year, 1, 4), dt.date(year, 7, 10))
            )
            assert start is not None
        low, high = CPD_HOURS[role]
        person = Adult(name, title, role, fte, self.rng.randint(low, high), email, start)
        self.people.append(person)
        return person

    def of(self, *roles: str) -> list[Adult]:
        return [person for person in self.people if person.role in roles]


def primary_staff(rng: random.Random) -> StaffBook:
    book = StaffBook(rng, "oakfield.invalid")
    book.add("slt", "Headteacher", dt.date(2016, 9, 1))
    book.add("slt", "Deputy Headteacher", dt.date(2019, 9, 1))
    book.add("senco", "SENCO", dt.date(2024, 5, 23))  # 30 months in post, no NPQ yet
    for number in range(14):
        fte = {12: 0.5, 13: 0.6}.get(number, rng.choice([1.0, 1.0, 1.0, 0.8]))
        book.add("teacher", "Class Teacher", fte=fte)
    book.add("ect", "ECT", dt.date(2025, 9, 1))
    book.add("ect", "ECT", dt.date(2026, 9, 1))
    for _ in range(12):
        book.add("ta", "Teaching Assistant", fte=rng.choice([0.6, 0.7, 0.8, 0.87]))
    for _ in range(2):
        book.add("hlta", "HLTA", fte=rng.choice([0.8, 1.0]))
    book.add("lsa", "Learning Support Assistant", fte=0.87)
    book.add("pastoral", "Pastoral Lead", fte=0.8)
    return book


def secondary_staff(rng: random.Random) -> StaffBook:
    book = StaffBook(rng, "riverside.invalid")
    book.add("slt", "Headteacher", dt.date(2018, 1, 8))
    for title in ("Deputy Headteacher", "Deputy Headteacher", "Assistant Head", "Assistant Head"):
        book.add("slt", title)
    book.add("senco", "SENDCo", dt.date(2014, 1, 6))  # holds NASENCO (2015)
    book.add("deputy_senco", "Deputy SENCO", dt.date(2023, 9, 1))
    book.add("assistant_senco", "Assistant SENCO", dt.date(2022, 1, 4))
    for _ in range(50):
        book.add("teacher", "Teacher", fte=rng.choice([1.0] * 6 + [0.8, 0.6]))
    for year in (2025, 2025, 2026, 2026):
        book.add("ect", "Early Career Teacher", dt.date(year, 9, 1))
    book.add("trainee", "Trainee", dt.date(2026, 9, 1), fte=0.6)
    for _ in range(14):
        book.add("ta", "Teaching Assistant", fte=rng.choice([0.6, 0.7, 0.8, 0.87, 1.0]))
    for _ in range(6):
        book.add("lsa", "LSA", fte=rng.choice([0.7, 0.87, 1.0]))
    for _ in range(2):
        book.add("hlta", "HLTA")
    book.add("pastoral", "SEMH Lead")
    book.add("lead", "Specialist Lead Practitioner", fte=0.8)  # speech and language
    for _ in range(3):
        book.add("other", "Other", fte=rng.choice([0.6, 1.0]))
    return book


def write_staff(path: Path, book: StaffBook) -> None:
    headings = ["Name", "Role", "FTE", "CPD Hours", "Email", "Start Date"]
    rows = [
        [p.name, p.title, f"{p.fte:g}", str(p.cpd), p.email, british(p.start)] for p in book.people
    ]
    write_csv(path, headings, rows)


# --------------------------------------------------------------------------------------------
# Who teaches or supports whom


@dataclass
class Links:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    one_to_one: dict[str, list[Child]] = field(default_factory=dict)
    key_adult: dict[str, list[Child]] = field(default_factory=dict)

    def teach(self, person: Adult, group: str, kind: str = "Class Teacher") -> None:
        self.rows.append((person.name, "", group, kind))

    def pupil(self, person: Adult, child: Child, kind: str) -> None:
        self.rows.append((person.name, child.upn, "", kind))
        bucket = self.one_to_one if kind == "1:1" else self.key_adult
        bucket.setdefault(person.name, []).append(child)


def on_roll(pupils: Iterable[Child]) -> list[Child]:
    return [p for p in pupils if p.left is None and (p.admitted or TODAY) <= TODAY]


def by_priority(rng: random.Random, pupils: Iterable[Child], first: Sequence[str]) -> list[Child]:
    """Pupils in a random order, those whose primary need is in `first` ahead."""
    shuffled = list(pupils)
    rng.shuffle(shuffled)
    return sorted(shuffled, key=lambda p: p.need1 not in first)


def primary_links(rng: random.Random, staff: StaffBook, pupils: list[Child]) -> Links:
    links = Links()
    classes = [f"{year}{letter}" for year in PRIMARY_YEARS for letter in PRIMARY_CLASS_LETTERS]
    deputy, senco = staff.people[1:3]
    teachers = staff.of("teacher")
    ects = staff.of("ect")
    class_teachers = teachers[:12] + ects
    for person, group in zip(class_teachers, rng.sample(classes, len(classes)), strict=True):
        links.teach(person, group)
    links.teach(teachers[12], "5W")  # job share
    for group in classes[2:]:  # PE and music specialist, Years 1 to 6
        links.teach(teachers[13], group)
    links.teach(deputy, "6O")
    links.teach(deputy, "6W")
    hltas = staff.of("hlta")
    for group in classes[:6]:  # PPA cover: Reception to Year 2
        links.teach(hltas[0], group)
    for group in classes[6:]:
        links.teach(hltas[1], group)
    roll = on_roll(pupils)
    ehcp = by_priority(rng, [p for p in roll if p.status == "E"], ("PD", "SLD", "ASD"))
    one_to_one_staff = staff.of("ta")[:7] + staff.of("lsa")
    for person, child in zip(one_to_one_staff, ehcp, strict=False):
        links.pupil(person, child, "1:1")
    for person in staff.of("ta")[7:]:
        for child in rng.sample([p for p in roll if p.status == "K"], rng.randint(2, 3)):
            links.pupil(person, child, "Key Adult")
    semh = [p for p in roll if "SEMH" in (p.need1, p.need2)]
    for child in semh[:12]:
        links.pupil(staff.of("pastoral")[0], child, "Key Adult")
    for child in [p for p in roll if p.status == "E" and p.need1 in ("SLD", "SLCN")][:2]:
        links.pupil(senco, child, "Key Adult")
    return links


def subject_teaching(
    rng: random.Random, staff: StaffBook, forms: list[str]
) -> dict[str, list[Adult]]:
    """Who teaches each form: every teacher a few forms by role, then at least ten a form."""
    loads = {
        "slt": (2, 3),
        "senco": (2, 2),
        "deputy_senco": (4, 4),
        "teacher": (6, 9),
        "ect": (5, 6),
        "trainee": (3, 3),
        "lead": (4, 5),
    }
    taught: dict[str, list[Adult]] = {form: [] for form in forms}
    for person in staff.people:
        if person.role in loads:
            for form in rng.sample(forms, rng.randint(*loads[person.role])):
                taught[form].append(person)
    teachers = staff.of("teacher")
    for form in forms:
        while len(taught[form]) < 10:
            person = rng.choice(teachers)
            if person not in taught[form]:
                taught[form].append(person)
    return taught


def secondary_links(rng: random.Random, staff: StaffBook, pupils: list[Child]) -> Links:
    links = Links()
    forms = [f"{year}{letter}" for year in SECONDARY_YEARS for letter in FORM_LETTERS]
    taught = subject_teaching(rng, staff, forms)
    for person in staff.people:
        for form in forms:
            if person in taught[form]:
                links.teach(person, form, "Subject Teacher")

    roll = on_roll(pupils)
    ehcp = by_priority(rng, [p for p in roll if p.status == "E"], ("ASD",))
    support = staff.of("ta", "lsa")
    for person, child in zip(support[:12], ehcp[:12], strict=True):
        links.pupil(person, child, "1:1")
    semh = [p for p in roll if p.need1 == "SEMH"]
    rng.shuffle(semh)
    pastoral = staff.of("pastoral")[0]
    for child in semh[:10]:
        links.pupil(pastoral, child, "Key Adult")
    keyworkers = staff.of("hlta") * 4 + support[12:15] * 2
    for person, child in zip(keyworkers, semh[10:], strict=False):
        links.pupil(person, child, "Key Adult")
    slcn = by_priority(rng, [p for p in roll if p.need1 == "SLCN" and p.status != "N"], ())
    slcn.sort(key=lambda p: p.status != "E")
    for child in slcn[:10]:
        links.pupil(staff.of("lead")[0], child, "Key Adult")
    for child in [p for p in roll if p.status == "E" and p.need1 == "ASD"][:3]:
        links.pupil(staff.of("deputy_senco")[0], child, "Key Adult")
    incoming_asd = [p for p in pupils if p.admitted == INCOMING and p.need1 == "ASD"]
    for child in incoming_asd[:4]:
        links.pupil(staff.of("assistant_senco")[0], child, "Key Adult")
    return links


def write_links(path: Path, links: Links) -> None:
    write_csv(path, ["Staff", "UPN", "Class", "Kind"], [list(row) for row in links.rows])


# --------------------------------------------------------------------------------------------
# The training catalogue (shared by both schools)


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    needs: str
    """As written in the file: census codes separated by ';', a broad area, or All."""
    level: str
    hours: float
    audience: str = ""
    refresh: int | None = None
    organisation: str = ""
    cost: float | None = None
    """Set for external courses (pounds a person); internal ones cost nothing."""
    mandatory: bool = False
    trains_leaders: bool = False
    """A course in leading adult learning: whoever holds it is trained to lead CPD."""

    @property
    def covers(self) -> set[str]:
        codes: set[str] = set()
        for part in self.needs.split(";"):
            codes.update(AREAS.get(part.strip(), (part.strip(),)))
        return codes


ALL_NEEDS = tuple(NEED_LABELS)
AREAS = {
    "All": ALL_NEEDS,
    "Cognition and learning": ("SPLD", "MLD", "SLD", "PMLD"),
    "Communication and interaction": ("SLCN", "ASD"),
}
SENCO_TEAM = "SENCO; Deputy SENCO; Assistant SENCO"
SUPPORT_STAFF = "TA; HLTA; LSA"

COURSES: tuple[Course, ...] = (
    Course(
        "ADAPT-U", "Adaptive teaching for SEND: one classroom, every learner", "All", "universal", 2
    ),
    Course(
        "OPP-T",
        "One-page profiles and Individual Support Plans",
        "All",
        "targeted",
        2,
        audience=f"Teacher; ECT; HLTA; Pastoral lead; {SENCO_TEAM}",
    ),
    Course(
        "EHCP-S",
        "EHCP annual reviews: person-centred planning and outcomes",
        "All",
        "specialist",
        3,
        audience=f"{SENCO_TEAM}; SLT",
        organisation="Local authority SEND team",
        cost=95,
    ),
    Course(
        "LEAD-CPD",
        "Leading SEND CPD: how adults learn, coaching and follow-up",
        "All",
        "specialist",
        6,
        audience=f"{SENCO_TEAM}; Lead practitioner",
        organisation="Regional teaching school hub",
        cost=240,
        trains_leaders=True,
    ),
    Course("AUT-U", "Autism awareness for all staff", "ASD", "universal", 1.5),
    Course(
        "AUT-T",
        "Attention and shared attention: social communication groups",
        "ASD; SLCN",
        "targeted",
        6,
        audience=f"{SUPPORT_STAFF}; Teacher; ECT; {SENCO_TEAM}",
        organisation="Local authority autism outreach team",
        cost=120,
    ),
    Course(
        "AUT-S",
        "Specialist autism practice: sensory regulation and structured teaching",
        "ASD",
        "specialist",
        12,
        audience=f"{SUPPORT_STAFF}; {SENCO_TEAM}; Lead practitioner",
        organisation="Local authority autism outreach team",
        cost=295,
        mandatory=True,
    ),
    Course("SLCN-U", "Language for learning: SLCN in the classroom", "SLCN", "universal", 2),
    Course(
        "SLCN-T",
        "Language for learning: vocabulary and narrative groups",
        "SLCN",
        "targeted",
        6,
        audience=f"{SUPPORT_STAFF}; Teacher; ECT",
        organisation="NHS children's speech and language therapy",
        cost=150,
    ),
    Course(
        "SLCN-S",
        "Supporting complex speech, language and communication needs",
        "SLCN",
        "specialist",
        10,
        audience=f"{SUPPORT_STAFF}; {SENCO_TEAM}; Lead practitioner",
        organisation="NHS children's speech and language therapy",
        cost=260,
        mandatory=True,
    ),
    Course(
        "SIGN-T",
        "Sign Along Together: key word signing and symbols",
        "SLCN; SLD; PMLD",
        "targeted",
        4,
        organisation="Community signing tutor",
        cost=85,
        mandatory=True,
    ),
    Course(
        "SPLD-U",
        "Dyslexia-friendly teaching and phonics for every teacher",
        "SPLD",
        "universal",
        1.5,
    ),
    Course(
        "SPLD-T",
        "Structured literacy interventions for dyslexia",
        "SPLD",
        "targeted",
        6,
        audience=f"{SUPPORT_STAFF}; Teacher",
        organisation="Specialist teacher service",
        cost=140,
    ),
    Course(
        "MLD-U",
        "Cognition and learning: scaffolding and working memory",
        "Cognition and learning",
        "universal",
        1.5,
    ),
    Course(
        "MLD-T",
        "Precision teaching and overlearning",
        "MLD; SPLD",
        "targeted",
        3,
        audience=f"{SUPPORT_STAFF}; Teacher",
    ),
    Course("SEMH-U", "Trauma-informed practice and emotion coaching", "SEMH", "universal", 2),
    Course(
        "SEMH-T",
        "Key adults and relational practice",
        "SEMH",
        "targeted",
        4,
        organisation="Educational psychology service",
        cost=110,
    ),
    Course(
        "SEMH-S",
        "De-escalation and positive handling",
        "SEMH",
        "specialist",
        6,
        refresh=24,
        organisation="Accredited behaviour support trainer",
        cost=180,
        mandatory=True,
    ),
    Course(
        "HI-U",
        "Deaf awareness in the classroom",
        "HI",
        "universal",
        1,
        organisation="Local authority sensory support service",
        cost=0,
    ),
    Course(
        "VI-U",
        "Visual impairment awareness and accessible resources",
        "VI",
        "universal",
        1,
        organisation="Local authority sensory support service",
        cost=0,
    ),
    Course(
        "SENS-T",
        "Hearing aids, radio aids and low-vision aids in lessons",
        "HI; VI; MSI",
        "targeted",
        3,
        audience=SUPPORT_STAFF,
        organisation="Local authority sensory support service",
        cost=60,
        mandatory=True,
    ),
    Course(
        "PD-MA",
        "Moving and assisting pupils (manual handling)",
        "PD",
        "targeted",
        3,
        audience=SUPPORT_STAFF,
        refresh=36,
        organisation="Occupational health trainer",
        cost=75,
        mandatory=True,
    ),
    Course(
        "PD-HOIST",
        "Hoists and safe transfers",
        "PD",
        "specialist",
        3,
        audience=SUPPORT_STAFF,
        refresh=24,
        organisation="Occupational health trainer",
        cost=90,
        mandatory=True,
    ),
    Course(
        "MED-EPI",
        "Epilepsy awareness and rescue medication",
        "OTH; PD",
        "targeted",
        3,
        refresh=12,
        organisation="NHS school nursing team",
        cost=65,
        mandatory=True,
    ),
    Course(
        "MED-FEED",
        "Gastrostomy tube feeding",
        "PMLD; PD",
        "specialist",
        3,
        audience=SUPPORT_STAFF,
        refresh=12,
        organisation="NHS community children's nursing",
        cost=0,
        mandatory=True,
    ),
    Course(
        "MED-CARE",
        "Asthma, anaphylaxis and diabetes care in school",
        "OTH",
        "universal",
        1.5,
        refresh=12,
        mandatory=True,
    ),
)
COURSE = {course.code: course for course in COURSES}


def write_modules(path: Path) -> None:
    headings = [
        "Code",
        "Title",
        "Needs",
        "Level",
        "Hours",
        "Audience",
        "Refresh Months",
        "Provider",
        "Organisation",
        "Cost",
        "Mandatory In Specialist",
        "Trains CPD Leaders",
    ]
    rows = [
        [
            c.code,
            c.title,
            c.needs,
            c.level,
            f"{c.hours:g}",
            c.audience,
            "" if c.refresh is None else str(c.refresh),
            "internal" if c.cost is None else "external",
            c.organisation,
            "" if c.cost is None else f"{c.cost:g}",
            "yes" if c.mandatory else "no",
            "yes" if c.trains_leaders else "no",
        ]
        for c in COURSES
    ]
    write_csv(path, headings, rows)


# --------------------------------------------------------------------------------------------
# Training records

INSET_DAYS = {
    "2021-09": dt.date(2021, 9, 1),
    "2022-09": dt.date(2022, 9, 1),
    "2023-09": dt.date(2023, 9, 1),
    "2024-01": dt.date(2024, 1, 3),
    "2024-09": dt.date(2024, 9, 2),
    "2025-01": dt.date(2025, 1, 6),
    "2025-09": dt.date(2025, 9, 1),
    "2026-01": dt.date(2026, 1, 5),
    "2026-09": dt.date(2026, 9, 1),
}
EARLIEST_RECORD = dt.date(2021, 1, 4)


@dataclass
class Trainer:
    rng: random.Random
    records: list[tuple[Adult, str, dt.date]] = field(default_factory=list)
    _seen: set[tuple[str, str, dt.date]] = field(default_factory=set)

    def add(self, person: Adult, code: str, day: dt.date | None) -> None:
        assert code in COURSE, code
        if day is None or day > LAST_RECORD or day < EARLIEST_RECORD:
            return
        key = (person.name, code, day)
        if key not in self._seen:
            self._seen.add(key)
            self.records.append((person, code, day))

    def inset(self, people: Iterable[Adult], code: str, inset: str, share: float) -> None:
        """A whole-staff session on an INSET day: those in post, most of them present."""
        day = INSET_DAYS[inset]
        for person in people:
            if person.start <= day and self.rng.random() < share:
                self.add(person, code, day)

    def spread(
        self,
        people: Iterable[Adult],
        code: str,
        start: dt.date,
        end: dt.date,
        share: float,
    ) -> None:
        """Courses taken one by one (twilights, online, bought in) between two dates."""
        for person in people:
            if self.rng.random() < share:
                self.add(person, code, school_day(self.rng, max(start, person.start), end))

    def catch_up(self, people: Iterable[Adult], code: str, since: str, share: float) -> None:
        """Staff who joined after an INSET day do the course later, online or in a twilight."""
        day = INSET_DAYS[since]
        late = [person for person in people if person.start > day]
        self.spread(late, code, day, LAST_RECORD, share)

    def beyond_awareness(self, person: Adult, on: dt.date) -> set[str]:
        """Need codes this person had targeted or specialist training in by a date."""
        codes: set[str] = set()
        for who, code, day in self.records:
            if who is person and day <= on and COURSE[code].level != "universal":
                codes |= COURSE[code].covers
        return codes


def primary_training(
    rng: random.Random, staff: StaffBook, links: Links, pupils: list[Child]
) -> Trainer:
    t = Trainer(rng)
    facing = [p for p in staff.people if p.role != "other"]
    teachers = staff.of("teacher", "ect", "slt")
    support = staff.of("ta", "lsa", "hlta")
    senco = staff.of("senco")[0]
    t.inset(facing, "ADAPT-U", "2025-09", 0.9)
    t.catch_up(facing, "ADAPT-U", "2025-09", 0.8)
    t.inset(facing, "AUT-U", "2024-09", 0.85)
    t.catch_up(facing, "AUT-U", "2024-09", 0.6)
    t.inset(teachers, "SLCN-U", "2026-01", 0.8)
    t.inset(support, "SLCN-U", "2026-01", 0.5)
    t.spread(teachers + staff.of("hlta"), "SPLD-U", dt.date(2022, 1, 4), LAST_RECORD, 0.7)
    t.inset(facing, "SEMH-U", "2023-09", 0.75)
    t.spread(teachers, "MLD-U", dt.date(2021, 9, 1), LAST_RECORD, 0.3)
    t.spread(support, "MLD-T", dt.date(2023, 1, 4), LAST_RECORD, 0.5)
    t.spread(support, "SLCN-T", dt.date(2022, 9, 1), LAST_RECORD, 0.35)
    t.spread(staff.of("ta"), "AUT-T", dt.date(2023, 9, 1), LAST_RECORD, 0.25)
    t.spread(staff.of("ta")[:3], "SIGN-T", dt.date(2024, 1, 8), dt.date(2025, 7, 18), 1.0)
    t.spread(
        staff.of("pastoral") + staff.of("ta")[8:10], "SEMH-T", dt.date(2023, 1, 4), LAST_RECORD, 1.0
    )
    t.spread(rng.sample(teachers, 6), "OPP-T", dt.date(2024, 9, 2), LAST_RECORD, 1.0)
    t.add(staff.people[0], "EHCP-S", dt.date(2022, 3, 9))
    # The new SENCO: awareness and targeted courses, but not yet EHCP reviews or leading CPD.
    for code, day in (
        ("OPP-T", dt.date(2024, 6, 12)),
        ("AUT-T", dt.date(2025, 2, 26)),
        ("SLCN-T", dt.date(2025, 11, 5)),
        ("SEMH-T", dt.date(2026, 3, 18)),
    ):
        t.add(senco, code, day)
    # Medication and care: some in date, some lapsed (12-month refresh).
    medical = rng.sample(support + staff.of("pastoral"), 6)
    for index, person in enumerate(medical[:3]):
        day = school_day(rng, dt.date(2026, 1, 5), dt.date(2026, 10, 16))
        # One lapses before Christmas, so the Staff screen has something to rebook this term.
        t.add(person, "MED-EPI", dt.date(2025, 12, 3) if index == 0 else day)
    for person in medical[3:]:
        t.add(person, "MED-EPI", school_day(rng, dt.date(2024, 10, 1), dt.date(2025, 10, 17)))
    t.inset(facing, "MED-CARE", "2025-09", 0.7)
    t.inset(facing, "MED-CARE", "2026-09", 0.55)
    # The 1:1 TA of a pupil with a physical disability: moving and assisting lapsed in May.
    pd_helpers = [
        name
        for name, kids in links.one_to_one.items()
        if any("PD" in (kid.need1, kid.need2) for kid in kids)
    ]
    for person in staff.people:
        if person.name in pd_helpers[:1]:
            t.add(person, "PD-MA", dt.date(2023, 5, 15))
        elif person.name in pd_helpers[1:]:
            t.add(person, "PD-MA", dt.date(2024, 6, 19))
    hi_classes = {p.reg for p in pupils if "HI" in (p.need1, p.need2)}
    hi_teachers = {name for name, _, group, _ in links.rows if group in hi_classes}
    for person in teachers:
        share = 0.8 if person.name in hi_teachers else 0.15
        t.spread([person], "HI-U", dt.date(2023, 9, 1), LAST_RECORD, share)
    t.spread(support, "VI-U", dt.date(2022, 9, 1), LAST_RECORD, 0.15)
    return t


def secondary_training(rng: random.Random, staff: StaffBook, links: Links) -> Trainer:
    t = Trainer(rng)
    facing = [p for p in staff.people if p.role != "other"]
    teachers = staff.of("teacher", "ect", "trainee", "slt")
    support = staff.of("ta", "lsa", "hlta")
    senco = staff.of("senco")[0]
    deputy = staff.of("deputy_senco")[0]
    assistant = staff.of("assistant_senco")[0]
    lead = staff.of("lead")[0]
    pastoral = staff.of("pastoral")[0]
    t.inset(facing, "ADAPT-U", "2025-09", 0.85)
    t.inset(facing, "ADAPT-U", "2026-09", 0.3)
    t.catch_up(facing, "ADAPT-U", "2025-09", 0.9)
    # Autism: an awareness session years ago, little since. This is the gap.
    t.inset(facing, "AUT-U", "2022-09", 0.8)
    t.catch_up(facing, "AUT-U", "2022-09", 0.5)
    t.add(senco, "AUT-T", dt.date(2021, 3, 10))
    t.add(senco, "AUT-S", dt.date(2021, 11, 17))
    t.add(assistant, "AUT-T", dt.date(2024, 2, 7))
    one_to_one = [p for p in support if p.name in links.one_to_one]
    t.add(one_to_one[0], "AUT-T", dt.date(2025, 5, 21))
    # Speech, language and communication: a whole-school priority two years running.
    t.inset(facing, "SLCN-U", "2025-01", 0.9)
    t.catch_up(facing, "SLCN-U", "2025-01", 0.7)
    t.spread(support, "SLCN-T", dt.date(2024, 1, 8), LAST_RECORD, 0.85)
    t.spread(teachers, "SLCN-T", dt.date(2024, 1, 8), LAST_RECORD, 0.3)
    t.add(lead, "SLCN-S", dt.date(2021, 6, 23))
    t.add(deputy, "SLCN-S", dt.date(2023, 11, 29))
    t.spread(rng.sample(support, 4), "SLCN-S", dt.date(2025, 1, 6), LAST_RECORD, 1.0)
    # SEMH: trauma-informed school, key adults trained, de-escalation partly lapsed.
    t.inset(facing, "SEMH-U", "2024-01", 0.9)
    t.catch_up(facing, "SEMH-U", "2024-01", 0.6)
    t.spread([pastoral, *staff.of("hlta")], "SEMH-T", dt.date(2023, 1, 4), LAST_RECORD, 1.0)
    t.spread(staff.of("ta", "lsa"), "SEMH-T", dt.date(2023, 1, 4), LAST_RECORD, 0.5)
    t.spread(teachers, "SEMH-T", dt.date(2023, 1, 4), LAST_RECORD, 0.25)
    handlers = [pastoral, *staff.of("hlta"), *staff.of("slt")[:3], *rng.sample(support, 5)]
    for number, person in enumerate(dict.fromkeys(handlers)):
        t.add(person, "SEMH-S", dt.date(2023, 10, 16) if number % 2 else dt.date(2025, 3, 10))
    # Cognition and learning, sensory, physical.
    t.spread(teachers, "SPLD-U", dt.date(2022, 1, 4), LAST_RECORD, 0.6)
    t.spread(rng.sample(support, 5), "SPLD-T", dt.date(2023, 1, 4), LAST_RECORD, 1.0)
    t.spread(rng.sample(support, 6), "MLD-T", dt.date(2022, 9, 1), LAST_RECORD, 1.0)
    t.spread(teachers, "MLD-U", dt.date(2021, 9, 1), LAST_RECORD, 0.3)
    t.spread(teachers, "HI-U", dt.date(2023, 11, 8), dt.date(2023, 11, 8), 0.25)
    t.spread(teachers, "VI-U", dt.date(2024, 3, 6), dt.date(2024, 3, 6), 0.1)
    t.spread(rng.sample(support, 2), "SENS-T", dt.date(2024, 9, 2), LAST_RECORD, 1.0)
    t.spread(rng.sample(support, 2), "SIGN-T", dt.date(2023, 9, 1), LAST_RECORD, 1.0)
    movers = rng.sample(support, 3)
    t.add(movers[0], "PD-MA", dt.date(2023, 6, 14))
    t.add(movers[1], "PD-MA", dt.date(2024, 11, 20))
    t.add(movers[2], "PD-MA", dt.date(2025, 6, 11))
    medical = rng.sample([*support, pastoral], 8)
    for index, person in enumerate(medical[:4]):
        day = school_day(rng, dt.date(2026, 1, 5), dt.date(2026, 10, 16))
        t.add(person, "MED-EPI", dt.date(2025, 12, 9) if index == 1 else day)
    for person in medical[4:]:
        t.add(person, "MED-EPI", school_day(rng, dt.date(2024, 9, 2), dt.date(2025, 10, 17)))
    t.add(medical[0], "MED-EPI", dt.date(2024, 11, 13))  # renewed since: both records kept
    t.inset(facing, "MED-CARE", "2025-09", 0.35)
    t.inset(facing, "MED-CARE", "2026-09", 0.45)
    # The SENCO team and leadership.
    t.spread(teachers, "OPP-T", dt.date(2023, 9, 1), LAST_RECORD, 0.15)
    for person in (senco, deputy, assistant):
        t.spread([person], "OPP-T", dt.date(2023, 9, 1), LAST_RECORD, 1.0)
    t.add(senco, "EHCP-S", dt.date(2022, 10, 12))
    t.add(deputy, "EHCP-S", dt.date(2024, 10, 9))
    t.add(assistant, "EHCP-S", dt.date(2025, 10, 8))
    t.add(staff.of("slt")[1], "EHCP-S", dt.date(2023, 2, 8))
    t.add(senco, "LEAD-CPD", dt.date(2021, 5, 19))
    t.add(lead, "LEAD-CPD", dt.date(2023, 5, 17))
    return t


def write_training(path: Path, trainer: Trainer) -> None:
    rows = [
        [person.name, code, british(day)]
        for person, code, day in sorted(trainer.records, key=lambda r: (r[2], r[0].name, r[1]))
    ]
    write_csv(path, ["Staff", "Module", "Completed"], rows)


# --------------------------------------------------------------------------------------------
# Confidence surveys

SURVEY_2025 = dt.date(2025, 10, 1)
SURVEY_2026 = dt.date(2026, 10, 1)


@dataclass(frozen=True)
class Survey:
    day: dt.date
    response_rate: float
    core: tuple[str, ...]
    """Needs everyone who answers rates."""
    extra: tuple[str, ...]
    """Some of these too (a broad area rules out the codes in it)."""
    means: dict[str, float]


def survey_rows(
    rng: random.Random, survey: Survey, staff: StaffBook, t: Trainer
) -> list[list[str]]:
    rows: list[list[str]] = []
    for person in staff.people:
        if person.role == "other" or person.start > survey.day:
            continue
        if rng.random() > survey.response_rate:
            continue
        chosen = list(survey.core)
        for item in rng.sample(survey.extra, rng.randint(0, 2)):
            codes = set(AREAS.get(item, (item,)))
            taken = {code for name in chosen for code in AREAS.get(name, (name,))}
            if not codes & taken:
                chosen.append(item)
        trained = t.beyond_awareness(person, survey.day)
        for item in chosen:
            codes = AREAS.get(item, (item,))
            mean = survey.means[item] + (0.8 if trained & set(codes) else 0.0)
            if person.role in {"senco", "deputy_senco", "assistant_senco", "lead"}:
                mean += 1.0
            rating = min(5, max(1, round(rng.gauss(mean, 0.75))))
            rows.append([person.name, item, str(rating), british(survey.day)])
    return rows


PRIMARY_SURVEY = Survey(
    SURVEY_2026,
    0.85,
    ("SLCN", "SEMH", "ASD"),
    ("MLD", "SPLD", "PD", "HI", "Cognition and learning"),
    {
        "SLCN": 3.0,
        "SEMH": 2.5,
        "ASD": 2.9,
        "MLD": 3.1,
        "SPLD": 3.2,
        "PD": 2.3,
        "HI": 2.4,
        "Cognition and learning": 3.1,
    },
)
SECONDARY_SURVEYS = (
    Survey(
        SURVEY_2025,
        0.75,
        ("ASD", "SLCN", "SEMH"),
        ("SPLD", "MLD", "HI", "VI", "Cognition and learning"),
        {
            "ASD": 1.9,
            "SLCN": 2.9,
            "SEMH": 3.1,
            "SPLD": 3.0,
            "MLD": 2.8,
            "HI": 2.4,
            "VI": 2.2,
            "Cognition and learning": 2.9,
        },
    ),
    Survey(
        SURVEY_2026,
        0.85,
        ("ASD", "SLCN", "SEMH"),
        ("SPLD", "MLD", "HI", "VI", "PD", "Cognition and learning"),
        {
            "ASD": 1.8,
            "SLCN": 3.4,
            "SEMH": 3.4,
            "SPLD": 3.1,
            "MLD": 2.9,
            "HI": 2.5,
            "VI": 2.3,
            "PD": 2.4,
            "Cognition and learning": 3.0,
        },
    ),
)


# --------------------------------------------------------------------------------------------
# Qualifications


def write_qualifications(path: Path, rows: list[list[str]]) -> None:
    headings = ["Staff", "Qualification", "Status", "Title", "Started", "Completed", "Expected"]
    write_csv(path, headings, rows)


def primary_qualifications(staff: StaffBook) -> list[list[str]]:
    hlta = staff.of("hlta")[0]
    return [
        [
            hlta.name,
            "Other",
            "held",
            "Level 3 Diploma in Specialist Support for Teaching and Learning in Schools",
            "14/09/2021",
            "12/07/2022",
            "",
        ],
    ]


def secondary_qualifications(staff: StaffBook) -> list[list[str]]:
    senco = staff.of("senco")[0]
    deputy = staff.of("deputy_senco")[0]
    assistant = staff.of("assistant_senco")[0]
    lead = staff.of("lead")[0]
    ta = staff.of("ta")[3]
    return [
        [
            senco.name,
            "NASENCO",
            "held",
            "National Award for SEN Co-ordination",
            "15/09/2014",
            "10/07/2015",
            "",
        ],
        [deputy.name, "NPQ SENCO", "studying", "NPQ for SENCOs", "06/10/2025", "", "30/07/2027"],
        [
            assistant.name,
            "Other",
            "held",
            "Postgraduate Certificate in Specific Learning Difficulties",
            "10/09/2019",
            "24/06/2021",
            "",
        ],
        [
            lead.name,
            "Other",
            "held",
            "Postgraduate Certificate in Speech, Language and Communication Needs",
            "07/09/2020",
            "21/06/2021",
            "",
        ],
        [
            ta.name,
            "Other",
            "held",
            "Level 3 Diploma in Specialist Support for Teaching and Learning in Schools",
            "13/09/2022",
            "11/07/2023",
            "",
        ],
    ]


# --------------------------------------------------------------------------------------------
# Succession: roles and holders, candidates, development actions, who can lead which module

ROLE_HEADINGS = ["Role", "Kind", "Need", "Holder", "Holder Since"]
CANDIDATE_HEADINGS = ["Role", "Staff", "Readiness", "Notes"]
ACTION_HEADINGS = ["Staff", "Action", "By", "Due", "Status", "Module", "Role"]
LEADER_HEADINGS = ["Staff", "Module"]


@dataclass
class Succession:
    """One school's four succession files, as rows."""

    roles: list[list[str]]
    candidates: list[list[str]]
    actions: list[list[str]]
    leaders: list[list[str]]

    def write(self, folder: Path) -> None:
        write_csv(folder / "roles.csv", ROLE_HEADINGS, self.roles)
        write_csv(folder / "candidates.csv", CANDIDATE_HEADINGS, self.candidates)
        write_csv(folder / "actions.csv", ACTION_HEADINGS, self.actions)
        write_csv(folder / "leaders.csv", LEADER_HEADINGS, self.leaders)


def primary_succession(staff: StaffBook) -> Succession:
    """Oakfield: a SENCO 30 months in post without the NPQ (due 23/05/2027), no deputy, one
    aspiring SENCO years away, an overdue enrolment, and modules only the SENCO can lead."""
    senco = staff.of("senco")[0]
    aspiring = staff.of("teacher")[1]  # a class teacher since 2015
    hlta = staff.of("hlta")[0]
    pastoral = staff.of("pastoral")[0]
    return Succession(
        roles=[
            ["SENCO", "SENCO", "", senco.name, british(senco.start)],
            ["Deputy SENCO", "Deputy SENCO", "", "", ""],
        ],
        candidates=[
            [
                "SENCO",
                aspiring.name,
                "3+ years",
                "Keen to train as a SENCO; starts the trust's aspiring SENCO programme",
            ],
        ],
        actions=[
            [
                senco.name,
                "Enrol on the NPQ for SENCOs",
                "Regional teaching school hub",
                "30/09/2026",
                "planned",
                "",
                "SENCO",
            ],
            [
                aspiring.name,
                "Aspiring SENCO programme: shadow the SENCO at EHCP annual reviews",
                f"{senco.name} and the trust inclusion lead",
                "16/07/2027",
                "planned",
                "",
                "SENCO",
            ],
            [
                aspiring.name,
                "Co-lead Cognition and learning (MLD-U) with the SENCO",
                senco.name,
                "09/02/2027",
                "planned",
                "MLD-U",
                "",
            ],
            [
                senco.name,
                "Leading SEND CPD (LEAD-CPD)",
                "Regional teaching school hub",
                "24/03/2027",
                "planned",
                "LEAD-CPD",
                "",
            ],
        ],
        leaders=[
            [senco.name, "MLD-U"],
            [senco.name, "MLD-T"],
            [senco.name, "OPP-T"],
            [senco.name, "SEMH-U"],
            [pastoral.name, "SEMH-U"],
            [aspiring.name, "OPP-T"],
            [hlta.name, "SLCN-U"],
        ],
    )


def secondary_succession(staff: StaffBook, links: Links) -> Succession:
    """Riverside: a SENCO with NASENCO, a deputy studying the NPQ who is ready now, the
    assistant SENCO 1-2 years from deputy, lead practitioners (one post vacant), and most
    internal modules with two or more people able to lead them."""
    senco = staff.of("senco")[0]
    deputy = staff.of("deputy_senco")[0]
    assistant = staff.of("assistant_senco")[0]
    lead = staff.of("lead")[0]
    pastoral = staff.of("pastoral")[0]
    teacher = staff.of("teacher")[0]
    autism_ta = next(p for p in staff.of("ta", "lsa") if p.name in links.one_to_one)
    return Succession(
        roles=[
            ["SENCO", "SENCO", "", senco.name, british(senco.start)],
            ["Deputy SENCO", "Deputy SENCO", "", deputy.name, british(deputy.start)],
            ["Assistant SENCO", "Assistant SENCO", "", assistant.name, british(assistant.start)],
            [
                "Lead practitioner: SLCN",
                "Lead practitioner",
                "SLCN",
                lead.name,
                british(lead.start),
            ],
            ["Lead practitioner: autism", "Lead practitioner", "ASD", "", ""],
        ],
        candidates=[
            [
                "SENCO",
                deputy.name,
                "ready now",
                "Deputy since 2023; NPQ for SENCOs expected July 2027",
            ],
            ["Deputy SENCO", assistant.name, "1-2 years", "Leads the incoming Year 7 transition"],
            [
                "Lead practitioner: autism",
                autism_ta.name,
                "1-2 years",
                "One-to-one support for a pupil with autism; attention and shared attention "
                "trained",
            ],
        ],
        actions=[
            [
                deputy.name,
                "NPQ for SENCOs",
                "Regional teaching school hub",
                "30/07/2027",
                "in progress",
                "",
                "SENCO",
            ],
            [
                assistant.name,
                "Leading SEND CPD (LEAD-CPD)",
                "Regional teaching school hub",
                "24/03/2027",
                "planned",
                "LEAD-CPD",
                "Deputy SENCO",
            ],
            [
                assistant.name,
                "Chair EHCP annual reviews with the deputy SENCO",
                deputy.name,
                "12/02/2027",
                "in progress",
                "EHCP-S",
                "Deputy SENCO",
            ],
            [
                autism_ta.name,
                "Specialist autism practice (AUT-S)",
                "Local authority autism outreach team",
                "14/07/2027",
                "planned",
                "AUT-S",
                "Lead practitioner: autism",
            ],
            [
                lead.name,
                "Coach a second SLCN lead",
                senco.name,
                "21/07/2027",
                "planned",
                "SLCN-S",
                "Lead practitioner: SLCN",
            ],
        ],
        leaders=[
            [senco.name, "ADAPT-U"],
            [senco.name, "OPP-T"],
            [teacher.name, "ADAPT-U"],
            [deputy.name, "OPP-T"],
            [deputy.name, "SLCN-U"],
            [assistant.name, "AUT-U"],
            [assistant.name, "SPLD-U"],
            [assistant.name, "MLD-T"],
            [lead.name, "SLCN-U"],
            [pastoral.name, "SEMH-U"],
        ],
    )


# --------------------------------------------------------------------------------------------
# Files


def write_csv(path: Path, written: list[str], rows: Iterable[Sequence[str]]) -> None:
    """A file named for its import kind (pupils.csv is read by `import pupils`), its headings
    checked against that importer's own (a heading it does not read stops the run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(checked_headings(path.stem, written))
        writer.writerows(rows)


def school_folder(name: str) -> str:
    """'Oakfield Primary School' -> 'oakfield-primary-school' (as sencoplan.io.sample does)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


SCHOOLS = (
    ("Oakfield Primary School", "990417", "primary", "mainstream"),
    ("Riverside Academy", "990823", "secondary", "mainstream"),
)


TERM_HEADINGS = [
    "Term",
    "Start",
    "End",
    "Closures",
    "Slot Rule",
    "Slot Start",
    "Slot Minutes",
    "CPD Budget",
    "SENCO Hours",
]
# The 2026-27 year: each school's own INSET days, half-terms and weekly twilight slot.
PRIMARY_TERMS = [
    [
        "Autumn 2026",
        "02/09/2026",
        "18/12/2026",
        "02/09/2026 INSET day; 26/10/2026-30/10/2026 Half term; 27/11/2026 INSET day",
        "FREQ=WEEKLY;BYDAY=TU",
        "15:30",
        "60",
        "1800",
        "10",
    ],
    [
        "Spring 2027",
        "05/01/2027",
        "26/03/2027",
        "05/01/2027 INSET day; 15/02/2027-19/02/2027 Half term",
        "FREQ=WEEKLY;BYDAY=TU",
        "15:30",
        "60",
        "1200",
        "10",
    ],
    [
        "Summer 2027",
        "12/04/2027",
        "21/07/2027",
        "03/05/2027 Early May bank holiday; 31/05/2027-04/06/2027 Half term; 21/07/2027 INSET day",
        "FREQ=WEEKLY;BYDAY=TU",
        "15:30",
        "60",
        "1000",
        "10",
    ],
]
SECONDARY_TERMS = [
    [
        "Autumn 2026",
        "01/09/2026",
        "18/12/2026",
        "01/09/2026-02/09/2026 INSET days; 26/10/2026-30/10/2026 Half term; 20/11/2026 INSET day",
        "FREQ=WEEKLY;BYDAY=WE",
        "15:15",
        "75",
        "4500",
        "20",
    ],
    [
        "Spring 2027",
        "04/01/2027",
        "26/03/2027",
        "04/01/2027 INSET day; 15/02/2027-19/02/2027 Half term",
        "FREQ=WEEKLY;BYDAY=WE",
        "15:15",
        "75",
        "3000",
        "20",
    ],
    [
        "Summer 2027",
        "12/04/2027",
        "21/07/2027",
        "03/05/2027 Early May bank holiday; 31/05/2027-04/06/2027 Half term",
        "FREQ=WEEKLY;BYDAY=WE",
        "15:15",
        "75",
        "2500",
        "20",
    ],
]


# --------------------------------------------------------------------------------------------
# The provision map: a story in three provisions


PROVISION_HEADINGS = [
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
    "Start",
    "Target",
    "Review Date",
    "Reviewed On",
    "Outcome",
    "Entry Measure",
    "Exit Measure",
    "Continues",
]
NOT_REVIEWED = ["", "", "", "", ""]
TALK_OUTCOMES = (("met", "3", "5"), ("met", "2", "5"), ("partly met", "3", "4"))
"""Talk Boost's half-term review: words in a sentence at entry and exit."""
PLAY_OUTCOMES = ("not met", "partly met")


def _holds_need(trainer: Trainer, person: Adult, need: str) -> bool:
    return any(
        who is person and need in COURSE[code].needs.split(";") for who, code, _ in trainer.records
    )


def primary_provisions(staff: StaffBook, pupils: list[Child], trainer: Trainer) -> list[list[str]]:
    """Oakfield's provisions tell a story: a pupil with an EHCP for autism has one-to-one
    support from a TA with no autism training beyond what every adult has; a Talk Boost
    group for younger pupils with speech and language needs, run by a TA trained in them;
    and a weekly play therapy that costs a lot for two pupils. Reviewed at half term, Talk
    Boost works (most met their target, for £75 each); play therapy has not yet (£1,625
    each)."""
    roll = [p for p in pupils if p.left is None and (p.admitted or TODAY) <= TODAY]
    assistants = staff.of("ta", "lsa", "hlta")
    untrained = next(a for a in assistants if not _holds_need(trainer, a, "ASD"))
    trained = next(
        (a for a in assistants if _holds_need(trainer, a, "SLCN") and a is not untrained),
        next(a for a in assistants if a is not untrained),
    )
    rows: list[list[str]] = []
    autism = next(p for p in roll if p.status == "E" and p.need1 == "ASD")
    rows.append(
        [
            autism.upn,
            "1:1 autism support",
            "ASD",
            "one-to-one",
            untrained.name,
            "1",
            "25",
            "60",
            "38",
            "16.50",
            "01/09/2026",
            "Manages transitions between lessons calmly",
            "12/02/2027",
            *NOT_REVIEWED,
        ]
    )
    talkers = [p for p in roll if p.need1 == "SLCN" and p.status == "K" and p.year in ("1", "2")]
    group = str(len(talkers[:4]))  # the group is the pupils in it
    for child, (outcome, entry, exit_) in zip(talkers[:4], TALK_OUTCOMES, strict=False):
        rows.append(
            [
                child.upn,
                "Talk Boost",
                "SLCN",
                "small group",
                trained.name,
                group,
                "3",
                "30",
                "10",
                "15.00",
                "14/09/2026",
                "Uses sentences of 5 words or more in class",
                "11/12/2026",
                "20/11/2026",
                outcome,
                entry,
                exit_,
                "yes",
            ]
        )
    worried = [p for p in roll if p.need1 == "SEMH" and p.status == "K"]
    for child, outcome in zip(worried[:2], PLAY_OUTCOMES, strict=False):
        rows.append(
            [
                child.upn,
                "Play therapy",
                "SEMH",
                "external",
                "Bright Play Therapy",
                "1",
                "1",
                "50",
                "30",
                "65.00",
                "07/09/2026",
                "Fewer incidents at lunchtime",
                "26/03/2027",
                "20/11/2026",
                outcome,
                "",
                "",
                "yes",
            ]
        )
    return rows


def main(out: Path = OUT) -> None:
    """Write every file of the sample trust into `out` (by default this folder)."""
    write_csv(out / "schools.csv", ["Name", "URN", "Phase", "Setting"], SCHOOLS)
    write_modules(out / "modules.csv")

    book = UpnBook(random.Random(SEED))
    oak_rng, river_rng = random.Random(SEED + 1), random.Random(SEED + 2)
    oak_dir = out / school_folder(SCHOOLS[0][0])
    river_dir = out / school_folder(SCHOOLS[1][0])

    oak_pupils = primary_pupils(oak_rng, book)
    oak_staff = primary_staff(oak_rng)
    oak_links = primary_links(oak_rng, oak_staff, oak_pupils)
    oak_training = primary_training(oak_rng, oak_staff, oak_links, oak_pupils)
    write_staff(oak_dir / "staff.csv", oak_staff)
    write_primary_pupils(oak_rng, oak_dir / "pupils.csv", oak_pupils)
    write_links(oak_dir / "supports.csv", oak_links)
    write_training(oak_dir / "training.csv", oak_training)
    write_csv(
        oak_dir / "confidence.csv",
        ["Staff", "Need", "Rating", "Date"],
        survey_rows(oak_rng, PRIMARY_SURVEY, oak_staff, oak_training),
    )
    write_qualifications(oak_dir / "qualifications.csv", primary_qualifications(oak_staff))
    write_csv(oak_dir / "terms.csv", TERM_HEADINGS, PRIMARY_TERMS)
    primary_succession(oak_staff).write(oak_dir)
    write_csv(
        oak_dir / "provisions.csv",
        PROVISION_HEADINGS,
        primary_provisions(oak_staff, oak_pupils, oak_training),
    )

    river_pupils = secondary_pupils(river_rng, book, oak_pupils)
    river_staff = secondary_staff(river_rng)
    river_links = secondary_links(river_rng, river_staff, river_pupils)
    river_training = secondary_training(river_rng, river_staff, river_links)
    write_staff(river_dir / "staff.csv", river_staff)
    write_secondary_pupils(river_rng, river_dir / "pupils.csv", river_pupils)
    write_links(river_dir / "supports.csv", river_links)
    write_training(river_dir / "training.csv", river_training)
    confidence: list[list[str]] = []
    for survey in SECONDARY_SURVEYS:
        confidence += survey_rows(river_rng, survey, river_staff, river_training)
    write_csv(river_dir / "confidence.csv", ["Staff", "Need", "Rating", "Date"], confidence)
    write_qualifications(river_dir / "qualifications.csv", secondary_qualifications(river_staff))
    write_csv(river_dir / "terms.csv", TERM_HEADINGS, SECONDARY_TERMS)
    secondary_succession(river_staff, river_links).write(river_dir)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
