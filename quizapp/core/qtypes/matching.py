"""Matching: pair each left-hand item with an option. Response: item id -> option id.

Scoring rule: the share of items matched to their correct option. The form posts one
select per item, named ``response-<item id>``.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    string_map,
)
from quizapp.core.questions import Option, QType, Question

MIN_PAIRS = 2


class Matching(QuestionType):
    name = QType.MATCHING
    label = "Matching"

    def hint(self, question: Question) -> str:
        return "Match each item on the left with one option."

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"pairs": dict(value) if isinstance(value, Mapping) else {}}

    def read_form(self, question: Question, form: FormData) -> Any:
        return {item.id: form.get(f"{FIELD}-{item.id}", "") for item in question.items}

    def normalize(self, question: Question, raw: Any) -> dict[str, str] | None:
        """The valid pairs, keyed by item id; None when no valid pair was given."""
        pairs = string_map(raw)
        if pairs is None:
            return None
        items, options = {i.id for i in question.items}, set(option_ids(question))
        valid = {k: v for k, v in sorted(pairs.items()) if k in items and v in options}
        return valid or None

    def grade(self, question: Question, raw: Any) -> Grade:
        pairs = self.normalize(question, raw) or {}
        total = len(question.answer)
        misses = [
            _miss(question, item, pairs.get(item), option)
            for item, option in question.answer.items()
            if pairs.get(item) != option
        ]
        if not pairs:
            return Grade(0.0, f"{NO_ANSWER} Each of the {total} items has one right match.")
        if not misses:
            return Grade(1.0, f"Correct: all {total} items are matched right.")
        good = total - len(misses)
        summary = f"{good} of {total} items matched right, each earning an equal share."
        return Grade(good / total, f"{summary} {' '.join(misses)}")

    def describe(self, question: Question, raw: Any) -> str:
        pairs = self.normalize(question, raw)
        return "no answer" if pairs is None else _pairs(question, pairs)

    def to_text(self, question: Question, raw: Any) -> str:
        pairs = self.normalize(question, raw)
        if pairs is None:
            return "no answer"
        letters = letters_of(question)
        numbers = {item.id: n for n, item in enumerate(question.items, 1)}
        ordered = sorted(pairs.items(), key=lambda pair: numbers[pair[0]])
        return "; ".join(f"{numbers[i]}) → {letters[o]}. {label(question, o)}" for i, o in ordered)

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> dict[str, str]:
        return {ids[item]: ids[option] for item, option in draft.pairs.items()}

    def example(self) -> Question:
        return Question(
            id="example-matching",
            type=self.name,
            prompt="Match each treaty with the city where it was signed.",
            answer={"i1": "o2", "i2": "o1"},
            options=(Option("o1", "Minsk"), Option("o2", "Moscow"), Option("o3", "Kyiv")),
            items=(Option("i1", "Union State Treaty"), Option("i2", "Minsk Agreement")),
        )

    def check(self, question: Question) -> list[Problem]:
        problems = option_problems(question, 1, "pairs", "options")
        items = Question(id="", type=self.name, prompt="-", answer=None, options=question.items)
        problems += option_problems(items, MIN_PAIRS, "pairs", "pairs")
        answer = question.answer if isinstance(question.answer, Mapping) else {}
        item_ids = {i.id for i in question.items}
        if set(answer) != item_ids or not set(answer.values()) <= set(option_ids(question)):
            problems.append(Problem("pairs", "Match every item with one of the options."))
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import PairRow, TextAreaField, rows_field

        return {
            "pairs": rows_field(
                PairRow,
                "Pairs",
                f"At least {MIN_PAIRS}. Items may share an option: type it the same way.",
            ),
            "extras": TextAreaField(
                "Other options", description="Options that match no item, one per line."
            ),
        }

    def edit_data(self, question: Question) -> dict[str, Any]:
        answer = question.answer if isinstance(question.answer, Mapping) else {}
        pairs = [
            {"id": i.id, "item": i.text, "match": question.option_text(answer.get(i.id)) or ""}
            for i in question.items
        ]
        used = set(answer.values())
        extras = "\n".join(o.text for o in question.options if o.id not in used)
        return {"pairs": pairs, "extras": extras}

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        known = {o.text: o.id for o in base.options} if base else {}
        pairs = [(row, clean(row.get("match"))) for row in rows(data, "pairs")]
        extras = [clean(line) for line in str(data.get("extras") or "").splitlines()]
        texts = list(dict.fromkeys(t for t in [m for _, m in pairs] + extras if t))
        ids = Ids("option")
        options = [Option(ids.take(known.get(t), t), t) for t in texts]
        by_text = {o.text: o.id for o in options}
        item_ids = Ids("item")
        items, answer = [], {}
        for row, match in pairs:
            item = Option(
                item_ids.take(row.get("id"), clean(row.get("item"))), clean(row.get("item"))
            )
            items.append(item)
            if match:
                answer[item.id] = by_text[match]
        shown = keep_order(options, base.options) if base else tuple(options)
        return {"options": shown, "items": tuple(items), "answer": answer}


def _miss(question: Question, item: str, given: str | None, right: str) -> str:
    """One wrongly matched item in words, naming the item once."""
    name, wanted = quoted([label(question, item)]), quoted([label(question, right)])
    if given is None:
        return f"{name} was left unmatched: it goes with {wanted}."
    return f"{name} goes with {wanted}, not {quoted([label(question, given)])}."


def _pairs(question: Question, pairs: Mapping[str, str]) -> str:
    return "; ".join(f"{label(question, i)} → {label(question, o)}" for i, o in pairs.items())
