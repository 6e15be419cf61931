"""The session forms: add a session, edit one (its people ticked from the staff)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from sencoplan.domain.calendar import Term
from sencoplan.domain.models import Module, StaffMember
from sencoplan.domain.names import name_sort_key
from sencoplan.domain.planning import PREP_FACTOR
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.domain.staff_codes import Role
from sencoplan.io.dates import parse_date, parse_time
from sencoplan.store.sessions import get_session, save_session
from sencoplan.tui.screens.form import Field, RecordForm, date_text, options_of, picked


def staff_picks(
    staff: Mapping[int, StaffMember],
    today: dt.date,
    chosen: tuple[int, ...],
    *,
    only: bool = False,
) -> list[tuple[str, str]]:
    """Staff in post (and anyone already chosen), by name, to tick; `only`: just those
    chosen (attendance is ticked from the audience)."""
    people = [
        (i, member)
        for i, member in staff.items()
        if i in chosen or (not only and member.in_post(today))
    ]
    people.sort(key=lambda item: name_sort_key(item[1].name))
    return [(f"{member.name} ({member.role.label})", str(i)) for i, member in people]


def _ids_text(ids: tuple[int, ...]) -> str:
    """Ids as a pick list field holds them."""
    return ";".join(str(i) for i in ids)


def edit_session_form(
    session: CpdSession, staff: Mapping[int, StaffMember], today: dt.date, db_path: Path
) -> RecordForm[CpdSession]:
    """Move, re-time or re-staff a session, mark who came, set its status (e)."""
    fields = [
        Field("day", "Date", date_text(session.day), parse=parse_date, required=True),
        Field("start", "Start", f"{session.start:%H:%M}", parse=parse_time, required=True),
        Field("minutes", "Minutes", str(session.minutes), parse=int, required=True),
        Field("room", "Room", session.room),
        Field("objectives", "Objectives (Know / Understand / Adapt)", session.objectives),
        Field(
            "facilitators",
            "Led by",
            _ids_text(session.facilitators),
            parse=picked,
            picks=staff_picks(staff, today, session.facilitators),
            help="none ticked: an external trainer",
        ),
        Field(
            "audience",
            "For",
            _ids_text(session.audience),
            parse=picked,
            picks=staff_picks(staff, today, session.audience),
        ),
        Field(
            "attended",
            "Attended",
            _ids_text(session.attended),
            parse=picked,
            picks=staff_picks(staff, today, session.audience, only=True),
            help="who came, from those it is for (d: everyone, unless ticked here)",
        ),
        Field("evaluation", "Evaluation", session.evaluation),
        Field(
            "prep_minutes",
            "Preparation minutes",
            str(session.prep_minutes),
            parse=int,
            help="the leader's preparation, counted in the SENCO's week when they lead",
        ),
        Field(
            "status",
            "Status",
            session.status.value,
            parse=SessionStatus,
            options=options_of(list(SessionStatus)),
            required=True,
        ),
    ]

    def build(values: dict[str, Any]) -> CpdSession:
        blanks = {
            "room": "",
            "objectives": "",
            "evaluation": "",
            "attended": (),
            "facilitators": (),
            "audience": (),
        }
        values = {k: blanks.get(k) if v is None else v for k, v in values.items()}
        values = {k: v for k, v in values.items() if v is not None}
        return CpdSession.model_validate({**session.model_dump(), **values})

    return RecordForm(
        f"Session {session.id}",
        fields,
        build,
        partial(save_session, today=today),
        db_path,
        original=session,
        current=get_session,
    )


def new_session_form(
    term: Term,
    staff: Mapping[int, StaffMember],
    modules: Mapping[int, Module],
    today: dt.date,
    db_path: Path,
) -> RecordForm[CpdSession]:
    """A session in a slot or at any time (a): module or title, who leads it, who it is for."""
    term_id = term.id
    free = [s for s in term.slots() if s.date() >= today]
    first = free[0] if free else dt.datetime.combine(term.start, term.slot_start)
    fields = [
        Field("day", "Date", date_text(first.date()), parse=parse_date, required=True),
        Field("start", "Start", f"{first:%H:%M}", parse=parse_time, required=True),
        Field("minutes", "Minutes", str(term.slot_minutes), parse=int, required=True),
        Field(
            "module_id",
            "Module",
            "",
            parse=int,
            options=[(f"{m.code} – {m.title}", str(i)) for i, m in modules.items()],
        ),
        Field("title", "Title", ""),
        Field(
            "facilitators",
            "Led by",
            "",
            parse=picked,
            picks=staff_picks(staff, today, ()),
            help="none ticked: an external trainer",
        ),
        Field("audience", "For", "", parse=picked, picks=staff_picks(staff, today, ())),
        Field("room", "Room", ""),
        Field("objectives", "Objectives (Know / Understand / Adapt)", ""),
        Field(
            "prep_minutes",
            "Preparation minutes",
            "",
            parse=int,
            help="blank: as long as the session when the SENCO leads it, else none",
        ),
    ]
    sencos = {i for i, member in staff.items() if member.role is Role.SENCO}

    def needs_a_name(values: dict[str, Any]) -> list[tuple[str, str]]:
        if values.get("module_id") is None and not values.get("title"):
            return [("title", "give the session a module or a title")]
        return []

    def build(values: dict[str, Any]) -> CpdSession:
        values = {k: v for k, v in values.items() if v is not None}
        if not values.get("title") and values.get("module_id") in modules:
            values["title"] = modules[values["module_id"]].title
        if "prep_minutes" not in values and sencos & set(values.get("facilitators", ())):
            values["prep_minutes"] = round(values.get("minutes", 0) * PREP_FACTOR)
        return CpdSession.model_validate(
            {**values, "term_id": term_id, "school_id": term.school_id}
        )

    return RecordForm(
        "Add a session",
        fields,
        build,
        partial(save_session, today=today),
        db_path,
        problems=needs_a_name,
    )
