"""Short answer: type a name. Response: the typed text.

Comparison ignores case, accents, punctuation, spacing and a leading "the", "a" or
"an", and accepts every name the dataset lists for the entity (its aliases).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from quizapp.core.present import join_names
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
    text,
)
from quizapp.core.questions import QType, Question
from quizapp.core.wording import fold, spelling

# What separates names typed together: "Putin and Lukashenko", "Putin, Lukashenko".
_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\band\b)\s*", re.IGNORECASE)


class ShortAnswer(QuestionType):
    name = QType.SHORT_ANSWER
    label = "Short answer"

    def hint(self, question: Question) -> str:
        if len(_groups(question)) > 1:
            return (
                "Type one name: any one of the right ones counts. Case, accents and spacing "
                "do not matter."
            )
        return "Type a name; case, accents and spacing do not matter."

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"choice": single_value(value)}

    def read_form(self, question: Question, form: FormData) -> Any:
        return form.get(FIELD)

    def normalize(self, question: Question, raw: Any) -> str | None:
        """The typed text with spacing tidied; None when nothing usable was typed."""
        typed = text(raw)
        return typed if typed and fold(typed) else None

    def match(self, question: Question, typed: str) -> tuple[str, str] | None:
        """``(form, full name)`` of the accepted form that ``typed`` matches, or None."""
        for same in (fold, spelling):  # exact forms first, then transliterations
            wanted = same(typed)
            for group in _groups(question):
                for form in group:
                    if same(form) == wanted:
                        return form, group[0]
        return None

    def grade(self, question: Question, raw: Any) -> Grade:
        typed = self.normalize(question, raw)
        key = _key(question)
        if typed is None:
            return Grade(0.0, f"{NO_ANSWER} {key}")
        found = self.match(question, typed)
        if found is None:
            return self._several(question, typed) or Grade(
                0.0, f"Not correct: “{typed}” is not an accepted answer. {key}"
            )
        form, name = found
        if form == name:
            return Grade(1.0, f"Correct: “{typed}” was accepted as {name}.")
        return Grade(1.0, f"Correct: “{typed}” was accepted as {form}, a name for {name}.")

    def _several(self, question: Question, typed: str) -> Grade | None:
        """Several names typed where any one is asked for: right when every one of them is
        (a different right answer each), wrong when any is not; None for a single name."""
        parts = [p for p in _SEPARATORS.split(typed) if fold(p)]
        if len(_groups(question)) < 2 or len(parts) < 2:
            return None
        found = [self.match(question, part) for part in parts]
        wrong = [p for p, f in zip(parts, found, strict=True) if f is None]
        if wrong:
            return Grade(
                0.0, f"Not correct: “{wrong[0]}” is not one of the right answers. {_key(question)}"
            )
        names = [f[1] for f in found if f is not None]
        if len(set(names)) < len(names):
            return Grade(0.0, f"Not correct: a name was given twice. {_key(question)}")
        every = "both" if len(names) == 2 else "all"
        return Grade(1.0, f"Correct: {join_names(names)} are {every} right; one was enough.")

    def describe(self, question: Question, raw: Any) -> str:
        typed = self.normalize(question, raw)
        return "no answer" if typed is None else typed

    def describe_key(self, question: Question) -> str:
        names = [group[0] for group in _groups(question)]
        if len(names) == 1:
            return names[0]
        either = "either is right" if len(names) == 2 else "any one is right"
        return f"{' or '.join(names)} ({either})"

    def text_lines(self, question: Question) -> list[str]:
        return ["   Answer: ____"]

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> str:
        return draft.accepted[0][0]

    def example(self) -> Question:
        return Question(
            id="example-short",
            type=self.name,
            prompt="In which city was the Union State Treaty signed?",
            answer="Moscow",
            accepted=(("Moscow", "Moskva"),),
        )

    def check(self, question: Question) -> list[Problem]:
        problems = prompt_problems(question)
        names = [form for group in _groups(question) for form in group]
        if not isinstance(question.answer, str) or not fold(question.answer):
            problems.append(Problem("accepted", "Give the answer."))
        elif any(not fold(form) for form in names):
            problems.append(Problem("accepted", "Every accepted answer needs letters or digits."))
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import TextAreaField

        return {
            "accepted": TextAreaField(
                "Accepted answers",
                description=(
                    "One answer per line, the full name first. Other names for the same "
                    "answer go on its line after a “|”, e.g. Moscow | Moskva."
                ),
            )
        }

    def edit_data(self, question: Question) -> dict[str, Any]:
        return {"accepted": "\n".join(" | ".join(group) for group in _groups(question))}

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        lines = str(data.get("accepted") or "").splitlines()
        groups = tuple(
            group
            for group in (tuple(n for n in map(clean, line.split("|")) if n) for line in lines)
            if group
        )
        answer = groups[0][0] if groups else ""
        return {"answer": answer, "accepted": () if groups == ((answer,),) else groups}


def _groups(question: Question) -> tuple[tuple[str, ...], ...]:
    return question.accepted or ((str(question.answer),),)


def _key(question: Question) -> str:
    groups = _groups(question)
    names = " or ".join(group[0] for group in groups)
    if len(groups) > 1:
        names += ", any one of them"
    others = [form for group in groups for form in group[1:]]
    also = f" (also accepted: {', '.join(others)})" if others else ""
    return f"The answer is {names}{also}."
