"""Pupils joining a school: from the trust's own schools (the same UPN on the sending
school's roll) or from outside (a Common Transfer File, or the roll's admission date), by
need and tier, with what the receiving staff need to be trained in before they arrive."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sencoplan.domain.codes import NeedType, Tier
from sencoplan.domain.models import Pupil


@dataclass(frozen=True)
class Joiner:
    """A pupil joining: the receiving school's record, and the sending school's where the
    pupil is on another roll in the file."""

    pupil: Pupil
    sender: Pupil | None = None
    sender_school: str | None = None

    @property
    def known(self) -> Pupil:
        """The record whose SEN details count: the receiving school's where it has them,
        else the sending school's (not yet carried over)."""
        sender = self.sender
        if self.pupil.tier is not Tier.UNIVERSAL or sender is None:
            return self.pupil
        return sender if sender.tier is not Tier.UNIVERSAL else self.pupil

    def needs(self) -> list[NeedType]:
        record = self.known
        return [need for need in (record.primary_need, record.secondary_need) if need]


@dataclass
class Transition:
    school_name: str
    joiners: list[Joiner] = field(default_factory=list)

    def with_sen(self) -> list[Joiner]:
        return [j for j in self.joiners if j.known.tier is not Tier.UNIVERSAL]

    def by_need(self) -> dict[NeedType, Counter[Tier]]:
        """Pupils with each need (primary or secondary), by tier, most first."""
        found: dict[NeedType, Counter[Tier]] = {}
        for joiner in self.with_sen():
            for need in joiner.needs():
                found.setdefault(need, Counter())[joiner.known.tier] += 1
        return dict(sorted(found.items(), key=lambda item: (-item[1].total(), item[0].value)))

    def arriving(self) -> list[dt.date]:
        return sorted({j.pupil.on_roll_from for j in self.joiners if j.pupil.on_roll_from})

    def senders(self) -> Counter[str]:
        """Joiners by where they come from ('outside the trust' for the others)."""
        return Counter(j.sender_school or "outside the trust" for j in self.joiners)
