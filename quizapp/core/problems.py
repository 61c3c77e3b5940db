"""A problem found in a dataset, set or question file, located so an editor can jump to it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An error stops a load or import (all or nothing); a warning is reported and allowed."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong at ``path:line:column`` and how to fix it (line and column are 1-based)."""

    path: str
    line: int
    column: int
    message: str
    fix: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        marker = "warning: " if self.severity == Severity.WARNING else ""
        return f"{self.path}:{self.line}:{self.column}: {marker}{self.message} ({self.fix})"
