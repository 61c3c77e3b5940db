"""Assigning published quizzes to cohorts; what trainees take and what instructors see.

Instructors assign to the cohorts they teach, admins to any cohort. A trainee's
"Take now" lists the published quizzes assigned to their cohorts; an instructor's
results list each trainee of an assigned cohort with their grade by the quiz's method.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from quizapp.core import quizzes as core
from quizapp.core.quizzes import QuizError, QuizSettings
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Cohort,
    CohortMember,
    CohortRole,
    Quiz,
    QuizVersion,
    Role,
    User,
)
from quizapp.services import cohorts, quizzes


class AssignmentError(QuizError):
    """An assignment that cannot be made; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def assign(quiz: Quiz, cohort: Cohort | None, due_at: datetime | None, by: User) -> Assignment:
    """Assign the published quiz to a cohort the user may manage."""
    if cohort is None or not cohorts.can_manage(by, cohort):
        raise AssignmentError("cohort_id", "Choose one of the cohorts you teach.")
    if quiz.published is None:
        raise AssignmentError("cohort_id", "Publish the quiz before assigning it.")
    assignment = Assignment(
        quiz_id=quiz.id, cohort_id=cohort.id, due_at=due_at, created_by_id=by.id
    )
    db.session.add(assignment)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AssignmentError(
            "cohort_id", f"The quiz is already assigned to {cohort.name}."
        ) from None
    return assignment


def unassign(assignment: Assignment) -> None:
    """Take the quiz off the cohort (attempts already made stay)."""
    db.session.delete(assignment)
    db.session.commit()


def of_quiz(quiz: Quiz, viewer: User) -> list[Assignment]:
    """The quiz's assignments the viewer may see: all for admins, taught cohorts otherwise."""
    query = (
        sa.select(Assignment)
        .join(Cohort, Cohort.id == Assignment.cohort_id)
        .where(Assignment.quiz_id == quiz.id)
        .order_by(Cohort.name)
    )
    found = list(db.session.scalars(query))
    if viewer.role == Role.ADMIN:
        return found
    taught = {c.id for c in cohorts.taught_by(viewer)}
    return [a for a in found if a.cohort_id in taught]


def visible(assignment_id: int, viewer: User) -> Assignment | None:
    """The assignment if the viewer may manage its cohort; None otherwise."""
    found = db.session.get(Assignment, assignment_id)
    if found is None or not cohorts.can_manage(viewer, found.cohort):
        return None
    return found


# --- the trainee's side --------------------------------------------------------------------


@dataclass(frozen=True)
class ToTake:
    """A quiz assigned to the trainee, with where they stand on it."""

    quiz: Quiz
    version: QuizVersion
    settings: QuizSettings
    due_at: datetime | None
    standing: quizzes.Standing
    refusal: str | None  # why a new attempt cannot start now; None when it can

    @property
    def score(self) -> float | None:
        return self.standing.score(self.settings.grade_max)


def _assigned_to(user_id: int) -> sa.Select:
    mine = sa.select(CohortMember.cohort_id).where(
        CohortMember.user_id == user_id, CohortMember.role == CohortRole.TRAINEE.value
    )
    return sa.select(Assignment).where(Assignment.cohort_id.in_(mine))


def take_now(user_id: int, now: datetime) -> list[ToTake]:
    """The published quizzes assigned to the trainee's cohorts, soonest due first.

    Three statements whatever the number of quizzes: the assignments with their quizzes and
    live versions, then the trainee's attempts and overrides on all of them.
    """
    assigned = db.session.execute(
        _assigned_to(user_id)
        .add_columns(Quiz, QuizVersion)
        .join(Quiz, Quiz.id == Assignment.quiz_id)
        .join(
            QuizVersion,
            sa.and_(QuizVersion.quiz_id == Quiz.id, QuizVersion.number == Quiz.published),
        )
    )
    due: dict[int, datetime | None] = {}
    live: dict[int, tuple[Quiz, QuizVersion]] = {}
    for assignment, quiz, version in assigned:
        live[quiz.id] = (quiz, version)
        earlier = due.get(quiz.id)
        if assignment.due_at and (earlier is None or assignment.due_at < earlier):
            due[quiz.id] = assignment.due_at
        else:
            due.setdefault(quiz.id, None)
    settings = {quiz_id: quizzes.settings_of(version) for quiz_id, (_, version) in live.items()}
    standings = quizzes.standings([user_id], settings, now)
    rows = []
    for quiz_id, (quiz, version) in live.items():
        standing = standings[user_id, quiz_id]
        used = len(standing.finished) + (standing.in_progress is not None)
        refusal = core.start_refusal(settings[quiz_id], used, now)
        rows.append(ToTake(quiz, version, settings[quiz_id], due[quiz_id], standing, refusal))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(rows, key=lambda r: (r.due_at or far, r.quiz.title.lower()))


def assigned_quiz(quiz_id: int, user_id: int) -> Quiz | None:
    """The published quiz if it is assigned to one of the trainee's cohorts; None otherwise."""
    found = db.session.scalars(
        _assigned_to(user_id).where(Assignment.quiz_id == quiz_id).limit(1)
    ).first()
    if found is None or found.quiz.published is None:
        return None
    return found.quiz


# --- the instructor's side -----------------------------------------------------------------


@dataclass(frozen=True)
class TraineeResult:
    user: User
    standing: quizzes.Standing


def results(assignment: Assignment, now: datetime) -> list[TraineeResult]:
    """Each trainee of the cohort, by name, with their attempts and grade on the quiz.

    A constant number of statements whatever the cohort's size.
    """
    settings = quizzes.settings_of(quizzes.live(assignment.quiz))
    trainees = db.session.scalars(
        sa.select(User)
        .where(User.id.in_(cohorts.trainee_ids(assignment.cohort)))
        .order_by(User.name, User.id)
    ).all()
    standings = quizzes.standings(
        [user.id for user in trainees], {assignment.quiz_id: settings}, now
    )
    return [TraineeResult(user, standings[user.id, assignment.quiz_id]) for user in trainees]


def may_see_attempt(viewer: User, attempt: Attempt) -> bool:
    """Admins see every attempt; instructors those of trainees in cohorts they teach."""
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.INSTRUCTOR and cohorts.teaches_trainee(viewer, attempt.user_id)
