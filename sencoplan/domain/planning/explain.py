"""Why a plan leaves something open: a top need it hardly moves, a free slot it leaves empty.

Every reason says what would change it (a leader to name, money, hours, a longer slot).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from sencoplan.domain.codes import NeedType
from sencoplan.domain.messages import counted
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.planning.choices import Limits, Offer, fits
from sencoplan.domain.planning.gains import GainModel
from sencoplan.domain.staff_codes import Provider


@dataclass(frozen=True)
class Room:
    """What the term had to offer when planning began: the facts behind a 'left open'."""

    catalogue: list[Module]
    holders: Mapping[int, set[int]]
    staff: Mapping[int, StaffMember]
    free_slots: int
    slot_minutes: int
    hours_left: Mapping[int, float]
    exposed: Mapping[NeedType, set[int]]


def listed(items: list[str]) -> str:
    """A list as a sentence says it: "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def how_many_have_the_hours(able: int, audience: int) -> str:
    """Why a module cannot run for its audience, counted in plain English (one "has")."""
    if audience == 1:
        return "the one member of staff it is for does not have that many CPD hours"
    if able == 0:
        return f"none of the {audience} staff it is for has that many CPD hours"
    verb = "has" if able == 1 else "have"
    return f"only {able} of the {audience} staff it is for {verb} that many CPD hours"


def why_still_open(need: NeedType, room: Room, budget: float) -> str:
    """Why the plan hardly moves one of the top needs: what would have to change."""
    fitting = [m for m in room.catalogue if need in m.needs and len(set(m.needs)) < len(NeedType)]
    if not fitting:
        return f"{need.value} hardly moves: no module in the catalogue is about it; add one"
    reasons = []
    unled = [
        m.code
        for m in fitting
        if m.provider is Provider.INTERNAL
        and not (room.holders.get(m.id or 0, set()) & set(room.staff))
    ]
    if unled:
        reasons.append(f"no one here can lead {', '.join(unled)} (name or train a leader)")
    dear = [m for m in fitting if m.provider is Provider.EXTERNAL and m.cost > budget]
    if dear:
        costs = listed([f"{m.code} costs £{m.cost:,.0f} a person" for m in dear])
        left = f"£{budget:,.0f} is left" if budget >= 1 else "the budget is spent"
        reasons.append(f"the budget is too small: {costs}, and {left}")
    longer = [m for m in fitting if math.ceil(m.hours * 60 / room.slot_minutes) > room.free_slots]
    if room.free_slots == 0:
        reasons.append("no free CPD slots are left this term")
    elif longer:
        names = listed([f"{m.code} takes {m.hours:g} hours" for m in longer])
        slots = "slot" if room.free_slots == 1 else "slots"
        room_left = f"the {room.free_slots} free {room.slot_minutes}-minute {slots}"
        if len(longer) == 1:
            reasons.append(
                f"{names}: more than {room_left} (add it as a session on an INSET day, "
                "or plan it next term)"
            )
        else:
            reasons.append(
                f"{names}: each more than {room_left} (add them as sessions on an INSET "
                "day, or plan them next term)"
            )
    people = [room.staff[p] for p in room.exposed.get(need, set()) if p in room.staff]
    for module in fitting:
        audience = [p for p in people if fits(module, p)]
        able = [p for p in audience if room.hours_left.get(p.id or 0, 0) >= module.hours]
        if audience and len(able) < len(audience) / 2:
            reasons.append(
                f"{module.code} takes {module.hours:g} hours and "
                f"{how_many_have_the_hours(len(able), len(audience))} left this term"
            )
    if not reasons:
        reasons.append("the free slots or the staff's CPD hours ran out first")
    return f"{need.value} hardly moves: " + "; ".join(reasons)


def empty_slots_reason(
    offers: list[Offer],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
    refused: Mapping[int, str],
) -> str:
    """Why the free slots left hold no session: for the modules that would still close a
    gap, what stops them, grouped (the biggest gap first)."""
    found: dict[str, list[tuple[float, Offer]]] = {}
    for offer in offers:
        helped = [
            (person, gain)
            for person, member in staff.items()
            if fits(offer.module, member) and (gain := model.gain(person, offer.module)) > 1e-12
        ]
        if helped:
            why = _what_stops(offer, helped, limits, refused)
            found.setdefault(why, []).append((sum(g for _, g in helped), offer))
    if not found:
        return (
            "no module in the catalogue closes a gap that is left: everyone it would help "
            "holds it, or has it planned"
        )
    ranked = sorted(found.items(), key=lambda item: -max(gain for gain, _ in item[1]))
    return "; ".join(
        _said(why, [o for _, o in sorted(items, key=lambda i: -i[0])], limits, refused)
        for why, items in ranked
    )


def _what_stops(
    offer: Offer,
    helped: list[tuple[int, float]],
    limits: Limits,
    refused: Mapping[int, str],
) -> str:
    """The kind of obstacle: refused (placing failed), leader, slots, hours or budget."""
    if offer.id in refused:
        return "refused"
    if not offer.external and not offer.leaders:
        return "leader"
    if offer.parts > limits.slots:
        return "slots"
    able = [p for p, _ in helped if limits.hours_left.get(p, 0.0) >= offer.module.hours - 1e-9]
    if not able:
        return "hours"
    if limits.afford(offer) == 0:
        return "budget"
    return "booked"


def _said(why: str, offers: list[Offer], limits: Limits, refused: Mapping[int, str]) -> str:
    """One kind of obstacle in words, naming the modules it stops."""
    codes = listed([o.module.code for o in offers[:4]])
    if why == "refused":
        return "; ".join(refused[o.id] for o in offers[:2])
    if why == "leader":
        return f"no one here can lead {codes} (name or train a leader)"
    if why == "slots":
        takes = listed([f"{o.module.code} {o.parts} slots" for o in offers[:4]])
        free = "1 slot is" if limits.slots == 1 else f"{limits.slots} slots are"
        return (
            f"{free} left, and the modules that would still close a gap take more ({takes}): "
            "run one on an INSET day instead, or next term"
        )
    if why == "hours":
        return f"those whom {codes} would help have too few CPD hours left this term"
    if why == "budget":
        left = limits.budget - limits.spent
        money = f"£{left:,.0f} is left" if left >= 1 else "the budget is spent"
        costs = listed(
            [f"{o.module.code} costs £{o.module.cost:,.0f} a person" for o in offers[:3]]
        )
        return f"{costs}, and {money}"
    return f"those whom {codes} would help are already booked at those times"


def left_out(
    planned: list[Offer],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
) -> list[str]:
    """For each module in the plan, the staff it would still help who are not booked on
    it, and why: too few CPD hours, or the budget spent (with what would buy their places)."""
    said = []
    for offer in planned:
        module = offer.module
        helped = [
            person
            for person, member in staff.items()
            if fits(module, member) and model.gain(person, module) > 1e-12
        ]
        if not helped:
            continue
        short = [p for p in helped if limits.hours_left.get(p, 0.0) < module.hours - 1e-9]
        rest = [p for p in helped if p not in short]
        name = f"{module.code} {module.title}"
        if short:
            said.append(
                f"{name}: {_people(short, staff)} it would help {_have(len(short))} too few CPD "
                f"hours left this term for its {module.hours:g} hours"
            )
        if rest and offer.cost and limits.afford(offer) == 0:
            more = offer.cost * len(rest) - max(0.0, limits.budget - limits.spent)
            said.append(
                f"{name}: {_people(rest, staff)} it would help {_are(len(rest))} not booked: "
                f"the budget is spent; £{more:,.0f} more would buy their places"
            )
    return said


def _people(ids: list[int], staff: Mapping[int, StaffMember]) -> str:
    """'2 more (Ann Lee, Bo Ray)', naming at most three."""
    names = sorted(staff[i].name for i in ids)
    rest = len(names) - 3
    shown = ", ".join(names[:3]) + (f" and {counted(rest, 'other')}" if rest > 0 else "")
    return f"{len(ids)} more ({shown})"


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def _are(count: int) -> str:
    return "is" if count == 1 else "are"
