"""Invented UPNs: valid (the DfE check letter, from sencoplan.domain.upn), unique, and made
with an LA code from 950 to 999, above every English local authority's (201-938), so no
invented UPN can ever be a real child's."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sencoplan.domain.upn import check_letter

INVENTED_LA_CODES = range(950, 1000)
"""LA codes no local authority has."""


@dataclass
class UpnMaker:
    """Hands out UPNs of one invented LA: check letter, LA, establishment, the year of
    allocation's last two digits, a serial."""

    la_code: int
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    used: set[str] = field(default_factory=set)
    serials: dict[tuple[int, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.la_code not in INVENTED_LA_CODES:
            raise ValueError(f"LA code {self.la_code} could be a real authority's: use 950 to 999")

    def _upn(self, establishment: int, year: int, serial: int) -> str:
        body = f"{self.la_code:03d}{establishment:04d}{year % 100:02d}{serial:03d}"
        return check_letter(body) + body

    def random(self, establishment: int, year: int) -> str:
        """A UPN with a random serial not handed out before (as schools' serials look)."""
        while True:
            upn = self._upn(establishment, year, self.rng.randint(1, 999))
            if upn not in self.used:
                self.used.add(upn)
                return upn

    def next(self, establishment: int, year: int) -> str:
        """The next serial of that establishment and year (fast, for a million pupils)."""
        key = (establishment, year % 100)
        serial = self.serials.get(key, 0) + 1
        if serial > 999:
            raise ValueError(f"more than 999 UPNs for establishment {establishment} in {year}")
        self.serials[key] = serial
        return self._upn(establishment, year, serial)
