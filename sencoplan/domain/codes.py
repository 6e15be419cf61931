"""The codes and words of English SEND: census provision codes, tiers, need types, roles.

Each enum's value is what is stored in the database; `label` is what a person reads;
`parse_*` functions accept the many spellings that MIS exports and people use.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cached_property

from sencoplan.domain.messages import counted


def _key(text: str) -> str:
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
    key = _key(text)
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
    _NEED_WORDS[_key(_need.value)] = _need
    _NEED_WORDS[_key(_need.label)] = _need
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
        return _NEED_WORDS[_key(text)]
    except KeyError:
        codes = ", ".join(need.value for need in NeedType)
        raise ValueError(f"unknown need type {text.strip()!r} (use one of {codes})") from None


_AREA_WORDS: dict[str, BroadArea] = {}
for _area in BroadArea:
    _AREA_WORDS[_key(_area.value)] = _area
    _AREA_WORDS[_key(_area.label)] = _area
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
        return _AREA_WORDS[_key(text)]
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
            needs = _needs_named("".join(_key(part) for part in parts[start:end]))
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


class Role(StrEnum):
    """Staff roles in English schools' SEND teams and classrooms."""

    TEACHER = "teacher"
    ECT = "ect"
    TRAINEE = "trainee"
    TA = "ta"
    HLTA = "hlta"
    LSA = "lsa"
    SENCO = "senco"
    DEPUTY_SENCO = "deputy_senco"
    ASSISTANT_SENCO = "assistant_senco"
    SLT = "slt"
    PASTORAL_LEAD = "pastoral_lead"
    LEAD_PRACTITIONER = "lead_practitioner"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]

    def counted(self, count: int) -> str:
        """How many people in the role, as a sentence says it: '1 teacher', '3 TAs',
        '2 deputy SENCOs'."""
        one = _ROLE_SINGULARS.get(
            self, self.label if self.label.isupper() else self.label[0].lower() + self.label[1:]
        )
        return counted(count, one, _ROLE_PLURALS.get(self))

    @property
    def teaches(self) -> bool:
        """Roles that teach classes: the default audience for coverage when no links exist."""
        return self in _TEACHING_ROLES

    @property
    def supports_pupils(self) -> bool:
        """Roles that work directly with pupils (teaching or support staff)."""
        return self is not Role.OTHER


_ROLE_LABELS = {
    Role.TEACHER: "Teacher",
    Role.ECT: "ECT",
    Role.TRAINEE: "Trainee teacher",
    Role.TA: "TA",
    Role.HLTA: "HLTA",
    Role.LSA: "LSA",
    Role.SENCO: "SENCO",
    Role.DEPUTY_SENCO: "Deputy SENCO",
    Role.ASSISTANT_SENCO: "Assistant SENCO",
    Role.SLT: "SLT",
    Role.PASTORAL_LEAD: "Pastoral/SEMH lead",
    Role.LEAD_PRACTITIONER: "Lead practitioner",
    Role.OTHER: "Other",
}

_ROLE_SINGULARS = {Role.SLT: "member of SLT"}
_ROLE_PLURALS = {Role.SLT: "members of SLT", Role.OTHER: "others"}
"""Words for a role that are not its label, and plurals that are not the singular and an s."""

_TEACHING_ROLES = {Role.TEACHER, Role.ECT, Role.TRAINEE, Role.SENCO, Role.SLT}

_ROLE_WORDS: dict[str, Role] = {}
for _role in Role:
    _ROLE_WORDS[_key(_role.value)] = _role
    _ROLE_WORDS[_key(_role.label)] = _role
_ROLE_WORDS.update(
    {
        "classteacher": Role.TEACHER,
        "earlycareerteacher": Role.ECT,
        "nqt": Role.ECT,
        "trainee": Role.TRAINEE,
        "teachingassistant": Role.TA,
        "higherlevelteachingassistant": Role.HLTA,
        "learningsupportassistant": Role.LSA,
        "senco": Role.SENCO,
        "sendco": Role.SENCO,
        "deputysendco": Role.DEPUTY_SENCO,
        "assistantsendco": Role.ASSISTANT_SENCO,
        "seniorleader": Role.SLT,
        "seniorleadershipteam": Role.SLT,
        "headteacher": Role.SLT,
        "deputyhead": Role.SLT,
        "deputyheadteacher": Role.SLT,
        "assistanthead": Role.SLT,
        "pastorallead": Role.PASTORAL_LEAD,
        "semhlead": Role.PASTORAL_LEAD,
        "pastoral": Role.PASTORAL_LEAD,
        "specialistleadpractitioner": Role.LEAD_PRACTITIONER,
        "leadpractitioner": Role.LEAD_PRACTITIONER,
    }
)


def parse_role(text: str) -> Role:
    """A role from its stored value or a usual job title ("Teaching Assistant", "SENDCo")."""
    try:
        return _ROLE_WORDS[_key(text)]
    except KeyError:
        labels = ", ".join(role.label for role in Role)
        raise ValueError(f"unknown role {text.strip()!r} (use one of {labels})") from None


class ModuleLevel(StrEnum):
    """How deep a training module goes, matched to the tiers it serves."""

    UNIVERSAL = "universal"
    TARGETED = "targeted"
    SPECIALIST = "specialist"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @cached_property
    def rank(self) -> int:
        return list(ModuleLevel).index(self)


def parse_level(text: str) -> ModuleLevel:
    key = _key(text)
    aliases = {"awareness": ModuleLevel.UNIVERSAL, "enhanced": ModuleLevel.TARGETED}
    for level in ModuleLevel:
        if key == level.value:
            return level
    if key in aliases:
        return aliases[key]
    raise ValueError(f"unknown level {text.strip()!r} (use universal, targeted or specialist)")


class Phase(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SPECIAL = "special"
    AP = "ap"

    @property
    def label(self) -> str:
        return {"all_through": "All-through", "ap": "Alternative provision"}.get(
            self.value, self.value.capitalize()
        )


def parse_phase(text: str) -> Phase:
    key = _key(text)
    for phase in Phase:
        if key in {_key(phase.value), _key(phase.label)}:
            return phase
    if key in {"alternativeprovision", "pru"}:
        return Phase.AP
    raise ValueError(
        f"unknown phase {text.strip()!r} (use primary, secondary, all-through, special or AP)"
    )


class Setting(StrEnum):
    MAINSTREAM = "mainstream"
    SPECIALIST = "specialist"


def parse_setting(text: str) -> Setting:
    key = _key(text)
    if key in {"", "mainstream"}:
        return Setting.MAINSTREAM
    if key in {"specialist", "special"}:
        return Setting.SPECIALIST
    raise ValueError(f"unknown setting {text.strip()!r} (use mainstream or specialist)")


class SupportKind(StrEnum):
    """How a member of staff works with a pupil."""

    CLASS_TEACHER = "class_teacher"
    CLASS_SUPPORT = "class_support"
    KEY_ADULT = "key_adult"
    ONE_TO_ONE = "one_to_one"

    @property
    def label(self) -> str:
        return {
            "class_teacher": "Class teacher",
            "class_support": "In-class support",
            "key_adult": "Key adult",
        }.get(self.value, "1:1 support")


def parse_support_kind(text: str) -> SupportKind:
    key = _key(text)
    words = {
        "": SupportKind.CLASS_TEACHER,
        "classteacher": SupportKind.CLASS_TEACHER,
        "teacher": SupportKind.CLASS_TEACHER,
        "subjectteacher": SupportKind.CLASS_TEACHER,
        "teaches": SupportKind.CLASS_TEACHER,
        "classsupport": SupportKind.CLASS_SUPPORT,
        "inclasssupport": SupportKind.CLASS_SUPPORT,
        "classta": SupportKind.CLASS_SUPPORT,
        "ta": SupportKind.CLASS_SUPPORT,
        "keyadult": SupportKind.KEY_ADULT,
        "keyworker": SupportKind.KEY_ADULT,
        "onetoone": SupportKind.ONE_TO_ONE,
        "11": SupportKind.ONE_TO_ONE,
        "11ta": SupportKind.ONE_TO_ONE,
        "11support": SupportKind.ONE_TO_ONE,
        "1to1": SupportKind.ONE_TO_ONE,
    }
    try:
        return words[key]
    except KeyError:
        raise ValueError(
            f"unknown kind of support {text.strip()!r} "
            "(use class teacher, in-class support, key adult or 1:1)"
        ) from None


class QualificationKind(StrEnum):
    NPQ_SENCO = "npq_senco"
    NASENCO = "nasenco"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"npq_senco": "NPQ for SENCOs", "nasenco": "NASENCO"}.get(self.value, "Other")


def parse_qualification_kind(text: str) -> QualificationKind:
    key = _key(text)
    if key in {"npqsenco", "npqforsencos", "npqsendco", "npq"}:
        return QualificationKind.NPQ_SENCO
    if key in {"nasenco", "nasc", "nationalawardforsencoordination"}:
        return QualificationKind.NASENCO
    if key in {"other", ""}:
        return QualificationKind.OTHER
    raise ValueError(f"unknown qualification {text.strip()!r} (use NPQ SENCO, NASENCO or other)")


class QualificationStatus(StrEnum):
    STUDYING = "studying"
    HELD = "held"


def parse_qualification_status(text: str) -> QualificationStatus:
    key = _key(text)
    if key in {"held", "complete", "completed", "passed", "awarded"}:
        return QualificationStatus.HELD
    if key in {"studying", "inprogress", "started", "enrolled"}:
        return QualificationStatus.STUDYING
    raise ValueError(f"unknown qualification status {text.strip()!r} (use held or studying)")


class Provider(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


def parse_provider(text: str) -> Provider:
    key = _key(text)
    if key in {"internal", "inhouse", "school", "trust"}:
        return Provider.INTERNAL
    if key in {"external", "bought", "buyin"}:
        return Provider.EXTERNAL
    raise ValueError(f"unknown provider {text.strip()!r} (use internal or external)")


def parse_bool(text: str) -> bool:
    key = _key(text)
    if key in {"y", "yes", "true", "1", "mandatory"}:
        return True
    if key in {"", "n", "no", "false", "0"}:
        return False
    raise ValueError(f"expected yes or no, got {text.strip()!r}")


class Readiness(StrEnum):
    """How soon a candidate could step into a role: ready now, in 1-2 years, 3+ years."""

    READY_NOW = "ready_now"
    ONE_TO_TWO_YEARS = "1_2_years"
    THREE_PLUS_YEARS = "3_plus_years"

    @property
    def label(self) -> str:
        return {
            "ready_now": "ready now",
            "1_2_years": "1–2 years",
            "3_plus_years": "3+ years",
        }[self.value]

    @property
    def within_two_years(self) -> bool:
        return self is not Readiness.THREE_PLUS_YEARS


def parse_readiness(text: str) -> Readiness:
    key = _key(text)
    if key in {"readynow", "now", "ready", "0"}:
        return Readiness.READY_NOW
    if key in {"12years", "12", "12yrs", "onetotwoyears", "1to2years", "12year"}:
        return Readiness.ONE_TO_TWO_YEARS
    if key in {"3years", "3+years", "3+", "3", "3+yrs", "threeplusyears", "3ormoreyears"}:
        return Readiness.THREE_PLUS_YEARS
    raise ValueError(f"unknown readiness {text.strip()!r} (use ready now, 1-2 years or 3+ years)")


class SuccessionRoleKind(StrEnum):
    """The SEND roles a school keeps a bench for; `other` is any role the school adds."""

    SENCO = "senco"
    DEPUTY_SENCO = "deputy_senco"
    ASSISTANT_SENCO = "assistant_senco"
    LEAD_PRACTITIONER = "lead_practitioner"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "senco": "SENCO",
            "deputy_senco": "Deputy SENCO",
            "assistant_senco": "Assistant SENCO",
            "lead_practitioner": "Lead practitioner",
            "other": "Other",
        }[self.value]

    @property
    def staff_role(self) -> Role | None:
        """The staff role whose holder fills it by default."""
        return {
            "senco": Role.SENCO,
            "deputy_senco": Role.DEPUTY_SENCO,
            "assistant_senco": Role.ASSISTANT_SENCO,
            "lead_practitioner": Role.LEAD_PRACTITIONER,
        }.get(self.value)


def parse_succession_role_kind(text: str) -> SuccessionRoleKind:
    key = _key(text)
    for kind in SuccessionRoleKind:
        if key in {_key(kind.value), _key(kind.label)}:
            return kind
    if key in {"sendco", "senco"}:
        return SuccessionRoleKind.SENCO
    if key in {"deputysendco", "deputy"}:
        return SuccessionRoleKind.DEPUTY_SENCO
    if key in {"assistantsendco", "assistant"}:
        return SuccessionRoleKind.ASSISTANT_SENCO
    if key.startswith("lead") or key.startswith("specialistlead"):
        return SuccessionRoleKind.LEAD_PRACTITIONER
    raise ValueError(
        f"unknown role {text.strip()!r} (use SENCO, deputy SENCO, assistant SENCO, "
        "lead practitioner or other)"
    )


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def open(self) -> bool:
        return self in {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}


def parse_action_status(text: str) -> ActionStatus:
    key = _key(text)
    if key in {"planned", "notstarted", "todo", ""}:
        return ActionStatus.PLANNED
    if key in {"inprogress", "started", "underway", "ongoing"}:
        return ActionStatus.IN_PROGRESS
    if key in {"done", "complete", "completed", "finished"}:
        return ActionStatus.DONE
    if key in {"dropped", "cancelled", "canceled", "abandoned"}:
        return ActionStatus.DROPPED
    raise ValueError(
        f"unknown action status {text.strip()!r} (use planned, in progress, done or dropped)"
    )
