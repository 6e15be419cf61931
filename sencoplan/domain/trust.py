"""A trust's schools side by side: for each need, the schools whose staff cover it well
and those that cover it poorly, and who at a strong school could lead training for the
others ("Riverside's SLCN lead could train Oakfield's staff").

Coverage is the share of the cover a need's pupils need from their adults that the staff
give (the priorities' coverage, 0 to 1). The strongest school in a need (its coverage at
least STRONG) is linked with the schools whose coverage is at least GAP below it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import Priority
from sencoplan.domain.training import modules_for

STRONG = 0.5
GAP = 0.05
LEADERS_NAMED = 3
"""Leaders named in a sentence before 'and N more'."""


@dataclass(frozen=True)
class SchoolCover:
    school_id: int
    school: str
    coverage: float
    pupils: int


@dataclass
class NeedLink:
    """One need: the strongest school, the schools behind it, and who there could lead."""

    need: NeedType
    strong: SchoolCover
    weak: list[SchoolCover]
    leaders: list[tuple[str, list[str]]] = field(default_factory=list)
    """Staff at the strong school who can lead a module for it, with those modules (the
    highest level first), those who can lead the highest level first."""

    def sentence(self) -> str:
        behind = ", ".join(f"{w.school} ({w.coverage:.0%})" for w in self.weak)
        said = (
            f"{self.need.value}: {self.strong.school} covers {self.strong.coverage:.0%} of "
            f"its pupils' need, {behind} less"
        )
        if self.leaders:
            named = [f"{name} ({', '.join(codes)})" for name, codes in self.leaders]
            more = len(named) - LEADERS_NAMED
            who = ", ".join(named[:LEADERS_NAMED]) + (f" and {more} more" if more > 0 else "")
            whom = " and ".join(w.school for w in self.weak)
            return f"{said}. At {self.strong.school}, {who} could train {whom}'s staff."
        return (
            f"{said}. No one at {self.strong.school} is named or trained to lead its "
            f"{self.need.value} modules yet: name a leader there (on the Succession screen)."
        )


def link_schools(
    lines: Mapping[int, Sequence[Priority]],
    names: Mapping[int, str],
    leaders: Mapping[int, Mapping[NeedType, list[tuple[str, list[str]]]]],
) -> list[NeedLink]:
    """Each need two or more schools have where one is strong and others behind it, the
    widest gap first. `lines`: each school's own priority lines; `leaders`: each school's
    staff who can lead a module for each need."""
    by_need: dict[NeedType, list[SchoolCover]] = {}
    for school, found in lines.items():
        for line in found:
            if line.pupils:
                cover = SchoolCover(
                    school, names.get(school, str(school)), line.coverage, line.pupils
                )
                by_need.setdefault(line.need, []).append(cover)
    links = []
    for need, covers in by_need.items():
        best = max(covers, key=lambda c: (c.coverage, c.pupils))
        weak = sorted(
            (c for c in covers if best.coverage - c.coverage >= GAP),
            key=lambda c: c.coverage,
        )
        if best.coverage >= STRONG and weak:
            links.append(NeedLink(need, best, weak, leaders.get(best.school_id, {}).get(need, [])))
    return sorted(
        links, key=lambda link: (link.weak[0].coverage - link.strong.coverage, link.need.value)
    )


SHARED_MIN = 5
"""Staff without a need's training at a school for one session there to be worth sharing."""
SHARED_SHOWN = 5
"""The needs with the most such staff, suggested."""


@dataclass(frozen=True)
class SharedNeed:
    """A need where staff in several schools lack the training their role needs."""

    need: NeedType
    schools: list[tuple[str, int]]
    """Each school, and its staff without the training their role needs, most first."""
    modules: list[str]
    """The need's own modules, lowest level first."""


def one_session_for_several(
    lines: Mapping[int, Sequence[Priority]],
    names: Mapping[int, str],
    modules: Sequence[Module],
) -> list[SharedNeed]:
    """Needs where several schools each have staff without the training their role needs:
    a session of the need's own modules, shared across the trust, could serve them
    together (which module: the level their roles need, as the planner chooses)."""
    gaps: dict[NeedType, list[tuple[str, int]]] = {}
    for school, found in lines.items():
        for line in found:
            missing = line.staff_relevant - line.staff_trained
            if missing >= SHARED_MIN:
                gaps.setdefault(line.need, []).append((names.get(school, str(school)), missing))
    shared = [
        SharedNeed(need, sorted(schools, key=lambda x: -x[1]), [m.code for m in own])
        for need, schools in gaps.items()
        if len(schools) > 1 and (own := modules_for(need, modules))
    ]
    shared.sort(key=lambda item: (-sum(n for _, n in item.schools), item.need.value))
    return shared[:SHARED_SHOWN]


@dataclass(frozen=True)
class Spend:
    """A school's external training spend in a term against its CPD budget."""

    term: str
    spend: float
    budget: float


@dataclass(frozen=True)
class Joining:
    """A school's pupils joining: how many, with SEN, and from the trust's own schools."""

    pupils: int
    with_sen: int
    from_trust: int


@dataclass
class TrustPaper:
    """Everything the trust board's paper says, read once."""

    names: dict[int, str]
    priorities: list[Priority]
    """The trust's own figures, ranked (a pupil on two rolls counted once)."""
    lines: dict[int, list[Priority]]
    """Each school's own lines, for where needs are and how well each school covers them."""
    links: list[NeedLink]
    shared: list[SharedNeed]
    """Needs one session shared across the trust could serve in several schools."""
    risks: dict[int, list[str]]
    """Each school's succession risks the board should see (a vacant SENCO or deputy
    SENCO post, the NPQ for SENCOs due)."""
    spend: dict[int, list[Spend]]
    """Each school's terms this school year from the one around today."""
    joining: dict[int, Joining]
