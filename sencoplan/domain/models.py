"""The records sencoplan keeps, as pydantic models validated on the way in.

Ids are None until the store has saved a record. School-scoped records carry their school.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.rules import pupil_problems
from sencoplan.domain.staff_codes import ModuleLevel, Phase, Provider, Role, Setting, SupportKind
from sencoplan.domain.succession_codes import (
    ActionStatus,
    QualificationKind,
    QualificationStatus,
    Readiness,
    SuccessionRoleKind,
)
from sencoplan.domain.training import expiry_date, valid_on
from sencoplan.domain.upn import normalise_upn
from sencoplan.domain.years import YEAR_GROUPS, parse_year_group

NonBlank = Annotated[str, Field(min_length=1, max_length=200)]
_URN = re.compile(r"[0-9]{6,7}")
_MODULE_CODE = re.compile(r"[A-Za-z0-9._-]+")


class Record(BaseModel):
    # defer_build: each model builds its validator when first used, not at import (66 ms of
    # start-up for models the first screen never touches).
    model_config = ConfigDict(str_strip_whitespace=True, validate_assignment=True, defer_build=True)

    id: int | None = None


class School(Record):
    name: NonBlank
    urn: str | None = None
    phase: Phase = Phase.PRIMARY
    setting: Setting = Setting.MAINSTREAM
    notional_sen_budget: float | None = Field(default=None, ge=0, le=100_000_000)
    """The school's notional SEN budget for the year, against which the provision map's
    total is set (None: not set)."""
    high_cost_threshold: float = Field(default=6000.0, ge=0, le=1_000_000)
    """A pupil's yearly support beyond this is flagged: what the school meets from its
    notional SEN budget before it asks for top-up funding (nominally £6,000)."""

    @field_validator("urn")
    @classmethod
    def _valid_urn(cls, value: str | None) -> str | None:
        if value is not None and not _URN.fullmatch(value):
            raise ValueError("a URN is 6 or 7 digits")
        return value


class Pupil(Record):
    """A pupil on roll (or joining, or left). Names and dates of birth never leave the app."""

    school_id: int
    upn: str | None = None
    display_name: str | None = Field(default=None, max_length=200)
    date_of_birth: dt.date | None = None
    year_group: str
    tier: Tier = Tier.UNIVERSAL
    primary_need: NeedType | None = None
    secondary_need: NeedType | None = None
    reg_group: str | None = Field(default=None, max_length=40)
    on_roll_from: dt.date | None = None
    on_roll_to: dt.date | None = None
    plan_review_due: dt.date | None = None
    ehcp_review_due: dt.date | None = None

    @field_validator("upn")
    @classmethod
    def _valid_upn(cls, value: str | None) -> str | None:
        return normalise_upn(value) if value else None

    @field_validator("year_group", mode="before")
    @classmethod
    def _valid_year(cls, value: object) -> str:
        text = str(value)
        return text if text in YEAR_GROUPS else parse_year_group(text)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = pupil_problems(
            self.tier, self.primary_need, self.secondary_need, self.on_roll_from, self.on_roll_to
        )
        if problems:
            raise ValueError(problems[0][1])
        return self

    def on_roll(self, on: dt.date) -> bool:
        """On roll on that date: admitted (or joining later) and not yet left."""
        return self.on_roll_to is None or self.on_roll_to >= on

    def incoming(self, on: dt.date) -> bool:
        """Joining later: part of the incoming cohort."""
        return self.on_roll_from is not None and self.on_roll_from > on

    @property
    def initials(self) -> str:
        if not self.display_name:
            return "?"
        return "".join(part[0].upper() for part in self.display_name.split() if part)


class StaffMember(Record):
    school_id: int
    name: NonBlank
    role: Role
    fte: float = Field(default=1.0, ge=0, le=1.5)
    cpd_hours: float = Field(default=0.0, ge=0, le=500)
    email: str | None = Field(default=None, max_length=200)
    start_date: dt.date | None = None
    leaving_date: dt.date | None = None

    def in_post(self, on: dt.date) -> bool:
        return self.leaving_date is None or self.leaving_date >= on


class Support(Record):
    """Who works with whom: one pupil, or a whole registration group/class."""

    school_id: int
    staff_id: int
    pupil_id: int | None = None
    reg_group: str | None = None
    kind: SupportKind = SupportKind.CLASS_TEACHER

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.pupil_id is None) == (self.reg_group is None):
            raise ValueError("a support links a member of staff to one pupil or one class")
        return self


class Module(Record):
    """One course in the training catalogue (shared by every school in the file)."""

    code: Annotated[str, Field(min_length=1, max_length=30)]
    title: NonBlank
    needs: tuple[NeedType, ...] = ()
    level: ModuleLevel = ModuleLevel.UNIVERSAL
    hours: float = Field(default=1.0, gt=0, le=200)
    audience: tuple[Role, ...] = ()
    refresh_months: int | None = Field(default=None, gt=0, le=120)
    provider: Provider = Provider.INTERNAL
    organisation: str | None = Field(default=None, max_length=200)
    cost: float = Field(default=0.0, ge=0, le=100_000)
    mandatory_specialist: bool = False
    trains_leaders: bool = False
    """Training to lead adult learning (e.g. 'Leading SEND CPD'): who holds it is trained
    to lead CPD."""

    @field_validator("code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        if not _MODULE_CODE.fullmatch(value):
            raise ValueError("a module code uses letters, digits, - _ and . only")
        return value

    @field_validator("needs")
    @classmethod
    def _some_need(cls, value: tuple[NeedType, ...]) -> tuple[NeedType, ...]:
        if not value:
            raise ValueError("a module covers at least one need type")
        return value

    def covers(self, need: NeedType) -> bool:
        return need in self.needs


class TrainingRecord(Record):
    staff_id: int
    module_id: int
    completed: dt.date
    session_id: int | None = None
    """The session whose delivery recorded it (its last part), or None for a record typed
    or imported by hand."""

    def expires(self, module: Module) -> dt.date | None:
        return expiry_date(self.completed, module.refresh_months)

    def valid_on(self, module: Module, on: dt.date) -> bool:
        return valid_on(self.completed, module.refresh_months, on)


class Qualification(Record):
    staff_id: int
    kind: QualificationKind
    title: str | None = Field(default=None, max_length=200)
    status: QualificationStatus = QualificationStatus.HELD
    started: dt.date | None = None
    completed: dt.date | None = None
    expected: dt.date | None = None


class ConfidenceRating(Record):
    """A survey answer: how confident this person feels with this need, 1 (not) to 5 (very)."""

    staff_id: int
    need: NeedType
    rating: int = Field(ge=1, le=5)
    rated_on: dt.date


class SuccessionRole(Record):
    """A SEND role a school must never depend on one person for, and who holds it."""

    school_id: int
    kind: SuccessionRoleKind
    title: NonBlank
    need: NeedType | None = None
    """For a lead practitioner: the need they lead on (e.g. SLCN)."""
    holder_id: int | None = None
    holder_since: dt.date | None = None
    """When the holder took the role: the NPQ for SENCOs is due 3 years on."""


class Candidate(Record):
    """Someone who could step into a role, and how soon."""

    role_id: int
    staff_id: int
    readiness: Readiness = Readiness.THREE_PLUS_YEARS
    notes: str | None = Field(default=None, max_length=500)


class DevelopmentAction(Record):
    """What someone will do to get ready: a course, shadowing, the NPQ, leading CPD."""

    school_id: int
    staff_id: int
    action: NonBlank
    by_whom: str | None = Field(default=None, max_length=200)
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    module_id: int | None = None
    role_id: int | None = None


class ModuleLeader(Record):
    """A member of staff named as able to lead (facilitate) a module."""

    staff_id: int
    module_id: int
