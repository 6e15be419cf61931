"""Hypothesis strategies for the priorities engine's property tests: small schools of
groups of pupils, staff with training and confidence, and development plan weights (shared
by the engine's tests and the kept lines' tests; not a test module)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st

from sencoplan.domain.codes import BroadArea, NeedType, Tier
from sencoplan.domain.priorities import NeedGroup, StaffFacts
from sencoplan.domain.staff_codes import ModuleLevel, Role

ASD, SLCN, SEMH, MLD = NeedType.ASD, NeedType.SLCN, NeedType.SEMH, NeedType.MLD
TARGETED, TARGETED_PLUS, SPECIALIST = Tier.TARGETED, Tier.TARGETED_PLUS, Tier.SPECIALIST

NEEDS = [ASD, SLCN, SEMH, MLD]
SEN_TIERS = [TARGETED, TARGETED_PLUS, SPECIALIST]
LEVELS = list(ModuleLevel)


SCHOOL_IDS = st.sampled_from([1, 1, 2])
PEOPLE = st.lists(
    st.tuples(
        SCHOOL_IDS,
        st.sampled_from(list(Role)),
        st.dictionaries(st.sampled_from(NEEDS), st.sampled_from(LEVELS)),
        st.dictionaries(st.sampled_from(NEEDS), st.integers(min_value=1, max_value=5)),
    ),
    min_size=1,
    max_size=5,
)
STAFF_LISTS = PEOPLE.map(
    lambda people: [
        StaffFacts(i, school_id, f"Staff {i}", role, levels, confidence)
        for i, (school_id, role, levels, confidence) in enumerate(people, start=1)
    ]
)
# Staff ids run from 1 to at most 5; an id beyond the list, or 99, is nobody on the staff.
ADULTS = st.frozensets(st.sampled_from([1, 2, 3, 4, 5, 99]), max_size=4)


def need_groups(tiers: Sequence[Tier]) -> st.SearchStrategy[NeedGroup]:
    return st.builds(
        NeedGroup,
        school_id=SCHOOL_IDS,
        need=st.sampled_from(NEEDS),
        tier=st.sampled_from(list(tiers)),
        primary=st.booleans(),
        incoming=st.booleans(),
        adults=ADULTS,
        one_to_one=ADULTS,
        key_adults=ADULTS,
        class_support=ADULTS,
        count=st.integers(min_value=1, max_value=5),
        starts=st.sampled_from([None, dt.date(2027, 1, 4), dt.date(2027, 9, 1)]),
    )


ANY_GROUP = need_groups(list(Tier))  # a universal-tier group is no SEN: no line
SEN_GROUP = need_groups(SEN_TIERS)
WEIGHT_KEYS = [need.value for need in NEEDS] + [area.value for area in BroadArea]
SCHOOLS = st.tuples(
    st.lists(ANY_GROUP, min_size=1, max_size=6),
    STAFF_LISTS,
    st.dictionaries(st.sampled_from(WEIGHT_KEYS), st.sampled_from([0.0, 0.25, 0.5, 1.0])),
)

School = tuple[list[NeedGroup], list[StaffFacts], dict[str, float]]
