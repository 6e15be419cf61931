"""Census codes, tiers, need types, year groups and roles (domain/codes.py, staff_codes.py)."""

from __future__ import annotations

import pytest

from sencoplan.domain.codes import (
    BroadArea,
    NeedType,
    Provision,
    Tier,
    parse_area,
    parse_bool,
    parse_need,
    parse_needs,
    parse_tier,
    tier_for_provision,
)
from sencoplan.domain.staff_codes import (
    ModuleLevel,
    Role,
    SupportKind,
    parse_level,
    parse_phase,
    parse_role,
    parse_setting,
    parse_support_kind,
)
from sencoplan.domain.staff_codes import Phase as SchoolPhase
from sencoplan.domain.staff_codes import Setting as SchoolSetting
from sencoplan.domain.succession_codes import QualificationKind as QKind
from sencoplan.domain.succession_codes import QualificationStatus as QStatus
from sencoplan.domain.succession_codes import parse_qualification_kind, parse_qualification_status
from sencoplan.domain.years import YEAR_GROUPS, parse_year_group, year_order

# --- provision codes and tiers ---------------------------------------------------------


def test_provision_codes_are_the_census_letters() -> None:
    assert [code.value for code in Provision] == ["N", "K", "E"]


def test_tiers_in_order_of_support() -> None:
    assert [tier.value for tier in Tier] == [
        "universal",
        "targeted",
        "targeted_plus",
        "specialist",
    ]
    assert [tier.rank for tier in Tier] == [0, 1, 2, 3]
    assert [tier.label for tier in Tier] == [
        "Universal",
        "Targeted",
        "Targeted plus",
        "Specialist",
    ]


@pytest.mark.parametrize(
    ("tier", "provision", "has_sen"),
    [
        (Tier.UNIVERSAL, Provision.NONE, False),
        (Tier.TARGETED, Provision.SEN_SUPPORT, True),
        (Tier.TARGETED_PLUS, Provision.SEN_SUPPORT, True),
        (Tier.SPECIALIST, Provision.EHCP, True),
    ],
)
def test_tier_to_census_code(tier: Tier, provision: Provision, has_sen: bool) -> None:
    assert tier.provision is provision
    assert tier.has_sen is has_sen


@pytest.mark.parametrize(
    ("provision", "tier"),
    [
        (Provision.NONE, Tier.UNIVERSAL),
        (Provision.SEN_SUPPORT, Tier.TARGETED),
        (Provision.EHCP, Tier.SPECIALIST),
    ],
)
def test_census_code_to_tier(provision: Provision, tier: Tier) -> None:
    assert tier_for_provision(provision) is tier


def test_census_code_round_trips_through_its_tier() -> None:
    for code in Provision:
        assert tier_for_provision(code).provision is code


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("N", Tier.UNIVERSAL),
        ("n", Tier.UNIVERSAL),
        ("No SEN", Tier.UNIVERSAL),
        ("", Tier.UNIVERSAL),
        ("   ", Tier.UNIVERSAL),
        ("K", Tier.TARGETED),
        ("SEN Support", Tier.TARGETED),
        ("sen support", Tier.TARGETED),
        ("E", Tier.SPECIALIST),
        ("EHCP", Tier.SPECIALIST),
        ("EHC Plan", Tier.SPECIALIST),
        ("Education, Health and Care Plan", Tier.SPECIALIST),
        ("Education Health Care Plan", Tier.SPECIALIST),
        ("Statement", Tier.SPECIALIST),
        ("universal", Tier.UNIVERSAL),
        ("Targeted", Tier.TARGETED),
        ("Targeted plus", Tier.TARGETED_PLUS),
        ("targeted_plus", Tier.TARGETED_PLUS),
        ("Targeted+", Tier.TARGETED_PLUS),
        ("SPECIALIST", Tier.SPECIALIST),
    ],
)
def test_parse_tier(text: str, tier: Tier) -> None:
    assert parse_tier(text) is tier


def test_parse_tier_accepts_every_tier_label_and_value() -> None:
    for tier in Tier:
        assert parse_tier(tier.value) is tier
        assert parse_tier(tier.label) is tier
        assert parse_tier(tier.provision.value) is (
            Tier.TARGETED if tier is Tier.TARGETED_PLUS else tier
        )


@pytest.mark.parametrize("text", ["X", "S", "SEN", "Plan", "maybe", " Q "])
def test_parse_tier_unknown(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_tier(text)
    assert str(raised.value) == (
        f"unknown SEN status {text.strip()!r} (use N, K, E, SEN Support, EHC Plan "
        "or a tier: universal, targeted, targeted plus, specialist)"
    )


# --- need types and broad areas --------------------------------------------------------

AREAS = {
    BroadArea.COMMUNICATION: ("SLCN", "ASD"),
    BroadArea.COGNITION: ("SPLD", "MLD", "SLD", "PMLD"),
    BroadArea.SEMH: ("SEMH",),
    BroadArea.SENSORY_PHYSICAL: ("HI", "VI", "MSI", "PD"),
    BroadArea.OTHER: ("OTH", "NSA"),
}


def test_thirteen_need_types() -> None:
    assert [need.value for need in NeedType] == [
        "SLCN",
        "ASD",
        "SPLD",
        "MLD",
        "SLD",
        "PMLD",
        "SEMH",
        "HI",
        "VI",
        "MSI",
        "PD",
        "OTH",
        "NSA",
    ]


@pytest.mark.parametrize(("area", "codes"), list(AREAS.items()))
def test_broad_area_of_each_need(area: BroadArea, codes: tuple[str, ...]) -> None:
    assert tuple(need.value for need in area.needs) == codes
    for code in codes:
        assert NeedType(code).area is area


def test_every_need_in_exactly_one_area() -> None:
    every = [need for area in BroadArea for need in area.needs]
    assert sorted(every) == sorted(NeedType)
    assert len(every) == 13


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("ASD", NeedType.ASD),
        ("asd", NeedType.ASD),
        (" SpLD ", NeedType.SPLD),
        ("Autistic spectrum disorder", NeedType.ASD),
        ("Autism", NeedType.ASD),
        ("ASC", NeedType.ASD),
        ("Speech, language and communication needs", NeedType.SLCN),
        ("Social, emotional and mental health", NeedType.SEMH),
        ("Specific learning difficulty", NeedType.SPLD),
        ("Dyslexia", NeedType.SPLD),
        ("Moderate learning difficulty", NeedType.MLD),
        ("Severe learning difficulty", NeedType.SLD),
        ("Profound and multiple learning difficulty", NeedType.PMLD),
        ("Hearing impairment", NeedType.HI),
        ("Visual impairment", NeedType.VI),
        ("Multi-sensory impairment", NeedType.MSI),
        ("Physical disability", NeedType.PD),
        ("Other difficulty/disability", NeedType.OTH),
        ("SEN support but no specialist assessment of type of need", NeedType.NSA),
    ],
)
def test_parse_need(text: str, need: NeedType) -> None:
    assert parse_need(text) is need


def test_parse_need_every_code_and_label() -> None:
    for need in NeedType:
        assert parse_need(need.value) is need
        assert parse_need(need.label) is need
        assert parse_need(need.value.lower()) is need


def test_parse_need_unknown() -> None:
    with pytest.raises(ValueError) as raised:
        parse_need(" ADHD ")
    assert str(raised.value) == (
        "unknown need type 'ADHD' "
        "(use one of SLCN, ASD, SPLD, MLD, SLD, PMLD, SEMH, HI, VI, MSI, PD, OTH, NSA)"
    )


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("ASD", ("ASD",)),
        ("ASD; SLCN", ("ASD", "SLCN")),
        ("ASD, SLCN | asd / semh", ("ASD", "SLCN", "SEMH")),
        ("SLCN;;", ("SLCN",)),
        ("", ()),
        ("Cognition and learning", ("SPLD", "MLD", "SLD", "PMLD")),
        ("cognition_learning", ("SPLD", "MLD", "SLD", "PMLD")),
        ("Communication and interaction; SEMH", ("SLCN", "ASD", "SEMH")),
        ("ASD; Communication and interaction", ("ASD", "SLCN")),
        ("Sensory and physical", ("HI", "VI", "MSI", "PD")),
        ("all", tuple(need.value for need in NeedType)),
        ("All needs", tuple(need.value for need in NeedType)),
        ("SEMH; all", ("SEMH", *(n.value for n in NeedType if n is not NeedType.SEMH))),
    ],
)
def test_parse_needs(text: str, codes: tuple[str, ...]) -> None:
    assert tuple(need.value for need in parse_needs(text)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # Names that contain a separator themselves are still one name.
        ("Social, emotional and mental health", ("SEMH",)),
        ("Speech, language and communication needs; ASD", ("SLCN", "ASD")),
        ("Sensory and/or physical", ("HI", "VI", "MSI", "PD")),
        ("Other difficulty/disability, VI", ("OTH", "VI")),
    ],
)
def test_parse_needs_names_with_commas_and_slashes(text: str, codes: tuple[str, ...]) -> None:
    assert tuple(need.value for need in parse_needs(text)) == codes


def test_parse_needs_every_area_label_is_its_needs() -> None:
    for area in BroadArea:
        if area is BroadArea.SEMH or area is BroadArea.OTHER:
            continue  # "SEMH" and "Other" are also need names: the need wins (below)
        assert parse_needs(area.label) == area.needs
        assert parse_area(area.label) is area
        assert parse_area(area.value) is area


def test_parse_needs_need_name_wins_over_area_name() -> None:
    assert parse_needs("SEMH") == (NeedType.SEMH,)
    assert parse_needs("Other") == (NeedType.OTH,)


def test_parse_needs_unknown_names_the_bad_part() -> None:
    with pytest.raises(ValueError) as raised:
        parse_needs("ASD; bogus")
    assert str(raised.value) == (
        "unknown need type or broad area 'bogus' "
        "(use census codes such as ASD; SLCN, or a broad area)"
    )


def test_parse_area_unknown() -> None:
    with pytest.raises(ValueError, match=r"^unknown broad area 'maths'$"):
        parse_area("maths")


# --- year groups -----------------------------------------------------------------------


def test_year_groups() -> None:
    assert YEAR_GROUPS == (
        "N1",
        "N2",
        "R",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13",
        "14",
    )
    assert sorted(reversed(YEAR_GROUPS), key=year_order) == list(YEAR_GROUPS)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("N1", "N1"),
        ("n1", "N1"),
        ("Nursery 1", "N1"),
        ("N2", "N2"),
        ("Nursery", "N2"),
        ("R", "R"),
        ("Reception", "R"),
        ("rec", "R"),
        ("YR", "R"),
        ("1", "1"),
        ("7", "7"),
        ("07", "7"),
        ("Year 7", "7"),
        ("year7", "7"),
        ("Y7", "7"),
        ("Yr 10", "10"),
        ("NC Year 3", "3"),
        ("14", "14"),
        (" 12 ", "12"),
    ],
)
def test_parse_year_group(text: str, year: str) -> None:
    assert parse_year_group(text) == year


def test_every_year_group_parses_as_itself() -> None:
    for year in YEAR_GROUPS:
        assert parse_year_group(year) == year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "year group '0' is out of range (N1, N2, R, 1–14)"),
        ("15", "year group '15' is out of range (N1, N2, R, 1–14)"),
        ("Year 20", "year group 'Year 20' is out of range (N1, N2, R, 1–14)"),
        ("Y0", "year group 'Y0' is out of range (N1, N2, R, 1–14)"),
        ("", "year group is missing"),
        ("Year Seven", "unknown year group 'Year Seven' (use N1, N2, R or 1–14)"),
        ("100", "unknown year group '100' (use N1, N2, R or 1–14)"),
        ("N3", "unknown year group 'N3' (use N1, N2, R or 1–14)"),
        # Marks other than spaces are not stripped: -1 was read as Year 1, Y-7 as Year 7.
        ("-1", "unknown year group '-1' (use N1, N2, R or 1–14)"),
        ("Y-7", "unknown year group 'Y-7' (use N1, N2, R or 1–14)"),
        ("7.", "unknown year group '7.' (use N1, N2, R or 1–14)"),
    ],
)
def test_parse_year_group_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_year_group(text)
    assert str(raised.value) == message


# --- roles and the other small vocabularies --------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Teacher", Role.TEACHER),
        ("Class Teacher", Role.TEACHER),
        ("ECT", Role.ECT),
        ("Early Career Teacher", Role.ECT),
        ("NQT", Role.ECT),
        ("Trainee", Role.TRAINEE),
        ("Trainee teacher", Role.TRAINEE),
        ("TA", Role.TA),
        ("Teaching Assistant", Role.TA),
        ("HLTA", Role.HLTA),
        ("Higher Level Teaching Assistant", Role.HLTA),
        ("LSA", Role.LSA),
        ("Learning Support Assistant", Role.LSA),
        ("SENCO", Role.SENCO),
        ("SENDCo", Role.SENCO),
        ("Deputy SENCO", Role.DEPUTY_SENCO),
        ("deputy_senco", Role.DEPUTY_SENCO),
        ("Deputy SENDCo", Role.DEPUTY_SENCO),
        ("Assistant SENCO", Role.ASSISTANT_SENCO),
        ("Assistant SENDCo", Role.ASSISTANT_SENCO),
        ("SLT", Role.SLT),
        ("Headteacher", Role.SLT),
        ("Head Teacher", Role.SLT),
        ("Deputy Head", Role.SLT),
        ("Assistant Head", Role.SLT),
        ("Senior Leadership Team", Role.SLT),
        ("Pastoral/SEMH lead", Role.PASTORAL_LEAD),
        ("SEMH Lead", Role.PASTORAL_LEAD),
        ("Pastoral", Role.PASTORAL_LEAD),
        ("Lead practitioner", Role.LEAD_PRACTITIONER),
        ("Specialist Lead Practitioner", Role.LEAD_PRACTITIONER),
        ("Other", Role.OTHER),
    ],
)
def test_parse_role(text: str, role: Role) -> None:
    assert parse_role(text) is role


def test_parse_role_every_value_and_label() -> None:
    for role in Role:
        assert parse_role(role.value) is role
        assert parse_role(role.label) is role


def test_parse_role_unknown() -> None:
    with pytest.raises(ValueError) as raised:
        parse_role("Caretaker")
    assert str(raised.value) == (
        "unknown role 'Caretaker' (use one of Teacher, ECT, Trainee teacher, TA, HLTA, LSA, "
        "SENCO, Deputy SENCO, Assistant SENCO, SLT, Pastoral/SEMH lead, Lead practitioner, "
        "Other)"
    )


def test_teaching_roles() -> None:
    assert {role for role in Role if role.teaches} == {
        Role.TEACHER,
        Role.ECT,
        Role.TRAINEE,
        Role.SENCO,
        Role.SLT,
    }
    assert {role for role in Role if not role.supports_pupils} == {Role.OTHER}


def test_parse_level() -> None:
    assert parse_level("Specialist") is ModuleLevel.SPECIALIST
    assert parse_level("awareness") is ModuleLevel.UNIVERSAL
    assert parse_level("Enhanced") is ModuleLevel.TARGETED
    with pytest.raises(ValueError) as raised:
        parse_level("expert")
    assert str(raised.value) == "unknown level 'expert' (use universal, targeted or specialist)"


def test_parse_phase_and_setting() -> None:
    assert parse_phase("All-through") is SchoolPhase.ALL_THROUGH
    assert parse_phase("all_through") is SchoolPhase.ALL_THROUGH
    assert parse_phase("PRU") is SchoolPhase.AP
    assert parse_phase("Alternative provision") is SchoolPhase.AP
    assert parse_phase("Secondary") is SchoolPhase.SECONDARY
    with pytest.raises(ValueError, match=r"^unknown phase 'middle'"):
        parse_phase("middle")
    assert parse_setting("") is SchoolSetting.MAINSTREAM
    assert parse_setting("Special") is SchoolSetting.SPECIALIST
    with pytest.raises(ValueError, match=r"^unknown setting 'hospital'"):
        parse_setting("hospital")


def test_parse_support_kind() -> None:
    assert parse_support_kind("") is SupportKind.CLASS_TEACHER
    assert parse_support_kind("Key worker") is SupportKind.KEY_ADULT
    assert parse_support_kind("1:1") is SupportKind.ONE_TO_ONE
    assert parse_support_kind("1-to-1") is SupportKind.ONE_TO_ONE
    assert parse_support_kind("One to one") is SupportKind.ONE_TO_ONE
    with pytest.raises(ValueError, match=r"^unknown kind of support 'mentor'"):
        parse_support_kind("mentor")


def test_parse_qualifications_and_bool() -> None:
    assert parse_qualification_kind("NPQ for SENCOs") is QKind.NPQ_SENCO
    assert parse_qualification_kind("NPQSENCO") is QKind.NPQ_SENCO
    assert parse_qualification_kind("NASENCO") is QKind.NASENCO
    assert parse_qualification_status("In progress") is QStatus.STUDYING
    assert parse_qualification_status("Awarded") is QStatus.HELD
    with pytest.raises(ValueError, match=r"^unknown qualification 'PhD'"):
        parse_qualification_kind("PhD")
    assert [parse_bool(text) for text in ("Yes", "y", "TRUE", "1", "", "No", "0")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError) as raised:
        parse_bool("sometimes")
    assert str(raised.value) == "expected yes or no, got 'sometimes'"


def test_roles_counted_as_a_sentence_says_them() -> None:
    assert Role.TEACHER.counted(1) == "1 teacher"
    assert Role.TEACHER.counted(18) == "18 teachers"
    assert Role.TA.counted(7) == "7 TAs"
    assert Role.DEPUTY_SENCO.counted(2) == "2 deputy SENCOs"
    assert Role.SLT.counted(3) == "3 members of SLT"
