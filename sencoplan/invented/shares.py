"""The national shape of SEN, one set of figures for every invented school.

Rates follow the DfE's Special educational needs in England (January 2025): 14.2% of
pupils on SEN support and 5.3% with an EHCP; 18.2% of primary pupils with SEN, 16.5% of
secondary. Primary needs differ by phase and tier: SLCN leads on SEN support in primary,
SEMH in secondary; ASD leads with an EHCP, and more so in special schools.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping


def shares(text: str) -> dict[str, float]:
    """'SLCN 24, SEMH 22' -> {'SLCN': 24.0, 'SEMH': 22.0}."""
    return {label: float(weight) for label, weight in (item.split() for item in text.split(","))}


def quotas(total: int, weights: Mapping[str, float]) -> list[str]:
    """`total` labels in proportion to the weights (largest remainder), in weight order."""
    scale = sum(weights.values())
    exact = {label: total * weight / scale for label, weight in weights.items()}
    counts = {label: int(value) for label, value in exact.items()}
    left = total - sum(counts.values())
    for label in sorted(exact, key=lambda name: exact[name] - counts[name], reverse=True)[:left]:
        counts[label] += 1
    return [label for label, count in counts.items() for _ in range(count)]


SEN_RATES: dict[str, tuple[float, float]] = {
    "primary": (0.146, 0.036),
    "secondary": (0.133, 0.032),
    "special": (0.02, 0.98),
}
"""(SEN support, EHCP) share of the roll by phase; a special school's pupils nearly all
have an EHCP."""

SUPPORT_NEEDS: dict[str, dict[str, float]] = {
    "primary": shares("SLCN 32, SEMH 18, MLD 16, ASD 11, SPLD 8, NSA 5, PD 3, OTH 3, HI 2, VI 2"),
    "secondary": shares(
        "SEMH 25, SLCN 21, MLD 15, SPLD 14, ASD 11, OTH 4, NSA 3, PD 2, HI 2, VI 2"
    ),
    "special": shares(
        "SLCN 25.6, SEMH 22.3, MLD 15.8, SPLD 12.8, ASD 9.4, NSA 5.4, OTH 3, PD 2.5, HI 1.5, "
        "VI 0.8, SLD 0.5, MSI 0.3, PMLD 0.1"
    ),
}
"""Primary need of pupils on SEN support (K), % by phase (special: the national mix)."""

EHCP_NEEDS: dict[str, dict[str, float]] = {
    "primary": shares("ASD 36, SLCN 24, SEMH 12, PD 6, SLD 6, MLD 5, HI 5, OTH 4, VI 2"),
    "secondary": shares("ASD 34, SEMH 20, SLCN 16, MLD 8, SPLD 6, PD 4, HI 4, OTH 4, VI 2, SLD 2"),
    "special": shares("ASD 38, SLD 22, SEMH 12, PMLD 8, SLCN 8, MLD 6, PD 3, HI 1, VI 1, MSI 1"),
}
"""Primary need of pupils with an EHCP (E), % by phase: ASD about a third overall."""

SECONDARY_NEEDS = shares("SEMH 28, SLCN 24, SPLD 12, MLD 12, ASD 9, OTH 6, PD 4, HI 3")
"""Which second need a pupil with SEN has, when they have one (never the same as the first)."""


def needs_for(phase: str, status: str) -> dict[str, float]:
    """The primary-need shares of a phase for SEN support (K) or an EHCP (E)."""
    return (EHCP_NEEDS if status == "E" else SUPPORT_NEEDS)[phase]


def draw(rng: random.Random, weights: Mapping[str, float], count: int) -> list[str]:
    """`count` independent draws in the weights' proportions (for thousands of pupils;
    `quotas` gives a small school exact proportions instead)."""
    cumulative = list(itertools.accumulate(weights.values()))
    return rng.choices(list(weights), cum_weights=cumulative, k=count)
