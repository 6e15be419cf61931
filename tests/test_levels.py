"""Levels by role and relationship (sencoplan.domain.levels): the default table, a school's
changes, the monotone check, and what they do to the priorities."""

from __future__ import annotations

import dataclasses
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sencoplan.domain.codes import REGISTER_TIERS, NeedType, Tier
from sencoplan.domain.levels import (
    DEFAULT_TABLE,
    RELATIONSHIPS,
    LevelTable,
    assumed_relationship,
    closest,
)
from sencoplan.domain.priorities import NeedGroup, StaffFacts, compute_priorities
from sencoplan.domain.staff_codes import ModuleLevel, Role, SupportKind

U, T, S = ModuleLevel.UNIVERSAL, ModuleLevel.TARGETED, ModuleLevel.SPECIALIST
CLASS, SUPPORT, KEY, ONE = RELATIONSHIPS
PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("kind", "levels"),
    [(CLASS, (U, U, T)), (SUPPORT, (U, T, T)), (KEY, (T, T, S)), (ONE, (T, S, S))],
)
def test_the_default_table(kind: SupportKind, levels: tuple[ModuleLevel, ...]) -> None:
    assert tuple(DEFAULT_TABLE.required(kind, tier) for tier in REGISTER_TIERS) == levels


def test_a_pupil_without_sen_needs_universal_from_anyone() -> None:
    assert {DEFAULT_TABLE.required(kind, Tier.UNIVERSAL) for kind in RELATIONSHIPS} == {U}


def test_the_default_table_is_monotone() -> None:
    assert DEFAULT_TABLE.problems() == []


def test_with_no_supports_teachers_teach_and_the_others_support_in_class() -> None:
    assert assumed_relationship(Role.TEACHER) is CLASS
    assert assumed_relationship(Role.ECT) is CLASS
    assert assumed_relationship(Role.TA) is SUPPORT
    assert assumed_relationship(Role.HLTA) is SUPPORT


def test_the_closest_relationship_counts() -> None:
    assert closest({CLASS, KEY}) is KEY
    assert closest({ONE, SUPPORT, CLASS}) is ONE


def test_a_change_is_kept_only_where_it_departs_from_the_default() -> None:
    table = DEFAULT_TABLE.with_level(CLASS, Tier.TARGETED_PLUS, T)
    assert table.changes == {(CLASS, Tier.TARGETED_PLUS): T}
    assert table.required(CLASS, Tier.TARGETED_PLUS) is T
    back = table.with_level(CLASS, Tier.TARGETED_PLUS, U)
    assert back.changes == {}
    assert back == DEFAULT_TABLE


def test_a_table_where_a_closer_relationship_needs_less_is_refused_with_the_cell() -> None:
    table = DEFAULT_TABLE.with_level(ONE, Tier.SPECIALIST, U)
    problems = table.problems()
    assert problems
    assert (
        "Specialist: key adult needs specialist but 1:1 support, a closer relationship, "
        "only universal"
    ) in problems
    assert (
        "1:1 support: Targeted plus needs specialist but Specialist, a higher tier, only universal"
    ) in problems


CELLS = [(kind, tier) for kind in RELATIONSHIPS for tier in REGISTER_TIERS]
TABLES = st.dictionaries(st.sampled_from(CELLS), st.sampled_from(list(ModuleLevel))).map(LevelTable)


@PROPERTY
@given(table=TABLES)
def test_an_accepted_table_never_needs_less_of_a_closer_adult_or_a_higher_tier(
    table: LevelTable,
) -> None:
    monotone = all(
        table.required(kind, higher).rank >= table.required(kind, lower).rank
        for kind in RELATIONSHIPS
        for lower, higher in pairwise(REGISTER_TIERS)
    ) and all(
        table.required(nearer, tier).rank >= table.required(further, tier).rank
        for tier in REGISTER_TIERS
        for further, nearer in pairwise(RELATIONSHIPS)
    )
    assert (table.problems() == []) == monotone


# --- what the table does to the priorities -------------------------------------------------

ASD = NeedType.ASD
LEVELS = st.sampled_from([None, U, T, S])


@PROPERTY
@given(
    held=st.lists(LEVELS, min_size=3, max_size=3),
    tier=st.sampled_from(REGISTER_TIERS),
    kinds=st.lists(st.sampled_from(RELATIONSHIPS), min_size=3, max_size=3),
    moved=st.integers(min_value=0, max_value=2),
    nearer=st.sampled_from(RELATIONSHIPS),
    count=st.integers(min_value=1, max_value=4),
)
def test_a_closer_relationship_never_lowers_the_gap(
    held: list[ModuleLevel | None],
    tier: Tier,
    kinds: list[SupportKind],
    moved: int,
    nearer: SupportKind,
    count: int,
) -> None:
    staff = [
        StaffFacts(i, 1, f"Staff {i}", Role.TA, levels={ASD: level} if level else {})
        for i, level in enumerate(held, start=1)
    ]

    def group(relationships: list[SupportKind]) -> NeedGroup:
        def having(kind: SupportKind) -> frozenset[int]:
            return frozenset(i for i, k in enumerate(relationships, start=1) if k is kind)

        return NeedGroup(
            1,
            ASD,
            tier,
            adults=frozenset({1, 2, 3}),
            one_to_one=having(ONE),
            key_adults=having(KEY),
            class_support=having(SUPPORT),
            count=count,
        )

    closer = list(kinds)
    if RELATIONSHIPS.index(nearer) > RELATIONSHIPS.index(closer[moved]):
        closer[moved] = nearer
    (before,) = compute_priorities([group(kinds)], staff).priorities
    (after,) = compute_priorities([group(closer)], staff).priorities
    assert after.gap >= before.gap - 1e-12
    assert after.staff_trained <= before.staff_trained


def test_a_school_that_asks_more_of_class_teachers_sees_a_bigger_gap() -> None:
    teacher = StaffFacts(1, 1, "Ash", Role.TEACHER, levels={ASD: U})
    group = NeedGroup(1, ASD, Tier.TARGETED_PLUS, count=3)  # no supports: Ash teaches them
    (default,) = compute_priorities([group], [teacher]).priorities
    stricter = {1: DEFAULT_TABLE.with_level(CLASS, Tier.TARGETED_PLUS, T)}
    (strict,) = compute_priorities([group], [teacher], levels=stricter).priorities
    assert (default.staff_trained, strict.staff_trained) == (1, 0)
    assert strict.gap > default.gap
    # Another school's table changes nothing here.
    (other,) = compute_priorities([group], [teacher], levels={2: stricter[1]}).priorities
    assert other == default


def test_an_adult_with_several_links_is_held_to_the_closest() -> None:
    ta = StaffFacts(1, 1, "Bo", Role.TA, levels={ASD: T})
    linked = NeedGroup(1, ASD, Tier.SPECIALIST, adults=frozenset({1}))
    as_teacher = dataclasses.replace(linked)
    as_one_to_one = dataclasses.replace(linked, one_to_one=frozenset({1}))
    assert compute_priorities([as_teacher], [ta]).priorities[0].staff_trained == 1
    (line,) = compute_priorities([as_one_to_one], [ta]).priorities
    assert (line.staff_trained, line.staff_below, line.one_to_one_untrained) == (0, 1, 1)
