"""/api/v1 final grades of one quiz: the gradebook of the quiz's cohorts, per trainee.

For admins (every cohort the quiz is assigned to), instructors (the cohorts they teach) and
trainees (their own row, the grade once their own quiz page shows it, never a reason). The
grades come from the same gradebook service as the gradebook page, so they agree.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from werkzeug.wrappers import Response

from quizapp.api.auth import api_user, token_required
from quizapp.api.routes import EVERY_ROLE, bp, listing, paging
from quizapp.core.quizzes import QuizSettings
from quizapp.extensions import db
from quizapp.models import Cohort, Quiz, Role, User, utcnow
from quizapp.services import assignments, cohorts, exports, quiz_grades, quizzes

NOT_FOUND = "No quiz with this id is assigned to a cohort you may read; /api/v1/quizzes lists some."


def _points(fraction: float | None, top: float) -> float | None:
    return None if fraction is None else round(fraction * top, 2)


def _grade(row: quiz_grades.QuizGradeRow, cohort: Cohort, top: float) -> dict[str, Any]:
    overridden = row.override is not None
    found: dict[str, Any] = {
        "user": {"id": row.user_id, "name": row.name, "email": row.email},
        "cohort": {"id": cohort.id, "name": cohort.name},
        "attempts": row.attempts,
        "grade": _points(row.grade, top),
        "fraction": row.grade,
        "overridden": overridden,
        "passed": row.passed,
    }
    if overridden:
        found |= {"computed_grade": _points(row.computed, top), "reason": row.reason}
    return found


def _as_trainee_sees(
    item: dict[str, Any], quiz: Quiz, settings: QuizSettings, user: User
) -> dict[str, Any]:
    """The trainee's own row: never the reason, and no grade while their quiz page hides it."""
    item = {k: v for k, v in item.items() if k != "reason"}
    if quizzes.standing(user.id, quiz.id, settings, utcnow()).grade_visible:
        return item
    item.pop("computed_grade", None)
    return item | {"grade": None, "fraction": None, "overridden": False, "passed": None}


def _cohorts(quiz: Quiz, user: User) -> list[Cohort]:
    """The quiz's cohorts the user may read: all (admin), taught, or their own (trainee)."""
    if user.role != Role.TRAINEE:
        return [a.cohort for a in assignments.of_quiz(quiz, user)]
    return [c for c in cohorts.cohorts_of(user) if quiz in quiz_grades.quizzes_of(c.id)]


def _quiz(quiz_id: int, user: User) -> tuple[Quiz, list[Cohort]]:
    """The quiz and its cohorts the user may read; 404 when there are none (but for admins)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404, description=NOT_FOUND)
    found = _cohorts(quiz, user)
    if not found and user.role != Role.ADMIN:
        abort(404, description=NOT_FOUND)
    return quiz, found


@bp.get("/quizzes/<int:quiz_id>/grades")
@token_required(*EVERY_ROLE)
def quiz_grades_of(quiz_id: int) -> Response:
    """Each trainee's grade on the quiz by its grading method, a hand-set grade marked."""
    user = api_user()
    quiz, found = _quiz(quiz_id, user)
    settings = quizzes.settings_of(quizzes.live(quiz) or quiz)
    only = user.id if user.role == Role.TRAINEE else None
    seen: set[int] = set()
    items = []
    for cohort in found:
        for row in quiz_grades.rows(cohort.id, quiz, only):
            if row.user_id not in seen:  # a trainee in two of the quiz's cohorts counts once
                seen.add(row.user_id)
                item = _grade(row, cohort, settings.grade_max)
                items.append(_as_trainee_sees(item, quiz, settings, user) if only else item)
    number, size = paging()
    page = exports.Page(items[(number - 1) * size : number * size], len(items), number, size)
    about = {
        "id": quiz.id,
        "title": quiz.title,
        "grading": str(settings.grading),
        "grade_max": settings.grade_max,
        "pass_percent": settings.pass_percent,
    }
    return listing(page, page.rows, quiz=about)
