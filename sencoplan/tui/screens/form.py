"""One form for every record: labelled fields, errors shown beside the field, saved in a worker.

A screen describes its fields (how to read each one) and how to save the result; the
form validates on the UI thread, saves off it, and closes only once the save succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlite_utils import Database
from sqlite_utils.db import NotFoundError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, Select, SelectionList, Static

from sencoplan.domain.messages import plain_message
from sencoplan.store.db import connect, write_transaction
from sencoplan.store.errors import error_field, friendly_error
from sencoplan.tui.screens.base import sencoplan_app
from sencoplan.tui.screens.pick_list import PickList
from sencoplan.tui.watch import record_gone

M = TypeVar("M", bound=BaseModel)


class ChangedElsewhere(Exception):
    """The record was changed by someone else after the form opened (see RecordForm)."""

    def __init__(self, now: Any) -> None:
        super().__init__("the record was changed elsewhere")
        self.now = now


@dataclass(frozen=True)
class Field:
    """One input: `parse` turns the text typed into a value or raises ValueError (the reason)."""

    name: str
    label: str
    value: str = ""
    parse: Callable[[str], Any] | None = None
    options: Sequence[tuple[str, str]] | None = None
    required: bool = False
    placeholder: str = ""
    help: str = ""
    picks: Sequence[tuple[str, str]] | None = None
    """A pick list (label, value) to tick any number of, instead of typing: the field's
    `value` is the values ticked, separated by ; and so is what `parse` is given."""
    suggest: Sequence[str] = ()
    """Names offered as you type (the school's staff, its pupils): the rest of the first
    that fits shows after the cursor, and right arrow takes it."""


def picked(text: str) -> tuple[int, ...]:
    """A pick list of ids as the form reads it ("3;5") -> (3, 5)."""
    return tuple(int(part) for part in text.split(";") if part)


class RecordForm(ModalScreen[M | None], Generic[M]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form-save", tooltip="Check and save"),
        Binding("escape", "cancel", "Cancel", id="form-cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        build: Callable[[dict[str, Any]], M],
        save: Callable[[Database, M], M],
        db_path: Any,
        problems: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None,
        *,
        original: M | None = None,
        current: Callable[[Database, int], M | None] | None = None,
    ) -> None:
        """`problems` checks rules across fields, naming the field each one belongs to.

        Editing, `original` is the record as the form opened it and `current` reads it
        again: a save finds whether someone else changed it meanwhile (another window, an
        import) rather than silently overwriting their change.
        """
        super().__init__()
        self.original = original
        self.current = current
        self.problems = problems
        self.form_title = title
        self.fields = fields
        self.build = build
        self.save_record = save
        self.db_path = db_path
        self._opened: dict[str, str] = {}
        """Each field's value as the form opened (a Select may pick its first option)."""

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with Vertical(classes="dialog form"):
            yield Label(self.form_title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="form-fields"):
                for field in self.fields:
                    yield Label(field.label + (" *" if field.required else ""), classes="field")
                    if field.picks is not None:
                        yield PickList(field.name, field.picks, set(field.value.split(";")))
                    elif field.options is not None:
                        yield Select(
                            [(label, value) for label, value in field.options],
                            value=field.value if field.value else Select.NULL,
                            allow_blank=not field.required,
                            id=f"field-{field.name}",
                        )
                    else:
                        # Tabbing in puts the cursor at the end rather than selecting
                        # the whole value: typing adds to a long list (closures), never
                        # silently replaces it.
                        yield Input(
                            field.value,
                            placeholder=field.placeholder,
                            id=f"field-{field.name}",
                            select_on_focus=False,
                            suggester=SuggestFromList(field.suggest, case_sensitive=False)
                            if field.suggest
                            else None,
                        )
                    if field.help:
                        yield Static(field.help, classes="field-help")
                    yield Static("", id=f"error-{field.name}", classes="field-error", markup=False)
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        fields = ".form-fields Input, .form-fields Select, .form-fields SelectionList"
        self.query(fields).first().focus()
        self._opened = {field.name: self._raw(field) for field in self.fields}

    def _raw(self, field: Field) -> str:
        widget = self.query_one(f"#field-{field.name}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        if isinstance(widget, SelectionList):
            return self.query_one(f"#picks-{field.name}", PickList).chosen()
        assert isinstance(widget, Input)
        return widget.value.strip()

    def _show_error(self, name: str, message: str) -> None:
        target = self.query(f"#error-{name}") if name else None
        if target:
            target.first(Static).update(message)
        else:
            self.query_one("#form-error", Static).update(message)

    def _clear_errors(self) -> None:
        for error in self.query(".field-error"):
            if isinstance(error, Static):
                error.update("")

    def collect(self) -> M | None:
        """Read and check every field; show every problem; the record if all is well."""
        self._clear_errors()
        values: dict[str, Any] = {}
        ok = True
        for field in self.fields:
            raw = self._raw(field)
            if raw == "":
                if field.required:
                    self._show_error(field.name, "required")
                    ok = False
                values[field.name] = None
                continue
            try:
                values[field.name] = field.parse(raw) if field.parse else raw
            except ValueError as problem:
                self._show_error(field.name, str(problem))
                ok = False
        if not ok:
            return None
        for name, reason in self.problems(values) if self.problems else []:
            self._show_error(name, reason)
            ok = False
        if not ok:
            return None
        try:
            return self.build(values)
        except ValidationError as invalid:
            for detail in invalid.errors():
                name = str(detail["loc"][0]) if detail["loc"] else ""
                self._show_error(name, plain_message(detail))
        except ValueError as problem:
            self.query_one("#form-error", Static).update(str(problem))
        return None

    def action_save(self) -> None:
        record = self.collect()
        if record is None:
            self._focus_first_error()
        else:
            self.query_one("#save", Button).disabled = True
            self._save(record)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _save(self, record: M) -> None:
        try:
            db = connect(self.db_path)
            try:
                with sencoplan_app(self.app).file_watch.writing(), write_transaction(db):
                    self._check_unchanged(db)
                    saved = self.save_record(db, record)
            finally:
                db.close()
        except ChangedElsewhere as changed:
            self.app.call_from_thread(self._changed_elsewhere, changed.now)
            return
        except Exception as error:
            if record_gone(error):  # removed meanwhile: nothing left to save it to
                self.app.call_from_thread(self._gone, error)
                return
            self.app.call_from_thread(self._failed, friendly_error(error), error_field(error))
            return
        self.app.call_from_thread(self.dismiss, saved)

    def _check_unchanged(self, db: Database) -> None:
        """Inside the save's transaction: the record is still as the form opened it."""
        record_id = getattr(self.original, "id", None)
        if self.original is None or self.current is None or record_id is None:
            return
        now = self.current(db, record_id)
        if now is None:
            raise NotFoundError(f"record {record_id} was removed")
        if now != self.original:
            raise ChangedElsewhere(now)

    def _changed_elsewhere(self, now: M) -> None:
        """Say so, naming what they changed, and keep what was typed; saving again means
        "mine replaces theirs"."""
        before, self.original = self.original, now
        labels = {field.name: field.label for field in self.fields}
        changed = [
            labels[name]
            for name in labels
            if getattr(before, name, None) != getattr(now, name, None)
        ]
        what = f" ({', '.join(changed)})" if changed else ""
        self.query_one("#form-error", Static).update(
            f"Someone changed this record{what} since you opened it (another sencoplan window "
            "or an import): nothing was saved. Save again to replace their change with yours "
            "(what this form shows is saved), or press Escape to keep theirs and open it "
            "again to see it."
        )
        self.query_one("#save", Button).disabled = False
        self.query_one("#form-error").scroll_visible()

    def _gone(self, error: Exception) -> None:
        """The record was removed by another process: the app says so and reloads."""
        self.dismiss(None)
        sencoplan_app(self.app).report_failure(error)

    def _failed(self, message: str, field: str | None = None) -> None:
        self._show_error(field or "", message)
        self.query_one("#save", Button).disabled = False
        self._focus_first_error()

    def _focus_first_error(self) -> None:
        """Bring the first field that is wrong into view, with the cursor in it."""
        for field in self.fields:
            error = self.query_one(f"#error-{field.name}", Static)
            if str(error.content):
                self.query_one(f"#field-{field.name}").focus()
                # Once the message is laid out (it may wrap): all of it, not its first line.
                self.call_after_refresh(error.scroll_visible)
                return
        self.call_after_refresh(self.query_one("#form-error").scroll_visible)

    def action_cancel(self) -> None:
        """Close; if anything was typed, only once the user says it may be lost."""
        from sencoplan.tui.screens.confirm import ConfirmScreen

        if not self._typed():
            self.dismiss(None)
            return

        def answered(close: bool | None) -> None:
            if close:
                self.dismiss(None)

        question = "Close without saving? What you changed in this form is lost."
        self.app.push_screen(ConfirmScreen(question, yes="Yes, close"), answered)

    def _typed(self) -> bool:
        """Whether any field differs from what it showed as the form opened."""
        return any(self._raw(field) != self._opened.get(field.name) for field in self.fields)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


@dataclass
class FormSpec:
    """A form as a screen describes it: title, fields, how the values become a record, how
    it is saved, the rules across fields; editing, the record as it opened and how to read
    it again (see RecordForm)."""

    title: str
    fields: list[Field]
    build: Callable[[dict[str, Any]], Any]
    save: Callable[[Database, Any], Any]
    problems: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    original: Any = None
    current: Callable[[Database, int], Any] | None = None


def open_form(
    screen: Screen[Any], spec: FormSpec, after: Callable[[Any], None] | None = None
) -> None:
    """Show the form; once saved, say so, let every screen reload, then `after(record)`."""
    app = sencoplan_app(screen.app)

    def saved(record: object | None) -> None:
        if record is not None:
            screen.notify(f"Saved: {spec.title}", markup=False)
            app.data_changed()
            if after is not None:
                after(record)

    form: RecordForm[Any] = RecordForm(
        spec.title,
        spec.fields,
        spec.build,
        spec.save,
        app.db_path,
        problems=spec.problems,
        original=spec.original,
        current=spec.current,
    )
    app.push_screen(form, saved)


def options_of(items: Sequence[Any]) -> list[tuple[str, str]]:
    """Select options from enums that have a `label`."""
    return [(getattr(item, "label", str(item)), str(item.value)) for item in items]


def date_text(value: Any) -> str:
    """A date as a British person types it."""
    return value.strftime("%d/%m/%Y") if value else ""
