"""Question types as plugins: one ``QuestionType`` subclass per kind, registered once.

``get(name)`` gives a type's single instance; iterate ``all()`` (or ``TYPES`` for the
names) to offer every type. Adding a type is one module here (a subclass of
``base.QuestionType`` and a ``QType`` member) plus its partial,
``templates/qtypes/<name>.html``; the contract test fails until every part exists.

Canonical responses: single_choice an option id; multiple_choice sorted option ids;
true_false a bool; short_answer the typed text; date ISO text at the question's
precision; ordering option ids earliest first; matching item id -> option id.
"""

from __future__ import annotations

from typing import Any

from quizapp.core.qtypes.base import FormData, Grade, Problem, QuestionType
from quizapp.core.qtypes.date import Date
from quizapp.core.qtypes.matching import Matching
from quizapp.core.qtypes.multiple_choice import MultipleChoice
from quizapp.core.qtypes.ordering import Ordering
from quizapp.core.qtypes.short_answer import ShortAnswer
from quizapp.core.qtypes.single_choice import SingleChoice
from quizapp.core.qtypes.true_false import TrueFalse
from quizapp.core.questions import QType, Question

_REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Add a question type (once per name); returns the class, so it can decorate."""
    if cls.name in _REGISTRY:
        raise ValueError(f"question type {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


for _cls in (SingleChoice, MultipleChoice, TrueFalse, ShortAnswer, Date, Ordering, Matching):
    register(_cls)

TYPES: tuple[str, ...] = tuple(str(name) for name in _REGISTRY)


def get(name: str) -> QuestionType:
    """The question type called ``name``; KeyError naming the known types otherwise."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r}; known: {', '.join(TYPES)}") from None


def of(question: Question) -> QuestionType:
    """The type of ``question``."""
    return get(question.type)


def all() -> tuple[QuestionType, ...]:  # noqa: A001  (the registry's natural name)
    """Every registered type, in the order forms and filters list them."""
    return tuple(_REGISTRY.values())


def grade(question: Question, raw: Any) -> Grade:
    """Grade any raw response to ``question`` with its type."""
    return of(question).grade(question, raw)


def choices() -> list[tuple[str, str]]:
    """(name, label) of every type, for select fields and filters."""
    return [(t.name, t.label) for t in _REGISTRY.values()]


__all__ = [
    "TYPES",
    "FormData",
    "Grade",
    "Problem",
    "QType",
    "QuestionType",
    "all",
    "choices",
    "get",
    "grade",
    "of",
    "register",
]
