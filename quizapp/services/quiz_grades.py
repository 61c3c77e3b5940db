"""The gradebook of one quiz in one cohort, and grades overridden by hand (audited).

Each trainee's attempts are summed by GROUP BY (with window functions marking the first
and the last), and the grade follows the quiz's grading method; a grade set by hand
replaces it, and the page and the CSV say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func

from quizapp.core import quizzes as core
from quizapp.core.attempt import AttemptState
from quizapp.core.clock import as_utc
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    CohortMember,
    CohortRole,
    GradeOverride,
    Quiz,
    QuizVersion,
    User,
    utcnow,
)
from quizapp.services import audit, quizzes
from quizapp.services.reports import _seconds

MAX_REASON = 500


class OverrideError(ValueError):
    """A grade override refused, with what is wrong and how to fix it, by field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class QuizGradeRow:
    """One trainee of the cohort on the quiz."""

    user_id: int
    name: str
    email: str
    attempts: int
    computed: float | None  # by the grading method, 0..1
    override: float | None  # set by hand, 0..1
    reason: str
    seconds: float
    last: datetime | None
    passed: bool | None

    @property
    def grade(self) -> float | None:
        """The grade that counts: the override when there is one."""
        return self.override if self.override is not None else self.computed


def quizzes_of(cohort_id: int) -> list[Quiz]:
    """The published quizzes assigned to the cohort, by title."""
    query = (
        db.select(Quiz)
        .join(Assignment, Assignment.quiz_id == Quiz.id)
        .where(Assignment.cohort_id == cohort_id, Quiz.published.is_not(None))
        .order_by(Quiz.title, Quiz.id)
    )
    return list(db.session.scalars(query))


def _per_trainee(quiz_id: int) -> Select:
    """Per trainee: attempts, highest, average, first, last, time, last finished."""
    order = (Attempt.finished_at, Attempt.id)
    ranked = (
        db.select(
            Attempt.user_id,
            Attempt.fraction,
            _seconds(Attempt.started_at, Attempt.finished_at).label("seconds"),
            Attempt.finished_at,
            func.row_number().over(partition_by=Attempt.user_id, order_by=order).label("rf"),
            func.row_number()
            .over(partition_by=Attempt.user_id, order_by=[o.desc() for o in order])
            .label("rl"),
        )
        .where(
            Attempt.state == AttemptState.FINISHED.value,
            Attempt.quiz_version_id.in_(
                db.select(QuizVersion.id).where(QuizVersion.quiz_id == quiz_id)
            ),
        )
        .subquery()
    )
    return (
        db.select(
            ranked.c.user_id,
            func.count().label("attempts"),
            func.max(ranked.c.fraction).label("highest"),
            func.avg(ranked.c.fraction).label("average"),
            func.max(case((ranked.c.rf == 1, ranked.c.fraction))).label("first"),
            func.max(case((ranked.c.rl == 1, ranked.c.fraction))).label("last"),
            func.sum(ranked.c.seconds).label("seconds"),
            func.max(ranked.c.finished_at).label("finished"),
        )
        .group_by(ranked.c.user_id)
        .subquery()
    )


def rows(cohort_id: int, quiz: Quiz, user_id: int | None = None) -> Iterator[QuizGradeRow]:
    """Every trainee of the cohort (with or without attempts), by name, streamed; only
    the trainee `user_id` when given."""
    settings = quizzes.settings_of(quizzes.live(quiz) or quiz)
    per = _per_trainee(quiz.id)
    query = (
        db.select(User.id, User.name, User.email, per, GradeOverride.fraction, GradeOverride.reason)
        .join(CohortMember, CohortMember.user_id == User.id)
        .outerjoin(per, per.c.user_id == User.id)
        .outerjoin(
            GradeOverride, (GradeOverride.user_id == User.id) & (GradeOverride.quiz_id == quiz.id)
        )
        .where(CohortMember.cohort_id == cohort_id, CohortMember.role == CohortRole.TRAINEE.value)
        .order_by(User.name, User.id)
        .execution_options(yield_per=500)
    )
    if user_id is not None:
        query = query.where(User.id == user_id)
    for row in db.session.execute(query):
        by_method = {
            core.GradingMethod.HIGHEST: row.highest,
            core.GradingMethod.AVERAGE: row.average,
            core.GradingMethod.FIRST: row.first,
            core.GradingMethod.LAST: row.last,
        }
        computed = by_method[settings.grading]
        computed = None if computed is None else float(computed)
        override = row.fraction
        counted = override if override is not None else computed
        yield QuizGradeRow(
            row.id,
            row.name,
            row.email,
            row.attempts or 0,
            computed,
            override,
            row.reason or "",
            float(row.seconds or 0),
            as_utc(row.finished) if row.finished else None,
            core.passed(settings, counted),
        )


def finished_attempts(cohort_id: int, quiz_id: int) -> dict[int, list[int]]:
    """Each trainee's finished attempt ids at the quiz, oldest first, for links to reviews."""
    query = (
        db.select(Attempt.user_id, Attempt.id)
        .join(CohortMember, CohortMember.user_id == Attempt.user_id)
        .where(
            CohortMember.cohort_id == cohort_id,
            CohortMember.role == CohortRole.TRAINEE.value,
            Attempt.state == AttemptState.FINISHED.value,
            Attempt.quiz_version_id.in_(
                db.select(QuizVersion.id).where(QuizVersion.quiz_id == quiz_id)
            ),
        )
        .order_by(Attempt.finished_at, Attempt.id)
    )
    found: dict[int, list[int]] = {}
    for user_id, attempt_id in db.session.execute(query):
        found.setdefault(user_id, []).append(attempt_id)
    return found


CSV_HEADER = [
    "name",
    "email",
    "attempts",
    "grade",
    "grade_max",
    "overridden",
    "computed_grade",
    "override_reason",
    "passed",
    "minutes",
    "last",
]


def csv_rows(cohort_id: int, quiz: Quiz) -> Iterator[list]:
    """The quiz's gradebook as CSV rows, the grade in points of the quiz's grade."""
    top = quizzes.settings_of(quizzes.live(quiz) or quiz).grade_max

    def points(fraction: float | None) -> float | str:
        return "" if fraction is None else round(fraction * top, 2)

    for row in rows(cohort_id, quiz):
        yield [
            row.name,
            row.email,
            row.attempts,
            points(row.grade),
            top,
            "yes" if row.override is not None else "no",
            points(row.computed),
            row.reason,
            "" if row.passed is None else ("yes" if row.passed else "no"),
            round(row.seconds / 60, 1),
            row.last.isoformat() if row.last else "",
        ]


# --- overriding ----------------------------------------------------------------------------


def parse_grade(text: str, grade_max: float) -> float:
    """A grade typed in points ("7.5", "7,5") as a fraction of `grade_max`; OverrideError else."""
    cleaned = (text or "").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= grade_max:
        example = f"{grade_max / 2:g}"
        message = f"Enter the grade as a number from 0 to {grade_max:g}, e.g. {example}."
        raise OverrideError({"grade": message})
    return value / grade_max


def clean_reason(text: str) -> str:
    """The reason, trimmed; OverrideError when it is blank or too long."""
    reason = " ".join((text or "").split())
    if not reason:
        raise OverrideError({"reason": "Give the reason for the new grade; it is required."})
    if len(reason) > MAX_REASON:
        message = f"Shorten the reason to at most {MAX_REASON} characters ({len(reason)} now)."
        raise OverrideError({"reason": message})
    return reason


def override(trainee: User, quiz: Quiz, grade: str, reason: str, by: User) -> GradeOverride:
    """Set the trainee's grade on the quiz by hand, audited as grade.override; one commit.

    Nothing changes when the grade or the reason is refused (OverrideError says why).
    """
    top = quizzes.settings_of(quizzes.live(quiz) or quiz).grade_max
    problems: dict[str, str] = {}
    fraction, cleaned = 0.0, ""
    try:
        fraction = parse_grade(grade, top)
    except OverrideError as error:
        problems |= error.problems
    try:
        cleaned = clean_reason(reason)
    except OverrideError as error:
        problems |= error.problems
    if problems:
        raise OverrideError(problems)
    found = quizzes.override_of(trainee.id, quiz.id)
    before = None if found is None else round(found.fraction * top, 2)
    values = {"fraction": fraction, "reason": cleaned, "by_id": by.id, "at": utcnow()}
    if found is None:
        found = GradeOverride(user_id=trainee.id, quiz_id=quiz.id, **values)
        db.session.add(found)
    else:
        for name, value in values.items():
            setattr(found, name, value)
    audit.record(
        "grade.override",
        trainee.email,
        {
            "quiz_id": quiz.id,
            "quiz": quiz.title,
            "grade": round(fraction * top, 2),
            "grade_max": top,
            "previous_override": before,
            "reason": cleaned,
        },
        actor=by,
    )
    db.session.commit()
    return found


# --- progress over time --------------------------------------------------------------------


def _week(column):
    """The Monday (UTC) of a timestamp's week, as a date, in the database's own functions."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.date_trunc("week", func.timezone("UTC", column)))
    return func.date(column, "weekday 0", "-6 days")


def progress(
    cohort_id: int, quiz_id: int | None = None, weeks: int = 12
) -> list[tuple[str, float, int]]:
    """(Monday of the week, average score %, attempts) of the cohort's finished attempts,
    the latest `weeks` weeks that have any, oldest first; one quiz's attempts when given."""
    week = _week(Attempt.finished_at)
    query = (
        db.select(week, func.avg(Attempt.fraction), func.count())
        .join(CohortMember, CohortMember.user_id == Attempt.user_id)
        .where(
            CohortMember.cohort_id == cohort_id,
            CohortMember.role == CohortRole.TRAINEE.value,
            Attempt.state == AttemptState.FINISHED.value,
        )
        .group_by(week)
        .order_by(week.desc())
        .limit(weeks)
    )
    if quiz_id is not None:
        versions = db.select(QuizVersion.id).where(QuizVersion.quiz_id == quiz_id)
        query = query.where(Attempt.quiz_version_id.in_(versions))
    found = [(str(day), 100 * float(avg or 0), n) for day, avg, n in db.session.execute(query)]
    return found[::-1]
