"""Who teaches or supports whom. A supports file is the whole picture: it replaces the last."""

from __future__ import annotations

from typing import Any

from sencoplan.domain.staff_codes import parse_support_kind
from sencoplan.domain.upn import normalise_upn
from sencoplan.io.columns import Column
from sencoplan.io.errors import RowError
from sencoplan.io.importers.base import ImportContext, Writer, staff_lookup
from sencoplan.store.bulk import Progress, write_in_batches
from sencoplan.store.pupils import pupils_by_upn, reg_groups
from sencoplan.store.supports import clear_supports, count_supports

columns = [
    Column("staff", ("Staff", "Name", "Staff Name"), required=True),
    Column("upn", ("UPN", "Pupil UPN")),
    Column("class", ("Class", "Reg Group", "Form", "Teaching Group")),
    Column("kind", ("Kind", "Support", "Relationship")),
]
school_scoped = True


def prepare(ctx: ImportContext) -> Writer:
    pupils = pupils_by_upn(ctx.db, ctx.school_id)
    classes = {group.casefold(): group for group in reg_groups(ctx.db, ctx.school_id)}
    if not ctx.headings.has("upn") and not ctx.headings.has("class"):
        ctx.errors.append(RowError(0, "UPN", "the file needs a UPN column or a Class column"))
    seen: set[tuple[Any, ...]] = set()
    inserts: list[dict[str, Any]] = []
    for reader in ctx.rows():
        staff_id = staff_lookup(ctx, reader)
        kind = reader.read("kind", parse_support_kind)
        upn_text, class_text = reader.text("upn"), reader.text("class")
        pupil_id: int | None = None
        group: str | None = None
        if upn_text and class_text:
            reader.error("upn", "give a UPN or a class on each line, not both")
        elif upn_text:
            upn = reader.read("upn", normalise_upn)
            if upn is not None:
                pupil = pupils.get(upn)
                if pupil is None:
                    reader.error("upn", f"no pupil with UPN {upn} on this school's roll")
                else:
                    pupil_id = pupil.id
        elif class_text:
            group = classes.get(class_text.casefold())
            if group is None:
                reader.error("class", f"no pupils are in class {class_text!r}")
        else:
            reader.error("upn" if ctx.headings.has("upn") else "class", "is blank")
        if not reader.ok or staff_id is None:
            continue
        row = {
            "school_id": ctx.school_id,
            "staff_id": staff_id,
            "pupil_id": pupil_id,
            "reg_group": group,
            "kind": (kind.value if kind else "class_teacher"),
        }
        key = tuple(row.values())
        if key in seen:
            ctx.report.skipped += 1
            continue
        seen.add(key)
        inserts.append(row)
        ctx.report.created += 1
    ctx.reject_if_errors()
    ctx.report.removed = count_supports(ctx.db, ctx.school_id)

    def write(progress: Progress) -> None:
        clear_supports(ctx.db, ctx.school_id)
        write_in_batches(ctx.db, "supports", inserts, [], progress)

    return write
