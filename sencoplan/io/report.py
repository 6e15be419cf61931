"""What an import did (or, on a dry run, would do)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    kind: str
    source: str
    school: str | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    marked_left: int = 0
    removed: int = 0
    school_created: bool = False
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    def tally(self, before: object | None, after: object, *, changed: bool = False) -> bool:
        """Count a row as created (nothing before), updated (it differs, or `changed`) or
        unchanged; whether there is anything to save. The one tally every importer keeps."""
        if before is None:
            self.created += 1
            return True
        if changed or after != before:
            self.updated += 1
            return True
        self.unchanged += 1
        return False

    def lines(self) -> list[str]:
        verb = "would import" if self.dry_run else "imported"
        where = f" into {self.school}" if self.school else ""
        parts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.skipped:
            parts.append(f"{self.skipped} already recorded")
        if self.marked_left:
            parts.append(f"{self.marked_left} no longer on roll, marked as left")
        if self.removed:
            parts.append(f"{self.removed} replaced")
        out = [f"{self.source}: {verb} {self.kind}{where}: {', '.join(parts)}"]
        if self.school_created:
            created = "would create" if self.dry_run else "created"
            out.append(f"{created} the school {self.school}")
        if self.ignored_columns:
            out.append("ignored columns: " + ", ".join(self.ignored_columns))
        if self.dry_run:
            out.append("dry run: nothing was written")
        return out
