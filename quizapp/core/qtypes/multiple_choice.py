"""Multiple choice: select every correct option. Response: the sorted chosen option ids.

Scoring rule: each correct pick earns 1/k and each wrong pick costs 1/k, where k is the
number of correct options; the total is kept between 0 and 1.
"""

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
    clamp,
    label,
    letters_of,
    option_ids,
    option_problems,
    quoted,
    right_ones,
    strings,
    value_list,
)
from quizapp.core.questions import Option, QType, Question
from quizapp.core.wording import capital


class MultipleChoice(QuestionType):
    name = QType.MULTIPLE_CHOICE
    label = "Multiple choice"

    def hint(self, question: Question) -> str:
        return "Choose every answer that is true."

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"choices": value_list(value)}

    def read_form(self, question: Question, form: FormData) -> Any:
        return form.getlist(FIELD)

    def normalize(self, question: Question, raw: Any) -> list[str] | None:
        """The distinct chosen option ids, sorted; None when nothing valid was chosen."""
        picked = strings(raw)
        if picked is None:
            return None
        valid = option_ids(question)
        chosen = sorted({p for p in picked if p in valid})
        return chosen or None

    def grade(self, question: Question, raw: Any) -> Grade:
        chosen = self.normalize(question, raw)
        key = list(question.answer)
        if chosen is None:
            return Grade(0.0, f"{NO_ANSWER} {capital(right_ones(question, key))}.")
        right = sum(1 for c in chosen if c in key)
        fraction = clamp((right - (len(chosen) - right)) / max(len(key), 1))
        picked = quoted([label(question, i) for i in chosen])
        if fraction == 1.0:
            return Grade(1.0, f"Correct: you chose {picked}, and only those.")
        share = "the whole mark" if len(key) == 1 else f"1/{len(key)} of the mark"
        rule = f"Each right choice earns {share}; each wrong one takes as much away."
        return Grade(fraction, f"You chose {picked}; {right_ones(question, key)}. {rule}")

    def describe(self, question: Question, raw: Any) -> str:
        chosen = self.normalize(question, raw)
        return "no answer" if chosen is None else _names(question, chosen)

    def to_text(self, question: Question, raw: Any) -> str:
        chosen = self.normalize(question, raw)
        if chosen is None:
            return "no answer"
        letters = letters_of(question)
        ids = sorted(chosen, key=letters.__getitem__)
        return ", ".join(f"{letters[i]}. {label(question, i)}" for i in ids)

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> list[str]:
        return sorted(ids[t] for t in draft.correct)

    def example(self) -> Question:
        options = (
            Option("a", "Russia"),
            Option("b", "Belarus"),
            Option("c", "Ukraine"),
            Option("d", "Kazakhstan"),
        )
        return Question(
            id="example-multiple",
            type=self.name,
            prompt="Which states signed the Union State Treaty?",
            answer=["a", "b"],
            options=options,
        )

    def check(self, question: Question) -> list[Problem]:
        problems = option_problems(question)
        answer = question.answer if isinstance(question.answer, (list, tuple)) else []
        if not answer or not set(answer) <= set(option_ids(question)):
            problems.append(Problem("options", "Mark at least one option as correct."))
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import OptionRow, rows_field

        return {
            "options": rows_field(
                OptionRow, "Options", "Give at least two; tick every correct option."
            )
        }

    def edit_data(self, question: Question) -> dict[str, Any]:
        return {"options": option_rows(question.options, question.answer)}

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        options, correct = choice_rows(data)
        return {"options": options, "answer": sorted(correct)}


def _names(question: Question, ids: list[str]) -> str:
    return "; ".join(label(question, i) for i in ids)
