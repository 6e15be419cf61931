"""Provision: the costed provision map, each provision with its pupils, adults' hours,
who delivers it and its cost, beside the school's total against its notional SEN budget
and the pupils whose support costs more than its threshold. Read from the provisions
file (`import provisions`); `x` writes it as markdown for governors."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from sencoplan.domain.provision_map import ProvisionMap, school_year
from sencoplan.io.provision_report import school_map_text
from sencoplan.store.provision import map_inputs
from sencoplan.store.schools import get_school
from sencoplan.tui.screens.base import DataScreen, file_stem, plain_row

EMPTY = (
    "No provisions yet: import the school's provision map (sencoplan import provisions "
    "FILE, or i and choose Provisions) to see each pupil's support and what it costs."
)


class ProvisionScreen(DataScreen[ProvisionMap | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "x",
            "export",
            "Export",
            id="provision-export",
            tooltip="Write the provision map as markdown (pupil counts banded)",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="provision-body"):
            yield DataTable(id="provisions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="provision-side", classes="detail"):
                yield Static(id="provision-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#provisions", DataTable).add_columns(
            "Provision", "Kind", "Needs", "Pupils", "Adult hours a week", "Delivered by", "Cost"
        )
        self.reload()

    def fetch(self, db: Database, school_id: int) -> ProvisionMap | None:
        school = get_school(db, school_id)
        if school is None:
            return None
        return map_inputs(db, school_id).worked_out(school, school_year(self.sencoplan.today))

    def show(self, data: ProvisionMap | None) -> None:
        self._map = data
        table = self.query_one("#provisions", DataTable)
        table.clear()
        summary = self.query_one("#provision-summary", Static)
        if data is None or not data.lines:
            summary.update(Text(EMPTY))
            return
        for line in data.lines:
            plain_row(
                table,
                line.provision.name,
                line.provision.kind.label,
                ", ".join(need.value for need in line.provision.needs),
                len(line.pupils),
                f"{line.adult_hours:.1f}",
                ", ".join(sorted(line.staff)),
                f"£{line.cost:,.0f}" + (f" ({line.unpriced} not priced)" if line.unpriced else ""),
            )
        summary.update(Text("\n\n".join(_summary(data))))

    def action_export(self) -> None:
        data = getattr(self, "_map", None)
        if data is None or not data.lines:
            self.notify("No provisions to write yet", severity="warning")
            return
        name = f"provision-map-{file_stem(data.school.name)}-{self.sencoplan.today}.md"
        self._write(name, school_map_text(data, markdown=True))

    @work(thread=True, group="export", exit_on_error=False)
    def _write(self, name: str, text: str) -> None:
        from pathlib import Path

        from sencoplan.io.files import write_private

        path = Path.cwd() / name
        write_private(path, text)
        self.app.call_from_thread(self.notify, f"Wrote {path}", markup=False)


def _summary(data: ProvisionMap) -> list[str]:
    school = data.school
    total = f"Total £{data.total_cost:,.0f}"
    if school.notional_sen_budget is not None:
        share = data.total_cost / school.notional_sen_budget if school.notional_sen_budget else 0
        total += f" of a notional SEN budget of £{school.notional_sen_budget:,.0f} ({share:.0%})"
    said = [
        total,
        f"{len(data.over_threshold())} pupils' support costs more than "
        f"£{school.high_cost_threshold:,.0f} a year",
    ]
    if data.unpriced:
        said.append(
            f"{data.unpriced} places have no cost per hour and no rate for their deliverer's "
            "role: not in the totals (import rates to price them)"
        )
    return said
