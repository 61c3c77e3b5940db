"""Finished attempts made through the attempts service, for review and report tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from quizapp.core import qtypes
from quizapp.core.generate import generate_bank
from quizapp.core.questions import Question
from quizapp.services import attempts, datasets

START = datetime(2026, 3, 2, 9, 0)


def single_choice_questions(count: int, seed: int = 1) -> list[Question]:
    """The first `count` single-choice questions of a seeded bank of the loaded data."""
    bank = generate_bank(datasets.current(), seed=seed)
    chosen = [q for q in bank if q.type == "single_choice"][:count]
    assert len(chosen) == count, "the bundled data yields too few single-choice questions"
    return chosen


def wrong_option(question: Question, nth: int = 0) -> str:
    """The id of the nth option that is not the key."""
    return [o.id for o in question.options if o.id != question.answer][nth]


def finished_attempt(
    user_id: int,
    right: list[bool],
    minutes: int = 5,
    start: datetime = START,
    questions: list[Question] | None = None,
) -> int:
    """A submitted practice attempt over single-choice questions, answered right or wrong
    as `right` says (None: left blank); call inside an app context. Returns its id."""
    chosen = questions or single_choice_questions(len(right))
    attempt = attempts.create(
        user_id, "practice", "Practice", chosen, seed=1, settings={}, now=start
    )
    for slot, (question, good) in enumerate(zip(chosen, right, strict=True), start=1):
        if good is None:
            continue
        raw = question.answer if good else wrong_option(question)
        assert qtypes.of(question).normalize(question, raw) is not None
        attempts.save_answer(attempt, slot, raw, attempt.sequence, now=start)
    attempts.submit(attempt, attempt.sequence, now=start + timedelta(minutes=minutes))
    return attempt.id
