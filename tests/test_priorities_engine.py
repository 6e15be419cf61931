"""The priorities engine (sencoplan.domain.priorities): the formula by hand, and its promises.

Pure domain: needs, staff and modules are built directly, no database. The worked numbers
follow the module docstring: weight 1/2/3 by tier (half for a secondary need), cover per
adult = training credit x confidence factor, a pupil's cover the mean over their adults,
gap = sum of weight x (1 - cover), score = gap x (1 + development plan weight).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from sencoplan.domain.codes import BroadArea, NeedType, Tier
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import (
    NeedGroup,
    Priority,
    PriorityResult,
    StaffFacts,
    best_levels,
    compute_priorities,
)
from sencoplan.domain.scoring import confidence_factor, pupil_weight, training_credit
from sencoplan.domain.staff_codes import ModuleLevel, Role
from sencoplan.domain.training import expiry_date
from tests.priority_strategies import LEVELS, NEEDS, SCHOOLS, SEN_GROUP, School

TODAY = dt.date(2026, 11, 23)
ASD, SLCN, SEMH, MLD = NeedType.ASD, NeedType.SLCN, NeedType.SEMH, NeedType.MLD
TARGETED, TARGETED_PLUS, SPECIALIST = Tier.TARGETED, Tier.TARGETED_PLUS, Tier.SPECIALIST
UNIVERSAL_LEVEL = ModuleLevel.UNIVERSAL
TARGETED_LEVEL = ModuleLevel.TARGETED
SPECIALIST_LEVEL = ModuleLevel.SPECIALIST


def module(
    code: str,
    needs: Sequence[NeedType],
    level: ModuleLevel,
    *,
    audience: Sequence[Role] = (),
    refresh_months: int | None = None,
    id: int | None = None,
) -> Module:
    return Module(
        id=id,
        code=code,
        title=f"{code} course",
        needs=tuple(needs),
        level=level,
        audience=tuple(audience),
        refresh_months=refresh_months,
    )


def by_need(result: PriorityResult) -> dict[NeedType, Priority]:
    return {line.need: line for line in result.priorities}


# --- the small functions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "primary", "weight"),
    [
        (Tier.UNIVERSAL, True, 0.0),
        (TARGETED, True, 1.0),
        (TARGETED_PLUS, True, 2.0),
        (SPECIALIST, True, 3.0),
        (TARGETED, False, 0.5),
        (TARGETED_PLUS, False, 1.0),
        (SPECIALIST, False, 1.5),
    ],
)
def test_pupil_weight_by_tier_halved_for_a_secondary_need(
    tier: Tier, primary: bool, weight: float
) -> None:
    assert pupil_weight(tier, primary) == weight


@pytest.mark.parametrize(
    ("rating", "factor"),
    [(1, 0.5), (2, 0.625), (3, 0.75), (4, 0.875), (5, 1.0), (None, 0.75), (0, 0.5), (9, 1.0)],
)
def test_confidence_factor(rating: int | None, factor: float) -> None:
    assert confidence_factor(rating) == factor


@pytest.mark.parametrize(
    ("held", "required", "credit"),
    [
        (TARGETED_LEVEL, TARGETED_LEVEL, 1.0),
        (SPECIALIST_LEVEL, TARGETED_LEVEL, 1.0),
        (SPECIALIST_LEVEL, SPECIALIST_LEVEL, 1.0),
        (UNIVERSAL_LEVEL, UNIVERSAL_LEVEL, 1.0),
        (UNIVERSAL_LEVEL, TARGETED_LEVEL, 0.5),
        (TARGETED_LEVEL, SPECIALIST_LEVEL, 0.5),
        (UNIVERSAL_LEVEL, SPECIALIST_LEVEL, 0.5),
        (None, UNIVERSAL_LEVEL, 0.0),
        (None, SPECIALIST_LEVEL, 0.0),
    ],
)
def test_training_credit(held: ModuleLevel | None, required: ModuleLevel, credit: float) -> None:
    assert training_credit(held, required) == credit


def test_staff_cover_is_credit_times_confidence() -> None:
    member = StaffFacts(
        1, 1, "Ash", Role.TEACHER, levels={ASD: TARGETED_LEVEL}, confidence={ASD: 4}
    )
    assert member.cover(ASD, UNIVERSAL_LEVEL) == 0.875
    assert member.cover(ASD, TARGETED_LEVEL) == 0.875
    assert member.cover(ASD, SPECIALIST_LEVEL) == 0.4375  # lower level: half credit
    assert member.cover(SLCN, UNIVERSAL_LEVEL) == 0.0
    assert member.trained_for(ASD, TARGETED_LEVEL)
    assert not member.trained_for(ASD, SPECIALIST_LEVEL)
    assert not member.trained_for(SLCN, UNIVERSAL_LEVEL)


# --- best_levels: the highest valid level per need ----------------------------------------

CATALOGUE = {
    1: module("ASD-U", [ASD], UNIVERSAL_LEVEL),
    2: module("ASD-T", [ASD], TARGETED_LEVEL),
    3: module("ASD-S", [ASD], SPECIALIST_LEVEL),
    4: module("EPI-12", [PMLD := NeedType.PMLD], TARGETED_LEVEL, refresh_months=12),
    5: module("COMM-S", [ASD, SLCN], SPECIALIST_LEVEL),
    6: module("MED-3", [NeedType.PD], SPECIALIST_LEVEL, refresh_months=3),
    7: module("SEMH-S-12", [SEMH], SPECIALIST_LEVEL, refresh_months=12),
}


def test_best_levels_keeps_the_highest_level_per_need() -> None:
    records = [
        (1, 1, dt.date(2019, 9, 2)),
        (1, 2, dt.date(2022, 9, 2)),
        (1, 1, dt.date(2025, 1, 6)),  # a later, lower course does not lower the level
        (2, 2, dt.date(2024, 1, 8)),
        (2, 3, dt.date(2025, 1, 8)),
    ]
    assert best_levels(records, CATALOGUE, TODAY) == {
        1: {ASD: TARGETED_LEVEL},
        2: {ASD: SPECIALIST_LEVEL},
    }


def test_a_module_covering_several_needs_grants_each() -> None:
    records = [(1, 5, dt.date(2023, 3, 1)), (1, 1, dt.date(2020, 3, 1))]
    assert best_levels(records, CATALOGUE, TODAY) == {
        1: {ASD: SPECIALIST_LEVEL, SLCN: SPECIALIST_LEVEL}
    }


def test_expired_training_counts_as_none_valid_until_the_day_before_expiry() -> None:
    completed = dt.date(2025, 11, 23)
    assert expiry_date(completed, 12) == TODAY
    records = [(1, 4, completed)]
    assert best_levels(records, CATALOGUE, TODAY - dt.timedelta(days=1)) == {
        1: {PMLD: TARGETED_LEVEL}
    }
    assert best_levels(records, CATALOGUE, TODAY).get(1, {}) == {}
    assert best_levels(records, CATALOGUE, TODAY + dt.timedelta(days=1)).get(1, {}) == {}


def test_expiry_is_in_calendar_months() -> None:
    # 31 August + 3 months lapses on 30 November (not 1 December, not 29 November).
    records = [(1, 6, dt.date(2026, 8, 31))]
    assert best_levels(records, CATALOGUE, dt.date(2026, 11, 29)) == {
        1: {NeedType.PD: SPECIALIST_LEVEL}
    }
    assert best_levels(records, CATALOGUE, dt.date(2026, 11, 30)).get(1, {}) == {}


def test_an_expired_higher_level_falls_back_to_a_valid_lower_one() -> None:
    records = [(1, 2, dt.date(2020, 1, 1)), (1, 3, dt.date(2021, 1, 1))]
    refreshing = {**CATALOGUE, 3: module("ASD-S-12", [ASD], SPECIALIST_LEVEL, refresh_months=12)}
    assert best_levels(records, refreshing, TODAY) == {1: {ASD: TARGETED_LEVEL}}


def test_future_dated_and_unknown_records_count_as_none() -> None:
    records = [
        (1, 3, TODAY + dt.timedelta(days=1)),  # booked, not done
        (1, 99, dt.date(2020, 1, 1)),  # no such module
        (2, 2, TODAY),  # done today: counts today
    ]
    levels = best_levels(records, CATALOGUE, TODAY)
    assert levels.get(1, {}) == {}
    assert levels[2] == {ASD: TARGETED_LEVEL}


# --- a worked example by hand --------------------------------------------------------------
#
# School 1: Ash (teacher, ASD targeted, confidence 4; SEMH universal, confidence 2; SLCN
# universal, not rated), Bea (teacher, ASD specialist, confidence 5), Cal (TA, ASD universal,
# not rated; SEMH targeted, confidence 3), Dee (office, not working with pupils). School 2:
# Eve, trained in everything. Levels needed: the default table (domain/levels).
#
# ASD: 2 targeted pupils with Ash (class teacher: universal needed, held: 0.875) and Cal
#      (key adult: targeted needed, universal held: 0.5 x 0.75): cover (0.875 + 0.375) / 2
#      = 0.625, weight 2, gap 0.75. 1 specialist pupil with Ash and Bea (class teachers:
#      targeted needed; 0.875 and 1.0) and Cal one-to-one (specialist needed: 0.375): cover
#      2.25 / 3 = 0.75, weight 3, gap 0.75. Demand 5, gap 1.5, coverage 0.7. Ash and Bea
#      meet the level for all their ASD pupils, Cal holds training below it.
# SEMH: 2 targeted plus pupils, no adults recorded, so Ash and Bea as class teachers
#      (universal needed) and Cal as in-class support (targeted needed), not Dee, not Eve:
#      cover (0.625 + 0 + 0.75) / 3 = 1.375 / 3, weight 4, gap 4 - 5.5 / 3.
# SLCN: joining: 1 targeted pupil (primary) from 4 January with Ash as class teacher
#      (universal needed, held: 0.75), and 2 targeted pupils with SLCN as secondary need
#      from 1 December with Ash as key adult (targeted needed: 0.375): demand 1 + 2 x 0.5 = 2,
#      gap 0.25 + 0.625 = 0.875. Ash meets the level for some of them.

ASH = StaffFacts(
    1,
    1,
    "Ash",
    Role.TEACHER,
    levels={ASD: TARGETED_LEVEL, SEMH: UNIVERSAL_LEVEL, SLCN: UNIVERSAL_LEVEL},
    confidence={ASD: 4, SEMH: 2},
)
BEA = StaffFacts(2, 1, "Bea", Role.TEACHER, levels={ASD: SPECIALIST_LEVEL}, confidence={ASD: 5})
CAL = StaffFacts(
    3, 1, "Cal", Role.TA, levels={ASD: UNIVERSAL_LEVEL, SEMH: TARGETED_LEVEL}, confidence={SEMH: 3}
)
DEE = StaffFacts(4, 1, "Dee", Role.OTHER)
EVE = StaffFacts(
    5,
    2,
    "Eve",
    Role.TEACHER,
    levels=dict.fromkeys(NeedType, SPECIALIST_LEVEL),
    confidence=dict.fromkeys(NeedType, 5),
)
STAFF = [ASH, BEA, CAL, DEE, EVE]

GROUPS = [
    NeedGroup(1, ASD, TARGETED, adults=frozenset({1, 3}), key_adults=frozenset({3}), count=2),
    NeedGroup(1, ASD, SPECIALIST, adults=frozenset({1, 2, 3}), one_to_one=frozenset({3})),
    NeedGroup(1, SEMH, TARGETED_PLUS, count=2),
    NeedGroup(1, SLCN, TARGETED, incoming=True, starts=dt.date(2027, 1, 4), adults=frozenset({1})),
    NeedGroup(
        1,
        SLCN,
        TARGETED,
        primary=False,
        incoming=True,
        starts=dt.date(2026, 12, 1),
        adults=frozenset({1}),
        key_adults=frozenset({1}),
        count=2,
    ),
    NeedGroup(1, MLD, Tier.UNIVERSAL, count=4),  # no SEN: no line
    NeedGroup(1, NeedType.HI, TARGETED, count=0),  # nobody: no line
]

# The catalogue for staff gaps.
M_ASD_T = module("ASD-T", [ASD], TARGETED_LEVEL, id=1)
M_ASD_S_TA = module("ASD-S-TA", [ASD], SPECIALIST_LEVEL, audience=[Role.TA, Role.LSA], id=2)
M_COMM_S_T = module("COMM-S-T", [ASD, SLCN], SPECIALIST_LEVEL, audience=[Role.TEACHER], id=3)
M_SEMH_T = module("SEMH-T", [SEMH], TARGETED_LEVEL, id=4)
M_SLCN_U = module("SLCN-U", [SLCN], UNIVERSAL_LEVEL, id=5)
M_ASD_U = module("ASD-U", [ASD], UNIVERSAL_LEVEL, id=6)
MODULES = [M_ASD_T, M_ASD_S_TA, M_COMM_S_T, M_SEMH_T, M_SLCN_U, M_ASD_U]


def test_worked_example_numbers() -> None:
    result = compute_priorities(GROUPS, STAFF)
    lines = by_need(result)
    assert set(lines) == {ASD, SEMH, SLCN}

    asd = lines[ASD]
    assert asd.pupils == 3
    assert asd.pupils_by_tier == {TARGETED: 2, SPECIALIST: 1}
    assert asd.ehcp == 1
    assert asd.secondary == 0
    assert asd.incoming == 0
    assert asd.incoming_from is None
    assert asd.demand == 5.0
    assert asd.gap == pytest.approx(1.5)
    assert asd.coverage == pytest.approx(0.7)
    assert asd.score == pytest.approx(1.5)
    assert asd.weight == 0.0
    assert asd.staff_relevant == 3  # Ash, Bea, Cal
    assert asd.staff_meeting == {"all": 2, "some": 0, "below": 1, "none": 0}
    assert asd.staff_trained == 2  # Ash and Bea, class teachers: targeted is enough
    assert asd.staff_partly_trained == 1  # Cal: universal, for a key adult and one-to-one
    assert asd.one_to_one_untrained == 1  # Cal
    assert asd.confidence == 4.5  # Ash 4, Bea 5; Cal has not rated ASD
    assert asd.school_ids == [1]
    assert asd.area is BroadArea.COMMUNICATION

    semh = lines[SEMH]
    assert semh.pupils == 2
    assert semh.pupils_by_tier == {TARGETED_PLUS: 2}
    assert semh.ehcp == 0
    assert semh.demand == 4.0
    assert semh.gap == pytest.approx(4 - 5.5 / 3)
    assert semh.coverage == pytest.approx(5.5 / 12)
    assert semh.staff_relevant == 3  # everyone in school 1 who works with pupils
    assert semh.staff_meeting == {"all": 2, "some": 0, "below": 0, "none": 1}  # Bea: none
    assert semh.one_to_one_untrained == 0
    assert semh.confidence == 2.5

    slcn = lines[SLCN]
    assert slcn.pupils == 3
    assert slcn.pupils_by_tier == {TARGETED: 3}
    assert slcn.secondary == 2
    assert slcn.incoming == 3
    assert slcn.incoming_from == dt.date(2026, 12, 1)
    assert slcn.demand == 2.0
    assert slcn.gap == pytest.approx(0.875)
    assert slcn.coverage == pytest.approx(0.5625)
    assert slcn.staff_relevant == 1
    assert slcn.staff_meeting == {"all": 0, "some": 1, "below": 0, "none": 0}
    assert slcn.confidence is None

    assert [(line.need, line.rank) for line in result.priorities] == [
        (SEMH, 1),
        (ASD, 2),
        (SLCN, 3),
    ]


def test_worked_example_reasons() -> None:
    lines = by_need(compute_priorities(GROUPS, STAFF))
    assert lines[ASD].reason() == (
        "ASD: 3 pupils, 1 with an EHCP; 2 of 3 staff who work with them have the training "
        "their role needs, 1 holds it at a lower level; 1 one-to-one adult below the level "
        "needed; confidence good (4.5 of 5)"
    )
    assert lines[SEMH].reason() == (
        "SEMH: 2 pupils; 2 of 3 staff who work with them have the training their role needs, "
        "1 holds none; confidence low (2.5 of 5)"
    )
    assert lines[SLCN].reason() == (
        "SLCN: 3 pupils, 3 joining in December; 0 of 1 staff who work with them have the "
        "training their role needs, 1 for some of them"
    )


def test_reason_bands_small_counts() -> None:
    def band(n: int) -> str:
        return "fewer than 5" if n < 5 else str(n)

    lines = by_need(compute_priorities(GROUPS, STAFF))
    assert (
        lines[ASD]
        .reason(count=band)
        .startswith(
            "ASD: fewer than 5 pupils, fewer than 5 with EHCPs; 2 of 3 staff who work with them"
        )
    )
    assert (
        lines[SLCN]
        .reason(count=band)
        .startswith("SLCN: fewer than 5 pupils, fewer than 5 joining in December; 0 of 1 staff")
    )


def test_a_reason_says_when_everyone_has_the_training_their_role_needs() -> None:
    trained = [
        dataclasses.replace(m, levels=dict.fromkeys(NeedType, SPECIALIST_LEVEL)) for m in STAFF
    ]
    lines = by_need(compute_priorities(GROUPS, trained))
    assert "all 3 staff who work with them have the training their role needs" in (
        lines[ASD].reason()
    )
    alone = compute_priorities([NeedGroup(1, SLCN, TARGETED, adults=frozenset({1}))], trained)
    assert "the one adult who works with them has the training their role needs" in (
        alone.priorities[0].reason()
    )


def test_reason_for_one_pupil_and_several_one_to_one_tas() -> None:
    tas = [StaffFacts(i, 1, f"TA {i}", Role.TA) for i in (1, 2)]
    group = NeedGroup(1, PMLD, SPECIALIST, adults=frozenset({1, 2}), one_to_one=frozenset({1, 2}))
    (line,) = compute_priorities([group], tas).priorities
    assert line.reason() == (
        "PMLD: 1 pupil, 1 with an EHCP; 0 of 2 staff who work with them have the training "
        "their role needs, 2 hold none; 2 one-to-one adults below the level needed"
    )


def test_development_plan_weights_add_up_and_multiply_the_score() -> None:
    weights = {"ASD": 0.5, "communication_interaction": 0.25, "semh": -1.0}
    result = compute_priorities(GROUPS, STAFF, weights=weights)
    lines = by_need(result)
    assert lines[ASD].weight == 0.75
    assert lines[ASD].gap == pytest.approx(1.5)  # the gap itself is unchanged
    assert lines[ASD].score == pytest.approx(1.5 * 1.75)
    assert lines[SLCN].weight == 0.25  # the broad area alone
    assert lines[SLCN].score == pytest.approx(0.875 * 1.25)
    assert lines[SEMH].weight == 0.0  # a negative weight is ignored
    assert lines[SEMH].score == pytest.approx(4 - 5.5 / 3)
    assert [(line.need, line.rank) for line in result.priorities] == [
        (ASD, 1),
        (SEMH, 2),
        (SLCN, 3),
    ]
    # SLCN 0.875 x 2.5 = 2.1875 against SEMH 2.1666...: a big enough area weight lifts SLCN.
    lifted = compute_priorities(GROUPS, STAFF, weights={"communication_interaction": 1.5})
    assert [line.need for line in lifted.priorities] == [ASD, SLCN, SEMH]
    assert by_need(lifted)[SLCN].score == pytest.approx(2.1875)

    assert lines[ASD].reason().endswith("; development plan priority (+75%)")
    assert lines[SLCN].reason().endswith("; development plan priority (+25%)")
    assert "development plan" not in lines[SEMH].reason()


def test_areas_roll_needs_up() -> None:
    areas = compute_priorities(GROUPS, STAFF).areas()
    assert [row[0] for row in areas] == [BroadArea.COMMUNICATION, BroadArea.SEMH]
    _, demand, gap, score = areas[0]
    assert (demand, gap, score) == pytest.approx((7.0, 2.375, 2.375))


def test_a_need_many_pupils_have_and_few_staff_are_trained_for_ranks_first() -> None:
    """The headline: 20 ASD pupils, staff untrained, above 30 SLCN with trained staff."""
    staff = [
        StaffFacts(
            i,
            1,
            f"Staff {i:02}",
            Role.TEACHER if i <= 6 else Role.TA,
            # 8 of 10 trained in SLCN and confident; two have had ASD awareness only.
            levels={
                **({SLCN: TARGETED_LEVEL} if i <= 8 else {}),
                **({ASD: UNIVERSAL_LEVEL} if i in (9, 10) else {}),
            },
            confidence={SLCN: 4, ASD: 2},
        )
        for i in range(1, 11)
    ]
    groups = [
        NeedGroup(1, ASD, TARGETED, count=20),
        NeedGroup(1, SLCN, TARGETED, count=30),
    ]
    result = compute_priorities(groups, staff)
    lines = by_need(result)
    assert lines[SLCN].pupils > lines[ASD].pupils
    assert lines[SLCN].demand > lines[ASD].demand
    # SLCN: cover 8 x 0.875 / 10 = 0.7, gap 30 x 0.3 = 9.
    assert lines[SLCN].gap == pytest.approx(9.0)
    # ASD: the two TAs support them in class (no supports recorded), where universal is
    # the level needed: cover 2 x 0.625 / 10 = 0.125, gap 20 x 0.875 = 17.5.
    assert lines[ASD].gap == pytest.approx(17.5)
    assert [line.need for line in result.priorities] == [ASD, SLCN]
    assert lines[ASD].reason() == (
        "ASD: 20 pupils; 2 of 10 staff who work with them have the training their role "
        "needs, 8 hold none; confidence low (2.0 of 5)"
    )
    assert lines[SLCN].reason() == (
        "SLCN: 30 pupils; 8 of 10 staff who work with them have the training their role "
        "needs, 2 hold none; confidence good (4.0 of 5)"
    )


def test_pupils_with_no_staff_at_all_are_uncovered() -> None:
    group = NeedGroup(3, SEMH, TARGETED, count=2)
    (line,) = compute_priorities([group], STAFF).priorities
    assert (line.demand, line.gap, line.coverage, line.staff_relevant) == (2.0, 2.0, 0.0, 0)


def test_unknown_adults_fall_back_to_everyone_in_the_school() -> None:
    known = compute_priorities([NeedGroup(1, ASD, TARGETED)], STAFF).priorities[0]
    unknown = compute_priorities(
        [NeedGroup(1, ASD, TARGETED, adults=frozenset({404}))], STAFF
    ).priorities[0]
    assert unknown == known
    assert known.staff_relevant == 3


def test_needs_that_tie_rank_by_name_whatever_the_row_order() -> None:
    """Identical pupils and staff for ASD and SLCN: equal scores, ASD first, in any order.

    Gaps by hand (all three are the pupils' class teachers): 1 x (1 - 1.375/3) + 5 x 1 +
    12 x (1 - 1/3) = 0.541666... + 5 + 8.
    Summed in row order with plain floats, (a + b) + c and (a + c) + b can differ in the
    last bit, and that bit decided which need ranked first.
    """
    staff = [
        StaffFacts(
            1,
            1,
            "Ash",
            Role.TEACHER,
            levels={ASD: TARGETED_LEVEL, SLCN: TARGETED_LEVEL},
            confidence={ASD: 2, SLCN: 2},
        ),
        StaffFacts(2, 1, "Bea", Role.TA),
        StaffFacts(3, 1, "Cal", Role.TA, levels={ASD: UNIVERSAL_LEVEL, SLCN: UNIVERSAL_LEVEL}),
    ]

    def rows(need: NeedType, order: Sequence[int]) -> list[NeedGroup]:
        everyone = frozenset({1, 2, 3})
        groups = [
            NeedGroup(1, need, TARGETED_PLUS, primary=False, adults=everyone),
            NeedGroup(1, need, TARGETED_PLUS, primary=False, adults=frozenset({2}), count=5),
            NeedGroup(1, need, SPECIALIST, adults=everyone, count=4),
        ]
        return [groups[i] for i in order]

    for asd_order, slcn_order in [((0, 2, 1), (0, 1, 2)), ((0, 1, 2), (0, 2, 1))]:
        for members in (staff, staff[::-1]):
            result = compute_priorities(rows(ASD, asd_order) + rows(SLCN, slcn_order), members)
            lines = by_need(result)
            assert lines[ASD].score == lines[SLCN].score == pytest.approx(1 - 1.375 / 3 + 5 + 8)
            assert [(line.need, line.rank) for line in result.priorities] == [(ASD, 1), (SLCN, 2)]


# --- staff gaps ----------------------------------------------------------------------------


def test_staff_gaps_name_who_lacks_what_and_the_modules_that_close_it() -> None:
    gaps = compute_priorities(GROUPS, STAFF, modules=MODULES).staff_gaps
    summary = [
        (gap.staff.name, gap.need, gap.required, gap.held, gap.pupils, gap.modules) for gap in gaps
    ]
    assert summary == [
        # Ash is the key adult of two joining with SLCN: targeted; the teachers' course fits.
        ("Ash", SLCN, TARGETED_LEVEL, UNIVERSAL_LEVEL, 3, (M_COMM_S_T,)),
        # Bea teaches the SEMH pupils and holds nothing: any SEMH module will do.
        ("Bea", SEMH, UNIVERSAL_LEVEL, None, 2, (M_SEMH_T,)),
        # Cal is the one-to-one TA of the EHCP pupil: the TA course, not the teachers' one.
        ("Cal", ASD, SPECIALIST_LEVEL, UNIVERSAL_LEVEL, 3, (M_ASD_S_TA,)),
    ]
    # Ash (ASD, SEMH), Bea (ASD), Cal (SEMH) meet the level their role needs; Dee works with
    # no pupils; Eve is in another school.
    assert all(gap.staff.name not in {"Dee", "Eve"} for gap in gaps)


def test_staff_gaps_without_a_catalogue_still_list_the_gap() -> None:
    gaps = compute_priorities(GROUPS, STAFF).staff_gaps
    assert len(gaps) == 3
    assert all(gap.modules == () for gap in gaps)


def test_trained_staff_have_no_gaps() -> None:
    trained = [
        dataclasses.replace(
            member,
            levels=dict.fromkeys(NeedType, SPECIALIST_LEVEL),
        )
        for member in STAFF
    ]
    assert compute_priorities(GROUPS, trained, modules=MODULES).staff_gaps == []


# --- properties ----------------------------------------------------------------------------

PROPERTY = settings(max_examples=100, deadline=None)


def scores(result: PriorityResult) -> dict[NeedType, float]:
    return {line.need: line.score for line in result.priorities}


@PROPERTY
@given(school=SCHOOLS, data=st.data())
def test_adding_a_pupil_never_lowers_that_needs_priority(
    school: School, data: st.DataObject
) -> None:
    groups, staff, weights = school
    before = by_need(compute_priorities(groups, staff, weights=weights))
    if data.draw(st.booleans(), label="new group"):
        added = data.draw(SEN_GROUP, label="added")
        at = data.draw(st.integers(min_value=0, max_value=len(groups)), label="at")
        more = [*groups[:at], added, *groups[at:]]
        need = added.need
    else:
        at = data.draw(st.integers(min_value=0, max_value=len(groups) - 1), label="grown")
        grown = dataclasses.replace(groups[at], count=groups[at].count + 1)
        more = [*groups[:at], grown, *groups[at + 1 :]]
        need = grown.need
    after = by_need(compute_priorities(more, staff, weights=weights))
    old = before.get(need, Priority(need))
    if need in after:
        new = after[need]
        assert new.pupils >= old.pupils
        assert new.demand >= old.demand
        assert new.gap >= old.gap
        assert new.score >= old.score
    else:  # a universal-tier pupil grew: no SEN, no line
        assert need not in before


@PROPERTY
@given(school=SCHOOLS, data=st.data())
def test_more_valid_training_never_raises_any_priority(school: School, data: st.DataObject) -> None:
    groups, staff, weights = school
    before = scores(compute_priorities(groups, staff, weights=weights))
    index = data.draw(st.integers(min_value=0, max_value=len(staff) - 1), label="who")
    need = data.draw(st.sampled_from(NEEDS), label="need")
    member = staff[index]
    held = member.levels.get(need)
    level = data.draw(
        st.sampled_from([lv for lv in LEVELS if held is None or lv.rank >= held.rank])
    )
    trained = dataclasses.replace(member, levels={**member.levels, need: level})
    more = [*staff[:index], trained, *staff[index + 1 :]]
    after = scores(compute_priorities(groups, more, weights=weights))
    assert set(after) == set(before)
    for line_need, score in after.items():
        assert score <= before[line_need]


RECORD_MODULES = {
    1: module("ASD-T", [ASD], TARGETED_LEVEL),
    2: module("ASD-S-12", [ASD], SPECIALIST_LEVEL, refresh_months=12),
    3: module("COMM-S-24", [ASD, SLCN], SPECIALIST_LEVEL, refresh_months=24),
    4: module("SEMH-U-6", [SEMH], UNIVERSAL_LEVEL, refresh_months=6),
    5: module("MLD-T", [MLD], TARGETED_LEVEL),
    6: module("SEMH-S-1", [SEMH], SPECIALIST_LEVEL, refresh_months=1),
}


@PROPERTY
@given(school=SCHOOLS, data=st.data())
def test_an_expired_record_counts_as_none(school: School, data: st.DataObject) -> None:
    groups, staff, weights = school
    ids = [member.id for member in staff]
    record = st.tuples(
        st.sampled_from(ids),
        st.sampled_from(list(RECORD_MODULES)),
        st.dates(dt.date(2020, 1, 1), TODAY),
    )
    records = data.draw(st.lists(record, max_size=6), label="records")
    refreshing = [key for key, value in RECORD_MODULES.items() if value.refresh_months]
    module_id = data.draw(st.sampled_from(refreshing), label="module")
    months = RECORD_MODULES[module_id].refresh_months
    assert months is not None
    latest = TODAY - relativedelta(months=months)  # lapses today at the latest
    expired_on = data.draw(st.dates(dt.date(2015, 1, 1), latest), label="completed")
    expiry = expiry_date(expired_on, months)
    assert expiry is not None and expiry <= TODAY
    expired = (data.draw(st.sampled_from(ids), label="whose"), module_id, expired_on)

    def result(with_records: list[tuple[int, int, dt.date]]) -> PriorityResult:
        levels = best_levels(with_records, RECORD_MODULES, TODAY)
        people = [dataclasses.replace(m, levels=levels.get(m.id, {})) for m in staff]
        return compute_priorities(groups, people, weights=weights, modules=RECORD_MODULES.values())

    at = data.draw(st.integers(min_value=0, max_value=len(records)), label="at")
    assert result([*records[:at], expired, *records[at:]]) == result(records)


def ranking(result: PriorityResult) -> list[tuple[NeedType, float, int]]:
    return [(line.need, line.score, line.rank) for line in result.priorities]


@PROPERTY
@given(school=SCHOOLS, data=st.data())
def test_ranking_ignores_input_order(school: School, data: st.DataObject) -> None:
    groups, staff, weights = school
    shuffled_groups = data.draw(st.permutations(groups), label="groups")
    shuffled_staff = data.draw(st.permutations(staff), label="staff")
    first = compute_priorities(groups, staff, weights=weights)
    again = compute_priorities(shuffled_groups, shuffled_staff, weights=weights)
    assert ranking(again) == ranking(first)


@PROPERTY
@given(school=SCHOOLS)
def test_coverage_and_gap_stay_in_bounds(school: School) -> None:
    groups, staff, weights = school
    for line in compute_priorities(groups, staff, weights=weights).priorities:
        assert 0.0 <= line.coverage <= 1.0
        assert 0.0 <= line.gap <= line.demand
        assert line.score >= line.gap
        assert 0 <= line.staff_trained + line.staff_partly_trained <= line.staff_relevant
        assert line.pupils == sum(line.pupils_by_tier.values())


def test_a_module_for_every_need_counts_at_universal_level_at_most() -> None:
    reviews = Module(
        id=1, code="EHCP-S", title="EHCP reviews", needs=tuple(NeedType), level="specialist"
    )
    autism = Module(id=2, code="AUT-S", title="Autism", needs=(NeedType.ASD,), level="specialist")
    catalogue = {1: reviews, 2: autism}
    on = dt.date(2026, 11, 23)
    held = best_levels([(7, 1, dt.date(2025, 1, 1))], catalogue, on)
    assert held[7][NeedType.SLCN] is ModuleLevel.UNIVERSAL
    both = [(7, 1, dt.date(2025, 1, 1)), (7, 2, dt.date(2025, 1, 1))]
    assert best_levels(both, catalogue, on)[7][NeedType.ASD] is ModuleLevel.SPECIALIST


def test_each_adult_at_a_need_says_how_many_of_their_pupils_need_the_highest_level() -> None:
    """Ash teaches three pupils with autism: universal is enough for the two on SEN support,
    targeted is needed for the one with an EHCP (the side panel said 'needs targeted' for all)."""
    at_asd = compute_priorities(GROUPS, STAFF).staff_by_need[ASD]
    ash = next(item for item in at_asd if item.staff.name == "Ash")
    assert (ash.pupils, ash.required, ash.needing, ash.trained) == (3, TARGETED_LEVEL, 1, True)
    cal = next(item for item in at_asd if item.staff.name == "Cal")
    assert (cal.pupils, cal.required, cal.needing) == (3, SPECIALIST_LEVEL, 1)


def test_pupils_with_no_specialist_assessment_are_said_not_ranked() -> None:
    """NSA says the need is not yet known: no training answers it, so it is neither a
    priority nor a staff gap; the result says how many such pupils there are, once."""
    from sencoplan.domain.priority_notes import figure_notes

    unassessed = NeedGroup(1, NeedType.NSA, TARGETED, adults=frozenset({1, 3}), count=3)
    with_nsa = compute_priorities([*GROUPS, unassessed], STAFF, modules=MODULES)
    without = compute_priorities(GROUPS, STAFF, modules=MODULES)
    assert [line.need for line in with_nsa.priorities] == [line.need for line in without.priorities]
    assert [line.rank for line in with_nsa.priorities] == list(
        range(1, len(with_nsa.priorities) + 1)
    )
    assert with_nsa.unassessed is not None and with_nsa.unassessed.pupils == 3
    assert without.unassessed is None
    assert NeedType.NSA not in {gap.need for gap in with_nsa.staff_gaps}
    assert NeedType.NSA not in with_nsa.staff_by_need
    notes = figure_notes(with_nsa)
    assert notes[-1].startswith(
        "3 pupils with SEN have had no specialist assessment of their need (NSA): not ranked"
    )
    assert figure_notes(without) == [note for note in notes if "NSA" not in note]
