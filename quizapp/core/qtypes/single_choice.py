"""Single choice: pick the one correct option. Response: the chosen option id."""

from __future__ import annotations

from typing import Any

from quizapp.core.qtypes.base import NO_ANSWER, Grade, label, option_ids, text
from quizapp.core.questions import Question

NAME = "single_choice"
LABEL = "Single choice"


def normalize(question: Question, raw: Any) -> str | None:
    """The chosen option id, or None when ``raw`` names no option of the question."""
    chosen = text(raw)
    return chosen if chosen in option_ids(question) else None


def grade(question: Question, response: Any) -> Grade:
    chosen = normalize(question, response)
    right = label(question, question.answer)
    if chosen is None:
        return Grade(0.0, f"{NO_ANSWER} The answer is: {right}.")
    if chosen == question.answer:
        return Grade(1.0, f"Correct: {right}.")
    return Grade(0.0, f"Not correct: you chose {label(question, chosen)}. The answer is: {right}.")


def describe(question: Question, response: Any) -> str:
    chosen = normalize(question, response)
    return "no answer" if chosen is None else label(question, chosen)
