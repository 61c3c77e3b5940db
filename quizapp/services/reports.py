"""Reports on attempts: the step log of one attempt; aggregates come by GROUP BY."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, Text, case, cast, func, type_coerce

from quizapp.core import qtypes
from quizapp.core.clock import as_utc
from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.models import Attempt, CohortMember, QuestionResult, User
from quizapp.services import attempts

# What each step action means, for people reading the log.
ACTION_LABELS = {
    "answer": "Answered",
    "flag": "Flagged",
    "unflag": "Unflagged",
    "check": "Checked",
    "submit": "Submitted",
    "timeout": "Time ran out",
}


@dataclass(frozen=True)
class StepRow:
    """One step of an attempt's log, in words."""

    seq: int
    at: datetime
    action: str
    slot: int | None
    response: str


def step_log(attempt: Attempt) -> list[StepRow]:
    """Every step of the attempt in order, each answer described as the review would."""
    questions = attempts.questions_of(attempt)
    rows = []
    for step in attempt.steps:
        described = ""
        if step.action == "answer" and step.slot and 1 <= step.slot <= len(questions):
            question = questions[step.slot - 1]
            described = qtypes.of(question).describe(question, step.response)
        label = ACTION_LABELS.get(step.action, step.action)
        rows.append(StepRow(step.seq, step.created_at, label, step.slot, described))
    return rows


# --- confusion per fact ----------------------------------------------------------------


@dataclass(frozen=True)
class WrongAnswer:
    """One wrong answer given about a fact: in words, how often, share of all answers."""

    answer: str
    count: int
    share: float  # of every answer about the fact, 0..1


@dataclass(frozen=True)
class FactConfusion:
    """A fact, how many answers it got, and its wrong answers, most frequent first."""

    fact_id: str
    answers: int
    wrong: list[WrongAnswer]

    @property
    def wrong_share(self) -> float:
        return sum(w.count for w in self.wrong) / self.answers if self.answers else 0.0


def _scoped(query, user_ids: Select | None):
    if user_ids is None:
        return query
    query = query.join(Attempt, Attempt.id == QuestionResult.attempt_id)
    return query.where(Attempt.user_id.in_(user_ids))


def json_text(column):
    """A JSON column as text, to GROUP BY: SQLite keeps the text itself (so an index on the
    column serves the grouping), PostgreSQL's json type needs a cast."""
    if db.engine.dialect.name == "postgresql":
        return cast(column, Text)
    return type_coerce(column, Text)


def _answer_counts(user_ids: Select | None) -> list[tuple[str, str | None, int, int, int]]:
    """(question id, response as JSON text, answers, wrong answers, the first result id)."""
    response = json_text(QuestionResult.response)
    wrong = func.sum(case((QuestionResult.fraction < 1.0, 1), else_=0))
    query = db.select(
        QuestionResult.question_id, response, func.count(), wrong, func.min(QuestionResult.id)
    )
    return db.session.execute(
        _scoped(query, user_ids).group_by(QuestionResult.question_id, response)
    ).all()


def _asked(first_ids: list[int]) -> dict[str, tuple[list[str], Question | None]]:
    """Per question id: the facts it asks and its frozen question, from one result each."""
    rows = db.session.execute(
        db.select(
            QuestionResult.question_id,
            QuestionResult.attempt_id,
            QuestionResult.slot,
            QuestionResult.fact_ids,
        ).where(QuestionResult.id.in_(first_ids))
    ).all()
    questions = _questions_of([(row.attempt_id, row.slot) for row in rows])
    found = {}
    for question_id, attempt_id, slot, fact_ids in rows:
        question = questions.get((attempt_id, slot))
        found[question_id] = (
            fact_ids or [],
            question if question and question.id == question_id else None,
        )
    return found


def confusion_per_fact(user_ids: Select | None = None, limit: int = 5) -> list[FactConfusion]:
    """For each fact, the wrong answers given about it and how often, worst fact first.

    Counted by one GROUP BY over (question, response); a question id names one question
    and so one list of facts, read with its frozen question from one result per question.
    `user_ids` (a SELECT of user ids) narrows the answers to those trainees.
    """
    counts = _answer_counts(user_ids)
    first: dict[str, int] = {}
    for question_id, _, _, _, result_id in counts:
        first[question_id] = min(first.get(question_id, result_id), result_id)
    asked = _asked(list(first.values()))
    totals: dict[str, int] = {}
    counted: dict[str, dict[str, int]] = {}
    for question_id, response_text, answers, wrong, _ in counts:
        fact_ids, question = asked.get(question_id, ([], None))
        for fact_id in fact_ids:
            totals[fact_id] = totals.get(fact_id, 0) + answers
        if not wrong or question is None:
            continue
        raw = json.loads(response_text) if response_text is not None else None
        words = qtypes.of(question).describe(question, raw)
        for fact_id in fact_ids:
            by_answer = counted.setdefault(fact_id, {})
            by_answer[words] = by_answer.get(words, 0) + wrong
    report = []
    for fact_id, by_answer in counted.items():
        total = totals.get(fact_id, 0) or 1
        ranked = sorted(by_answer.items(), key=lambda item: (-item[1], item[0]))[:limit]
        report.append(
            FactConfusion(
                fact_id, totals.get(fact_id, 0), [WrongAnswer(a, n, n / total) for a, n in ranked]
            )
        )
    return sorted(report, key=lambda fact: (-fact.wrong_share, fact.fact_id))


def _questions_of(places: list[tuple[int, int]]) -> dict[tuple[int, int], Question]:
    """The frozen question at each (attempt id, slot): one read per attempt involved."""
    wanted: dict[int, set[int]] = {}
    for attempt_id, slot in places:
        wanted.setdefault(attempt_id, set()).add(slot)
    found = {}
    for attempt_id, frozen in db.session.execute(
        db.select(Attempt.id, Attempt.questions).where(Attempt.id.in_(wanted))
    ):
        for slot in wanted[attempt_id]:
            if 1 <= slot <= len(frozen):
                found[(attempt_id, slot)] = Question.from_dict(frozen[slot - 1])
    return found


# --- gradebook -------------------------------------------------------------------------


@dataclass(frozen=True)
class GradebookRow:
    """One trainee of a cohort: finished attempts, best and average score, time spent."""

    user_id: int
    name: str
    email: str
    attempts: int
    best: float | None  # fraction 0..1
    average: float | None  # fraction 0..1
    seconds: float  # total time in finished attempts
    last: datetime | None


def _seconds(started, finished):
    """Seconds between two timestamp columns, in the database's own arithmetic."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", finished - started)
    return (func.julianday(finished) - func.julianday(started)) * 86400.0


def gradebook_query(cohort_id: int, kind: str | None = None) -> Select:
    """Per trainee of the cohort (with or without attempts), by GROUP BY in the database."""
    joined = (Attempt.user_id == User.id) & (Attempt.state == "finished")
    if kind:
        joined &= Attempt.kind == kind
    return (
        db.select(
            User.id,
            User.name,
            User.email,
            func.count(Attempt.id),
            func.max(Attempt.fraction),
            func.avg(Attempt.fraction),
            func.coalesce(func.sum(_seconds(Attempt.started_at, Attempt.finished_at)), 0.0),
            func.max(Attempt.finished_at),
        )
        .join(CohortMember, CohortMember.user_id == User.id)
        .outerjoin(Attempt, joined)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == "trainee")
        .group_by(User.id, User.name, User.email)
        .order_by(User.name, User.id)
    )


def gradebook(cohort_id: int, kind: str | None = None) -> Iterator[GradebookRow]:
    """The cohort's gradebook, streamed from the database in batches."""
    result = db.session.execute(gradebook_query(cohort_id, kind).execution_options(yield_per=500))
    for user_id, name, email, count, best, average, seconds, last in result:
        yield GradebookRow(
            user_id,
            name,
            email,
            count,
            best,
            average,
            float(seconds or 0),
            as_utc(last) if last else None,
        )


GRADEBOOK_HEADER = [
    "name",
    "email",
    "attempts",
    "best_percent",
    "average_percent",
    "minutes",
    "last",
]


def gradebook_csv_rows(cohort_id: int, kind: str | None = None) -> Iterator[list]:
    """The gradebook as CSV rows, one database batch at a time."""
    for row in gradebook(cohort_id, kind):
        yield [
            row.name,
            row.email,
            row.attempts,
            "" if row.best is None else round(100 * row.best, 1),
            "" if row.average is None else round(100 * row.average, 1),
            round(row.seconds / 60, 1),
            row.last.isoformat() if row.last else "",
        ]
