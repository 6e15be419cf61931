"""Names sort as people read them: case and accents ignored, in the register and staff list."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from sencoplan.domain.models import Pupil, School, StaffMember
from sencoplan.domain.names import name_sort_key
from sencoplan.domain.staff_codes import Role
from sencoplan.store.pupils import list_pupils, save_pupil
from sencoplan.store.staff import list_staff, save_staff

NAMES = ["Zuzanna Nowak", "Łukasz Wiśniewski", "Amira Khan", "amy Cole", "Amélie Dubois",
         "Oscar Berg", "Ólafur Jónsson", "Øystein Dahl", "Émile Roux", "Eve Adams"]  # fmt: skip
EXPECTED = [
    "Amélie Dubois",
    "Amira Khan",
    "amy Cole",
    "Émile Roux",
    "Eve Adams",
    "Łukasz Wiśniewski",
    "Ólafur Jónsson",
    "Oscar Berg",
    "Øystein Dahl",
    "Zuzanna Nowak",
]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Amélie", "amelie"),
        ("Łukasz", "lukasz"),
        ("łukasz", "lukasz"),
        ("Øystein", "oystein"),
        ("Đorđe", "dorde"),
        ("Ægir", "aegir"),
        ("STRAßE", "strasse"),
        ("Siobhán", "siobhan"),
        ("Zoë", "zoe"),
        ("ﬁona", "fiona"),  # a ligature, as some PDFs paste it
        ("", ""),
    ],
)
def test_name_sort_key(name: str, key: str) -> None:
    assert name_sort_key(name) == key


def test_the_register_is_alphabetical_ignoring_case_and_accents(
    db: Database, school: School
) -> None:
    assert school.id is not None
    for name in NAMES:
        save_pupil(db, Pupil(school_id=school.id, display_name=name, year_group="5"))
    save_pupil(db, Pupil(school_id=school.id, year_group="5"))  # no name: first, as before
    assert [pupil.display_name for pupil in list_pupils(db, school.id)] == [None, *EXPECTED]


def test_the_same_name_twice_keeps_the_order_it_was_added_in(db: Database, school: School) -> None:
    assert school.id is not None
    first = save_pupil(db, Pupil(school_id=school.id, display_name="Sam Lee", year_group="5"))
    second = save_pupil(db, Pupil(school_id=school.id, display_name="Sam Lee", year_group="6"))
    save_pupil(db, Pupil(school_id=school.id, display_name="sam lee", year_group="4"))
    listed = list_pupils(db, school.id)
    assert [(pupil.display_name, pupil.id) for pupil in listed[:2]] == [
        ("Sam Lee", first.id),
        ("Sam Lee", second.id),
    ]
    assert listed[2].display_name == "sam lee"


def test_the_staff_list_is_alphabetical_ignoring_case_and_accents(
    db: Database, school: School
) -> None:
    assert school.id is not None
    for name in NAMES:
        save_staff(db, StaffMember(school_id=school.id, name=name, role=Role.TEACHER))
    assert [member.name for member in list_staff(db, school.id)] == EXPECTED


def test_names_to_ids_name_every_unknown_one_with_the_nearest() -> None:
    from sencoplan.domain.names import ids_from_names

    staff = {1: "Amar Garmere", 2: "Jana Holwell", 3: "Zoë Ó Briain"}
    assert ids_from_names(staff, "zoe o briain; Amar Garmere;") == (3, 1)
    with pytest.raises(ValueError) as raised:
        ids_from_names(staff, "Amar Garmer; Jana Holwel; Nobody")
    assert str(raised.value) == (
        "no member of staff called any of 'Amar Garmer' (did you mean Amar Garmere?); "
        "'Jana Holwel' (did you mean Jana Holwell?); 'Nobody'"
    )


def test_a_name_two_people_share_is_offered_once() -> None:
    from sencoplan.domain.names import nearest

    assert nearest("Ezra Wart", ["Ezra Ward", "Ezra Ward", "Ezra Fox"]) == (
        " (did you mean Ezra Ward?)"
    )
    assert nearest("Zed", ["Ezra Ward"]) == ""
