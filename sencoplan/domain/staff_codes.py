"""The codes and words for staff and training: roles, module levels, phases and settings,
the kinds of support an adult gives a pupil, and who provides a module.

Each enum's value is what is stored; `label` is what a person reads; `parse_*` accept the
spellings MIS exports and people use.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

from sencoplan.domain.codes import folded
from sencoplan.domain.messages import counted


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
    _ROLE_WORDS[folded(_role.value)] = _role
    _ROLE_WORDS[folded(_role.label)] = _role
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
        return _ROLE_WORDS[folded(text)]
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
    key = folded(text)
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
    key = folded(text)
    for phase in Phase:
        if key in {folded(phase.value), folded(phase.label)}:
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
    key = folded(text)
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
    key = folded(text)
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


class Provider(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


def parse_provider(text: str) -> Provider:
    key = folded(text)
    if key in {"internal", "inhouse", "school", "trust"}:
        return Provider.INTERNAL
    if key in {"external", "bought", "buyin"}:
        return Provider.EXTERNAL
    raise ValueError(f"unknown provider {text.strip()!r} (use internal or external)")
