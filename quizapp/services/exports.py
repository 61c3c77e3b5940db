"""Exports for other systems: xAPI statements as JSON lines and the scores of every attempt.

Both stream: attempts are read a batch at a time (by id, so no cursor stays open while a
download is slow), so an export of a million answers holds one batch in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Row, Select, case, func

from quizapp.core import xapi
from quizapp.core.clock import as_utc
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStep, QuestionResult, Quiz, QuizVersion, Role, User
from quizapp.services import attempts as attempt_service
from quizapp.services import cohorts

BATCH = 100  # attempts per read: their frozen questions are the bulk of the memory


@dataclass(frozen=True)
class Scope:
    """Which attempts an export covers: finished since a moment, of some users (None: all)."""

    since: datetime | None = None
    user_ids: Select | None = None


ATTEMPT_COLUMNS = (
    Attempt.id,
    Attempt.user_id,
    Attempt.kind,
    Attempt.title,
    Attempt.dataset_version,
    Attempt.questions,
    Attempt.settings,
    Attempt.finished_at,
)


def _attempt_batches(scope: Scope) -> Iterator[list[Row]]:
    """Finished attempts in scope, BATCH at a time, in id order (keyset paging).

    Plain rows, not ORM objects, so the session keeps none of them once a batch is done.
    """
    query = db.select(*ATTEMPT_COLUMNS).where(Attempt.state == "finished")
    if scope.since is not None:
        query = query.where(Attempt.finished_at >= as_utc(scope.since))
    if scope.user_ids is not None:
        query = query.where(Attempt.user_id.in_(scope.user_ids))
    last = 0
    while True:
        batch = db.session.execute(
            query.where(Attempt.id > last).order_by(Attempt.id).limit(BATCH)
        ).all()
        if not batch:
            return
        yield batch
        last = batch[-1].id


def _answer_times(ids: list[int]) -> dict[tuple[int, int], datetime]:
    """When each slot of these attempts was last answered, by GROUP BY over the step log."""
    rows = db.session.execute(
        db.select(AttemptStep.attempt_id, AttemptStep.slot, func.max(AttemptStep.created_at))
        .where(AttemptStep.attempt_id.in_(ids), AttemptStep.action == "answer")
        .group_by(AttemptStep.attempt_id, AttemptStep.slot)
    )
    return {(a, s): as_utc(at) for a, s, at in rows if at is not None}


def _results(ids: list[int]) -> list[Row]:
    """The answered (not blank) question results of these attempts, in order."""
    rows = db.session.execute(
        db.select(
            QuestionResult.attempt_id,
            QuestionResult.slot,
            QuestionResult.fraction,
            QuestionResult.response,
        )
        .where(QuestionResult.attempt_id.in_(ids))
        .order_by(QuestionResult.attempt_id, QuestionResult.slot)
    )
    return [row for row in rows if row.response is not None]


def _people(batch: list[Row]) -> dict[int, Row]:
    ids = {attempt.user_id for attempt in batch}
    query = db.select(User.id, User.email, User.name).where(User.id.in_(ids))
    return {person.id: person for person in db.session.execute(query)}


def answered_questions(scope: Scope) -> Iterator[xapi.Answered]:
    """Every answered question of the finished attempts in scope, with its frozen question."""
    for batch in _attempt_batches(scope):
        by_id = {attempt.id: attempt for attempt in batch}
        people = _people(batch)
        times = _answer_times(list(by_id))
        marks = {a.id: attempt_service.marks(a) for a in batch}
        for result in _results(list(by_id)):
            attempt = by_id[result.attempt_id]
            if not 1 <= result.slot <= len(attempt.questions):
                continue
            person = people[attempt.user_id]
            yield xapi.Answered(
                attempt_id=attempt.id,
                slot=result.slot,
                user_id=person.id,
                email=person.email,
                name=person.name,
                question=attempt.questions[result.slot - 1],
                fraction=result.fraction,
                mark=marks[attempt.id][result.slot - 1],
                answered_at=times.get((attempt.id, result.slot)) or as_utc(attempt.finished_at),
                dataset_version=attempt.dataset_version,
                attempt_title=attempt.title,
                kind=attempt.kind,
            )


def xapi_settings(base_url: str) -> xapi.Settings:
    """IRIs under `base_url`; actors named by email when QUIZAPP_XAPI_ACTOR is "email"."""
    by_email = str(current_app.config.get("QUIZAPP_XAPI_ACTOR", "account")).lower() == "email"
    return xapi.Settings(base_url=base_url, actor_by_email=by_email)


def xapi_lines(scope: Scope, settings: xapi.Settings) -> Iterator[str]:
    """The xAPI statements of every answered question in scope, one JSON line each."""
    for answered in answered_questions(scope):
        yield xapi.json_line(xapi.statement(answered, settings))


# --- scores of every attempt --------------------------------------------------------------

SCORES_HEADER = [
    "attempt_id",
    "user_id",
    "email",
    "name",
    "kind",
    "title",
    "quiz_id",
    "quiz_version",
    "state",
    "started_at",
    "finished_at",
    "minutes",
    "percent",
    "score",
    "grade_max",
]


SCORE_COLUMNS = (
    Attempt.id,
    Attempt.user_id,
    User.email,
    User.name,
    Attempt.kind,
    Attempt.title,
    QuizVersion.quiz_id,
    QuizVersion.number,
    Attempt.state,
    Attempt.started_at,
    Attempt.finished_at,
    Attempt.fraction,
    Attempt.score,
    Attempt.grade_max,
)


def scores_query(scope: Scope) -> Select:
    """Every attempt in scope (any state) with its trainee and quiz version, by id."""
    query = (
        db.select(*SCORE_COLUMNS)
        .join(User, User.id == Attempt.user_id)
        .outerjoin(QuizVersion, QuizVersion.id == Attempt.quiz_version_id)
    )
    if scope.since is not None:
        query = query.where(Attempt.started_at >= as_utc(scope.since))
    if scope.user_ids is not None:
        query = query.where(Attempt.user_id.in_(scope.user_ids))
    return query.order_by(Attempt.id)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def score_row(row: Row) -> list[Any]:
    """One attempt as a row of SCORES_HEADER (blank where it has no value yet)."""
    finished = row.finished_at
    minutes = None if finished is None else (finished - row.started_at).total_seconds() / 60
    return [
        row.id,
        row.user_id,
        row.email,
        row.name,
        row.kind,
        row.title,
        _blank(row.quiz_id),
        _blank(row.number),
        row.state,
        row.started_at.isoformat(),
        finished.isoformat() if finished else "",
        "" if minutes is None else round(minutes, 1),
        "" if row.fraction is None else round(100 * row.fraction, 1),
        "" if row.score is None else round(row.score, 3),
        row.grade_max,
    ]


def scores_csv_rows(scope: Scope) -> Iterator[list[Any]]:
    """Every attempt's score as CSV rows, 500 attempts a read (keyset paging by id)."""
    query, last = scores_query(scope), 0
    while True:
        rows = db.session.execute(query.where(Attempt.id > last).limit(500)).all()
        if not rows:
            return
        for row in rows:
            yield score_row(row)
        last = rows[-1].id


# --- pages of scores for the JSON API ------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of rows, and how many rows there are in all."""

    rows: list[Row]
    total: int
    number: int
    size: int

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total


def visible_user_ids(user: User) -> Select | None:
    """Whose scores this user may read: everyone (admin), the trainees they teach, or themself."""
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.INSTRUCTOR:
        return cohorts.trainee_ids_taught_by(user.id)
    return db.select(User.id).where(User.id == user.id)


def _page(query: Select, number: int, size: int) -> Page:
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(size).offset((number - 1) * size)).all()
    return Page(rows, total or 0, number, size)


def attempts_page(scope: Scope, number: int, size: int, quiz_id: int | None = None) -> Page:
    """A page of attempts in scope (rows of SCORE_COLUMNS), optionally of one quiz, by id."""
    query = scores_query(scope)
    if quiz_id is not None:
        query = query.where(QuizVersion.quiz_id == quiz_id)
    return _page(query, number, size)


def quizzes_page(scope: Scope, number: int, size: int) -> Page:
    """Per quiz with attempts in scope: attempts, trainees, finished, mean and best fraction."""
    finished = Attempt.state == "finished"
    query = (
        db.select(
            Quiz.id,
            Quiz.title,
            func.count(Attempt.id).label("attempts"),
            func.count(Attempt.user_id.distinct()).label("trainees"),
            func.count(case((finished, Attempt.id))).label("finished"),
            func.avg(case((finished, Attempt.fraction))).label("mean"),
            func.max(case((finished, Attempt.fraction))).label("best"),
        )
        .join(QuizVersion, QuizVersion.quiz_id == Quiz.id)
        .join(Attempt, Attempt.quiz_version_id == QuizVersion.id)
        .group_by(Quiz.id, Quiz.title)
        .order_by(Quiz.id)
    )
    if scope.since is not None:
        query = query.where(Attempt.started_at >= as_utc(scope.since))
    if scope.user_ids is not None:
        query = query.where(Attempt.user_id.in_(scope.user_ids))
    return _page(query, number, size)
