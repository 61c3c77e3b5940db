"""True or false: judge one statement. Response: a bool."""

from __future__ import annotations

from typing import Any

from quizapp.core.qtypes.base import NO_ANSWER, Grade
from quizapp.core.questions import Question

NAME = "true_false"
LABEL = "True or false"

_WORDS = dict.fromkeys(("true", "t", "yes", "y", "1"), True) | dict.fromkeys(
    ("false", "f", "no", "n", "0"), False
)


def normalize(question: Question, raw: Any) -> bool | None:
    """True or False from a bool, 0/1, or words such as "true", "False", "yes"."""
    if isinstance(raw, (list, tuple)) and len(raw) == 1:
        raw = raw[0]
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        return _WORDS.get(raw.strip().lower())
    return None


def grade(question: Question, response: Any) -> Grade:
    said = normalize(question, response)
    right = _word(question.answer)
    if said is None:
        return Grade(0.0, f"{NO_ANSWER} The statement is {right}.")
    if said == question.answer:
        return Grade(1.0, f"Correct: the statement is {right}.")
    return Grade(0.0, f"Not correct: the statement is {right}.")


def describe(question: Question, response: Any) -> str:
    said = normalize(question, response)
    return "no answer" if said is None else _word(said)


def _word(value: bool) -> str:
    return "true" if value else "false"
