"""Ordering: put the options in chronological order. Response: option ids, earliest first.

Scoring rule: of the n-1 neighbouring pairs in the trainee's order, the share that are
also in chronological order (so one misplaced item costs only the pairs it breaks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizapp.core.qtypes.base import NO_ANSWER, Grade, label, option_ids, strings
from quizapp.core.questions import Question

NAME = "ordering"
LABEL = "Ordering"


def normalize(question: Question, raw: Any) -> list[str] | None:
    """Every option id once, in the trainee's order; None for anything else.

    Accepts a list of ids, ids separated by commas, or a mapping id -> position.
    """
    if isinstance(raw, Mapping):
        raw = _by_position(raw)
    elif isinstance(raw, str):
        raw = [part for part in raw.replace(",", " ").split() if part]
    order = strings(raw)
    if order is None or sorted(order) != sorted(option_ids(question)):
        return None
    return order


def grade(question: Question, response: Any) -> Grade:
    order = normalize(question, response)
    key = " → ".join(label(question, i) for i in question.answer)
    if order is None:
        return Grade(0.0, f"{NO_ANSWER} The order is: {key}.")
    rank = {option_id: n for n, option_id in enumerate(question.answer)}
    pairs = list(zip(order, order[1:], strict=False))
    good = sum(1 for first, second in pairs if rank[first] < rank[second])
    if good == len(pairs):  # also the degenerate case of a single item
        return Grade(1.0, f"Correct: {key}.")
    rule = (
        f"{good} of {len(pairs)} neighbouring pairs in your order are in chronological "
        "order; each such pair earns an equal share."
    )
    return Grade(good / len(pairs), f"{rule} The order is: {key}.")  # len(pairs) > 0 here


def describe(question: Question, response: Any) -> str:
    order = normalize(question, response)
    return "no answer" if order is None else " → ".join(label(question, i) for i in order)


def _by_position(raw: Mapping[Any, Any]) -> list[str] | None:
    positions = []
    for key, value in raw.items():
        if not isinstance(key, str) or isinstance(value, bool):
            return None
        try:
            positions.append((int(str(value).strip()), key))
        except ValueError:
            return None
    return [key for _, key in sorted(positions)]
