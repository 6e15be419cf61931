"""Succession roles: the SEND roles a school keeps a bench for, and who holds them.

Also the one way the other succession files (candidates, development actions) name a role:
by its title, or, for the SENCO team, by the role itself ("SENCO", "Deputy SENCO") before
anyone has recorded it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sencoplan.domain.codes import NeedType, parse_need
from sencoplan.domain.models import StaffMember, SuccessionRole
from sencoplan.domain.succession import effective_roles
from sencoplan.domain.succession_codes import SuccessionRoleKind, parse_succession_role_kind
from sencoplan.io.columns import Column, RowReader
from sencoplan.io.dates import parse_date
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.store.bulk import Progress
from sencoplan.store.staff import list_staff
from sencoplan.store.succession import list_roles, save_role

columns = [
    Column("title", ("Role", "Title", "Role Title"), required=True),
    Column("kind", ("Kind", "Role Kind", "Type")),
    Column("need", ("Need", "Need Type", "Lead Need")),
    Column("holder", ("Holder", "Held By", "Staff", "Staff Name")),
    Column("holder_since", ("Holder Since", "In Role Since", "Appointed", "Since")),
]
school_scoped = True

SENCO_TEAM = (
    SuccessionRoleKind.SENCO,
    SuccessionRoleKind.DEPUTY_SENCO,
    SuccessionRoleKind.ASSISTANT_SENCO,
)
"""Roles a file may name before they are recorded: every school has (or lacks) them."""

_TAIL = re.compile(r".*?(?::\s*(.+?)\s*$|\(\s*([^)]+?)\s*\)\s*$)")


def kind_from_title(title: str) -> SuccessionRoleKind | None:
    """'Deputy SENCO' -> deputy SENCO; 'Lead practitioner: SLCN' and 'SENCO (KS3)' by their
    first words; None when the title says nothing about the kind ('Autism lead')."""
    head = re.split(r"[:(\u2013\u2014]|\s-\s", title, maxsplit=1)[0]
    for text in (title, head):
        try:
            kind = parse_succession_role_kind(text)
        except ValueError:
            continue
        if kind is not SuccessionRoleKind.OTHER:
            return kind
    return None


def need_from_title(title: str) -> NeedType | None:
    """'Lead practitioner: SLCN' or 'Lead practitioner (autism)' -> the need it names."""
    match = _TAIL.match(title)
    if match is None:
        return None
    try:
        return parse_need(match.group(1) or match.group(2))
    except ValueError:
        return None


def _implied_kind(title: str) -> SuccessionRoleKind | None:
    """A SENCO-team kind when the whole title names it ('SENCO', 'Deputy SENDCo')."""
    try:
        kind = parse_succession_role_kind(title)
    except ValueError:
        return None
    return kind if kind in SENCO_TEAM else None


@dataclass
class RoleFinder:
    """A school's roles by title for candidates and actions. A SENCO-team role the file
    names but nobody has recorded yet is created, held by whom the staff list implies (as
    the succession review does), when the import is written."""

    school_id: int
    stored: list[SuccessionRole]
    in_post: dict[int, StaffMember]
    new: dict[SuccessionRoleKind, SuccessionRole] = field(default_factory=dict)
    saved: dict[SuccessionRoleKind, int] = field(default_factory=dict)

    @classmethod
    def load(cls, ctx: ImportContext) -> RoleFinder:
        staff = {
            member.id: member
            for member in list_staff(ctx.db, ctx.school_id)
            if member.id is not None and member.in_post(ctx.today)
        }
        return cls(ctx.school_id, list_roles(ctx.db, ctx.school_id), staff)

    def find(
        self, reader: RowReader, field_name: str, *, required: bool = False
    ) -> SuccessionRole | None:
        """The role a row names (an error if there is none), or None for a blank cell."""
        title = reader.read(field_name, str, required=required)
        if title is None:
            return None
        wanted = title.strip().casefold()
        for role in self.stored:
            if role.title.casefold() == wanted:
                return role
        kind = _implied_kind(title)
        if kind is not None:
            of_kind = [role for role in self.stored if role.kind is kind]
            if len(of_kind) == 1:
                return of_kind[0]
            if of_kind:
                titles = " or ".join(repr(role.title) for role in of_kind)
                reader.error(field_name, f"several {kind.label} roles: name one ({titles})")
                return None
            return self._implied(kind)
        known = ", ".join(repr(role.title) for role in self.stored) or "none yet"
        reader.error(
            field_name,
            f"no role called {title.strip()!r} (roles: {known}; add it with a roles file)",
        )
        return None

    def _implied(self, kind: SuccessionRoleKind) -> SuccessionRole:
        if kind not in self.new:
            implied = [
                role
                for role in effective_roles(self.stored, self.in_post, self.school_id)
                if role.kind is kind and role.id is None
            ]
            self.new[kind] = (
                implied[0]
                if implied
                else SuccessionRole(school_id=self.school_id, kind=kind, title=kind.label)
            )
        return self.new[kind]

    def save_new(self, ctx: ImportContext) -> None:
        """Write the roles the file implied (inside the import's transaction)."""
        for kind, role in self.new.items():
            if kind not in self.saved:
                saved = save_role(ctx.db, role)
                assert saved.id is not None
                self.saved[kind] = saved.id

    def role_id(self, role: SuccessionRole) -> int:
        """The id of a stored role, or of an implied one once `save_new` has run."""
        if role.id is not None:
            return role.id
        return self.saved[role.kind]


_FIELDS = {"title": "title", "kind": "kind", "need": "need", "holder_since": "holder_since"}


def _holder(ctx: ImportContext, reader: RowReader, staff: dict[int, StaffMember]) -> int | None:
    """The holder a row names: a member of this school's staff who has not left."""
    staff_id = staff_lookup(ctx, reader, "holder")
    member = staff.get(staff_id) if staff_id is not None else None
    if member is not None and member.leaving_date and not member.in_post(ctx.today):
        reader.error(
            "holder",
            f"{member.name} left on {member.leaving_date:%d/%m/%Y}: leave it blank "
            "(the role is vacant) or name who holds it now",
        )
    return staff_id


def _kind_and_need(
    title: str,
    kind: SuccessionRoleKind | None,
    need: NeedType | None,
    before: SuccessionRole | None,
) -> tuple[SuccessionRoleKind, NeedType | None]:
    """The role's kind (the file's, else read from its title, else as it was, else other)
    and, for a lead practitioner, the need its title names."""
    kind = kind or kind_from_title(title) or (before.kind if before else None)
    kind = kind or SuccessionRoleKind.OTHER
    if need is None and kind is SuccessionRoleKind.LEAD_PRACTITIONER:
        need = need_from_title(title)
    return kind, need


def prepare(ctx: ImportContext) -> Writer:
    existing = {role.title.casefold(): role for role in list_roles(ctx.db, ctx.school_id)}
    staff = {m.id: m for m in list_staff(ctx.db, ctx.school_id) if m.id is not None}
    seen: dict[str, int] = {}
    to_save: list[SuccessionRole] = []
    for reader in ctx.rows():
        title = reader.read("title", str, required=True)
        if title is not None:
            title = " ".join(title.split())
            reader.once("title", title.casefold(), seen, f"role {title!r}")
        kind = reader.read("kind", parse_succession_role_kind)
        need = reader.read("need", parse_need)
        values: dict[str, Any] = {}
        if reader.has("holder"):
            named = reader.text("holder").strip()
            values["holder_id"] = _holder(ctx, reader, staff) if named else None
        if reader.has("holder_since"):
            values["holder_since"] = reader.read("holder_since", parse_date)
        if not reader.ok or title is None:
            continue
        before = existing.get(title.casefold())
        kind, need = _kind_and_need(title, kind, need, before)
        if need is not None and kind in SENCO_TEAM:
            reader.error("need", f"a {kind.label} role covers every need: leave Need blank")
            continue
        if reader.has("need") or need is not None:
            values["need"] = need
        merged: dict[str, Any] = before.model_dump() if before else {"school_id": ctx.school_id}
        merged.update(values, title=title, kind=kind)
        new_holder = before is not None and merged.get("holder_id") != before.holder_id
        if new_holder and not reader.has("holder_since"):
            merged["holder_since"] = None  # a new holder: the old date is not theirs
        if merged.get("holder_id") is None and merged.get("holder_since") is not None:
            reader.error("holder_since", "the role has no holder: leave Holder Since blank")
            continue
        role = reader.build(SuccessionRole, merged, _FIELDS)
        if role is not None and ctx.report.tally(before, role):
            to_save.append(role)
    ctx.reject_if_errors()

    def write(progress: Progress) -> None:
        for done, role in enumerate(to_save, start=1):
            save_role(ctx.db, role)
            progress(done, len(to_save))

    return write
