"""A school's joiners as the command line prints them: counts by need and tier (for
anyone), or, for the receiving SENCO alone, each pupil by name with the sending school's
record (confidential: a pupil's details)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence

from sencoplan.domain.codes import REGISTER_TIERS, Tier
from sencoplan.domain.disclosure import in_words, row_labels
from sencoplan.domain.messages import banded
from sencoplan.domain.models import Module
from sencoplan.domain.priorities import Priority
from sencoplan.domain.training import modules_for
from sencoplan.domain.transition import Joiner, Transition
from sencoplan.io.markdown import inline, table

CONFIDENTIAL = (
    "Confidential: names pupils joining the school. For the receiving SENCO only; share "
    "only with those who need it."
)
TIER_HEADINGS = ("Targeted", "Targeted plus", "Specialist")


def training_lines(
    transition: Transition,
    lines: Sequence[Priority],
    modules: Sequence[Module],
    *,
    exact: bool = False,
) -> list[str]:
    """For each need the joiners bring, the receiving staff's training in it now and the
    modules that cover it: what to train before they arrive."""
    by_need = {line.need: line for line in lines}
    said = []
    for need, tiers in transition.by_need().items():
        line = by_need.get(need)
        staff = (
            f"{line.staff_trained} of {line.staff_relevant} staff who will work with them "
            f"{'holds' if line.staff_trained == 1 else 'hold'} the training their role needs"
            if line is not None and line.staff_relevant
            else "no staff yet work with pupils with this need"
        )
        covering = modules_for(need, modules)
        codes = ", ".join(m.code for m in covering) or "none in the catalogue"
        words: Callable[[int], str] = (
            str if exact else in_words(tiers.total(), [tiers[tier] for tier in REGISTER_TIERS])
        )
        specialist = tiers[Tier.SPECIALIST]
        with_plans = f" ({words(specialist)} with EHCPs)" if specialist else ""
        said.append(
            f"{need.value}: {words(tiers.total())} joining{with_plans}; {staff}; "
            f"modules for it: {codes}"
        )
    return said


def transition_markdown(transition: Transition, training: list[str], *, names: bool = False) -> str:
    """The paper: counts by need and tier (under 5 banded), where they come from, the
    training to plan; with `names`, for the receiving SENCO, exact and each pupil too,
    marked confidential."""
    shown: Callable[[int], str] = str if names else banded
    out = []
    if names:
        out += [f"**{CONFIDENTIAL}**", ""]
    joiners = transition.joiners
    out += [
        f"# Pupils joining {inline(transition.school_name)}",
        "",
        f"{shown(len(joiners))} joining"
        + (f" ({_dates(transition)})" if joiners else "")
        + f", {shown(len(transition.with_sen()))} with SEN.",
        "",
    ]
    if not joiners:
        return "\n".join(out)
    rows = [
        [f"{need.value} ({need.label})", *_cells(tiers, exact=names)]
        for need, tiers in transition.by_need().items()
    ]
    out += ["## By need and tier", "", table(["Need", *TIER_HEADINGS, "Pupils"], rows), ""]
    out += ["## Where they come from", ""]
    out += [f"- {inline(school)}: {shown(n)}" for school, n in transition.senders().items()]
    out += ["", "## Training before they arrive", ""]
    out += [f"- {inline(line)}" for line in training] or ["- None of them has SEN recorded."]
    if names:
        out += ["", "## Each pupil", ""]
        out += [_pupil_line(joiner) for joiner in joiners]
    return "\n".join(out) + "\n"


def _cells(tiers: Counter[Tier], *, exact: bool) -> list[str]:
    """A need's tiers and total: exact for the receiving SENCO, else as any report shows
    them (under 5 banded, a total that would give a banded tier away withheld)."""
    parts = [tiers[tier] for tier in REGISTER_TIERS]
    if exact:
        return [*map(str, parts), str(tiers.total())]
    total, shown = row_labels(tiers.total(), parts)
    return [*shown, total]


def _dates(transition: Transition) -> str:
    days = transition.arriving()
    return (
        "from "
        + ", ".join(f"{day:%d/%m/%Y}" for day in days[:3])
        + (" and later" if len(days) > 3 else "")
    )


def _pupil_line(joiner: Joiner) -> str:
    pupil, record = joiner.pupil, joiner.known
    needs = ", ".join(n.value for n in joiner.needs()) or "no need recorded"
    where = joiner.sender_school or "outside the trust"
    reviews = "; ".join(
        f"{what} due {day:%d/%m/%Y}"
        for what, day in (
            ("EHCP review", record.ehcp_review_due),
            ("ISP review", record.plan_review_due),
        )
        if day
    )
    carried = "" if record is pupil else " (the sending school's record: not yet carried over)"
    return (
        f"- {inline(pupil.display_name or 'no name')} ({pupil.upn or 'no UPN'}), Year "
        f"{pupil.year_group}, from {inline(where)}: {record.tier.label}, {needs}"
        + (f"; {reviews}" if reviews else "")
        + carried
    )


def transition_json(transition: Transition) -> str:
    """Counts only: `pupils`, `with_sen`, `by_need` (pupils with each need), `from`."""
    return json.dumps(
        {
            "school": transition.school_name,
            "pupils": len(transition.joiners),
            "with_sen": len(transition.with_sen()),
            "by_need": {need.value: tiers.total() for need, tiers in transition.by_need().items()},
            "by_need_and_tier": {
                need.value: {tier.value: tiers[tier] for tier in REGISTER_TIERS}
                for need, tiers in transition.by_need().items()
            },
            "from": dict(transition.senders()),
        },
        indent=2,
    )
