"""The codes of the school census: SEN provision (N/K/E), the four tiers, need types and
their broad areas.

Each enum's value is what is stored in the database; `label` is what a person reads;
`parse_*` functions accept the many spellings that MIS exports and people use.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cached_property


def folded(text: str) -> str:
    """Fold a free-text value for lookup: case, spaces, punctuation all ignored."""
    return re.sub(r"[^a-z0-9+]", "", text.lower())


class Provision(StrEnum):
    """The school census SEN provision code every pupil on roll carries."""

    NONE = "N"
    SEN_SUPPORT = "K"
    EHCP = "E"


class Tier(StrEnum):
    """Support tiers of the 2026 white paper (in force from 2029)."""

    UNIVERSAL = "universal"
    TARGETED = "targeted"
    TARGETED_PLUS = "targeted_plus"
    SPECIALIST = "specialist"

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]

    @property
    def provision(self) -> Provision:
        """The census code a pupil in this tier is returned under."""
        if self is Tier.UNIVERSAL:
            return Provision.NONE
        if self is Tier.SPECIALIST:
            return Provision.EHCP
        return Provision.SEN_SUPPORT

    @property
    def has_sen(self) -> bool:
        return self is not Tier.UNIVERSAL

    @cached_property
    def rank(self) -> int:
        """0 for universal up to 3 for specialist: higher means more support (worked out
        once per member: the priorities engine asks in its inner loops)."""
        return list(Tier).index(self)


REGISTER_TIERS = (Tier.TARGETED, Tier.TARGETED_PLUS, Tier.SPECIALIST)
"""The tiers of pupils on the SEND register (universal is everyone's), in reports' order."""


_TIER_LABELS = {
    Tier.UNIVERSAL: "Universal",
    Tier.TARGETED: "Targeted",
    Tier.TARGETED_PLUS: "Targeted plus",
    Tier.SPECIALIST: "Specialist",
}


def tier_for_provision(code: Provision) -> Tier:
    """Today's census code to a tier: K is targeted unless the file says otherwise."""
    return {
        Provision.NONE: Tier.UNIVERSAL,
        Provision.SEN_SUPPORT: Tier.TARGETED,
        Provision.EHCP: Tier.SPECIALIST,
    }[code]


_TIER_WORDS: dict[str, Tier] = {
    "n": Tier.UNIVERSAL,
    "no": Tier.UNIVERSAL,
    "none": Tier.UNIVERSAL,
    "nosen": Tier.UNIVERSAL,
    "notsen": Tier.UNIVERSAL,
    "universal": Tier.UNIVERSAL,
    "k": Tier.TARGETED,
    "sensupport": Tier.TARGETED,
    "support": Tier.TARGETED,
    "targeted": Tier.TARGETED,
    "targetedplus": Tier.TARGETED_PLUS,
    "targeted+": Tier.TARGETED_PLUS,
    "e": Tier.SPECIALIST,
    "ehcp": Tier.SPECIALIST,
    "ehcplan": Tier.SPECIALIST,
    "educationhealthandcareplan": Tier.SPECIALIST,
    "educationhealthcareplan": Tier.SPECIALIST,
    "specialist": Tier.SPECIALIST,
    "statement": Tier.SPECIALIST,
}


def parse_tier(text: str) -> Tier:
    """A tier from a census code (N/K/E), a status name ("SEN Support", "EHC Plan") or a tier.

    A blank value means no SEN (universal). Raises ValueError for anything else.
    """
    key = folded(text)
    if key == "":
        return Tier.UNIVERSAL
    try:
        return _TIER_WORDS[key]
    except KeyError:
        raise ValueError(
            f"unknown SEN status {text.strip()!r} (use N, K, E, SEN Support, EHC Plan "
            "or a tier: universal, targeted, targeted plus, specialist)"
        ) from None


class BroadArea(StrEnum):
    """The four broad areas of need of the SEND Code of Practice, plus census 'other'."""

    COMMUNICATION = "communication_interaction"
    COGNITION = "cognition_learning"
    SEMH = "semh"
    SENSORY_PHYSICAL = "sensory_physical"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]

    @property
    def needs(self) -> tuple[NeedType, ...]:
        return tuple(need for need in NeedType if need.area is self)


_AREA_LABELS = {
    BroadArea.COMMUNICATION: "Communication and interaction",
    BroadArea.COGNITION: "Cognition and learning",
    BroadArea.SEMH: "Social, emotional and mental health",
    BroadArea.SENSORY_PHYSICAL: "Sensory and/or physical",
    BroadArea.OTHER: "Other",
}


class NeedType(StrEnum):
    """The 13 census SEN type codes."""

    SLCN = "SLCN"
    ASD = "ASD"
    SPLD = "SPLD"
    MLD = "MLD"
    SLD = "SLD"
    PMLD = "PMLD"
    SEMH = "SEMH"
    HI = "HI"
    VI = "VI"
    MSI = "MSI"
    PD = "PD"
    OTH = "OTH"
    NSA = "NSA"

    @property
    def label(self) -> str:
        return _NEED_LABELS[self]

    @property
    def area(self) -> BroadArea:
        return _NEED_AREAS[self]


_NEED_LABELS = {
    NeedType.SLCN: "Speech, language and communication needs",
    NeedType.ASD: "Autistic spectrum disorder",
    NeedType.SPLD: "Specific learning difficulty",
    NeedType.MLD: "Moderate learning difficulty",
    NeedType.SLD: "Severe learning difficulty",
    NeedType.PMLD: "Profound and multiple learning difficulty",
    NeedType.SEMH: "Social, emotional and mental health",
    NeedType.HI: "Hearing impairment",
    NeedType.VI: "Visual impairment",
    NeedType.MSI: "Multi-sensory impairment",
    NeedType.PD: "Physical disability",
    NeedType.OTH: "Other difficulty/disability",
    NeedType.NSA: "SEN support but no specialist assessment of type of need",
}

_NEED_AREAS = {
    NeedType.SLCN: BroadArea.COMMUNICATION,
    NeedType.ASD: BroadArea.COMMUNICATION,
    NeedType.SPLD: BroadArea.COGNITION,
    NeedType.MLD: BroadArea.COGNITION,
    NeedType.SLD: BroadArea.COGNITION,
    NeedType.PMLD: BroadArea.COGNITION,
    NeedType.SEMH: BroadArea.SEMH,
    NeedType.HI: BroadArea.SENSORY_PHYSICAL,
    NeedType.VI: BroadArea.SENSORY_PHYSICAL,
    NeedType.MSI: BroadArea.SENSORY_PHYSICAL,
    NeedType.PD: BroadArea.SENSORY_PHYSICAL,
    NeedType.OTH: BroadArea.OTHER,
    NeedType.NSA: BroadArea.OTHER,
}

_NEED_WORDS: dict[str, NeedType] = {}
for _need in NeedType:
    _NEED_WORDS[folded(_need.value)] = _need
    _NEED_WORDS[folded(_need.label)] = _need
_NEED_WORDS.update(
    {
        "asc": NeedType.ASD,
        "autism": NeedType.ASD,
        "autisticspectrumcondition": NeedType.ASD,
        "autismspectrumdisorder": NeedType.ASD,
        "speechlanguageandcommunicationneeds": NeedType.SLCN,
        "speechlanguageandcommunication": NeedType.SLCN,
        "socialemotionalandmentalhealth": NeedType.SEMH,
        "socialemotionalmentalhealth": NeedType.SEMH,
        "dyslexia": NeedType.SPLD,
        "hearingimpairment": NeedType.HI,
        "visualimpairment": NeedType.VI,
        "multisensoryimpairment": NeedType.MSI,
        "physicaldisability": NeedType.PD,
        "other": NeedType.OTH,
        "otherdifficultydisability": NeedType.OTH,
        "nospecialistassessment": NeedType.NSA,
    }
)


def parse_need(text: str) -> NeedType:
    """A need type from its census code ("ASD") or full name ("Autistic spectrum disorder")."""
    try:
        return _NEED_WORDS[folded(text)]
    except KeyError:
        codes = ", ".join(need.value for need in NeedType)
        raise ValueError(f"unknown need type {text.strip()!r} (use one of {codes})") from None


_AREA_WORDS: dict[str, BroadArea] = {}
for _area in BroadArea:
    _AREA_WORDS[folded(_area.value)] = _area
    _AREA_WORDS[folded(_area.label)] = _area
_AREA_WORDS.update(
    {
        "ci": BroadArea.COMMUNICATION,
        "communication": BroadArea.COMMUNICATION,
        "communicationinteraction": BroadArea.COMMUNICATION,
        "cl": BroadArea.COGNITION,
        "cognition": BroadArea.COGNITION,
        "cognitionlearning": BroadArea.COGNITION,
        "sensory": BroadArea.SENSORY_PHYSICAL,
        "sensoryphysical": BroadArea.SENSORY_PHYSICAL,
        "sensoryandphysical": BroadArea.SENSORY_PHYSICAL,
        "sp": BroadArea.SENSORY_PHYSICAL,
    }
)


def parse_area(text: str) -> BroadArea:
    """A broad area from its stored value or name ("Cognition and learning")."""
    try:
        return _AREA_WORDS[folded(text)]
    except KeyError:
        raise ValueError(f"unknown broad area {text.strip()!r}") from None


def _needs_named(key: str) -> tuple[NeedType, ...] | None:
    """The needs a folded name stands for: a need, a broad area or "all"; None if unknown."""
    if key in {"all", "allneeds", "any"}:
        return tuple(NeedType)
    if key in _NEED_WORDS:
        return (_NEED_WORDS[key],)
    if key in _AREA_WORDS:
        return _AREA_WORDS[key].needs
    return None


def parse_needs(text: str) -> tuple[NeedType, ...]:
    """A list of need codes, names or broad areas separated by ';', ',', '|' or '/'.

    A broad area stands for every need in it; "all" for every need. Order kept, no repeats.
    Names that contain a separator themselves ("Social, emotional and mental health",
    "Sensory and/or physical") are still read as one name.
    """
    parts = [part for part in re.split(r"[;,|/]", text) if part.strip()]
    found: list[NeedType] = []
    start = 0
    while start < len(parts):
        # A part that is not a name by itself is joined with the parts after it.
        for end in range(start + 1, len(parts) + 1):
            needs = _needs_named("".join(folded(part) for part in parts[start:end]))
            if needs is not None:
                break
        else:
            raise ValueError(
                f"unknown need type or broad area {parts[start].strip()!r} "
                "(use census codes such as ASD; SLCN, or a broad area)"
            )
        found.extend(need for need in needs if need not in found)
        start = end
    return tuple(found)


def parse_bool(text: str) -> bool:
    """Yes or no, as spreadsheets say it (blank is no)."""
    key = folded(text)
    if key in {"y", "yes", "true", "1", "mandatory"}:
        return True
    if key in {"", "n", "no", "false", "0"}:
        return False
    raise ValueError(f"expected yes or no, got {text.strip()!r}")
