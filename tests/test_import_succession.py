"""Importing the succession plan: roles, candidates, development actions, module leaders; and
which school `--school` means on an import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import Module, School, StaffMember
from sencoplan.domain.staff_codes import Provider, Role
from sencoplan.domain.succession_codes import ActionStatus, Readiness
from sencoplan.io.errors import RowError
from sencoplan.io.importers import ImportRejected, import_file
from sencoplan.io.report import ImportReport
from sencoplan.store import open_database
from sencoplan.store.catalogue import save_module
from sencoplan.store.schools import list_schools, save_school
from sencoplan.store.staff import save_staff
from tests.core_helpers import TODAY, WriteFile, csv_text
from tests.core_helpers import snapshot as core_snapshot

SCHOOL = "Oakfield Primary School"
SUCCESSION_TABLES = (
    "succession_roles",
    "succession_candidates",
    "development_actions",
    "module_leaders",
)


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the core tables and the succession tables."""
    rows = core_snapshot(db)
    for table in SUCCESSION_TABLES:
        rows[table] = sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    return rows


def add_staff(db: Database, school_id: int) -> None:
    for name, role, left in (
        ("Ann Lee", Role.TEACHER, None),
        ("Bob Ray", Role.TA, None),
        ("Cara Singh", Role.SENCO, None),
        ("Dan Old", Role.TEACHER, dt.date(2026, 8, 31)),
    ):
        save_staff(
            db,
            StaffMember(
                school_id=school_id,
                name=name,
                role=role,
                start_date=dt.date(2024, 5, 23),
                leaving_date=left,
            ),
        )


@pytest.fixture
def base(db: Database, school: School) -> Database:
    """Oakfield with a teacher, a TA, the SENCO and a teacher who has left; two modules."""
    assert school.id is not None
    add_staff(db, school.id)
    save_module(db, Module(code="ASD-1", title="Autism awareness", needs=(NeedType.ASD,)))
    save_module(
        db,
        Module(
            code="LEAD-CPD",
            title="Leading SEND CPD",
            needs=tuple(NeedType),
            provider=Provider.EXTERNAL,
            trains_leaders=True,
        ),
    )
    return db


def run(db: Database, kind: str, path: Path, **options: object) -> ImportReport:
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


def counts(report: ImportReport) -> tuple[int, int, int]:
    return report.created, report.updated, report.unchanged


ROLES = "SELECT r.title, r.kind, r.need, s.name, r.holder_since FROM succession_roles r "
ROLES += "LEFT JOIN staff s ON s.id = r.holder_id ORDER BY r.id"
CANDIDATES = (
    "SELECT r.title, s.name, c.readiness, c.notes FROM succession_candidates c "
    "JOIN succession_roles r ON r.id = c.role_id JOIN staff s ON s.id = c.staff_id ORDER BY c.id"
)
ACTIONS = (
    "SELECT s.name, a.action, a.by_whom, a.due, a.status, m.code, r.title "
    "FROM development_actions a JOIN staff s ON s.id = a.staff_id "
    "LEFT JOIN modules m ON m.id = a.module_id "
    "LEFT JOIN succession_roles r ON r.id = a.role_id ORDER BY a.id"
)
LEADERS = (
    "SELECT s.name, m.code FROM module_leaders l JOIN staff s ON s.id = l.staff_id "
    "JOIN modules m ON m.id = l.module_id ORDER BY l.id"
)


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    return db.execute(sql).fetchall()


# --- roles -----------------------------------------------------------------------------------

ROLE_HEADINGS = ["Role", "Kind", "Need", "Holder", "Holder Since"]


def test_a_roles_file_stores_each_role_its_kind_need_and_holder(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "roles.csv",
        csv_text(
            ROLE_HEADINGS,
            [
                ["SENCO", "", "", "Cara Singh", "23/05/2024"],
                ["Deputy  SENDCo", "", "", "", ""],
                ["Lead practitioner: SLCN", "", "", "ann lee", ""],
                ["Lead practitioner (autism)", "", "", "", ""],
                ["SENCO (maternity cover)", "", "", "", ""],
                ["Autism lead", "lead practitioner", "Autistic spectrum disorder", "", ""],
                ["Inclusion champion", "", "", "Bob Ray", ""],
            ],
        ),
    )
    report = run(base, "roles", path)
    assert counts(report) == (7, 0, 0)
    assert rows(base, ROLES) == [
        ("SENCO", "senco", None, "Cara Singh", "2024-05-23"),
        ("Deputy SENDCo", "deputy_senco", None, None, None),
        ("Lead practitioner: SLCN", "lead_practitioner", "SLCN", "Ann Lee", None),
        ("Lead practitioner (autism)", "lead_practitioner", "ASD", None, None),
        ("SENCO (maternity cover)", "senco", None, None, None),
        ("Autism lead", "lead_practitioner", "ASD", None, None),
        ("Inclusion champion", "other", None, "Bob Ray", None),
    ]


def test_importing_roles_again_updates_them_by_title(base: Database, write_file: WriteFile) -> None:
    first = csv_text(
        ROLE_HEADINGS,
        [
            ["SENCO", "", "", "Cara Singh", "23/05/2024"],
            ["Deputy SENCO", "", "", "", ""],
            ["Autism lead", "Other", "ASD", "", ""],
        ],
    )
    run(base, "roles", write_file("roles.csv", first))
    ids = [row[0] for row in rows(base, "SELECT id FROM succession_roles ORDER BY id")]
    second = csv_text(
        ["Role", "Holder"],  # no Kind, Need or Holder Since: the stored ones are kept
        [["senco", "Cara Singh"], ["DEPUTY SENCO", "Ann Lee"], ["Autism lead", ""]],
    )
    report = run(base, "roles", write_file("again.csv", second))
    assert counts(report) == (0, 2, 1)  # the title takes the file's spelling
    assert rows(base, ROLES) == [
        ("senco", "senco", None, "Cara Singh", "2024-05-23"),
        ("DEPUTY SENCO", "deputy_senco", None, "Ann Lee", None),
        ("Autism lead", "other", "ASD", None, None),
    ]
    assert [row[0] for row in rows(base, "SELECT id FROM succession_roles ORDER BY id")] == ids


def test_a_new_holder_without_a_date_does_not_inherit_the_last_holders_date(
    base: Database, write_file: WriteFile
) -> None:
    run(
        base,
        "roles",
        write_file(
            "a.csv", csv_text(ROLE_HEADINGS, [["SENCO", "", "", "Cara Singh", "01/09/2020"]])
        ),
    )
    report = run(
        base, "roles", write_file("b.csv", csv_text(["Role", "Holder"], [["SENCO", "Ann Lee"]]))
    )
    assert counts(report) == (0, 1, 0)
    assert rows(base, ROLES) == [("SENCO", "senco", None, "Ann Lee", None)]


def test_bad_roles_are_refused_with_line_column_and_reason(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "roles.csv",
        csv_text(
            ROLE_HEADINGS,
            [
                ["", "SENCO", "", "", ""],
                ["SENCO", "Boss", "", "Zed Nobody", "31/02/2026"],
                ["senco", "", "", "", ""],
                ["Deputy SENCO", "", "ASD", "", ""],
                ["Lead practitioner", "", "ADHD", "Dan Old", ""],
                ["Autism lead", "", "", "", "01/09/2025"],
                ["x" * 201, "", "", "", ""],
            ],
        ),
    )
    assert refused(base, "roles", path) == [
        RowError(2, "Role", "is blank"),
        RowError(
            3,
            "Holder",
            f"no member of staff called 'Zed Nobody' in {SCHOOL}",
        ),
        RowError(3, "Holder Since", "'31/02/2026' is not a real date (dates are day/month/year)"),
        RowError(
            3,
            "Kind",
            "unknown role 'Boss' (use SENCO, deputy SENCO, assistant SENCO, lead practitioner "
            "or other)",
        ),
        RowError(4, "Role", "role 'senco' appears twice: also on line 3"),
        RowError(5, "Need", "a Deputy SENCO role covers every need: leave Need blank"),
        RowError(
            6,
            "Holder",
            "Dan Old left on 31/08/2026: leave it blank (the role is vacant) or name who holds "
            "it now",
        ),
        RowError(
            6,
            "Need",
            "unknown need type 'ADHD' (use one of "
            + ", ".join(need.value for need in NeedType)
            + ")",
        ),
        RowError(7, "Holder Since", "the role has no holder: leave Holder Since blank"),
        RowError(8, "Role", "is too long (at most 200 characters)"),
    ]


# --- candidates ------------------------------------------------------------------------------

CANDIDATE_HEADINGS = ["Role", "Staff", "Readiness", "Notes"]


def test_candidates_for_stored_roles_and_readiness_spellings(
    base: Database, write_file: WriteFile
) -> None:
    roles = csv_text(
        ROLE_HEADINGS,
        [["SENCO", "", "", "Cara Singh", ""], ["Lead practitioner: autism", "", "", "", ""]],
    )
    run(base, "roles", write_file("roles.csv", roles))
    path = write_file(
        "candidates.csv",
        csv_text(
            ["Role Title", "Name", "Ready", "Comments"],
            [
                ["senco", "Ann Lee", "Ready now", "NPQ next year"],
                ["SENCO", "bob  ray", "3 or more years", ""],
                ["Lead practitioner: AUTISM", "Ann Lee", "1–2 years", ""],
            ],
        ),
    )
    report = run(base, "candidates", path)
    assert counts(report) == (3, 0, 0)
    assert rows(base, CANDIDATES) == [
        ("SENCO", "Ann Lee", "ready_now", "NPQ next year"),
        ("SENCO", "Bob Ray", "3_plus_years", None),
        ("Lead practitioner: autism", "Ann Lee", "1_2_years", None),
    ]
    again = csv_text(
        ["Role", "Staff", "Readiness"],  # no Notes column: the notes are kept
        [["SENCO", "Ann Lee", "ready now"], ["SENCO", "Bob Ray", "1 to 2 years"]],
    )
    report = run(base, "candidates", write_file("again.csv", again))
    assert counts(report) == (0, 1, 1)
    assert rows(base, CANDIDATES) == [
        ("SENCO", "Ann Lee", "ready_now", "NPQ next year"),
        ("SENCO", "Bob Ray", "1_2_years", None),
        ("Lead practitioner: autism", "Ann Lee", "1_2_years", None),
    ]


def test_a_candidate_for_an_unrecorded_senco_team_role_adds_the_role(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "candidates.csv",
        csv_text(
            CANDIDATE_HEADINGS,
            [
                ["SENDCo", "Ann Lee", "3+ years", ""],
                ["Deputy SENCO", "Bob Ray", "1-2 years", ""],
                ["SENCO", "Bob Ray", "3+ years", ""],
                ["assistant senco", "Ann Lee", "now", ""],
            ],
        ),
    )
    dry = run(base, "candidates", path, dry_run=True)
    assert counts(dry) == (4, 0, 0)
    assert rows(base, ROLES) == []
    report = run(base, "candidates", path)
    assert counts(report) == (4, 0, 0)
    # The SENCO from the staff list holds the SENCO role; no one holds the others yet.
    assert rows(base, ROLES) == [
        ("SENCO", "senco", None, "Cara Singh", "2024-05-23"),
        ("Deputy SENCO", "deputy_senco", None, None, None),
        ("Assistant SENCO", "assistant_senco", None, None, None),
    ]
    assert rows(base, CANDIDATES) == [
        ("SENCO", "Ann Lee", "3_plus_years", None),
        ("Deputy SENCO", "Bob Ray", "1_2_years", None),
        ("SENCO", "Bob Ray", "3_plus_years", None),
        ("Assistant SENCO", "Ann Lee", "ready_now", None),
    ]
    again = run(base, "candidates", path)
    assert counts(again) == (0, 0, 4)
    assert len(rows(base, ROLES)) == 3


def test_an_action_for_an_unrecorded_senco_role_shares_the_role_the_import_adds(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "actions.csv",
        csv_text(
            ["Staff", "Action", "Role"],
            [["Ann Lee", "Aspiring SENCO programme", "SENCO"], ["Bob Ray", "Shadowing", "senco"]],
        ),
    )
    assert counts(run(base, "actions", path)) == (2, 0, 0)
    assert rows(base, ROLES) == [("SENCO", "senco", None, "Cara Singh", "2024-05-23")]
    assert [row[-1] for row in rows(base, ACTIONS)] == ["SENCO", "SENCO"]


def test_bad_candidates_are_refused_with_line_column_and_reason(
    base: Database, write_file: WriteFile
) -> None:
    roles = csv_text(
        ROLE_HEADINGS,
        [["Lead practitioner: autism", "", "", "", ""], ["SENCO (KS1)", "", "", "", ""]],
    )
    run(base, "roles", write_file("roles.csv", roles))
    path = write_file(
        "candidates.csv",
        csv_text(
            CANDIDATE_HEADINGS,
            [
                ["Head of Maths", "Ann Lee", "ready now", ""],
                ["Deputy SENCO", "Dan Old", "ready now", ""],
                ["Lead practitioner: autism", "Ann Lee", "1-2 years", ""],
                ["lead practitioner: autism", "ANN LEE", "3+ years", ""],
                ["Lead practitioner: autism", "Bob Ray", "soon", ""],
                ["", "", "", "notes only"],
                ["Lead practitioner: autism", "Cara Singh", "ready now", "x" * 501],
            ],
        ),
    )
    assert refused(base, "candidates", path) == [
        RowError(
            2,
            "Role",
            "no role called 'Head of Maths' (roles: 'Lead practitioner: autism', "
            "'SENCO (KS1)'; add it with a roles file)",
        ),
        RowError(5, "Staff", "Lead practitioner: autism candidate appears twice: also on line 4"),
        RowError(
            6,
            "Readiness",
            "unknown readiness 'soon' (use ready now, 1-2 years or 3+ years)",
        ),
        RowError(7, "Readiness", "is blank"),
        RowError(7, "Role", "is blank"),
        RowError(7, "Staff", "is blank"),
        RowError(8, "Notes", "is too long (at most 500 characters)"),
    ]


def test_the_holder_cannot_be_their_own_candidate(base: Database, write_file: WriteFile) -> None:
    path = write_file(
        "candidates.csv", csv_text(CANDIDATE_HEADINGS, [["SENCO", "Cara Singh", "now", ""]])
    )
    assert refused(base, "candidates", path) == [
        RowError(2, "Staff", "Cara Singh already holds SENCO")
    ]


def test_a_senco_named_when_several_senco_roles_are_recorded_is_ambiguous(
    base: Database, write_file: WriteFile
) -> None:
    roles = csv_text(
        ROLE_HEADINGS, [["SENCO (KS1)", "", "", "", ""], ["SENCO (KS2)", "", "", "", ""]]
    )
    run(base, "roles", write_file("roles.csv", roles))
    path = write_file(
        "candidates.csv", csv_text(CANDIDATE_HEADINGS, [["SENCO", "Ann Lee", "now", ""]])
    )
    assert refused(base, "candidates", path) == [
        RowError(2, "Role", "several SENCO roles: name one ('SENCO (KS1)' or 'SENCO (KS2)')")
    ]
    # With one recorded SENCO role, "SENCO" means it.
    base.execute("DELETE FROM succession_roles WHERE title = 'SENCO (KS2)'")
    assert counts(run(base, "candidates", path)) == (1, 0, 0)
    assert rows(base, CANDIDATES) == [("SENCO (KS1)", "Ann Lee", "ready_now", None)]


# --- development actions ---------------------------------------------------------------------

ACTION_HEADINGS = ["Staff", "Action", "By", "Due", "Status", "Module", "Role"]


def test_actions_import_and_update_by_person_and_words(
    base: Database, write_file: WriteFile
) -> None:
    run(
        base,
        "roles",
        write_file("roles.csv", csv_text(ROLE_HEADINGS, [["SENCO", "", "", "Cara Singh", ""]])),
    )
    first = csv_text(
        ACTION_HEADINGS,
        [
            ["Ann Lee", "Aspiring SENCO programme", "Cara Singh", "01/09/2026", "", "", "SENCO"],
            [
                "Cara Singh",
                "Leading SEND CPD",
                "Teaching school hub",
                "",
                "planned",
                "lead-cpd",
                "",
            ],
            ["Ann Lee", "Lead ASD-1 with the SENCO", "", "2027-02-09", "started", "ASD-1", ""],
        ],
    )
    assert counts(run(base, "actions", write_file("actions.csv", first))) == (3, 0, 0)
    assert rows(base, ACTIONS) == [
        (
            "Ann Lee",
            "Aspiring SENCO programme",
            "Cara Singh",
            "2026-09-01",
            "planned",
            None,
            "SENCO",
        ),
        (
            "Cara Singh",
            "Leading SEND CPD",
            "Teaching school hub",
            None,
            "planned",
            "LEAD-CPD",
            None,
        ),
        ("Ann Lee", "Lead ASD-1 with the SENCO", None, "2027-02-09", "in_progress", "ASD-1", None),
    ]
    second = csv_text(
        ["Name", "Development Action", "Status", "Due Date"],
        [
            ["ann lee", "ASPIRING  SENCO programme", "in progress", "01/12/2026"],
            ["Cara Singh", "Leading SEND CPD", "", ""],
            ["Bob Ray", "Epilepsy refresher", "done", ""],
        ],
    )
    report = run(base, "actions", write_file("again.csv", second))
    assert counts(report) == (1, 1, 1)
    assert rows(base, ACTIONS) == [
        (
            "Ann Lee",
            "ASPIRING SENCO programme",
            "Cara Singh",
            "2026-12-01",
            "in_progress",
            None,
            "SENCO",
        ),
        (
            "Cara Singh",
            "Leading SEND CPD",
            "Teaching school hub",
            None,
            "planned",
            "LEAD-CPD",
            None,
        ),
        ("Ann Lee", "Lead ASD-1 with the SENCO", None, "2027-02-09", "in_progress", "ASD-1", None),
        ("Bob Ray", "Epilepsy refresher", None, None, "done", None, None),
    ]


def test_bad_actions_are_refused_with_line_column_and_reason(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "actions.csv",
        csv_text(
            ACTION_HEADINGS,
            [
                ["Ann Lee", "", "", "", "", "", ""],
                ["Zed", "Course", "", "31/13/2026", "maybe", "NOPE", "Head of Maths"],
                ["Ann Lee", "Shadow the SENCO", "", "", "", "", ""],
                ["ann lee", "shadow  the senco", "", "", "", "", ""],
                ["Bob Ray", "Course", "y" * 201, "", "", "", ""],
            ],
        ),
    )
    assert refused(base, "actions", path) == [
        RowError(2, "Action", "is blank"),
        RowError(3, "Due", "'31/13/2026' is not a real date (dates are day/month/year)"),
        RowError(3, "Module", "no module with code 'NOPE' in the catalogue"),
        RowError(
            3,
            "Role",
            "no role called 'Head of Maths' (roles: none yet; add it with a roles file)",
        ),
        RowError(3, "Staff", f"no member of staff called 'Zed' in {SCHOOL}"),
        RowError(
            3,
            "Status",
            "unknown action status 'maybe' (use planned, in progress, done or dropped)",
        ),
        RowError(5, "Action", "ann lee: 'shadow the senco' appears twice: also on line 4"),
        RowError(6, "By", "is too long (at most 200 characters)"),
    ]


# --- module leaders --------------------------------------------------------------------------


def test_leaders_add_to_the_list_and_twice_changes_nothing(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "leaders.csv",
        csv_text(["Leader", "Module Code"], [["Ann Lee", "asd-1"], ["cara singh", "ASD-1"]]),
    )
    assert counts(run(base, "leaders", path)) == (2, 0, 0)
    assert rows(base, LEADERS) == [("Ann Lee", "ASD-1"), ("Cara Singh", "ASD-1")]
    more = write_file(
        "more.csv", csv_text(["Staff", "Module"], [["Bob Ray", "LEAD-CPD"], ["Ann Lee", "ASD-1"]])
    )
    assert counts(run(base, "leaders", more)) == (1, 0, 1)
    assert rows(base, LEADERS) == [
        ("Ann Lee", "ASD-1"),
        ("Cara Singh", "ASD-1"),
        ("Bob Ray", "LEAD-CPD"),
    ]


def test_bad_leaders_are_refused_with_line_column_and_reason(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file(
        "leaders.csv",
        csv_text(
            ["Staff", "Module"],
            [
                ["Zed", "ASD-1"],
                ["Ann Lee", "XYZ"],
                ["Ann Lee", "asd-1"],
                ["ann lee", "ASD-1"],
                ["Bob Ray", ""],
            ],
        ),
    )
    assert refused(base, "leaders", path) == [
        RowError(2, "Staff", f"no member of staff called 'Zed' in {SCHOOL}"),
        RowError(3, "Module", "no module with code 'XYZ' in the catalogue"),
        RowError(5, "Module", "ann lee leading ASD-1 appears twice: also on line 4"),
        RowError(6, "Module", "is blank"),
    ]
    missing = write_file("missing.csv", csv_text(["Staff"], [["Ann Lee"]]))
    assert refused(base, "leaders", missing) == [
        RowError(0, "Module", "the column is missing (use 'Module', 'Module Code', 'Code')")
    ]


def test_staff_of_another_school_are_not_found(base: Database, write_file: WriteFile) -> None:
    other = save_school(base, School(name="Riverside Academy"))
    assert other.id is not None
    save_staff(base, StaffMember(school_id=other.id, name="Eve Far", role=Role.TEACHER))
    path = write_file("leaders.csv", csv_text(["Staff", "Module"], [["Eve Far", "ASD-1"]]))
    assert refused(base, "leaders", path) == [
        RowError(2, "Staff", f"no member of staff called 'Eve Far' in {SCHOOL}")
    ]


# --- which school --school means -------------------------------------------------------------


def test_a_part_of_a_name_only_one_school_has_imports_into_that_school(
    base: Database, write_file: WriteFile
) -> None:
    path = write_file("leaders.csv", csv_text(["Staff", "Module"], [["Ann Lee", "ASD-1"]]))
    report = run(base, "leaders", path, school="oakfield")
    assert report.school == SCHOOL
    assert report.school_created is False
    assert [school.name for school in list_schools(base)] == [SCHOOL]
    assert rows(base, LEADERS) == [("Ann Lee", "ASD-1")]


def test_a_part_several_schools_share_is_refused_naming_them(
    base: Database, write_file: WriteFile
) -> None:
    save_school(base, School(name="Oakfield Academy"))
    path = write_file("leaders.csv", csv_text(["Staff", "Module"], [["Ann Lee", "ASD-1"]]))
    assert refused(base, "leaders", path, school="Oakfield") == [
        RowError(
            0,
            "",
            "'Oakfield' matches several schools: give more of the name "
            "('Oakfield Academy' or 'Oakfield Primary School')",
        )
    ]
    # The whole name (or the URN) still picks one.
    assert run(base, "leaders", path, school="123456").school == SCHOOL


def test_a_name_no_school_matches_creates_a_school(base: Database, write_file: WriteFile) -> None:
    path = write_file("staff.csv", csv_text(["Name", "Role"], [["Fay New", "Teacher"]]))
    report = run(base, "staff", path, school="Brook Academy")
    assert report.school_created is True
    assert [school.name for school in list_schools(base)] == ["Brook Academy", SCHOOL]


# --- properties ------------------------------------------------------------------------------

READINESS_SPELLINGS = {
    Readiness.READY_NOW: ["ready now", "Ready Now", "READY-NOW", "now", "ready"],
    Readiness.ONE_TO_TWO_YEARS: ["1-2 years", "1–2 years", "1 to 2 years", "1-2 yrs", "12"],
    Readiness.THREE_PLUS_YEARS: ["3+ years", "3+", "3 years", "3 or more years", "3+ Yrs"],
}
STATUS_SPELLINGS = {
    ActionStatus.PLANNED: ["planned", "Planned", "not started", "to do"],
    ActionStatus.IN_PROGRESS: ["in progress", "In-Progress", "started", "ongoing"],
    ActionStatus.DONE: ["done", "Completed", "complete", "finished"],
    ActionStatus.DROPPED: ["dropped", "cancelled", "Canceled", "abandoned"],
}
PEOPLE = ("Ann Lee", "Bob Ray", "Dee Okafor")


def spelled(choices: dict[Any, list[str]]) -> st.SearchStrategy[tuple[Any, str]]:
    return st.sampled_from(list(choices)).flatmap(
        lambda value: st.tuples(st.just(value), st.sampled_from(choices[value]))
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    readiness=st.lists(spelled(READINESS_SPELLINGS), min_size=1, max_size=3),
    statuses=st.lists(spelled(STATUS_SPELLINGS), min_size=1, max_size=3),
    role=st.sampled_from(["SENCO", "senco", "SENDCo", "Deputy SENCO", "deputy sendco"]),
)
def test_every_spelling_reads_as_its_value_and_a_second_import_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    readiness: list[tuple[Readiness, str]],
    statuses: list[tuple[ActionStatus, str]],
    role: str,
) -> None:
    folder = tmp_path_factory.mktemp("succession")
    db = open_database(":memory:")
    try:
        school = save_school(db, School(name=SCHOOL))
        assert school.id is not None
        for name in PEOPLE:
            save_staff(db, StaffMember(school_id=school.id, name=name, role=Role.TEACHER))
        candidates = folder / "candidates.csv"
        candidates.write_text(
            csv_text(
                CANDIDATE_HEADINGS,
                [[role, PEOPLE[n], text, ""] for n, (_, text) in enumerate(readiness)],
            ),
            encoding="utf-8",
        )
        actions = folder / "actions.csv"
        actions.write_text(
            csv_text(
                ["Staff", "Action", "Status", "Role"],
                [[PEOPLE[n], "Shadowing", text, role] for n, (_, text) in enumerate(statuses)],
            ),
            encoding="utf-8",
        )
        assert counts(run(db, "candidates", candidates)) == (len(readiness), 0, 0)
        assert counts(run(db, "actions", actions)) == (len(statuses), 0, 0)
        assert [
            r for (r,) in rows(db, "SELECT readiness FROM succession_candidates ORDER BY id")
        ] == [value.value for value, _ in readiness]
        assert [s for (s,) in rows(db, "SELECT status FROM development_actions ORDER BY id")] == [
            value.value for value, _ in statuses
        ]
        # One role, added once, shared by the candidates and the actions.
        assert rows(db, "SELECT COUNT(*) FROM succession_roles") == [(1,)]
        before = snapshot(db)
        assert counts(run(db, "candidates", candidates)) == (0, 0, len(readiness))
        assert counts(run(db, "actions", actions)) == (0, 0, len(statuses))
        assert snapshot(db) == before
    finally:
        db.close()


def test_the_sample_trust_imports_its_succession_files() -> None:
    from sencoplan.io.sample import load_sample

    db = open_database(":memory:")
    try:
        load_sample(db, today=TODAY)
        titles = rows(
            db,
            "SELECT s.name, r.title FROM succession_roles r JOIN schools s ON s.id = r.school_id "
            "ORDER BY s.name, r.id",
        )
        assert ("Oakfield Primary School", "Deputy SENCO") in titles
        assert ("Riverside Academy", "Lead practitioner: SLCN") in titles
        assert rows(db, "SELECT code FROM modules WHERE trains_leaders") == [("LEAD-CPD",)]
        for table in SUCCESSION_TABLES:
            assert rows(db, f"SELECT COUNT(*) FROM {table}")[0][0] > 0, table
    finally:
        db.close()
