"""What every question type shares: the Grade record and forgiving readers of raw input.

A browser can send anything (a string, a list, a mapping, nothing), so readers here
return None for what they cannot use instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.core.questions import Question

NO_ANSWER = "No answer was given."


@dataclass(frozen=True)
class Grade:
    """A score as a fraction of the question's mark (0..1) and feedback for the trainee."""

    fraction: float
    feedback: str

    @property
    def correct(self) -> bool:
        return self.fraction >= 1.0


def clamp(value: float) -> float:
    """``value`` limited to 0..1."""
    return min(1.0, max(0.0, float(value)))


def text(raw: Any) -> str | None:
    """A non-empty stripped string from a string or a one-element list, else None."""
    if isinstance(raw, (list, tuple)) and len(raw) == 1:
        raw = raw[0]
    if not isinstance(raw, str):
        return None
    stripped = " ".join(raw.split())
    return stripped or None


def strings(raw: Any) -> list[str] | None:
    """A list of stripped strings from a string or a list of strings, else None."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)) or not all(isinstance(x, str) for x in raw):
        return None
    return [x.strip() for x in raw]


def string_map(raw: Any) -> dict[str, str] | None:
    """A str -> str mapping from a mapping or a list of pairs, else None."""
    if isinstance(raw, (list, tuple)):
        if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in raw):
            return None
        raw = dict((p[0], p[1]) for p in raw if isinstance(p[0], str))
    if not isinstance(raw, Mapping):
        return None
    return {
        k.strip(): v.strip() for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)
    }


def option_ids(question: Question) -> tuple[str, ...]:
    return tuple(option.id for option in question.options)


def label(question: Question, option_id: str) -> str:
    """An option's text for feedback, or a marker for an id the question does not have."""
    found = question.option_text(option_id)
    return found if found is not None else "(unknown option)"
