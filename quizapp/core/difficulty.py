"""How hard a generated question is, from what it asks and how near its wrong options lie.

A score from 0 to 1 sums the question type (recognising is easier than recalling), the
precision a date is asked at, how close the wrong options come to the right ones (dates
a month apart, phrases sharing wording), how many options and facts there are, and the
difficulty the distractors were chosen for. The label is what trainees and instructors see.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.core.dataset import PartialDate, Precision
from quizapp.core.wording import overlap

if TYPE_CHECKING:
    from quizapp.core.builders.context import Draft

LABELS = ("easy", "medium", "hard")

# Recognising a statement is easiest; recalling a date or a name is hardest.
_TYPE_BASE = {
    "true_false": 0.15,
    "single_choice": 0.3,
    "multiple_choice": 0.45,
    "matching": 0.45,
    "ordering": 0.5,
    "short_answer": 0.55,
    "date": 0.6,
}
_PRECISION = {Precision.YEAR: -0.1, Precision.MONTH: 0.0, Precision.DAY: 0.15}
_REQUESTED = {"easy": -0.1, "hard": 0.1}
_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}


def score(draft: Draft, requested: str | None = None) -> float:
    """The question's difficulty from 0 (easy) to 1 (hard)."""
    value = _TYPE_BASE.get(draft.type, 0.4) + _REQUESTED.get(requested or "", 0.0)
    if draft.date is not None:
        value += _PRECISION[draft.date.precision]
    wrong = [text for text in draft.options if text not in draft.correct]
    value += _closeness(draft.correct, wrong)
    value += 0.05 * max(0, len(draft.options) - 4)
    value += 0.1 if len(draft.facts) >= 3 else 0.0
    return min(1.0, max(0.0, value))


def label(value: float) -> str:
    """``easy`` below 0.35, ``hard`` from 0.6, else ``medium``."""
    if value < 0.35:
        return "easy"
    return "hard" if value >= 0.6 else "medium"


def rate(draft: Draft, requested: str | None = None) -> str:
    return label(score(draft, requested))


def _closeness(right: Sequence[str], wrong: Sequence[str]) -> float:
    """Harder when a wrong date lies within two months of a right one, easier when all are
    a year or more away; harder when a wrong phrase shares wording with a right one."""
    if not right or not wrong:
        return 0.0
    dates = [_label_date(text) for text in (*right, *wrong)]
    if all(dates):
        gaps = [
            abs(w.months() - r.months()) for w in dates[len(right) :] for r in dates[: len(right)]
        ]
        nearest = min(gaps)
        return 0.2 if nearest <= 2 else (-0.1 if nearest >= 12 else 0.05)
    similar = max(overlap(w, r) for w in wrong for r in right)
    return 0.1 if similar >= 0.25 else 0.0


def _label_date(text: str) -> PartialDate | None:
    """``2021``, ``September 2021`` or ``4 November 2021`` back to a date; None otherwise."""
    parts = text.split()
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return PartialDate(int(parts[0]))
        if len(parts) == 2 and parts[0] in _MONTHS:
            return PartialDate(int(parts[1]), _MONTHS[parts[0]])
        if len(parts) == 3 and parts[1] in _MONTHS:
            return PartialDate(int(parts[2]), _MONTHS[parts[1]], int(parts[0]))
    except ValueError:
        return None
    return None
