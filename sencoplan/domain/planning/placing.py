"""Putting a chosen module into the term's free slots, with someone free to lead it, within
the SENCO's weekly cap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sencoplan.domain.calendar import Term
from sencoplan.domain.models import StaffMember
from sencoplan.domain.planning.choices import Choice
from sencoplan.domain.sessions import CpdSession
from sencoplan.domain.workload import monday

PREP_FACTOR = 1.0
"""Preparation time for a session the SENCO leads, as a share of its length."""


@dataclass
class Placer:
    """The term's free slots, who is busy when, and the SENCO's hours week by week."""

    term: Term
    free: list[dt.datetime]
    staff: Mapping[int, StaffMember]
    senco: set[int]
    week_hours: dict[dt.date, float]
    busy: set[tuple[dt.datetime, int]] = field(default_factory=set)

    def place(self, choice: Choice, reason: str) -> list[CpdSession] | str:
        """The module's parts in the earliest free slots where someone can lead it and the
        SENCO's weeks allow, or why it fits nowhere (said for the earliest slots)."""
        offer = choice.offer
        total = round(offer.module.hours * 60)
        # The parts add up to the module's length: the last takes what rounding leaves.
        lengths = [total // offer.parts] * (offer.parts - 1)
        lengths.append(total - sum(lengths))
        first_refusal = ""
        for start in range(len(self.free) - offer.parts + 1):
            slots = self.free[start : start + offer.parts]
            found = self._fit(choice, slots, max(lengths))
            if isinstance(found, str):
                first_refusal = first_refusal or found
                continue
            leaders, load = found
            for week, hours in load.items():
                self.week_hours[week] = self.week_hours.get(week, 0.0) + hours
            for slot in slots:
                for person in (*choice.audience, *leaders):
                    self.busy.add((slot, person))
            self.free = [slot for slot in self.free if slot not in slots]
            return self._sessions(choice, slots, lengths, leaders, reason)
        return first_refusal or f"{offer.module.code}: no free slots left"

    def _fit(
        self, choice: Choice, slots: list[dt.datetime], minutes: int
    ) -> tuple[list[int], dict[dt.date, float]] | str:
        """Who leads it in these slots and what it adds to the SENCO's weeks, or why not."""
        offer = choice.offer
        name = f"{offer.module.code} {offer.module.title}"
        leaders = self._leaders(choice, slots)
        if leaders is None:
            if not offer.leaders:
                return f"{name}: no one here can lead it (name or train a leader)"
            return (
                f"{name}: the {len(offer.leaders)} who can lead it are busy at those times or "
                "need it themselves"
            )
        load = self._senco_load(leaders, slots, minutes)
        if load is None:
            return (
                f"{name}: only the SENCO is free to lead it and their weeks are full "
                f"({self.term.senco_hours:g} hours a week)"
            )
        return leaders, load

    def _sessions(
        self,
        choice: Choice,
        slots: list[dt.datetime],
        lengths: list[int],
        leaders: list[int],
        reason: str,
    ) -> list[CpdSession]:
        offer = choice.offer
        module = offer.module
        return [
            CpdSession(
                term_id=self.term.id or 0,
                school_id=self.term.school_id,
                day=slot.date(),
                start=slot.time(),
                minutes=lengths[part - 1],
                module_id=module.id,
                title=module.title
                if offer.parts == 1
                else f"{module.title} (part {part} of {offer.parts})",
                facilitators=tuple(leaders),
                audience=choice.audience,
                prep_minutes=round(lengths[part - 1] * PREP_FACTOR)
                if self.senco & set(leaders)
                else 0,
                reason=reason,
            )
            for part, slot in enumerate(slots, start=1)
        ]

    def _leaders(self, choice: Choice, slots: list[dt.datetime]) -> list[int] | None:
        """Nobody from the staff for an external module; else someone who can lead it, is
        free and is not in its audience, sparing the SENCO's time where another can."""
        if choice.offer.external:
            return []
        audience = set(choice.audience)
        for person in sorted(
            choice.offer.leaders,
            key=lambda s: (s in self.senco, self.staff[s].name if s in self.staff else ""),
        ):
            if person not in audience and all((slot, person) not in self.busy for slot in slots):
                return [person]
        return None

    def _senco_load(
        self, leaders: list[int], slots: list[dt.datetime], minutes: int
    ) -> dict[dt.date, float] | None:
        """The SENCO's extra hours per week if they lead it (with preparation), or None
        when that takes a week over their cap."""
        if not self.senco & set(leaders):
            return {}
        load: dict[dt.date, float] = defaultdict(float)
        for slot in slots:
            load[monday(slot.date())] += minutes / 60 * (1 + PREP_FACTOR)
        cap = self.term.senco_hours
        if cap and any(
            self.week_hours.get(week, 0.0) + hours > cap for week, hours in load.items()
        ):
            return None
        return dict(load)
