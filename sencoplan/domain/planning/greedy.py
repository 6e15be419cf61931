"""The greedy plan: again and again, the module that closes the most gap per slot it takes,
for everyone it helps who has the CPD hours (within the room and the budget)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sencoplan.domain.models import StaffMember
from sencoplan.domain.names import name_sort_key
from sencoplan.domain.planning.choices import Choice, Limits, Offer, fits
from sencoplan.domain.planning.gains import GainModel


def audience_for(
    offer: Offer, model: GainModel, limits: Limits, staff: Mapping[int, StaffMember]
) -> Choice | None:
    """The module for everyone it helps who has the hours, most helped first, as many as
    the room and the budget allow; None when it helps no one who can come."""
    hours = offer.module.hours
    helped = []
    for person, member in staff.items():
        if not fits(offer.module, member) or limits.hours_left.get(person, 0.0) < hours - 1e-9:
            continue
        gain = model.gain(person, offer.module)
        if gain > 1e-12:
            helped.append((gain, person))
    helped.sort(key=lambda item: (-item[0], name_sort_key(staff[item[1]].name)))
    if not offer.external and offer.leaders and offer.leaders <= {p for _, p in helped}:
        # Everyone who can lead it would gain from it: the one who gains least leads it.
        helped.remove(min(item for item in helped if item[1] in offer.leaders))
    room = [limit for limit in (limits.capacity, limits.afford(offer)) if limit is not None]
    if room:
        helped = helped[: min(room)]
    if not helped:
        return None
    return Choice(offer, tuple(person for _, person in helped), sum(gain for gain, _ in helped))


def best_choice(
    offers: Iterable[Offer],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
    refused: set[int],
) -> Choice | None:
    """The choice that closes the most gap per slot among the modules that fit the slots
    left and can be led (an internal module needs someone here who can lead it)."""
    best: Choice | None = None
    for offer in offers:
        if offer.id in refused or offer.parts > limits.slots:
            continue
        if not offer.external and not offer.leaders:
            continue
        choice = audience_for(offer, model, limits, staff)
        if choice is not None and (best is None or _better(choice, best)):
            best = choice
    return best


def best_in_house(
    offers: Iterable[Offer],
    model: GainModel,
    limits: Limits,
    staff: Mapping[int, StaffMember],
    refused: set[int],
) -> Choice | None:
    """The best choice the school could lead itself: what buying a module is weighed against."""
    return best_choice((o for o in offers if not o.external), model, limits, staff, refused)


def _better(choice: Choice, than: Choice) -> bool:
    """More gap per slot; on a tie, more gap in all (a deeper module that does all a
    shorter one does and more uses the same people's hours better)."""
    if abs(choice.value - than.value) > 1e-9:
        return choice.value > than.value
    return choice.gain > than.gain + 1e-9
