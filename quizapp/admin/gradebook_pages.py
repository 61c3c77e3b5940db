"""The gradebook: a cohort's trainees overall, or on one assigned quiz with grades set by hand.

Admins see every cohort; instructors the cohorts they teach, and only they (or an admin)
may override a grade there. Every override needs a reason and is audited.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField

from quizapp.admin.export import csv_response
from quizapp.admin.routes import bp
from quizapp.admin.stat_pages import STAFF, chosen_cohort
from quizapp.auth.roles import role_required
from quizapp.core import charts
from quizapp.extensions import db
from quizapp.models import Cohort, CohortMember, CohortRole, Quiz, User
from quizapp.services import cohorts, quiz_grades, quizzes, reports


class OverrideForm(FlaskForm):
    """A trainee's new grade on a quiz, in points, and why."""

    grade = StringField("New grade")
    reason = TextAreaField(
        "Reason (required)",
        description="Say why, for the trainee's record and the audit log, "
        f"in at most {quiz_grades.MAX_REASON} characters.",
    )


def _chosen_quiz(cohort: Cohort | None) -> Quiz | None:
    """The quiz named by ?quiz=, if it is assigned to the cohort (404 otherwise)."""
    chosen = request.args.get("quiz", type=int)
    if not chosen or cohort is None:
        return None
    quiz = next((q for q in quiz_grades.quizzes_of(cohort.id) if q.id == chosen), None)
    if quiz is None:
        abort(404)
    return quiz


def _progress_chart(cohort: Cohort, quiz: Quiz | None) -> tuple[str, list]:
    """The average score week by week, as an SVG chart and its data."""
    weeks = quiz_grades.progress(cohort.id, quiz.id if quiz else None)
    if not weeks:
        return "", weeks
    of = f"on {quiz.title}" if quiz else "in every finished attempt"
    svg = charts.line_chart(
        "progress",
        f"Progress over time: {cohort.name}",
        f"Average score {of}, week by week; the table beside it gives the same numbers.",
        [(day[5:], average) for day, average, _ in weeks],
        "Week starting (month-day)",
        charts.Axis("Average score (%)", 0, 100),
    )
    return svg, weeks


@bp.get("/reports/gradebook")
@role_required(*STAFF)
def gradebook() -> str:
    """A cohort's trainees overall, or on one quiz with grades by the quiz's method."""
    cohort = chosen_cohort()
    quiz = _chosen_quiz(cohort)
    chart, weeks = _progress_chart(cohort, quiz) if cohort else ("", [])
    settings = quizzes.settings_of(quizzes.live(quiz) or quiz) if quiz else None
    return render_template(
        "admin/gradebook.html",
        cohort=cohort,
        cohorts=cohorts.manageable_by(current_user),
        quiz=quiz,
        quizzes=quiz_grades.quizzes_of(cohort.id) if cohort else [],
        settings=settings,
        rows=_rows(cohort, quiz),
        attempts=quiz_grades.finished_attempts(cohort.id, quiz.id) if quiz else {},
        chart=chart,
        weeks=weeks,
    )


def _rows(cohort: Cohort | None, quiz: Quiz | None) -> list:
    if cohort is None:
        return []
    if quiz is None:
        return list(reports.gradebook(cohort.id))
    return list(quiz_grades.rows(cohort.id, quiz))


@bp.get("/reports/gradebook.csv")
@role_required(*STAFF)
def gradebook_csv() -> Response:
    """The cohort's gradebook (overall, or on one quiz) as CSV, streamed row by row."""
    cohort = chosen_cohort()
    if cohort is None:
        abort(404)
    quiz = _chosen_quiz(cohort)
    if quiz is None:
        return csv_response(
            "gradebook.csv", reports.GRADEBOOK_HEADER, reports.gradebook_csv_rows(cohort.id)
        )
    return csv_response(
        f"gradebook-quiz-{quiz.id}.csv",
        quiz_grades.CSV_HEADER,
        quiz_grades.csv_rows(cohort.id, quiz),
    )


def _trainee_of(cohort: Cohort) -> User:
    """The trainee named by ?user=, who must be a trainee of the cohort (404 otherwise)."""
    user_id = request.args.get("user", type=int)
    member = db.session.scalars(
        db.select(CohortMember).where(
            CohortMember.cohort_id == cohort.id,
            CohortMember.user_id == user_id,
            CohortMember.role == CohortRole.TRAINEE.value,
        )
    ).first()
    if member is None:
        abort(404)
    return db.session.get(User, member.user_id)


@bp.route("/reports/gradebook/override", methods=["GET", "POST"])
@role_required(*STAFF)
def override_grade() -> str | Response | tuple[str, int]:
    """Set a trainee's grade on a quiz by hand, with a required reason (audited)."""
    cohort = chosen_cohort()
    quiz = _chosen_quiz(cohort)
    if cohort is None or quiz is None:
        abort(404)
    trainee = _trainee_of(cohort)
    settings = quizzes.settings_of(quizzes.live(quiz) or quiz)
    [row] = list(quiz_grades.rows(cohort.id, quiz, trainee.id))
    form = OverrideForm()
    form.grade.description = (
        f"A number from 0 to {settings.grade_max:g}; "
        "it replaces the computed grade in the gradebook and its CSV."
    )
    status = 200
    if form.validate_on_submit():
        try:
            quiz_grades.override(trainee, quiz, form.grade.data, form.reason.data, current_user)
        except quiz_grades.OverrideError as error:
            for field, message in error.problems.items():
                getattr(form, field).errors = [*getattr(form, field).errors, message]
            status = 422
        else:
            flash(f"{trainee.name}'s grade on {quiz.title} is set.", "success")
            return redirect(url_for(".gradebook", cohort=cohort.id, quiz=quiz.id))
    elif request.method == "POST":
        status = 400
    page = render_template(
        "admin/gradebook_override.html",
        form=form,
        cohort=cohort,
        quiz=quiz,
        trainee=trainee,
        row=row,
        settings=settings,
    )
    return page, status
