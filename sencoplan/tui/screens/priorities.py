"""Priorities: which training the children on roll need that their staff lack, ranked.

The ranked table, demand against coverage as bars, a need's staff and modules, the staff
who lack training for the pupils they work with, development plan weights changed in place
(+ and -), and a toggle between this school and every school in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from sencoplan.domain.codes import BroadArea, NeedType
from sencoplan.domain.levels import LevelTable
from sencoplan.domain.messages import counted
from sencoplan.domain.priorities import Priority, PriorityResult, StaffAtNeed
from sencoplan.domain.priority_notes import figure_notes
from sencoplan.io.csv_export import CSV_ENCODING, gaps_csv, priorities_csv
from sencoplan.io.exports_folder import ready_exports_folder
from sencoplan.io.files import write_private
from sencoplan.io.priorities_report import TOP_SHARED, priorities_markdown
from sencoplan.store.catalogue import list_modules
from sencoplan.store.levels import level_table
from sencoplan.store.priorities import load_priorities, load_weights, save_weight
from sencoplan.store.schools import school_names
from sencoplan.store.staff import staff_in_post_count
from sencoplan.tui.screens.base import (
    DataScreen,
    file_stem,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.levels_form import levels_form

WEIGHT_STEP = 0.25
WEIGHT_KEYS = Binding.Group("Weight", compact=True)
"""+ and - side by side in the footer, under one word (the help tells them apart)."""
STAFF_VIEW_LIMIT = 5000
"""Staff in post beyond which the whole file's view skips who is trained for what: that
needs a pass over every pupil, and one school's view shows it (switch school with w)."""
BAR_WIDTH = 26
AREA_SHORT = {
    BroadArea.COMMUNICATION: "C&I",
    BroadArea.COGNITION: "C&L",
    BroadArea.SEMH: "SEMH",
    BroadArea.SENSORY_PHYSICAL: "S&P",
    BroadArea.OTHER: "Other",
}


@dataclass
class PrioritiesView:
    result: PriorityResult
    trust: bool
    school_names: dict[int, str]
    module_titles: dict[NeedType, list[str]]
    weights: dict[str, float]
    staff_views: bool = True


def demand_chart(lines: list[Priority]) -> Text:
    """Demand as a bar per need: the covered part solid, the gap hatched.

    The share covered comes before the bar, so a panel too narrow for the longest bar
    cuts the bar's end, never the figure; a line is never wrapped.
    """
    text = Text(no_wrap=True, overflow="crop")
    biggest = max((line.demand for line in lines), default=0.0) or 1.0
    for line in lines:
        width = round(BAR_WIDTH * line.demand / biggest)
        covered = round(width * line.coverage)
        text.append(f"{line.need.value:>5} ")
        text.append(f"{line.coverage:>4.0%} ")
        text.append("█" * covered, style="green")
        text.append("░" * (width - covered), style="red")
        text.append("\n")
    text.append("\n█ covered  ░ gap   (bar length: demand)", style="dim")
    return text


class PrioritiesScreen(DataScreen[PrioritiesView]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "v",
            "toggle_trust",
            "School/trust",
            id="priorities-scope",
            tooltip="Switch between this school and every school in the file",
        ),
        Binding(
            "g",
            "toggle_gaps",
            "Staff gaps",
            id="priorities-gaps",
            tooltip="Who works with needs they are not trained for",
        ),
        Binding(
            "plus,equals_sign",
            "weight(1)",
            "Weight +",
            id="priorities-weight-up",
            tooltip="Raise the development plan weight of the highlighted need",
            group=WEIGHT_KEYS,
        ),
        Binding(
            "minus",
            "weight(-1)",
            "Weight -",
            id="priorities-weight-down",
            tooltip="Lower the development plan weight of the highlighted need",
            group=WEIGHT_KEYS,
        ),
        Binding(
            "greater_than_sign",
            "area_weight(1)",
            "Area +",
            id="priorities-area-up",
            show=False,
            tooltip="Raise the development plan weight of the highlighted need's broad area",
        ),
        Binding(
            "less_than_sign",
            "area_weight(-1)",
            "Area -",
            id="priorities-area-down",
            show=False,
            tooltip="Lower the development plan weight of the highlighted need's broad area",
        ),
        Binding(
            "l",
            "levels",
            "Levels",
            id="priorities-levels",
            show=False,
            tooltip="The training level each relationship to a pupil needs, by tier",
        ),
        Binding(
            "x",
            "export",
            "Export",
            id="priorities-export",
            tooltip="Write the priorities report (markdown) and the table shown (CSV)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.trust = False
        self.show_gaps = False
        self._view: PrioritiesView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="priorities-body"):
            with Vertical(id="priorities-main"):
                yield Label("", id="priorities-scope", classes="panel-title", markup=False)
                yield Label("", id="priorities-note", markup=False)
                yield ProgressBar(id="priorities-progress", show_eta=False)
                yield DataTable(id="priorities", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="staff-gaps", cursor_type="row", zebra_stripes=True)
                # On a narrow terminal (no side panel) the highlighted need's reason, whole.
                yield Static("", id="priorities-reason", markup=False)
            with VerticalScroll(id="priorities-side", classes="detail"):
                yield Label("Demand and coverage", classes="panel-title")
                yield Static(id="priorities-chart")
                yield Static(id="need-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#priorities", DataTable).add_columns(
            "#",
            "Need",
            "Area",
            "Pupils T/T+/S",
            "Trained",
            "Conf.",
            "Cover",
            "Weight",
            "Score",
            "Why",
        )
        self.query_one("#staff-gaps", DataTable).add_columns(
            "Staff", "Role", "Need", "Pupils", "Needs", "Holds", "Modules that would close it"
        )
        self.query_one("#staff-gaps").display = False
        self.query_one("#priorities-progress").display = False
        self.reload()

    def fetch(self, db: Database, school_id: int) -> PrioritiesView:
        today = self.sencoplan.today
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:  # overtaken (v pressed again): not worth saying
                self.app.call_from_thread(self._progress_of, worker, done, total)

        staff_views = not self.trust or staff_in_post_count(db, today) <= STAFF_VIEW_LIMIT
        result = load_priorities(
            db, today, None if self.trust else school_id, staff_views=staff_views, progress=progress
        )
        modules: dict[NeedType, list[str]] = {}
        for module in list_modules(db):
            for need in module.needs:
                if len(module.needs) < len(NeedType):
                    modules.setdefault(need, []).append(
                        f"{module.code} {module.title} ({module.level.label.lower()})"
                    )
        names = school_names(db)
        weights = load_weights(db, None if self.trust else school_id)
        return PrioritiesView(result, self.trust, names, modules, weights, staff_views)

    def _progress_of(self, worker: Worker[None], done: int, total: int) -> None:
        """A load's progress, said for the newest load only (not over what a newer one
        shows: v pressed again while the whole file's lines were worked out)."""
        if self.is_latest(worker):
            self._progress(done, total)

    def _progress(self, done: int, total: int) -> None:
        """Schools' lines being worked out (the first whole-file view after changes)."""
        bar = self.query_one("#priorities-progress", ProgressBar)
        bar.display = done < total
        bar.update(total=total, progress=done)
        self.query_one("#priorities-scope", Label).update(
            f"Training priorities: every school in the file (working out each school's "
            f"lines, kept for next time: {done:,} of {total:,})"
        )

    def show(self, data: PrioritiesView) -> None:
        self._view = data
        self.query_one("#priorities-progress").display = False
        if self.show_gaps and not data.staff_views:
            self.action_toggle_gaps()  # no gaps to show: back to the needs
        school = self.sencoplan.school
        scope = "every school in the file" if data.trust else (school.name if school else "")
        self.query_one("#priorities-scope", Label).update(f"Training priorities: {scope}")
        notes = figure_notes(data.result)
        self.query_one("#priorities-note", Label).update("\n".join(notes))
        self.query_one("#priorities-note").display = bool(notes)
        table = self.query_one("#priorities", DataTable)
        keep = selected_key(table)
        table.clear()
        for line in data.result.priorities:
            tiers = "/".join(str(count) for count in line.tier_counts)
            plain_row(
                table,
                str(line.rank),
                line.need.value,
                AREA_SHORT[line.area],
                f"{line.pupils} ({tiers})",
                f"{line.staff_trained}/{line.staff_relevant}",
                f"{line.confidence:.1f}" if line.confidence is not None else "–",
                f"{line.coverage:.0%}",
                f"+{line.weight:.0%}" if line.weight else "",
                f"{line.score:.1f}",
                line.reason(),
                key=line.need.value,
            )
        restore_cursor(table, keep)
        self.query_one("#priorities-chart", Static).update(demand_chart(data.result.priorities))
        gaps = self.query_one("#staff-gaps", DataTable)
        gaps.clear()
        for gap in data.result.staff_gaps:
            plain_row(
                gaps,
                gap.staff.name,
                gap.staff.role.label,
                gap.need.value,
                str(gap.pupils),
                gap.required.label,
                gap.held.label if gap.held else "none",
                ", ".join(module.code for module in gap.modules) or "none in the catalogue",
            )
        self._show_need()

    def _current_need(self) -> NeedType | None:
        key = selected_key(self.query_one("#priorities", DataTable))
        return NeedType(key) if key else None

    @on(DataTable.RowHighlighted, "#priorities")
    def _highlighted(self) -> None:
        self._show_need()

    def _show_need(self) -> None:
        self.query_one("#need-detail", Static).update(self._need_text())
        need, view = self._current_need(), self._view
        line = (
            next((item for item in view.result.priorities if item.need is need), None)
            if view is not None
            else None
        )
        self.query_one("#priorities-reason", Static).update(line.reason() if line else "")

    @on(DataTable.RowSelected, "#priorities")
    def _open_need(self) -> None:
        """Enter opens the need's detail whole (the side panel hides on narrow terminals)."""
        from sencoplan.tui.screens.detail import DetailScreen

        if self._current_need() is not None:
            self.app.push_screen(DetailScreen(self._need_text()))

    def _need_text(self) -> Text:
        need = self._current_need()
        if self._view is None or need is None:
            return Text("No pupils with SEN are on roll yet.")
        view = self._view
        line = next(item for item in view.result.priorities if item.need is need)
        text = Text()
        text.append(f"\n{need.value}: {need.label}\n", style="bold underline")
        text.append(line.reason() + "\n")
        text.append(_counted_as(line) + "\n", style="dim")
        if view.trust:
            text.append("\nSchools that share the top needs\n", style="bold")
            for top in view.result.priorities[:TOP_SHARED]:
                names = ", ".join(view.school_names.get(s, str(s)) for s in top.school_ids)
                text.append(f"  {top.need.value}: {names}\n")
        if not view.staff_views:
            text.append(
                f"\nWho is trained for it is shown school by school in a file with more "
                f"than {STAFF_VIEW_LIMIT:,} staff: switch school with w.\n",
                style="dim",
            )
            return text
        staff = view.result.staff_by_need.get(need, [])
        untrained = [item for item in staff if not item.trained]
        text.append(f"\nNot trained to the level needed ({len(untrained)})\n", style="bold")
        for item in untrained[:40]:
            held = f"holds {item.level.label.lower()}" if item.level else "no training"
            text.append(
                f"  {item.staff.name} ({item.staff.role.label}), "
                f"{counted(item.pupils, 'pupil')}, "
                f"{_needing(item)}, {held}\n",
                style="red" if item.level is None else "yellow",
            )
        if len(untrained) > 40:
            text.append(f"  … and {len(untrained) - 40} more\n", style="dim")
        trained = [item for item in staff if item.trained]
        text.append(f"\nTrained ({len(trained)})\n", style="bold")
        text.append(
            "  " + (", ".join(item.staff.name for item in trained) or "no one") + "\n",
            style="green",
        )
        text.append("\nModules that cover it\n", style="bold")
        for title in view.module_titles.get(need, []) or ["none in the catalogue"]:
            text.append(f"  {title}\n")
        return text

    def action_levels(self) -> None:
        """Edit this school's table of levels needed; the priorities follow at once."""
        school = self.sencoplan.school
        if school is None or school.id is None:
            self.notify("Choose a school first", severity="warning")
            return
        self._open_levels(school.id)

    @work(thread=True, exclusive=True, group="levels", exit_on_error=False)
    def _open_levels(self, school_id: int) -> None:
        db = self.sencoplan.connect()
        try:
            table = level_table(db, school_id)
        finally:
            db.close()
        self.app.call_from_thread(self._show_levels, school_id, table)

    def _show_levels(self, school_id: int, table: LevelTable) -> None:
        def saved(record: object) -> None:
            if record is not None:
                self.notify("Saved the levels needed: the priorities are worked out again")
                self.sencoplan.data_changed()

        self.app.push_screen(levels_form(self.sencoplan.db_path, school_id, table), saved)

    def action_toggle_trust(self) -> None:
        if len(self.sencoplan.schools) < 2 and not self.trust:
            self.notify("This file holds one school: the trust view is the same")
        self.trust = not self.trust
        self.reload()

    def action_toggle_gaps(self) -> None:
        if self._view is not None and not self._view.staff_views and not self.show_gaps:
            self.notify(
                f"Staff gaps are shown school by school in a file with more than "
                f"{STAFF_VIEW_LIMIT:,} staff: press v for one school"
            )
            return
        self.show_gaps = not self.show_gaps
        self.query_one("#staff-gaps").display = self.show_gaps
        self.query_one("#priorities").display = not self.show_gaps
        (self.query_one("#staff-gaps") if self.show_gaps else self.query_one("#priorities")).focus()

    def action_weight(self, direction: int) -> None:
        need = self._current_need()
        if need is not None:
            self._change_weight(need.value, need.value, direction)

    def action_area_weight(self, direction: int) -> None:
        need = self._current_need()
        if need is not None:
            self._change_weight(need.area.value, need.area.label, direction)

    def _change_weight(self, target: str, label: str, direction: int) -> None:
        """Step a need's or a broad area's weight; saved at once, the ranking follows."""
        if self._view is None:
            return
        school = self.sencoplan.school
        school_id = None if self.trust or school is None else school.id
        current = self._view.weights.get(target, 0.0)
        new = min(5.0, max(0.0, current + direction * WEIGHT_STEP))
        self.sencoplan.run_write(
            lambda db: save_weight(db, school_id, target, new),
            f"{label}: development plan weight +{new:.0%}",
        )

    def action_export(self) -> None:
        """The report as markdown, and the table on screen (needs or staff gaps) as CSV."""
        if self._view is None:
            return
        view = self._view
        school = self.sencoplan.school
        scope = "every school in the file" if view.trust else (school.name if school else "")
        text = priorities_markdown(
            view.result,
            scope=scope,
            today=self.sencoplan.today,
            school_names=view.school_names,
            trust=view.trust,
        )
        slug = file_stem("trust" if view.trust else (school.name if school else "school"))
        today = self.sencoplan.today
        if self.show_gaps:
            table_name = f"staff-gaps-{slug}-{today}.csv"
            table = gaps_csv(view.result, view.school_names)
        else:
            table_name = f"priorities-{slug}-{today}.csv"
            table = priorities_csv(view.result, view.school_names)
        self._write_report([(f"priorities-{slug}-{today}.md", text), (table_name, table)])

    @work(thread=True, group="export", exit_on_error=False)
    def _write_report(self, files: list[tuple[str, str]]) -> None:
        folder = ready_exports_folder()
        for name, text in files:
            encoding = CSV_ENCODING if name.endswith(".csv") else "utf-8"
            write_private(folder / name, text, encoding=encoding)
        written = " and ".join(str(folder / name) for name, _ in files)
        self.app.call_from_thread(self.notify, f"Wrote {written}", markup=False)


def _needing(item: StaffAtNeed) -> str:
    """'needs targeted level' for all their pupils, or 'for 18 of them'."""
    said = f"needs {item.required.label.lower()} level"
    if 0 < item.needing < item.pupils:
        said += f" for {item.needing} of them"
    return said


def _counted_as(line: Priority) -> str:
    """Why this count differs from the Pupils screen's, which counts primary needs of
    pupils on roll only: the same pupils, split the two ways they are counted here."""
    need = line.need.value
    primary = line.pupils - line.secondary
    said = f"Counted: {counted(line.pupils, 'pupil')} with {need}, {primary} as their primary need"
    said += f" and {line.secondary} as a secondary need" if line.secondary else ""
    if line.incoming:
        said += f", {line.incoming} of them joining"
    return said + ". The Pupils screen (1) counts primary needs on roll only."
