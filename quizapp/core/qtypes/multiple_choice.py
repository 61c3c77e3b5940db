"""Multiple choice: select every correct option. Response: the sorted chosen option ids.

Scoring rule: each correct pick earns 1/k and each wrong pick costs 1/k, where k is the
number of correct options; the total is kept between 0 and 1.
"""

from __future__ import annotations

from typing import Any

from quizapp.core.qtypes.base import NO_ANSWER, Grade, clamp, label, option_ids, strings
from quizapp.core.questions import Question

NAME = "multiple_choice"
LABEL = "Multiple choice"


def normalize(question: Question, raw: Any) -> list[str] | None:
    """The distinct chosen option ids, sorted; None when nothing valid was chosen."""
    picked = strings(raw)
    if picked is None:
        return None
    valid = option_ids(question)
    chosen = sorted({p for p in picked if p in valid})
    return chosen or None


def grade(question: Question, response: Any) -> Grade:
    chosen = normalize(question, response)
    correct = set(question.answer)
    key = _names(question, question.answer)
    if chosen is None:
        return Grade(0.0, f"{NO_ANSWER} The correct options are: {key}.")
    right = sum(1 for c in chosen if c in correct)
    wrong = len(chosen) - right
    fraction = clamp((right - wrong) / max(len(correct), 1))
    if fraction == 1.0:
        return Grade(1.0, f"Correct: {key}.")
    share = f"1/{len(correct)}"
    rule = (
        f"You picked {right} of {len(correct)} correct options and {wrong} wrong one(s); "
        f"each correct pick earns {share}, each wrong pick costs {share}, never below 0."
    )
    return Grade(fraction, f"{rule} The correct options are: {key}.")


def describe(question: Question, response: Any) -> str:
    chosen = normalize(question, response)
    return "no answer" if chosen is None else _names(question, chosen)


def _names(question: Question, ids: list[str]) -> str:
    return "; ".join(label(question, i) for i in ids)
