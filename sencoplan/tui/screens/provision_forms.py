"""The Provision screen's forms: a pupil's place (added or changed), its end, and its
review. Each is a title, its fields, how the values become a record and how the record is
saved; the screen shows it and reloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import parse_bool, parse_needs
from sencoplan.domain.models import Pupil, StaffMember
from sencoplan.domain.names import ids_from_names, name_sort_key, nearest
from sencoplan.domain.provision import (
    Provision,
    ProvisionKind,
    ProvisionReview,
    PupilProvision,
    ReviewOutcome,
)
from sencoplan.domain.upn import normalise_upn
from sencoplan.io.columns import parse_number, parse_whole_number
from sencoplan.io.dates import parse_date
from sencoplan.store.provision import (
    get_place,
    resize_group,
    save_place,
    save_provision,
    save_review,
)
from sencoplan.tui.screens.form import Field, FormSpec, date_text, options_of


@dataclass
class ProvisionFacts:
    """What the forms choose from: the school's pupils, staff and catalogue."""

    school_id: int
    pupils: Mapping[int, Pupil]
    staff: Mapping[int, StaffMember]
    provisions: list[Provision]
    today: dt.date


def pupil_of(facts: ProvisionFacts) -> Callable[[str], int]:
    """A form parser: a UPN, or a pupil's name -> their id. A name two pupils share is
    refused, naming each by year and UPN, rather than one of them chosen."""
    by_upn = {p.upn: i for i, p in facts.pupils.items() if p.upn}

    def pupil_id(text: str) -> int:
        try:
            upn = normalise_upn(text)
        except ValueError:
            return _pupil_named(facts, text)
        if upn not in by_upn:
            raise ValueError(f"no pupil with UPN {upn} on the roll")
        return by_upn[upn]

    return pupil_id


def _pupil_named(facts: ProvisionFacts, text: str) -> int:
    key = name_sort_key(text.strip())
    same = [
        (pupil_id, pupil)
        for pupil_id, pupil in facts.pupils.items()
        if pupil.display_name and name_sort_key(pupil.display_name) == key
    ]
    if len(same) == 1:
        return same[0][0]
    if same:
        each = " or ".join(_told_apart(p) for _, p in same)
        raise ValueError(f"{len(same)} pupils are called {text.strip()}: {each}. Give the UPN")
    names = (p.display_name for p in facts.pupils.values() if p.display_name)
    raise ValueError(f"no pupil called {text.strip()!r}{nearest(text, names)}")


def _told_apart(pupil: Pupil) -> str:
    """What tells two pupils of one name apart at a glance: 'Year 9, 9K, Targeted
    (C961412314821)' (a form the SENCO fills in, never shared: presenter mode blocks it)."""
    said = [f"Year {pupil.year_group}", pupil.reg_group or "", pupil.tier.label]
    return ", ".join(part for part in said if part) + f" ({pupil.upn or 'no UPN'})"


def _pupil_text(facts: ProvisionFacts, pupil_id: int | None) -> str:
    pupil = facts.pupils.get(pupil_id or 0)
    return (pupil.upn or pupil.display_name or "") if pupil else ""


def _deliverer_text(facts: ProvisionFacts, place: PupilProvision | None) -> str:
    if place is None:
        return ""
    member = facts.staff.get(place.staff_id or 0)
    return member.name if member else (place.provider or "")


def _catalogue(facts: ProvisionFacts) -> dict[str, Provision]:
    return {p.name.casefold(): p for p in facts.provisions}


def _deliverer(facts: ProvisionFacts, values: dict[str, Any]) -> dict[str, Any]:
    """Who delivers it: one of the staff, else (only for an external provision) a provider.
    Raises ValueError naming the nearest staff names."""
    text = values.get("delivered_by") or ""
    if not text:
        return {"staff_id": None, "provider": None}
    names = {i: m.name for i, m in facts.staff.items()}
    try:
        (staff_id,) = ids_from_names(names, text)
    except ValueError:
        if _kind(facts, values) is ProvisionKind.EXTERNAL:
            return {"staff_id": None, "provider": text}
        raise
    return {"staff_id": staff_id, "provider": None}


def _kind(facts: ProvisionFacts, values: dict[str, Any]) -> ProvisionKind:
    """An existing provision keeps its kind; a new one takes the kind chosen."""
    known = _catalogue(facts).get((values.get("provision") or "").casefold())
    if known is not None:
        return known.kind
    return ProvisionKind(values.get("kind") or ProvisionKind.SMALL_GROUP.value)


def place_form(
    facts: ProvisionFacts, place: PupilProvision | None, *, like: PupilProvision | None = None
) -> FormSpec:
    """Add a pupil's place (None) or change one: what, who, how much, cost, dates, target.
    A new place `like` another (the highlighted provision's) starts from its settings, and
    can set the rest of that group to the new group size."""
    catalogue = {p.id: p for p in facts.provisions}
    shown = place or like
    provision = catalogue.get(shown.provision_id) if shown else None

    def text(value: object, default: str = "") -> str:
        return (
            default if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        )

    fields = [
        Field(
            "pupil_id",
            "Pupil (UPN or name)",
            _pupil_text(facts, place.pupil_id if place else None),
            parse=pupil_of(facts),
            required=True,
            suggest=sorted({p.display_name for p in facts.pupils.values() if p.display_name}),
        ),
        Field(
            "provision",
            "Provision",
            provision.name if provision else "",
            required=True,
            help="One in the catalogue ("
            + (", ".join(p.name for p in facts.provisions[:6]) or "none yet")
            + (", ..." if len(facts.provisions) > 6 else "")
            + "), or a new one",
        ),
        Field(
            "kind",
            "Kind (for a new provision)",
            (provision.kind if provision else ProvisionKind.SMALL_GROUP).value,
            options=options_of(list(ProvisionKind)),
        ),
        Field(
            "needs", "Needs (for a new provision)", "", parse=parse_needs, placeholder="SLCN; ASD"
        ),
        Field(
            "delivered_by",
            "Delivered by",
            _deliverer_text(facts, shown),
            help="A member of staff by name; for an external provision, any provider",
            suggest=sorted(member.name for member in facts.staff.values()),
        ),
        Field(
            "group_size",
            "Group size",
            text(_group_size(place, like), "1"),
            parse=parse_whole_number,
        ),
        *_group_field(facts, like if not place else None),
        Field(
            "sessions_per_week",
            "Sessions a week",
            text(shown and shown.sessions_per_week, "1"),
            parse=parse_number,
        ),
        Field(
            "minutes",
            "Minutes a session",
            text(shown and shown.minutes, "30"),
            parse=parse_whole_number,
        ),
        Field("weeks", "Weeks", text(shown and shown.weeks, "38"), parse=parse_whole_number),
        Field(
            "cost_per_hour",
            "Cost per hour (£)",
            text(shown and shown.cost_per_hour),
            parse=parse_number,
            placeholder="blank: the deliverer's role's rate",
        ),
        Field("start", "Start", date_text(shown.start if shown else facts.today), parse=parse_date),
        Field("end", "End", date_text(place.end if place else None), parse=parse_date),
        Field("target", "Target", shown.target if shown else ""),
        Field(
            "review_date",
            "Review date",
            date_text(shown.review_date if shown else None),
            parse=parse_date,
        ),
        Field(
            "entry_measure",
            "Entry measure (a baseline, where the provision has a measure)",
            text(place and place.entry_measure),
            parse=parse_number,
        ),
    ]
    kept: dict[str, Any] = {"like": like}
    owner = whose(facts, place)
    return FormSpec(
        f"Change {owner} place" if place else "Add a place",
        fields,
        build=lambda values: _build_place(facts, place, values, kept),
        save=lambda db, built: _save_place(db, built, kept, facts.today),
        problems=lambda values: _place_problems(facts, values),
        original=place,
        current=get_place if place else None,
    )


def _group_size(place: PupilProvision | None, like: PupilProvision | None) -> int | None:
    """A new place in a group is one more in it; otherwise the place's own size."""
    if place is None and like is not None and like.group_size > 1:
        return like.group_size + 1
    shown = place or like
    return shown.group_size if shown else None


def whose(facts: ProvisionFacts, place: PupilProvision | None) -> str:
    """ "Ann Smith's" (by name: the forms are not for presenter mode)."""
    pupil = facts.pupils.get(place.pupil_id) if place else None
    name = (pupil.display_name or pupil.upn) if pupil else None
    return f"{name}'s" if name else "the pupil's"


def _group_field(facts: ProvisionFacts, like: PupilProvision | None) -> list[Field]:
    """Adding a pupil to a group: whether the group's other places take the new size."""
    if like is None or like.group_size < 2:
        return []
    return [
        Field(
            "whole_group",
            "The group's other places take this group size too",
            "yes",
            options=[("yes", "yes"), ("no", "no")],
            parse=parse_bool,
        )
    ]


def _place_problems(facts: ProvisionFacts, values: dict[str, Any]) -> list[tuple[str, str]]:
    said = []
    try:
        _deliverer(facts, values)
    except ValueError as problem:
        said.append(("delivered_by", f"{problem} (an external provider? choose the kind External)"))
    kind = _kind(facts, values)
    if kind is ProvisionKind.ONE_TO_ONE and (values.get("group_size") or 1) != 1:
        said.append(("group_size", "a one-to-one provision has a group of 1"))
    return said


def _build_place(
    facts: ProvisionFacts,
    place: PupilProvision | None,
    values: dict[str, Any],
    kept: dict[str, Any],
) -> PupilProvision:
    name = str(values.pop("provision")).strip()
    known = _catalogue(facts).get(name.casefold())
    kept["provision"] = known or Provision(
        school_id=facts.school_id,
        name=name,
        kind=_kind(facts, {**values, "provision": name}),
        needs=tuple(values.get("needs") or ()),
    )
    who = _deliverer(facts, {**values, "provision": name})
    kept["whole_group"] = values.pop("whole_group", None)
    for unused in ("kind", "needs", "delivered_by"):
        values.pop(unused, None)
    given = {key: value for key, value in values.items() if value is not None}
    return PupilProvision.model_validate(
        {
            **given,
            **who,
            "target": values.get("target") or "",
            "start": values.get("start"),
            "end": values.get("end"),
            "review_date": values.get("review_date"),
            "cost_per_hour": values.get("cost_per_hour"),
            "school_id": facts.school_id,
            "provision_id": known.id if known and known.id else 0,
            "id": place.id if place else None,
        }
    )


def _save_place(
    db: Database, place: PupilProvision, kept: dict[str, Any], today: dt.date
) -> PupilProvision:
    provision: Provision = kept["provision"]
    if provision.id is None:
        provision = save_provision(db, provision)
    assert provision.id is not None
    saved = save_place(db, place.model_copy(update={"provision_id": provision.id}))
    like: PupilProvision | None = kept.get("like")
    if kept.get("whole_group") and like is not None and like.provision_id == provision.id:
        resize_group(db, like, saved.group_size, today)
    return saved


def end_form(place: PupilProvision, today: dt.date, whose: str) -> FormSpec:
    """End a place: the day its last session was (today unless given)."""

    def build(values: dict[str, Any]) -> PupilProvision:
        return PupilProvision.model_validate({**place.model_dump(), "end": values["end"]})

    return FormSpec(
        f"End {whose} place",
        [Field("end", "Ends on", date_text(today), parse=parse_date, required=True)],
        build,
        save_place,
        original=place,
        current=get_place,
    )


def review_form(place: PupilProvision, today: dt.date, whose: str) -> FormSpec:
    """Review a place: progress against its target, and whether it continues (if not, the
    place ends on the day of the review; if it does, its next review date moves on)."""
    fields = [
        Field("reviewed_on", "Reviewed on", date_text(today), parse=parse_date, required=True),
        Field(
            "outcome",
            f"Outcome against the target{': ' + place.target if place.target else ''}",
            "",
            options=[(o.label, o.value) for o in ReviewOutcome],
        ),
        Field(
            "entry_measure",
            "Entry measure",
            f"{place.entry_measure:g}" if place.entry_measure is not None else "",
            parse=parse_number,
            placeholder="e.g. a standardised score",
        ),
        Field("exit_measure", "Exit measure", parse=parse_number),
        Field(
            "continues",
            "Continues",
            "yes",
            options=[("yes", "yes"), ("no", "no")],
            required=True,
            parse=parse_bool,
        ),
        Field(
            "next_review",
            "Next review",
            parse=parse_date,
            placeholder="dd/mm/yyyy (if it continues)",
        ),
        Field("note", "Note"),
    ]
    kept: dict[str, Any] = {}

    def build(values: dict[str, Any]) -> ProvisionReview:
        kept["next_review"] = values.pop("next_review")
        given = {key: value for key, value in values.items() if value is not None}
        return ProvisionReview.model_validate(
            {
                **given,
                "school_id": place.school_id,
                "pupil_id": place.pupil_id,
                "provision_id": place.provision_id,
            }
        )

    def problems(values: dict[str, Any]) -> list[tuple[str, str]]:
        said = []
        if values["outcome"] is None:
            said.append(("outcome", "required: met, partly met or not met"))
        if values["reviewed_on"] and values["reviewed_on"] > today:
            said.append(("reviewed_on", "is after today: record a review once it is held"))
        after = values["next_review"]
        if after and values["reviewed_on"] and after <= values["reviewed_on"]:
            said.append(("next_review", "must fall after this review"))
        return said

    def save(db: Database, review: ProvisionReview) -> ProvisionReview:
        saved = save_review(db, review)
        if not review.continues:
            update: dict[str, Any] = {"end": review.reviewed_on}
        else:
            update = {"review_date": kept.get("next_review") or place.review_date}
        if not review.continues and place.end is not None and place.end < review.reviewed_on:
            update = {}
        if update:
            current = get_place(db, place.id or 0) or place
            save_place(db, PupilProvision.model_validate({**current.model_dump(), **update}))
        return saved

    return FormSpec(f"Review {whose} place", fields, build, save, problems)
