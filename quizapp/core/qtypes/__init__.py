"""Question types: how each kind of question reads a response, grades it and describes it.

Every type module exposes ``NAME``, ``LABEL`` and three functions that never raise on
any value a browser could send:

- ``normalize(question, raw)`` -> the canonical response, or None;
- ``grade(question, response)`` -> ``Grade(fraction, feedback)`` with 0 <= fraction <= 1;
- ``describe(question, response)`` -> the response in words, for review pages.

Canonical responses: single_choice an option id; multiple_choice sorted option ids;
true_false a bool; short_answer the typed text; date ISO text at the question's
precision; ordering option ids earliest first; matching item id -> option id.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from quizapp.core.qtypes import (
    date,
    matching,
    multiple_choice,
    ordering,
    short_answer,
    single_choice,
    true_false,
)
from quizapp.core.qtypes.base import Grade
from quizapp.core.questions import Question

_MODULES: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        single_choice,
        multiple_choice,
        true_false,
        short_answer,
        date,
        ordering,
        matching,
    )
}
TYPES: tuple[str, ...] = tuple(_MODULES)


def get(type_name: str) -> ModuleType:
    """The module of a question type; KeyError naming the known types otherwise."""
    try:
        return _MODULES[type_name]
    except KeyError:
        raise KeyError(f"unknown question type {type_name!r}; known: {', '.join(TYPES)}") from None


def grade(question: Question, raw: Any) -> Grade:
    """Grade any raw response to ``question`` with its type."""
    return get(question.type).grade(question, raw)


__all__ = ["TYPES", "Grade", "get", "grade"]
