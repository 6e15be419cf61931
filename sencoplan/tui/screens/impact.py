"""The term's impact as the Planner shows it (m): one block per module delivered."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from sencoplan.domain.calendar import Term
from sencoplan.domain.impact import ModuleImpact
from sencoplan.io.impact_report import impact_rows


def impact_text(term: Term, lines: list[ModuleImpact], today: dt.date) -> Text:
    """Confidence before and after for those who took each module and for the others,
    coverage of its needs then and now, and the spend against the budget."""
    text = Text()
    text.append(f"Impact: {term.name}\n\n", style="bold")
    if not lines:
        text.append("No module has been delivered this term yet: mark sessions delivered (d).\n")
    for module, completed, theirs, others, coverage, spend in impact_rows(lines, today):
        text.append(f"{module}\n", style="bold")
        text.append(f"  Completed by {completed}; external cost {spend}\n")
        text.append(f"  Their confidence: {theirs}\n")
        text.append(f"  Others' confidence: {others}\n")
        text.append(
            f"  Coverage of its needs (from all training, not this module alone): {coverage}\n\n"
        )
    total = sum(line.spend for line in lines)
    text.append(f"Spend on external training: £{total:,.0f} of £{term.cpd_budget:,.0f}\n")
    text.append(
        f"Confidence is 1-5, with how many ratings in brackets; 'after' is the first rating "
        f"{term.impact_weeks} weeks or more after a module's last part.",
        style="dim",
    )
    return text
