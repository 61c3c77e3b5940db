"""Matching: pair each left-hand item with an option. Response: item id -> option id.

Scoring rule: the share of items matched to their correct option.
"""

from __future__ import annotations

from typing import Any

from quizapp.core.qtypes.base import NO_ANSWER, Grade, label, option_ids, string_map
from quizapp.core.questions import Question

NAME = "matching"
LABEL = "Matching"


def normalize(question: Question, raw: Any) -> dict[str, str] | None:
    """The valid pairs, keyed by item id; None when no valid pair was given."""
    pairs = string_map(raw)
    if pairs is None:
        return None
    items, options = {i.id for i in question.items}, set(option_ids(question))
    valid = {k: v for k, v in sorted(pairs.items()) if k in items and v in options}
    return valid or None


def grade(question: Question, response: Any) -> Grade:
    pairs = normalize(question, response)
    key = _pairs(question, question.answer)
    if pairs is None:
        return Grade(0.0, f"{NO_ANSWER} The pairs are: {key}.")
    good = sum(1 for item, option in question.answer.items() if pairs.get(item) == option)
    total = len(question.answer)
    if good == total:
        return Grade(1.0, f"Correct: {key}.")
    rule = f"{good} of {total} items matched correctly; each earns an equal share."
    return Grade(good / total, f"{rule} The pairs are: {key}.")


def describe(question: Question, response: Any) -> str:
    pairs = normalize(question, response)
    return "no answer" if pairs is None else _pairs(question, pairs)


def _pairs(question: Question, pairs: dict[str, str]) -> str:
    return "; ".join(f"{label(question, i)} → {label(question, o)}" for i, o in pairs.items())
