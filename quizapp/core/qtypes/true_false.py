"""True or false: judge one statement. Response: a bool."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizapp.core.qtypes.authoring import clean
from quizapp.core.qtypes.base import (
    FIELD,
    NO_ANSWER,
    FormData,
    Grade,
    Problem,
    QuestionType,
    prompt_problems,
    single_value,
)
from quizapp.core.questions import QType, Question

_WORDS = dict.fromkeys(("true", "t", "yes", "y", "1"), True) | dict.fromkeys(
    ("false", "f", "no", "n", "0"), False
)


class TrueFalse(QuestionType):
    name = QType.TRUE_FALSE
    label = "True or false"

    def hint(self, question: Question) -> str:
        return "Is the statement true or false?"

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"choice": single_value(value)}

    def read_form(self, question: Question, form: FormData) -> Any:
        return form.get(FIELD)

    def normalize(self, question: Question, raw: Any) -> bool | None:
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

    def grade(self, question: Question, raw: Any) -> Grade:
        said = self.normalize(question, raw)
        right = _word(question.answer)
        if said is None:
            return Grade(0.0, f"{NO_ANSWER} The statement is {right}.")
        if said == question.answer:
            return Grade(1.0, f"Correct: the statement is {right}.")
        return Grade(0.0, f"Not correct: the statement is {right}.")

    def describe(self, question: Question, raw: Any) -> str:
        said = self.normalize(question, raw)
        return "no answer" if said is None else _word(said)

    def text_lines(self, question: Question) -> list[str]:
        return ["   True / False"]

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> bool:
        return bool(draft.truth)

    def example(self) -> Question:
        return Question(
            id="example-true-false",
            type=self.name,
            prompt="The Union State Treaty was signed in Moscow.",
            answer=True,
        )

    def check(self, question: Question) -> list[Problem]:
        problems = prompt_problems(question)
        if not isinstance(question.answer, bool):
            problems.append(Problem("answer", "Say whether the statement is true or false."))
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import RadioField, choice

        choices = [choice("true", "True"), choice("false", "False")]
        return {"answer": RadioField("The statement is", choices=choices, validate_choice=False)}

    def edit_data(self, question: Question) -> dict[str, Any]:
        return {"answer": single_value(question.answer)}

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        return {"answer": {"true": True, "false": False}.get(clean(data.get("answer")))}


def _word(value: object) -> str:
    """True or False, capitalised as the page's buttons and every export show them."""
    return "True" if value else "False"
