"""The codes and words of succession planning: qualifications and their status, how ready
a candidate is, the roles a plan covers, and the state of a development action.

Each enum's value is what is stored; `parse_*` accept the spellings people use.
"""

from __future__ import annotations

from enum import StrEnum

from sencoplan.domain.codes import folded
from sencoplan.domain.staff_codes import Role


class QualificationKind(StrEnum):
    NPQ_SENCO = "npq_senco"
    NASENCO = "nasenco"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"npq_senco": "NPQ for SENCOs", "nasenco": "NASENCO"}.get(self.value, "Other")


def parse_qualification_kind(text: str) -> QualificationKind:
    key = folded(text)
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
    key = folded(text)
    if key in {"held", "complete", "completed", "passed", "awarded"}:
        return QualificationStatus.HELD
    if key in {"studying", "inprogress", "started", "enrolled"}:
        return QualificationStatus.STUDYING
    raise ValueError(f"unknown qualification status {text.strip()!r} (use held or studying)")


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
    key = folded(text)
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
    key = folded(text)
    for kind in SuccessionRoleKind:
        if key in {folded(kind.value), folded(kind.label)}:
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
    key = folded(text)
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
