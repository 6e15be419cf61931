"""Importing schools, staff, the catalogue, training, confidence, supports, qualifications."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Module, Pupil, School, StaffMember
from sencoplan.domain.staff_codes import Role
from sencoplan.io.errors import RowError
from sencoplan.io.importers import IMPORTERS, ImportRejected, import_file
from sencoplan.io.importers.guess import guess_kind
from sencoplan.io.report import ImportReport
from sencoplan.store.catalogue import save_module
from sencoplan.store.pupils import save_pupil
from sencoplan.store.schools import find_school, list_schools, save_school
from sencoplan.store.staff import save_staff
from tests.core_helpers import TODAY, WriteFile, csv_text, make_upn, snapshot, wrong_check_letter

SCHOOL = "Oakfield Primary School"
U1, U2, U3 = make_upn(1), make_upn(2), make_upn(3)

ROLES = (
    "Teacher, ECT, Trainee teacher, TA, HLTA, LSA, SENCO, Deputy SENCO, Assistant SENCO, "
    "SLT, Pastoral/SEMH lead, Lead practitioner, Other"
)


@pytest.fixture
def base(db: Database, school: School) -> Database:
    """A school with three staff, two modules and two pupils in classes 5P and 6K."""
    assert school.id is not None
    for name, role in (("Ann Lee", Role.TEACHER), ("Bob Ray", Role.TA), ("Cara Singh", Role.SENCO)):
        save_staff(db, StaffMember(school_id=school.id, name=name, role=role))
    save_module(db, Module(code="ASD-1", title="Autism awareness", needs=(NeedType.ASD,)))
    save_module(db, Module(code="EPI-2", title="Epilepsy", needs=(NeedType.PD,), refresh_months=12))
    save_pupil(db, Pupil(school_id=school.id, upn=U1, year_group="5", reg_group="5P"))
    save_pupil(
        db,
        Pupil(
            school_id=school.id,
            upn=U2,
            year_group="6",
            reg_group="6K",
            tier=Tier.TARGETED,
            primary_need=NeedType.ASD,
        ),
    )
    return db


def run(db: Database, kind: str, path: Path, **options: object) -> ImportReport:
    if IMPORTERS[kind].school_scoped:
        options.setdefault("school", SCHOOL)
    options.setdefault("today", TODAY)
    return import_file(db, kind, path, **options)


def refused(db: Database, kind: str, path: Path, **options: object) -> list[RowError]:
    """The errors a file is refused with, after proving the database is unchanged."""
    before = snapshot(db)
    with pytest.raises(ImportRejected) as raised:
        run(db, kind, path, **options)
    assert snapshot(db) == before
    return raised.value.errors


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    return db.execute(sql).fetchall()


# --- one good file of each kind, what it stores, and every alias of every heading --------

QUERIES = {
    "rates": "SELECT role, hourly_rate FROM role_rates ORDER BY role",
    "provisions": "SELECT p.name, p.kind, "
    "(SELECT group_concat(need, ';') FROM provision_needs n WHERE n.provision_id = p.id), "
    "x.pupil_id, x.staff_id, x.provider, x.group_size, x.sessions_per_week, x.minutes, "
    'x.weeks, x.cost_per_hour, x.start, x."end", x.target, x.review_date, '
    "(SELECT group_concat(r.reviewed_on || ' ' || r.outcome || ' ' || "
    "ifnull(r.entry_measure, '-') || ' ' || ifnull(r.exit_measure, '-') || ' ' || r.continues) "
    "FROM provision_reviews r WHERE r.pupil_id = x.pupil_id AND r.provision_id = x.provision_id) "
    "FROM pupil_provisions x JOIN provisions p ON p.id = x.provision_id ORDER BY x.id",
    "schools": "SELECT name, urn, phase, setting, notional_sen_budget, high_cost_threshold "
    "FROM schools ORDER BY name",
    "staff": "SELECT name, role, fte, cpd_hours, email, start_date, leaving_date FROM staff "
    "ORDER BY name",
    "modules": "SELECT code, title, level, hours, audience, refresh_months, provider, "
    "organisation, cost, mandatory_specialist, trains_leaders, "
    "(SELECT group_concat(need, ';') FROM "
    "(SELECT need FROM module_needs WHERE module_id = modules.id ORDER BY need)) "
    "FROM modules ORDER BY code",
    "training": "SELECT s.name, m.code, t.completed FROM training_records t "
    "JOIN staff s ON s.id = t.staff_id JOIN modules m ON m.id = t.module_id "
    "ORDER BY s.name, m.code, t.completed",
    "confidence": "SELECT s.name, c.need, c.rating, c.rated_on FROM confidence c "
    "JOIN staff s ON s.id = c.staff_id ORDER BY s.name, c.need, c.rated_on",
    "supports": "SELECT s.name, p.upn, x.reg_group, x.kind FROM supports x "
    "JOIN staff s ON s.id = x.staff_id LEFT JOIN pupils p ON p.id = x.pupil_id "
    "ORDER BY s.name, p.upn, x.reg_group",
    "qualifications": "SELECT s.name, q.kind, q.title, q.status, q.started, q.completed, "
    "q.expected FROM qualifications q JOIN staff s ON s.id = q.staff_id ORDER BY s.name, q.kind",
    "roles": "SELECT r.title, r.kind, r.need, s.name, r.holder_since FROM succession_roles r "
    "LEFT JOIN staff s ON s.id = r.holder_id ORDER BY r.title",
    "candidates": "SELECT r.title, h.name, s.name, c.readiness, c.notes "
    "FROM succession_candidates c JOIN succession_roles r ON r.id = c.role_id "
    "JOIN staff s ON s.id = c.staff_id LEFT JOIN staff h ON h.id = r.holder_id "
    "ORDER BY r.title, s.name",
    "actions": "SELECT s.name, a.action, a.by_whom, a.due, a.status, m.code, r.title "
    "FROM development_actions a JOIN staff s ON s.id = a.staff_id "
    "LEFT JOIN modules m ON m.id = a.module_id LEFT JOIN succession_roles r ON r.id = a.role_id "
    "ORDER BY s.name, a.action",
    "leaders": "SELECT s.name, m.code FROM module_leaders l JOIN staff s ON s.id = l.staff_id "
    "JOIN modules m ON m.id = l.module_id ORDER BY s.name, m.code",
    "levels": "SELECT relationship, tier, level FROM training_levels ORDER BY relationship, tier",
}

GOOD: dict[str, tuple[list[str], list[list[str]], list[tuple[Any, ...]]]] = {
    "schools": (
        ["Name", "URN", "Phase", "Setting", "Notional SEN Budget", "High Cost Threshold"],
        [
            ["Oakfield Primary School", "123456", "Primary", "", "£145,000", ""],
            ["Brook Academy", "1234567", "All-through", "Specialist", "", "£10,000"],
        ],
        [
            ("Brook Academy", "1234567", "all_through", "specialist", None, 10000.0),
            ("Oakfield Primary School", "123456", "primary", "mainstream", 145000.0, 6000.0),
        ],
    ),
    "staff": (
        ["Name", "Role", "FTE", "CPD Hours", "Email", "Start Date", "Leaving Date"],
        [
            ["Dee  Okafor", "Teaching Assistant", "0.6", "6", "", "01/09/2024", ""],
            ["Ann Lee", "Class Teacher", "1", "12.5", "a.lee@example.org", "", "31/08/2027"],
        ],
        [
            ("Ann Lee", "teacher", 1.0, 12.5, "a.lee@example.org", None, "2027-08-31"),
            ("Bob Ray", "ta", 1.0, 0.0, None, None, None),
            ("Cara Singh", "senco", 1.0, 0.0, None, None, None),
            ("Dee Okafor", "ta", 0.6, 6.0, None, "2024-09-01", None),
        ],
    ),
    "modules": (
        [
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
        ],
        [
            [
                "SEMH-3",
                "Trauma-informed practice",
                "SEMH; ASD",
                "Targeted",
                "2",
                "TA; HLTA",
                "36",
                "External",
                "Local authority",
                "£1,250",
                "yes",
                "yes",
            ],
            [
                "ASD-1",
                "Autism awareness",
                "Communication and interaction",
                "universal",
                "1.5",
                "All",
                "",
                "internal",
                "",
                "0",
                "",
                "",
            ],
        ],
        [
            (
                "ASD-1",
                "Autism awareness",
                "universal",
                1.5,
                "",
                None,
                "internal",
                None,
                0.0,
                0,
                0,
                "ASD;SLCN",
            ),
            ("EPI-2", "Epilepsy", "universal", 1.0, "", 12, "internal", None, 0.0, 0, 0, "PD"),
            (
                "SEMH-3",
                "Trauma-informed practice",
                "targeted",
                2.0,
                "ta;hlta",
                36,
                "external",
                "Local authority",
                1250.0,
                1,
                1,
                "ASD;SEMH",
            ),
        ],
    ),
    "training": (
        ["Staff", "Module", "Completed"],
        [
            ["Ann Lee", "asd-1", "01/09/2025"],
            ["bob  ray", "EPI-2", "2026-11-23"],
        ],
        [("Ann Lee", "ASD-1", "2025-09-01"), ("Bob Ray", "EPI-2", "2026-11-23")],
    ),
    "confidence": (
        ["Staff", "Need", "Rating", "Date"],
        [
            ["Ann Lee", "Autism", "2", "01/10/2026"],
            ["Bob Ray", "Sensory and/or physical", "4", "01/10/2026"],
        ],
        [
            ("Ann Lee", "ASD", 2, "2026-10-01"),
            ("Bob Ray", "HI", 4, "2026-10-01"),
            ("Bob Ray", "MSI", 4, "2026-10-01"),
            ("Bob Ray", "PD", 4, "2026-10-01"),
            ("Bob Ray", "VI", 4, "2026-10-01"),
        ],
    ),
    "supports": (
        ["Staff", "UPN", "Class", "Kind"],
        [
            ["Ann Lee", "", "5p", ""],
            ["Bob Ray", U2.lower(), "", "1:1"],
            ["Cara Singh", U2, "", "Key adult"],
        ],
        [
            ("Ann Lee", None, "5P", "class_teacher"),
            ("Bob Ray", U2, None, "one_to_one"),
            ("Cara Singh", U2, None, "key_adult"),
        ],
    ),
    "qualifications": (
        ["Staff", "Qualification", "Status", "Title", "Started", "Completed", "Expected"],
        [
            ["Cara Singh", "NPQ for SENCOs", "In progress", "", "01/10/2025", "", "31/07/2027"],
            ["Ann Lee", "NASENCO", "Awarded", "", "", "15/07/2019", ""],
        ],
        [
            ("Ann Lee", "nasenco", None, "held", None, "2019-07-15", None),
            ("Cara Singh", "npq_senco", None, "studying", "2025-10-01", None, "2027-07-31"),
        ],
    ),
    "roles": (
        ["Role", "Kind", "Need", "Holder", "Holder Since"],
        [
            ["SENCO", "", "", "Cara Singh", "01/09/2024"],
            ["Lead practitioner: autism", "", "", "ann  lee", ""],
            ["Inclusion lead", "Other", "SEMH", "", ""],
        ],
        [
            ("Inclusion lead", "other", "SEMH", None, None),
            ("Lead practitioner: autism", "lead_practitioner", "ASD", "Ann Lee", None),
            ("SENCO", "senco", None, "Cara Singh", "2024-09-01"),
        ],
    ),
    "candidates": (
        ["Role", "Staff", "Readiness", "Notes"],
        [
            ["SENCO", "Ann Lee", "Ready now", "NPQ for SENCOs next year"],
            ["Deputy SENCO", "bob ray", "1-2 years", ""],
        ],
        [
            ("Deputy SENCO", None, "Bob Ray", "1_2_years", None),
            ("SENCO", "Cara Singh", "Ann Lee", "ready_now", "NPQ for SENCOs next year"),
        ],
    ),
    "actions": (
        ["Staff", "Action", "By", "Due", "Status", "Module", "Role"],
        [
            ["Ann Lee", "Shadow the SENCO", "Cara Singh", "01/02/2027", "in progress", "", "SENCO"],
            ["Bob Ray", "Epilepsy refresher", "", "", "", "epi-2", ""],
        ],
        [
            (
                "Ann Lee",
                "Shadow the SENCO",
                "Cara Singh",
                "2027-02-01",
                "in_progress",
                None,
                "SENCO",
            ),
            ("Bob Ray", "Epilepsy refresher", None, None, "planned", "EPI-2", None),
        ],
    ),
    "leaders": (
        ["Staff", "Module"],
        [["Ann Lee", "asd-1"], ["Cara Singh", "EPI-2"]],
        [("Ann Lee", "ASD-1"), ("Cara Singh", "EPI-2")],
    ),
    "provisions": (
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
            "Start",
            "End",
            "Target",
            "Review Date",
            "Reviewed On",
            "Outcome",
            "Entry Measure",
            "Exit Measure",
            "Continues",
        ],
        [
            [
                U2,
                "1:1 autism support",
                "ASD",
                "",
                "Bob Ray",
                "1",
                "5",
                "60",
                "38",
                "£14",
                "01/09/2026",
                "",
                "Calm transitions",
                "01/02/2027",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                U1,
                "Talk Boost",
                "SLCN",
                "small group",
                "Bob Ray",
                "4",
                "3",
                "30",
                "10",
                "",
                "07/09/2026",
                "13/11/2026",
                "",
                "",
                "13/11/2026",
                "partly met",
                "82",
                "88.5",
                "no",
            ],
            [
                U2,
                "Speech therapy",
                "SLCN",
                "External",
                "Able Speech Ltd",
                "1",
                "0.5",
                "45",
                "30",
                "70",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
        [
            (
                "1:1 autism support",
                "one_to_one",
                "ASD",
                2,
                2,
                None,
                1,
                5.0,
                60,
                38,
                14.0,
                "2026-09-01",
                None,
                "Calm transitions",
                "2027-02-01",
                None,
            ),
            (
                "Talk Boost",
                "small_group",
                "SLCN",
                1,
                2,
                None,
                4,
                3.0,
                30,
                10,
                None,
                "2026-09-07",
                "2026-11-13",
                "",
                None,
                "2026-11-13 partly_met 82.0 88.5 0",
            ),
            (
                "Speech therapy",
                "external",
                "SLCN",
                2,
                None,
                "Able Speech Ltd",
                1,
                0.5,
                45,
                30,
                70.0,
                None,
                None,
                "",
                None,
                None,
            ),
        ],
    ),
    "rates": (
        ["Role", "Hourly Rate"],
        [["TA", "£16.40"], ["Teacher", "34"]],
        [("ta", 16.4), ("teacher", 34.0)],
    ),
    # Only the cells that depart from the default table are kept.
    "levels": (
        ["Relationship", "Targeted", "Targeted Plus", "Specialist"],
        [
            ["Class teacher", "Universal", "Targeted", "targeted"],
            ["1:1", "targeted", "Specialist", "specialist"],
        ],
        [("class_teacher", "targeted_plus", "targeted")],
    ),
}


@pytest.mark.parametrize("kind", list(GOOD))
def test_good_file_of_each_kind(base: Database, write_file: WriteFile, kind: str) -> None:
    headings, data, expected = GOOD[kind]
    report = run(base, kind, write_file(f"{kind}.csv", csv_text(headings, data)))
    assert rows(base, QUERIES[kind]) == expected
    assert report.ignored_columns == []
    assert report.kind == kind


ALIASES = [
    (kind, index, alias)
    for kind, (headings, _, _) in GOOD.items()
    for column in IMPORTERS[kind].columns
    for index in [headings.index(column.name)]
    for alias in column.headings[1:]
]


@pytest.mark.parametrize(
    ("kind", "index", "alias"), ALIASES, ids=[f"{kind}-{alias}" for kind, _, alias in ALIASES]
)
def test_every_documented_alias(
    base: Database, write_file: WriteFile, kind: str, index: int, alias: str
) -> None:
    headings, data, expected = GOOD[kind]
    renamed = list(headings)
    renamed[index] = alias.upper() if index % 2 else alias.lower()
    report = run(base, kind, write_file(f"{kind}.csv", csv_text(renamed, data)))
    assert report.ignored_columns == []
    assert rows(base, QUERIES[kind]) == expected


def test_aliases_cover_every_importer() -> None:
    # Pupils and terms have their own test files.
    assert {kind for kind, _, _ in ALIASES} == set(IMPORTERS) - {"pupils", "terms"}
    # rates' three; the schools' two figures' three; provision reviews' eight
    assert len(ALIASES) == 127 + 3 + 3 + 8


@pytest.mark.parametrize("kind", list(GOOD))
def test_headings_in_reverse_order_with_extra_columns(
    base: Database, write_file: WriteFile, kind: str
) -> None:
    headings, data, expected = GOOD[kind]
    text = csv_text(  # not "Notes": the candidates file reads notes
        ["Remarks", *reversed(headings)], [["x", *reversed(row)] for row in data], delimiter=";"
    )
    report = run(base, kind, write_file(f"{kind}.csv", text))
    assert report.ignored_columns == ["Remarks"]
    assert rows(base, QUERIES[kind]) == expected


@pytest.mark.parametrize("kind", list(GOOD))
def test_importing_twice_changes_nothing(base: Database, write_file: WriteFile, kind: str) -> None:
    headings, data, _ = GOOD[kind]
    path = write_file(f"{kind}.csv", csv_text(headings, data))
    run(base, kind, path)
    before = snapshot(base)
    again = run(base, kind, path)
    assert again.updated == 0
    if kind in {"supports", "provisions"}:  # the whole picture: replaces the last, the same
        assert (again.created, again.removed) == (len(data), len(data))
        assert rows(base, QUERIES[kind]) == GOOD[kind][2]
    else:
        assert again.created == 0
        assert snapshot(base) == before


@pytest.mark.parametrize("kind", sorted(set(IMPORTERS) - {"schools", "modules", "terms"}))
def test_school_scoped_import_needs_a_school(
    db: Database, write_file: WriteFile, kind: str
) -> None:
    if kind == "pupils":
        path = write_file("file.csv", csv_text(["UPN", "Year"], [[U1, "5"]]))
    else:
        headings, data, _ = GOOD[kind]
        path = write_file("file.csv", csv_text(headings, data))
    assert refused(db, kind, path, school=None) == [
        RowError(0, "", "name the school to import into with --school NAME")
    ]


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("empty.csv", b"", RowError(0, "", "the file is empty")),
        (
            "headings.csv",
            b"Name,Role\r\n",
            RowError(0, "", "the file has headings but no rows: nothing to import"),
        ),
        ("garbage.csv", bytes(range(128)) * 4, RowError(0, "", "the file is binary, not a CSV")),
        (
            "twice.csv",
            b"Name,Role,NAME\r\nA,TA,B\r\n",
            RowError(1, "NAME", "the heading appears twice (also as 'Name')"),
        ),
        (
            "wide.csv",
            b"Name,Role\r\nAnn Lee,Teacher,extra,more\r\n",
            RowError(2, "", "4 values but only 2 headings"),
        ),
    ],
    ids=["empty", "headings only", "binary", "duplicated headings", "more values"],
)
def test_unreadable_staff_files(
    base: Database, write_file: WriteFile, name: str, content: bytes, error: RowError
) -> None:
    assert refused(base, "staff", write_file(name, content)) == [error]


# --- schools -----------------------------------------------------------------------------


def test_schools_bad_rows(db: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Name", "URN", "Phase", "Setting"],
        [
            ["Oakfield", "123456", "Primary", ""],
            ["Brook", "12345", "Secondary", "special"],
            ["OAKFIELD", "", "middle", ""],
            ["", "", "", "hospital"],
        ],
    )
    assert refused(db, "schools", write_file("schools.csv", text)) == [
        RowError(3, "URN", "a URN is 6 or 7 digits"),
        RowError(4, "Name", "'OAKFIELD' appears twice: also on line 2"),
        RowError(
            4,
            "Phase",
            "unknown phase 'middle' (use primary, secondary, all-through, special or AP)",
        ),
        RowError(5, "Name", "is blank"),
        RowError(5, "Setting", "unknown setting 'hospital' (use mainstream or specialist)"),
    ]


def test_schools_update_keeps_what_the_file_leaves_blank(
    db: Database, school: School, write_file: WriteFile
) -> None:
    text = csv_text(["School Name", "Phase"], [["oakfield primary school", "All-through"]])
    report = run(db, "schools", write_file("schools.csv", text))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert rows(db, QUERIES["schools"]) == [
        ("oakfield primary school", "123456", "all_through", "mainstream", None, 6000.0)
    ]


# --- staff -------------------------------------------------------------------------------


def test_staff_bad_rows(base: Database, write_file: WriteFile) -> None:
    headings = ["Name", "Role", "FTE", "CPD Hours", "Start Date"]
    text = csv_text(
        headings,
        [
            ["Dee Okafor", "TA", "1", "", ""],
            ["dee  okafor", "TA", "1", "", ""],
            ["Eve", "Caretaker", "", "", ""],
            ["Fay", "", "", "x", "31/02/2020"],
            ["Gus", "TA", "2", "", ""],
            ["", "TA", "", "", "01/09/20"],
        ],
    )
    assert refused(base, "staff", write_file("staff.csv", text)) == [
        RowError(3, "Name", "'dee  okafor' appears twice: also on line 2"),
        RowError(4, "Role", f"unknown role 'Caretaker' (use one of {ROLES})"),
        RowError(5, "CPD Hours", "'x' is not a number"),
        RowError(5, "Role", "is blank"),
        RowError(5, "Start Date", "'31/02/2020' is not a real date (dates are day/month/year)"),
        RowError(6, "FTE", "must be at most 1.5"),
        RowError(7, "Name", "is blank"),
        RowError(7, "Start Date", "'01/09/20' needs a four-digit year (day/month/year)"),
    ]


def test_staff_numbers_with_a_decimal_comma(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Name", "Role", "FTE", "CPD Hours"],
        [["Dee Okafor", "TA", "0,8", "12,5"], ["Eve Obi", "HLTA", "1", "100"]],
    )
    run(base, "staff", write_file("staff.csv", text))
    query = "SELECT name, fte, cpd_hours FROM staff WHERE name IN ('Dee Okafor', 'Eve Obi')"
    assert rows(base, query + " ORDER BY name") == [
        ("Dee Okafor", 0.8, 12.5),
        ("Eve Obi", 1.0, 100.0),
    ]
    bad = csv_text(["Name", "Role", "FTE"], [["Fay Lin", "TA", "0,875"]])
    assert refused(base, "staff", write_file("bad.csv", bad)) == [
        RowError(
            2,
            "FTE",
            "'0,875' is not a number: a comma may only separate thousands (1,200) "
            "or mark decimals (7,5)",
        )
    ]


def test_staff_update_and_unchanged(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Name", "Role", "FTE"],
        [["ann lee", "Teacher", "0.8"], ["Bob Ray", "TA", "1"], ["Cara Singh", "SENDCo", ""]],
    )
    report = run(base, "staff", write_file("staff.csv", text))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    # The name is stored as the file spells it; FTE as given; blanks leave values alone.
    assert rows(base, "SELECT name, role, fte FROM staff ORDER BY name") == [
        ("Bob Ray", "ta", 1.0),
        ("Cara Singh", "senco", 1.0),
        ("ann lee", "teacher", 0.8),
    ]


# --- modules -----------------------------------------------------------------------------


def test_modules_bad_rows(base: Database, write_file: WriteFile) -> None:
    headings = ["Code", "Title", "Needs", "Level", "Hours", "Audience", "Refresh Months"]
    text = csv_text(
        headings,
        [
            ["NEW-1", "Fine", "ASD", "", "", "", ""],
            ["new-1", "Again", "ASD", "", "", "", ""],
            ["BAD CODE", "Spaces", "ASD", "", "", "", ""],
            ["X-2", "", "", "expert", "", "Janitor", ""],
            ["X-3", "Zero", "SLCN", "", "0", "", "0"],
            ["X-4", "Half", "PD", "", "", "", "1.5"],
        ],
    )
    assert refused(base, "modules", write_file("modules.csv", text)) == [
        RowError(3, "Code", "module new-1 appears twice: also on line 2"),
        RowError(4, "Code", "a module code uses letters, digits, - _ and . only"),
        RowError(5, "Audience", f"unknown role 'Janitor' (use one of {ROLES})"),
        RowError(5, "Level", "unknown level 'expert' (use universal, targeted or specialist)"),
        RowError(5, "Needs", "is blank"),
        RowError(5, "Title", "is blank"),
        RowError(6, "Hours", "must be more than 0"),
        RowError(6, "Refresh Months", "must be more than 0"),
        RowError(7, "Refresh Months", "'1.5' is not a whole number"),
    ]


def test_modules_update_and_clear_refresh(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Code", "Title", "Needs", "Refresh Months"],
        [["ASD-1", "Autism awareness", "ASD", ""], ["epi-2", "Epilepsy", "PD; VI", ""]],
    )
    report = run(base, "modules", write_file("modules.csv", text))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert rows(base, "SELECT code, refresh_months FROM modules ORDER BY code") == [
        ("ASD-1", None),
        ("epi-2", None),
    ]
    assert rows(base, "SELECT need FROM module_needs WHERE module_id = 2 ORDER BY need") == [
        ("PD",),
        ("VI",),
    ]


# --- training ----------------------------------------------------------------------------


def test_training_bad_rows(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Staff", "Module", "Completed"],
        [
            ["Ann Lee", "ASD-1", "01/09/2025"],
            ["Zed Unknown", "ASD-1", "01/09/2025"],
            ["Ann Lee", "NOPE-9", "01/09/2025"],
            ["Bob Ray", "EPI-2", "24/11/2026"],
            ["Bob Ray", "EPI-2", "31/02/2026"],
            ["", "", ""],
            ["Cara Singh", "", "01/09/2025"],
        ],
    )
    assert refused(base, "training", write_file("training.csv", text)) == [
        RowError(3, "Staff", f"no member of staff called 'Zed Unknown' in {SCHOOL}"),
        RowError(4, "Module", "no module with code 'NOPE-9' in the catalogue"),
        RowError(5, "Completed", "24/11/2026 is in the future"),
        RowError(6, "Completed", "'31/02/2026' is not a real date (dates are day/month/year)"),
        RowError(8, "Module", "is blank"),
    ]


def test_training_duplicates_are_skipped(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Staff", "Module", "Completed"],
        [
            ["Ann Lee", "ASD-1", "01/09/2025"],
            ["ANN LEE", "asd-1", "2025-09-01"],  # the same record, written differently
            ["Ann Lee", "ASD-1", "01/09/2026"],  # done again a year later: a new record
        ],
    )
    report = run(base, "training", write_file("training.csv", text))
    assert (report.created, report.skipped) == (2, 1)
    assert "1 already recorded" in report.lines()[0]
    again = run(base, "training", write_file("training.csv", text))
    assert (again.created, again.skipped) == (0, 3)
    assert rows(base, QUERIES["training"]) == [
        ("Ann Lee", "ASD-1", "2025-09-01"),
        ("Ann Lee", "ASD-1", "2026-09-01"),
    ]


def test_training_for_staff_of_another_school_is_refused(
    base: Database, write_file: WriteFile
) -> None:
    other = save_school(base, School(name="Brook Academy"))
    assert other.id is not None
    save_staff(base, StaffMember(school_id=other.id, name="Hal Brook", role=Role.TEACHER))
    text = csv_text(["Staff", "Module", "Completed"], [["Hal Brook", "ASD-1", "01/09/2025"]])
    assert refused(base, "training", write_file("training.csv", text)) == [
        RowError(2, "Staff", f"no member of staff called 'Hal Brook' in {SCHOOL}")
    ]


# --- confidence --------------------------------------------------------------------------


def test_confidence_bad_rows(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Staff", "Need", "Rating", "Date"],
        [
            ["Ann Lee", "ASD", "6", "01/10/2026"],
            ["Ann Lee", "SLCN", "0", "01/10/2026"],
            ["Ann Lee", "SEMH", "2.5", "01/10/2026"],
            ["Ann Lee", "Maths", "three", "01/12/2026"],
            ["Bob Ray", "ASD", "3", "01/10/2026"],
            ["Bob Ray", "Communication and interaction", "2", "01/10/2026"],
        ],
    )
    assert refused(base, "confidence", write_file("confidence.csv", text)) == [
        RowError(2, "Rating", "rating '6' is not between 1 and 5"),
        RowError(3, "Rating", "rating '0' is not between 1 and 5"),
        RowError(4, "Rating", "'2.5' is not a whole number"),
        RowError(5, "Date", "01/12/2026 is in the future"),
        RowError(
            5,
            "Need",
            "unknown need type or broad area 'Maths' "
            "(use census codes such as ASD; SLCN, or a broad area)",
        ),
        RowError(5, "Rating", "'three' is not a number"),
        RowError(7, "Need", "a ASD rating on that day appears twice: also on line 6"),
    ]


def test_confidence_broad_area_expands_and_ratings_update(
    base: Database, write_file: WriteFile
) -> None:
    text = csv_text(
        ["Staff", "Need", "Rating", "Date"], [["Ann Lee", "Cognition", "3", TODAY.isoformat()]]
    )
    report = run(base, "confidence", write_file("confidence.csv", text))
    assert report.created == 4
    assert rows(base, QUERIES["confidence"]) == [
        ("Ann Lee", need, 3, "2026-11-23") for need in ("MLD", "PMLD", "SLD", "SPLD")
    ]
    text = csv_text(
        ["Staff", "Need", "Rating", "Date"],
        [["Ann Lee", "MLD", "4", "23/11/2026"], ["Ann Lee", "SLD", "3", "23/11/2026"]],
    )
    report = run(base, "confidence", write_file("confidence.csv", text))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert rows(base, QUERIES["confidence"])[0] == ("Ann Lee", "MLD", 4, "2026-11-23")


# --- supports ----------------------------------------------------------------------------


def test_supports_bad_rows(base: Database, write_file: WriteFile) -> None:
    bad = wrong_check_letter(U1)
    text = csv_text(
        ["Staff", "UPN", "Class", "Kind"],
        [
            ["Ann Lee", "", "5P", ""],
            ["Bob Ray", U2, "6K", ""],
            ["Bob Ray", "", "9Z", ""],
            ["Bob Ray", U3, "", ""],
            ["Bob Ray", "", "", "1:1"],
            ["Bob Ray", bad, "", ""],
            ["Ann Lee", "", "6K", "mentor"],
            ["Nobody", U1, "", ""],
        ],
    )
    assert refused(base, "supports", write_file("supports.csv", text)) == [
        RowError(3, "UPN", "give a UPN or a class on each line, not both"),
        RowError(4, "Class", "no pupils are in class '9Z'"),
        RowError(5, "UPN", f"no pupil with UPN {U3} on this school's roll"),
        RowError(6, "UPN", "is blank"),
        RowError(7, "UPN", f"UPN {bad!r} has check letter {bad[0]}, expected {U1[0]}"),
        RowError(
            8,
            "Kind",
            "unknown kind of support 'mentor' "
            "(use class teacher, in-class support, key adult or 1:1)",
        ),
        RowError(9, "Staff", f"no member of staff called 'Nobody' in {SCHOOL}"),
    ]


def test_supports_need_a_upn_or_class_column(base: Database, write_file: WriteFile) -> None:
    text = csv_text(["Staff", "Kind"], [["Ann Lee", ""]])
    assert refused(base, "supports", write_file("supports.csv", text)) == [
        RowError(0, "UPN", "the file needs a UPN column or a Class column"),
        RowError(2, "Class", "is blank"),
    ]


def test_supports_with_only_a_class_column(base: Database, write_file: WriteFile) -> None:
    text = csv_text(["Staff Name", "Form"], [["Ann Lee", "5P"], ["Ann Lee", "6k"]])
    report = run(base, "supports", write_file("supports.csv", text))
    assert report.created == 2
    assert rows(base, QUERIES["supports"]) == [
        ("Ann Lee", None, "5P", "class_teacher"),
        ("Ann Lee", None, "6K", "class_teacher"),
    ]


def test_supports_file_replaces_the_previous_links(base: Database, write_file: WriteFile) -> None:
    headings, data, _ = GOOD["supports"]
    run(base, "supports", write_file("supports.csv", csv_text(headings, data)))
    text = csv_text(
        ["Staff", "UPN", "Class", "Kind"],
        [["Bob Ray", U1, "", "Key worker"], ["Bob Ray", U1, "", "key adult"]],
    )
    report = run(base, "supports", write_file("supports.csv", text))
    assert (report.created, report.skipped, report.removed) == (1, 1, 3)
    assert "3 replaced" in report.lines()[0]
    assert rows(base, QUERIES["supports"]) == [("Bob Ray", U1, None, "key_adult")]


def test_supports_dry_run_keeps_the_previous_links(base: Database, write_file: WriteFile) -> None:
    headings, data, expected = GOOD["supports"]
    run(base, "supports", write_file("supports.csv", csv_text(headings, data)))
    text = csv_text(["Staff", "Class"], [["Cara Singh", "6K"]])
    report = run(base, "supports", write_file("supports.csv", text), dry_run=True)
    assert (report.created, report.removed) == (1, 3)
    assert rows(base, QUERIES["supports"]) == expected


# --- qualifications ----------------------------------------------------------------------


def test_qualifications_bad_rows(base: Database, write_file: WriteFile) -> None:
    text = csv_text(
        ["Staff", "Qualification", "Status", "Started"],
        [
            ["Cara Singh", "NPQ SENCO", "studying", "01/10/2025"],
            ["Bob Ray", "PhD", "held", ""],
            ["Zed", "NASENCO", "maybe", "31/02/2020"],
            ["Ann Lee", "", "", ""],
        ],
    )
    assert refused(base, "qualifications", write_file("qualifications.csv", text)) == [
        RowError(
            3, "Qualification", "unknown qualification 'PhD' (use NPQ SENCO, NASENCO or other)"
        ),
        RowError(4, "Staff", f"no member of staff called 'Zed' in {SCHOOL}"),
        RowError(4, "Started", "'31/02/2020' is not a real date (dates are day/month/year)"),
        RowError(4, "Status", "unknown qualification status 'maybe' (use held or studying)"),
        RowError(5, "Qualification", "is blank"),
    ]


def test_qualification_completed_is_an_update(base: Database, write_file: WriteFile) -> None:
    headings, data, _ = GOOD["qualifications"]
    run(base, "qualifications", write_file("q.csv", csv_text(headings, data)))
    text = csv_text(
        ["Staff", "Qualification", "Status", "Completed"],
        [["Cara Singh", "NPQ SENCO", "Completed", "10/07/2026"]],
    )
    report = run(base, "qualifications", write_file("q.csv", text))
    assert (report.created, report.updated) == (0, 1)
    assert rows(base, QUERIES["qualifications"]) == [
        ("Ann Lee", "nasenco", None, "held", None, "2019-07-15", None),
        ("Cara Singh", "npq_senco", None, "held", "2025-10-01", "2026-07-10", "2027-07-31"),
    ]


# --- school-scoped files go to the right school ------------------------------------------


def test_staff_into_a_new_school(db: Database, write_file: WriteFile) -> None:
    headings, data, _ = GOOD["staff"]
    report = run(
        db, "staff", write_file("staff.csv", csv_text(headings, data)), school="Brook Academy"
    )
    assert report.school_created
    assert [school.name for school in list_schools(db)] == ["Brook Academy"]
    brook = find_school(db, "Brook Academy")
    assert brook is not None
    assert rows(db, "SELECT DISTINCT school_id FROM staff") == [(brook.id,)]


def test_staff_with_the_same_name_in_two_schools(base: Database, write_file: WriteFile) -> None:
    text = csv_text(["Name", "Role"], [["Ann Lee", "HLTA"]])
    report = run(base, "staff", write_file("staff.csv", text), school="Brook Academy")
    assert report.created == 1
    assert rows(base, "SELECT s.name, s.role, c.name FROM staff s JOIN schools c "
                "ON c.id = s.school_id WHERE s.name = 'Ann Lee' ORDER BY c.name") == [
        ("Ann Lee", "hlta", "Brook Academy"),
        ("Ann Lee", "teacher", SCHOOL),
    ]  # fmt: skip


def test_a_dry_run_of_every_kind_writes_nothing(base: Database, write_file: WriteFile) -> None:
    for kind, (headings, data, _) in GOOD.items():
        before = snapshot(base)
        report = run(base, kind, write_file(f"{kind}.csv", csv_text(headings, data)), dry_run=True)
        assert report.dry_run
        assert report.created + report.updated > 0, kind
        assert snapshot(base) == before, kind


def test_dates_today_are_accepted(base: Database, write_file: WriteFile) -> None:
    today = TODAY.strftime("%d/%m/%Y")
    text = csv_text(["Staff", "Module", "Completed"], [["Ann Lee", "ASD-1", today]])
    assert run(base, "training", write_file("t.csv", text)).created == 1
    tomorrow = (TODAY + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    text = csv_text(["Staff", "Module", "Completed"], [["Ann Lee", "ASD-1", tomorrow]])
    assert refused(base, "training", write_file("t.csv", text)) == [
        RowError(2, "Completed", f"{tomorrow} is in the future")
    ]


def test_a_misspelt_staff_name_is_refused_with_the_nearest(
    base: Database, write_file: WriteFile
) -> None:
    text = csv_text(["Staff", "Module", "Completed"], [["Ann Le", "ASD-1", "01/09/2025"]])
    assert refused(base, "training", write_file("training.csv", text)) == [
        RowError(
            2, "Staff", f"no member of staff called 'Ann Le' in {SCHOOL} (did you mean Ann Lee?)"
        )
    ]


def test_a_baseline_alone_is_kept_and_a_review_part_without_an_outcome_is_named(
    base: Database, write_file: WriteFile
) -> None:
    headings = ["UPN", "Provision", "Delivered By", "Entry Measure", "Continues"]
    fine = csv_text(headings, [[U1, "Talk Boost", "Bob Ray", "82", "yes"]])
    run(base, "provisions", write_file("provisions.csv", fine))
    assert rows(base, "SELECT entry_measure FROM pupil_provisions") == [(82.0,)]
    assert rows(base, "SELECT COUNT(*) FROM provision_reviews") == [(0,)]
    headings = ["UPN", "Provision", "Delivered By", "Exit Measure", "Continues", "Reviewed On"]
    bad = csv_text(headings, [[U1, "Talk Boost", "Bob Ray", "88", "no", "01/11/2026"]])
    why = "is part of a review: give its Outcome (met, partly met or not met)"
    assert sorted(refused(base, "provisions", write_file("provisions.csv", bad))) == [
        RowError(2, "Continues", why),
        RowError(2, "Exit Measure", why),
        RowError(2, "Reviewed On", why),
    ]


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_each_kind_s_documented_headings_are_guessed_as_it(kind: str) -> None:
    """The import dialog offers the kind a chosen file's headings fit: every kind's own
    headings fit it and nothing else (its required ones alone too, bar the schools file,
    whose one required heading, Name, is every list's)."""
    columns = IMPORTERS[kind].columns
    assert guess_kind([c.name for c in columns], IMPORTERS) == kind
    assert guess_kind([c.name.upper() for c in columns], IMPORTERS) == kind  # as folded
    if kind != "schools":
        assert guess_kind([c.name for c in columns if c.required], IMPORTERS) == kind


def test_headings_no_kind_fits_or_two_fit_equally_are_not_guessed() -> None:
    assert guess_kind(["Colour", "Shape"], IMPORTERS) is None
    assert guess_kind([], IMPORTERS) is None
    assert guess_kind(["Name"], IMPORTERS) is None  # a schools file, or a staff list?
