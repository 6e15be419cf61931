"""The provision map in the file: the school's catalogue of provisions and its pupils'
places in them. A provisions file is the school's whole picture of places: it replaces the
last, as a supports file does; provisions it names are kept in the catalogue (with their
kind and needs), the others stay there with no one in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import School, StaffMember
from sencoplan.domain.provision import (
    Provision,
    ProvisionKind,
    ProvisionReview,
    PupilProvision,
)
from sencoplan.domain.provision_map import ProvisionMap, places_between, provision_map
from sencoplan.domain.staff_codes import Role
from sencoplan.store.db import write_transaction
from sencoplan.store.rows import fetch, from_row, save_row, to_row


def last_day_sql(place: str) -> str:
    """PupilProvision.last_day in SQL, for a place aliased `place`: its end, else its start
    plus its weeks as school weeks (39 in 52) less a day, else NULL (open-ended)."""
    return (
        f"COALESCE({place}.\"end\", date({place}.start, '+' || "
        f"(({place}.weeks * 52 + 38) / 39 * 7 - 1) || ' days'))"
    )


def list_provisions(db: Database, school_id: int) -> list[Provision]:
    """The school's catalogue, by name, each with its needs."""
    needs: dict[int, list[NeedType]] = {}
    for provision_id, need in db.execute(
        "SELECT n.provision_id, n.need FROM provision_needs n "
        "JOIN provisions p ON p.id = n.provision_id WHERE p.school_id = ? ORDER BY n.need",
        (school_id,),
    ).fetchall():
        needs.setdefault(provision_id, []).append(NeedType(need))
    return [
        Provision(
            id=row_id,
            school_id=school_id,
            name=name,
            kind=ProvisionKind(kind),
            needs=tuple(needs.get(row_id, ())),
        )
        for row_id, name, kind in db.execute(
            "SELECT id, name, kind FROM provisions WHERE school_id = ? ORDER BY name",
            (school_id,),
        ).fetchall()
    ]


def keep_provisions(db: Database, school_id: int, found: list[Provision]) -> dict[str, int]:
    """Add the provisions a file names to the catalogue, or update their kind and needs:
    name (any case) -> id, for every provision of the school."""
    for provision in found:
        db.execute(
            "INSERT INTO provisions (school_id, name, kind) VALUES (?, ?, ?) "
            "ON CONFLICT (school_id, name) DO UPDATE SET kind = excluded.kind",
            (school_id, provision.name, provision.kind.value),
        )
        (provision_id,) = db.execute(
            "SELECT id FROM provisions WHERE school_id = ? AND name = ?",
            (school_id, provision.name),
        ).fetchone()
        db.execute("DELETE FROM provision_needs WHERE provision_id = ?", (provision_id,))
        db.conn.executemany(
            "INSERT INTO provision_needs (provision_id, need) VALUES (?, ?)",
            [(provision_id, need.value) for need in provision.needs],
        )
    return {
        str(name).casefold(): int(row_id)
        for row_id, name in db.execute(
            "SELECT id, name FROM provisions WHERE school_id = ?", (school_id,)
        ).fetchall()
    }


def list_places(db: Database, school_id: int) -> list[PupilProvision]:
    """Every pupil's place in the school's provisions."""
    rows = fetch(db, "SELECT * FROM pupil_provisions WHERE school_id = ? ORDER BY id", (school_id,))
    return [from_row(PupilProvision, row) for row in rows]


def get_place(db: Database, place_id: int) -> PupilProvision | None:
    rows = fetch(db, "SELECT * FROM pupil_provisions WHERE id = ?", (place_id,))
    return from_row(PupilProvision, rows[0]) if rows else None


def save_place(db: Database, place: PupilProvision) -> PupilProvision:
    """Add a pupil's place, or change one (a new deliverer, an end date)."""
    place_id = save_row(db, "pupil_provisions", to_row(place), place.id)
    return place.model_copy(update={"id": place_id})


def resize_group(db: Database, member: PupilProvision, size: int, today: dt.date) -> int:
    """A pupil joined a group: the places in it (the same provision, deliverer and group
    size as `member`, still running) take the new size. How many changed."""
    cursor = db.execute(
        "UPDATE pupil_provisions SET group_size = ? WHERE provision_id = ? "
        "AND staff_id IS ? AND provider IS ? AND group_size = ? "
        f"AND COALESCE({last_day_sql('pupil_provisions')}, ?) >= ?",
        (
            size,
            member.provision_id,
            member.staff_id,
            member.provider,
            member.group_size,
            today.isoformat(),
            today.isoformat(),
        ),
    )
    return cursor.rowcount


def save_provision(db: Database, provision: Provision) -> Provision:
    """Add a provision to the catalogue (or update its kind and needs) by name."""
    ids = keep_provisions(db, provision.school_id, [provision])
    return provision.model_copy(update={"id": ids[provision.name.casefold()]})


def list_reviews(db: Database, school_id: int) -> list[ProvisionReview]:
    """Every review of the school's pupils' places, oldest first."""
    rows = fetch(
        db,
        "SELECT * FROM provision_reviews WHERE school_id = ? ORDER BY reviewed_on, id",
        (school_id,),
    )
    return [from_row(ProvisionReview, row) for row in rows]


def save_review(db: Database, review: ProvisionReview) -> ProvisionReview:
    """Record a review; a second on the same day for the same place replaces the first."""
    row = to_row(review)
    row["continues"] = int(review.continues)
    with write_transaction(db):
        db.execute(
            "DELETE FROM provision_reviews WHERE pupil_id = ? AND provision_id = ? "
            "AND reviewed_on = ? AND id IS NOT ?",
            (review.pupil_id, review.provision_id, row["reviewed_on"], review.id),
        )
        review_id = save_row(db, "provision_reviews", row, review.id)
    return review.model_copy(update={"id": review_id})


def keep_reviews(db: Database, rows: list[dict[str, Any]]) -> None:
    """Reviews from a provisions file: one a pupil, provision and day (a file imported
    again changes its reviews rather than adding them twice)."""
    db.conn.executemany(
        "INSERT INTO provision_reviews (school_id, pupil_id, provision_id, reviewed_on, "
        "outcome, entry_measure, exit_measure, continues, note) VALUES (:school_id, "
        ":pupil_id, :provision_id, :reviewed_on, :outcome, :entry_measure, :exit_measure, "
        ":continues, :note) ON CONFLICT (pupil_id, provision_id, reviewed_on) DO UPDATE SET "
        "outcome = excluded.outcome, entry_measure = excluded.entry_measure, "
        "exit_measure = excluded.exit_measure, continues = excluded.continues",
        [{**row, "continues": int(row["continues"])} for row in rows],
    )


def count_places(db: Database, school_id: int) -> int:
    return int(
        db.execute(
            "SELECT COUNT(*) FROM pupil_provisions WHERE school_id = ?", (school_id,)
        ).fetchone()[0]
    )


def clear_places(db: Database, school_id: int) -> None:
    """A provisions file is the school's whole picture of places: the last goes first."""
    db.execute("DELETE FROM pupil_provisions WHERE school_id = ?", (school_id,))


def role_rates(db: Database, school_id: int) -> dict[Role, float]:
    """The school's hourly rate by staff role, for provisions given no cost per hour."""
    return {
        Role(role): float(rate)
        for role, rate in db.execute(
            "SELECT role, hourly_rate FROM role_rates WHERE school_id = ?", (school_id,)
        ).fetchall()
    }


def save_role_rate(db: Database, school_id: int, role: Role, rate: float) -> None:
    db.execute(
        "INSERT INTO role_rates (school_id, role, hourly_rate) VALUES (?, ?, ?) "
        "ON CONFLICT (school_id, role) DO UPDATE SET hourly_rate = excluded.hourly_rate",
        (school_id, role.value, rate),
    )


@dataclass
class MapInputs:
    """What the provision map is worked out from: the catalogue, the places, the staff
    (for who delivers and their role's rate), the rates and the reviews."""

    provisions: list[Provision]
    places: list[PupilProvision]
    staff: dict[int, StaffMember]
    rates: dict[Role, float]
    reviews: list[ProvisionReview]

    def worked_out(
        self, school: School, between: tuple[dt.date, dt.date] | None = None
    ) -> ProvisionMap:
        """The map of the places under way between two days (None: every place on file)."""
        places = self.places if between is None else places_between(self.places, *between)
        return provision_map(school, self.provisions, places, self.staff, self.rates, self.reviews)


def map_inputs(db: Database, school_id: int) -> MapInputs:
    from sencoplan.store.staff import list_staff

    staff = {m.id: m for m in list_staff(db, school_id) if m.id is not None}
    return MapInputs(
        list_provisions(db, school_id),
        list_places(db, school_id),
        staff,
        role_rates(db, school_id),
        list_reviews(db, school_id),
    )
