"""Short answer: type a name. Response: the typed text.

Comparison ignores case, accents, punctuation, spacing and a leading "the", "a" or
"an", and accepts every name the dataset lists for the entity (its aliases).
"""

from __future__ import annotations

from typing import Any

from quizapp.core.qtypes.base import NO_ANSWER, Grade, text
from quizapp.core.questions import Question
from quizapp.core.wording import fold

NAME = "short_answer"
LABEL = "Short answer"


def normalize(question: Question, raw: Any) -> str | None:
    """The typed text with spacing tidied; None when nothing usable was typed."""
    typed = text(raw)
    return typed if typed and fold(typed) else None


def match(question: Question, typed: str) -> tuple[str, str] | None:
    """``(form, full name)`` of the accepted form that ``typed`` matches, or None."""
    wanted = fold(typed)
    for group in _groups(question):
        for form in group:
            if fold(form) == wanted:
                return form, group[0]
    return None


def grade(question: Question, response: Any) -> Grade:
    typed = normalize(question, response)
    key = _key(question)
    if typed is None:
        return Grade(0.0, f"{NO_ANSWER} {key}")
    found = match(question, typed)
    if found is None:
        return Grade(0.0, f"Not correct: “{typed}” is not an accepted answer. {key}")
    form, name = found
    if form == name:
        return Grade(1.0, f"Correct: “{typed}” was accepted as {name}.")
    return Grade(1.0, f"Correct: “{typed}” was accepted as {form}, a name for {name}.")


def describe(question: Question, response: Any) -> str:
    typed = normalize(question, response)
    return "no answer" if typed is None else typed


def _groups(question: Question) -> tuple[tuple[str, ...], ...]:
    return question.accepted or ((str(question.answer),),)


def _key(question: Question) -> str:
    groups = _groups(question)
    names = " or ".join(group[0] for group in groups)
    others = [form for group in groups for form in group[1:]]
    also = f" (also accepted: {', '.join(others)})" if others else ""
    return f"The answer is {names}{also}."
