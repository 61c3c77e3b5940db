"""A problem found in a dataset file, located so an editor can jump to it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong at ``path:line:column`` and how to fix it (line and column are 1-based)."""

    path: str
    line: int
    column: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} ({self.fix})"
