"""Training: the catalogue, and who in this school holds each module."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from sencoplan.domain.codes import parse_bool, parse_needs
from sencoplan.domain.models import Module
from sencoplan.domain.staff_codes import (
    ModuleLevel,
    Provider,
    Role,
    parse_level,
    parse_provider,
    parse_role,
)
from sencoplan.io.columns import parse_number, parse_whole_number
from sencoplan.store.catalogue import delete_module, get_module, save_module
from sencoplan.store.overview import ModuleOverview, catalogue_overview
from sencoplan.tui.screens.base import (
    DataScreen,
    panel_binding,
    plain_row,
    restore_cursor,
    selected_key,
)
from sencoplan.tui.screens.confirm import ConfirmScreen
from sencoplan.tui.screens.form import Field, RecordForm, options_of


def _roles(text: str) -> tuple[Role, ...]:
    return tuple(dict.fromkeys(parse_role(part) for part in text.split(";") if part.strip()))


class TrainingScreen(DataScreen[list[ModuleOverview]]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="module-add", tooltip="Add a module to the catalogue"),
        Binding("e", "edit", "Edit", id="module-edit", tooltip="Edit the highlighted module"),
        Binding("d", "delete", "Delete", id="module-delete", tooltip="Delete the module"),
        panel_binding("Details"),
    ]
    PANEL = "#module-detail-text"

    def __init__(self) -> None:
        super().__init__()
        self._shown: dict[int, ModuleOverview] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="training-body"):
            yield DataTable(id="modules", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="module-detail", classes="detail"):
                yield Static(id="module-detail-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#modules", DataTable).add_columns(
            "Code", "Title", "Needs", "Level", "Hours", "Refresh", "Provider", "Cost", "Held by"
        )
        self.reload()

    def fetch(self, db: Database, school_id: int) -> list[ModuleOverview]:
        return catalogue_overview(db, school_id, self.sencoplan.today)

    def show(self, data: list[ModuleOverview]) -> None:
        table = self.query_one("#modules", DataTable)
        keep = selected_key(table)
        table.clear()
        self._shown = {item.module.id: item for item in data if item.module.id is not None}
        for item in data:
            module = item.module
            plain_row(
                table,
                module.code,
                module.title,
                _needs_text(module),
                module.level.label,
                f"{module.hours:g}",
                f"{module.refresh_months} months" if module.refresh_months else "",
                module.organisation or module.provider.value,
                f"£{module.cost:,.0f}" if module.cost else "",
                str(len(item.valid_holders)),
                key=str(module.id),
            )
        restore_cursor(table, keep)
        self._show_detail()

    @on(DataTable.RowHighlighted, "#modules")
    def _highlighted(self) -> None:
        self._show_detail()

    def _current(self) -> ModuleOverview | None:
        key = selected_key(self.query_one("#modules", DataTable))
        return self._shown.get(int(key)) if key else None

    def _show_detail(self) -> None:
        item = self._current()
        detail = self.query_one("#module-detail-text", Static)
        if item is None:
            detail.update("The catalogue is empty: press a to add a module, or i to import one.")
            return
        module = item.module
        text = Text()
        text.append(f"{module.code} {module.title}\n", style="bold")
        hours = "hour" if module.hours == 1 else "hours"
        text.append(f"{module.level.label} level, {module.hours:g} {hours}\n")
        covers = _needs_text(module)
        text.append(f"Covers: {'every need type' if covers == 'all' else covers}\n")
        audience = ", ".join(role.label for role in module.audience) or "all staff"
        text.append(f"For: {audience}\n")
        if module.refresh_months:
            text.append(f"Must be renewed every {module.refresh_months} months\n", style="yellow")
        if module.mandatory_specialist:
            text.append("Mandatory in specialist settings\n")
        text.append(f"\nHeld now ({len(item.valid_holders)})\n", style="bold underline")
        text.append(", ".join(item.valid_holders) or "no one in this school", style="")
        if item.lapsed_holders:
            text.append(f"\n\nLapsed ({len(item.lapsed_holders)})\n", style="bold underline")
            text.append(", ".join(item.lapsed_holders), style="red")
        detail.update(text)

    # -- editing ------------------------------------------------------------------

    def _module_form(self, module: Module | None) -> RecordForm[Module]:
        fields = [
            Field(
                "code",
                "Code",
                module.code if module else "",
                required=True,
                placeholder="letters, digits, - _ .",
            ),
            Field("title", "Title", module.title if module else "", required=True),
            Field(
                "needs",
                "Needs covered",
                ";".join(n.value for n in module.needs) if module else "",
                parse=parse_needs,
                required=True,
                help="census codes or broad areas, separated by ; (e.g. ASD; SLCN)",
            ),
            Field(
                "level",
                "Level",
                module.level.value if module else ModuleLevel.UNIVERSAL,
                parse=parse_level,
                options=options_of(list(ModuleLevel)),
                required=True,
            ),
            Field(
                "hours",
                "Hours",
                f"{module.hours:g}" if module else "1",
                parse=parse_number,
                required=True,
            ),
            Field(
                "audience",
                "For roles",
                ";".join(r.value for r in module.audience) if module else "",
                parse=_roles,
                help="roles separated by ; (blank: all staff)",
            ),
            Field(
                "refresh_months",
                "Renew every (months)",
                str(module.refresh_months or "") if module else "",
                parse=parse_whole_number,
                help="blank: never lapses",
            ),
            Field(
                "provider",
                "Provider",
                module.provider.value if module else Provider.INTERNAL,
                parse=parse_provider,
                options=options_of(list(Provider)),
                required=True,
            ),
            Field("organisation", "Organisation", module.organisation or "" if module else ""),
            Field("cost", "Cost (£)", f"{module.cost:g}" if module else "0", parse=parse_number),
            Field(
                "mandatory_specialist",
                "Mandatory in specialist settings",
                "yes" if module and module.mandatory_specialist else "no",
                parse=parse_bool,
                options=[("Yes", "yes"), ("No", "no")],
            ),
        ]

        def build(values: dict[str, Any]) -> Module:
            values = {
                key: value
                for key, value in values.items()
                if value is not None or key in {"refresh_months", "organisation"}
            }
            values.setdefault("audience", ())
            return Module.model_validate({**values, "id": module.id if module else None})

        title = f"Edit {module.code}" if module else "Add a module"
        return RecordForm(
            title,
            fields,
            build,
            save_module,
            self.sencoplan.db_path,
            original=module,
            current=get_module,
        )

    def action_add(self) -> None:
        self.app.push_screen(self._module_form(None), self._saved)

    def action_edit(self) -> None:
        item = self._current()
        if item is None:
            self.notify("No module is highlighted", severity="warning")
            return
        self.app.push_screen(self._module_form(item.module), self._saved)

    @on(DataTable.RowSelected, "#modules")
    def _row_chosen(self) -> None:
        self.action_edit()

    def _saved(self, record: Any) -> None:
        if record is not None:
            self.notify(f"Saved {record.code}", markup=False)
            self.sencoplan.data_changed()

    def action_delete(self) -> None:
        item = self._current()
        if item is None or item.module.id is None:
            return
        module_id, code = item.module.id, item.module.code
        held = len(item.valid_holders) + len(item.lapsed_holders)
        if held:
            self.notify(
                f"{code} cannot be deleted: {held} in this school have training records "
                "for it (delete those first, or keep the module)",
                severity="warning",
                markup=False,
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.sencoplan.run_write(lambda db: delete_module(db, module_id), f"Deleted {code}")

        self.app.push_screen(ConfirmScreen(f"Delete module {code} from the catalogue?"), confirmed)


def _needs_text(module: Module) -> str:
    if len(module.needs) >= 13:
        return "all"
    return ", ".join(need.value for need in module.needs)
