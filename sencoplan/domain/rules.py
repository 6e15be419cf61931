"""Census rules for a pupil's record, shared by the importers, the forms and the model."""

from __future__ import annotations

import datetime as dt

from sencoplan.domain.codes import NeedType, Tier


def pupil_problems(
    tier: Tier,
    primary: NeedType | None,
    secondary: NeedType | None,
    on_roll_from: dt.date | None = None,
    on_roll_to: dt.date | None = None,
    *,
    entered: bool = False,
) -> list[tuple[str, str]]:
    """(field, reason) for each rule broken; an empty list means the record is consistent.

    `entered`: the record as it is typed or imported, checked against the rules that came
    after some files were saved too (a record read back from the file is not, so it stays
    readable and can be mended). NSA (SEN support, no specialist assessment of the type of
    need) is for pupils on SEN support (K) only: a pupil with an EHCP has had their needs
    assessed."""
    problems: list[tuple[str, str]] = []
    if entered and tier is Tier.SPECIALIST:
        for field, need in (("primary_need", primary), ("secondary_need", secondary)):
            if need is NeedType.NSA:
                problems.append(
                    (
                        field,
                        "NSA (no specialist assessment) is for SEN support (K) only: a pupil "
                        "with an EHCP (E) has an assessed need; give its code",
                    )
                )
    if tier.has_sen and primary is None:
        if tier is Tier.SPECIALIST:
            problems.append(("primary_need", "a pupil with an EHCP (E) must have a primary need"))
        else:
            problems.append(("primary_need", "a pupil on SEN support (K) must have a primary need"))
    if not tier.has_sen and primary is not None:
        problems.append(("primary_need", "a need is given but the SEN status is N (no SEN)"))
    if not tier.has_sen and secondary is not None:
        problems.append(("secondary_need", "a need is given but the SEN status is N (no SEN)"))
    if secondary is not None and primary is None and tier.has_sen:
        problems.append(("secondary_need", "a secondary need is given without a primary need"))
    if secondary is not None and secondary == primary:
        problems.append(("secondary_need", "the secondary need is the same as the primary need"))
    if on_roll_from and on_roll_to and on_roll_to < on_roll_from:
        problems.append(("on_roll_to", "the leaving date is before the admission date"))
    return problems


def not_in_the_future(day: dt.date, today: dt.date, what: str = "") -> dt.date:
    """A date that has to have happened (a birth, training done, a survey answered): the
    day itself, or a ValueError saying it is in the future. The one rule for every form
    and importer."""
    if day > today:
        said = f"{what} {day:%d/%m/%Y}" if what else f"{day:%d/%m/%Y}"
        raise ValueError(f"{said} is in the future")
    return day
