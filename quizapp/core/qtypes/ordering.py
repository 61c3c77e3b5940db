"""Ordering: put the options in chronological order. Response: option ids, earliest first.

Scoring rule: of the n-1 neighbouring pairs in the trainee's order, the share that are
also in chronological order (so one misplaced item costs only the pairs it breaks).
The form posts one ``response`` select per position, earliest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from quizapp.core.qtypes.authoring import Ids, clean, keep_order, rows
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
    strings,
    value_list,
)
from quizapp.core.questions import Option, QType, Question, short_hash

MIN_ITEMS = 3


class Ordering(QuestionType):
    name = QType.ORDERING
    label = "Ordering"

    def hint(self, question: Question) -> str:
        return "Choose which comes 1st (earliest), 2nd and so on; use each once."

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"choices": value_list(value)}

    def read_form(self, question: Question, form: FormData) -> Any:
        return form.getlist(FIELD)

    def normalize(self, question: Question, raw: Any) -> list[str] | None:
        """Every option id once, in the trainee's order; None for anything else.

        Accepts a list of ids, ids separated by commas, or a mapping id -> position.
        """
        if isinstance(raw, Mapping):
            raw = _by_position(raw)
        elif isinstance(raw, str):
            raw = [part for part in raw.replace(",", " ").split() if part]
        order = strings(raw)
        if order is None or sorted(order) != sorted(option_ids(question)):
            return None
        return order

    def grade(self, question: Question, raw: Any) -> Grade:
        order = self.normalize(question, raw)
        if order is None:
            return Grade(0.0, f"{NO_ANSWER} Put every item in its place, earliest first.")
        rank = {option_id: n for n, option_id in enumerate(question.answer)}
        pairs = list(zip(order, order[1:], strict=False))
        swapped = [(a, b) for a, b in pairs if rank.get(a, 0) > rank.get(b, 0)]
        if not swapped:  # also the degenerate case of a single item
            return Grade(1.0, f"Correct: all {len(order)} items are in order.")
        good = len(pairs) - len(swapped)
        wrong = "; ".join(
            f"{quoted([label(question, b)])} is earlier than {quoted([label(question, a)])}"
            for a, b in swapped
        )
        summary = (
            f"{good} of {len(pairs)} neighbouring pairs in your order are in chronological "
            "order, each earning an equal share."
        )
        return Grade(good / len(pairs), f"{summary} Out of order: {wrong}.")

    def describe(self, question: Question, raw: Any) -> str:
        order = self.normalize(question, raw)
        return "no answer" if order is None else " → ".join(label(question, i) for i in order)

    def to_text(self, question: Question, raw: Any) -> str:
        order = self.normalize(question, raw)
        if order is None:
            return "no answer"
        letters = letters_of(question)
        return " → ".join(f"{letters[i]}. {label(question, i)}" for i in order)

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> list[str]:
        return [ids[t] for t in draft.correct]

    def arrange(self, options: Sequence[str], draft: Any, rng: Random) -> list[str]:
        """A seeded order that never starts out solved."""
        order = rng.sample(list(options), len(options))
        if order == list(draft.correct):
            order = order[1:] + order[:1]
        return order

    def example(self) -> Question:
        options = (
            Option("c", "Treaty on the Union State"),
            Option("a", "Treaty on the Community"),
            Option("b", "Treaty on the Union"),
        )
        return Question(
            id="example-ordering",
            type=self.name,
            prompt="Put these treaties in the order they were signed.",
            answer=["a", "b", "c"],
            options=options,
        )

    def check(self, question: Question) -> list[Problem]:
        problems = option_problems(question, MIN_ITEMS, "items", "items")
        answer = question.answer if isinstance(question.answer, (list, tuple)) else []
        if sorted(answer) != sorted(option_ids(question)):
            problems.append(Problem("items", "The order must list every item exactly once."))
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import ItemRow, rows_field

        hint = f"At least {MIN_ITEMS}, earliest first; trainees see them shuffled."
        return {"items": rows_field(ItemRow, "Items in the right order", hint)}

    def edit_data(self, question: Question) -> dict[str, Any]:
        answer = question.answer if isinstance(question.answer, list) else []
        return {"items": [{"id": i, "text": question.option_text(i) or ""} for i in answer]}

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        ids = Ids("option")
        right = []
        for row in rows(data, "items"):
            text = clean(row.get("text"))
            right.append(Option(ids.take(row.get("id"), text), text))
        answer = [o.id for o in right]
        if base is not None:
            shown = list(keep_order(right, base.options))
        else:  # a fixed shuffle, so the same form always gives the same question
            seed = int(short_hash(*answer, *(o.text for o in right)), 16)
            shown = Random(seed).sample(right, len(right))  # noqa: S311  (a shuffle, not a secret)
        if [o.id for o in shown] == answer and len(shown) > 1:
            shown = shown[1:] + shown[:1]
        return {"options": tuple(shown), "answer": answer}


def _by_position(raw: Mapping[Any, Any]) -> list[str] | None:
    positions = []
    for key, value in raw.items():
        if not isinstance(key, str) or isinstance(value, bool):
            return None
        try:
            positions.append((int(str(value).strip()), key))
        except ValueError:
            return None
    return [key for _, key in sorted(positions)]
