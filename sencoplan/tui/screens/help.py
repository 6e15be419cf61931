"""F1: the keys, and what each screen is for."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

HELP = """\
# sencoplan

Plan SEND training from the needs on roll. Everything you change is saved at once.

## Screens

| key | screen | what it shows |
| --- | --- | --- |
| `1` | Pupils | the SEN register: filter by tier, need and year; counts by need and tier |
| `2` | Staff | roles, training held, what lapses this term, confidence, qualifications |
| `3` | Training | the catalogue, and who holds each module |
| `4` | Priorities | the needs on roll ranked by the training their staff lack, and why |
| `5` | Planner | the term's weeks and CPD sessions, the SENCO's hours, and every conflict |
| `6` | Succession | each SEND role's holder and bench, the risks (computed) and development due |

## Keys everywhere

| key | does |
| --- | --- |
| `F1` | this help |
| `ctrl+p` | the command palette: type a screen's name to go there |
| `w` | switch school (when the file holds several) |
| `i` | import a CSV or XLSX file |
| `ctrl+r` | presenter mode, for a shared screen: pupils by initials, no UPN or birth date |
| `q` | quit |

## Keys on a list

| key | does |
| --- | --- |
| `a` | add |
| `e` or `enter` | edit the highlighted row |
| `d` | delete the highlighted row (asks first) |
| `t` | Staff: record training for the highlighted person |
| `f` | Pupils: jump to the filters |
| `enter` | Priorities: the highlighted need whole: its staff, trained or not, and modules |
| `v` | Priorities: this school or every school in the file |
| `g` | Priorities: staff who work with needs they are not trained for |
| `+` / `-` | Priorities: raise or lower the development plan weight of a need |
| `>` / `<` | Priorities: raise or lower the weight of the need's broad area |
| `l` | Priorities: the training level each relationship to a pupil needs, by tier |
| `x` | Priorities: write the report (.md) and the table shown, needs or staff gaps (.csv) |
| `s` | Planner: suggest sessions for the free slots (enter takes them, escape ignores) |
| `e` / `c` / `d` | Planner: edit or move, cancel, mark delivered the highlighted session |
| `u` | Planner: mark the highlighted session planned again (its training records go) |
| `m` | Planner: the term's impact: confidence before and after each module, coverage |
| `a` / `k` / `p` | Planner: add a session; add a SENCO task; write the session's plan (.md) |
| `t` / `n` | Planner: set up the term; add next school year's terms (usual English shape) |
| `x` | Planner: write the term plan (.md) and calendar (.ics) to the current folder |
| `a` / `d` | Succession: add a candidate for the highlighted role; plan a development action |
| `e` / `delete` | Succession: edit or remove the highlighted role, or candidate on the bench |
| `r` / `u` | Succession: add a role; update the highlighted development action |
| `n` | Succession: record a qualification held or studied (the NPQ for SENCOs, NASENCO, others) |
| `l` / `m` | Succession: who can lead each internal module (✓ trained to lead CPD); name a leader |
| `v` / `x` | Succession: this school or the whole trust; write the review as markdown |

In presenter mode the header says so, and pupils cannot be added, edited or imported
until it is off again (the form shows a pupil whole).

Delivering a session records training for everyone who attended every part of its
module (`d` takes the whole audience unless attendance was ticked with `e`).

In a form, `tab` moves between fields, `space` ticks a name in a list of people,
`ctrl+s` saves and `escape` cancels. A field
that is wrong says why underneath it; nothing is saved until every field is right.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close", id="close-help", tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        yield Footer()
        with VerticalScroll(id="help-body", classes="dialog"):
            yield Markdown(HELP)
