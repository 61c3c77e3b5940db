"""Single choice: pick the one correct option. Response: the chosen option id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizapp.core.qtypes.authoring import choice_rows, option_rows
from quizapp.core.qtypes.base import (
    FIELD,
    NO_ANSWER,
    FormData,
    Grade,
    Problem,
    QuestionType,
    label,
    letters_of,
    option_ids,
    option_problems,
    quoted,
    right_ones,
    single_value,
    text,
)
from quizapp.core.questions import Option, QType, Question
from quizapp.core.wording import capital


class SingleChoice(QuestionType):
    name = QType.SINGLE_CHOICE
    label = "Single choice"

    def hint(self, question: Question) -> str:
        return "Choose one answer."

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"choice": single_value(value)}

    def read_form(self, question: Question, form: FormData) -> Any:
        return form.get(FIELD)

    def normalize(self, question: Question, raw: Any) -> str | None:
        """The chosen option id, or None when ``raw`` names no option of the question."""
        chosen = text(raw)
        return chosen if chosen in option_ids(question) else None

    def grade(self, question: Question, raw: Any) -> Grade:
        chosen = self.normalize(question, raw)
        right = right_ones(question, [question.answer])
        if chosen is None:
            return Grade(0.0, f"{NO_ANSWER} {capital(right)}.")
        if chosen == question.answer:
            return Grade(1.0, f"Correct: you chose {quoted([label(question, chosen)])}.")
        return Grade(0.0, f"You chose {quoted([label(question, chosen)])}; {right}.")

    def describe(self, question: Question, raw: Any) -> str:
        chosen = self.normalize(question, raw)
        return "no answer" if chosen is None else label(question, chosen)

    def to_text(self, question: Question, raw: Any) -> str:
        chosen = self.normalize(question, raw)
        if chosen is None:
            return "no answer"
        return f"{letters_of(question)[chosen]}. {label(question, chosen)}"

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> str:
        return ids[draft.correct[0]]

    def example(self) -> Question:
        options = (Option("a", "Minsk"), Option("b", "Moscow"), Option("c", "Brest"))
        return Question(
            id="example-single",
            type=self.name,
            prompt="Where was the Union State Treaty signed?",
            answer="b",
            options=options,
        )

    def check(self, question: Question) -> list[Problem]:
        problems = option_problems(question)
        if question.answer not in option_ids(question):
            problems.append(Problem("options", "Mark exactly one option as correct."))
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import OptionRow, rows_field

        return {
            "options": rows_field(
                OptionRow, "Options", "Give at least two; tick the one correct option."
            )
        }

    def edit_data(self, question: Question) -> dict[str, Any]:
        return {"options": option_rows(question.options, [question.answer])}

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        options, correct = choice_rows(data)
        return {"options": options, "answer": correct[0] if len(correct) == 1 else None}
