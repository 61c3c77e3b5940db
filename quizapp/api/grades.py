"""/api/v1 final grades of one quiz: the gradebook of the quiz's cohorts, per trainee.

For admins (every cohort the quiz is assigned to) and instructors (the cohorts they teach).
The grades come from the same gradebook service as the gradebook page, so they agree.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from werkzeug.wrappers import Response

from quizapp.api.auth import api_user, token_required
from quizapp.api.routes import bp, listing, paging
from quizapp.api.statistics import STAFF
from quizapp.extensions import db
from quizapp.models import Cohort, Quiz, Role
from quizapp.services import assignments, exports, quiz_grades, quizzes

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


def _cohorts(quiz_id: int) -> tuple[Quiz, list[Cohort]]:
    """The quiz and those of its cohorts the token's user may read; 404 when there are none."""
    user = api_user()
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404, description=NOT_FOUND)
    taught = [a.cohort for a in assignments.of_quiz(quiz, user)]
    if not taught and user.role != Role.ADMIN:
        abort(404, description=NOT_FOUND)
    return quiz, taught


@bp.get("/quizzes/<int:quiz_id>/grades")
@token_required(*STAFF)
def quiz_grades_of(quiz_id: int) -> Response:
    """Each trainee's grade on the quiz by its grading method, a hand-set grade marked."""
    quiz, cohorts = _cohorts(quiz_id)
    settings = quizzes.settings_of(quizzes.live(quiz) or quiz)
    seen: set[int] = set()
    items = []
    for cohort in cohorts:
        for row in quiz_grades.rows(cohort.id, quiz):
            if row.user_id not in seen:  # a trainee in two of the quiz's cohorts counts once
                seen.add(row.user_id)
                items.append(_grade(row, cohort, settings.grade_max))
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
