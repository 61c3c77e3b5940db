"""Assigned quizzes for trainees: start (or continue) one from the dashboard's "Take now"."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.core.quizzes import QuizError
from quizapp.models import utcnow
from quizapp.services import assignments, attempts, quizzes
from quizapp.trainee.routes import bp, trainee_only


@bp.post("/quizzes/<int:quiz_id>/start")
@trainee_only
def start_quiz(quiz_id: int):
    """Continue the attempt in progress, or start a new one at the live version."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    quiz = assignments.assigned_quiz(quiz_id, current_user.id)
    if quiz is None:
        abort(404)
    attempts.expire_overdue(current_user.id)
    standing = quizzes.standing(
        current_user.id, quiz.id, quizzes.settings_of(quizzes.live(quiz)), utcnow()
    )
    if standing.in_progress is not None:
        return redirect(url_for("trainee.attempt", attempt_id=standing.in_progress.id))
    try:
        started = quizzes.start(current_user.id, quizzes.live(quiz))
    except QuizError as error:
        flash(str(error), "error")
        return redirect(url_for("trainee.dashboard"))
    return redirect(url_for("trainee.attempt", attempt_id=started.id))
