"""Admin pages for accounts at scale: password-reset links and importing a CSV roster."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response
from wtforms import BooleanField, SubmitField

from quizapp.admin.routes import bp
from quizapp.auth.roles import role_required
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import imports, resets

IMPORT_MAX_BYTES = 2 * 1024 * 1024


class ImportForm(FlaskForm):
    """A CSV roster to upload, and whether only to check it."""

    roster = FileField(
        "CSV file",
        description="A header row naming email, name, role, cohort in any order; UTF-8.",
        validators=[FileRequired("Choose a CSV file.")],
    )
    dry_run = BooleanField("Only check the file and say what it would create")
    submit = SubmitField("Import accounts")


class ConfirmForm(FlaskForm):
    """A button whose only data is its CSRF token."""


def _links_page(template: str, **context) -> Response:
    """A page showing reset links once: 201, never cached, no referrer."""
    response = make_response(render_template(template, **context), 201)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def reset_url(token: str) -> str:
    return url_for("auth.reset_password", token=token, _external=True)


@bp.post("/users/<int:user_id>/reset")
@role_required(Role.ADMIN)
def make_reset(user_id: int) -> Response:
    """Make a one-time password-reset link for a user and show it once."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        flash("That request was not understood; try again.", "error")
        return redirect(url_for(".home"))
    made = resets.create(user, current_user)
    return _links_page("admin/reset_made.html", made=made, link=reset_url(made.token))


@bp.route("/users/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_users() -> str | Response | tuple[str, int]:
    """Upload a CSV roster: all or nothing, every problem listed with its line."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/import.html", form=form, report=None)
    upload = form.roster.data
    data = upload.read(IMPORT_MAX_BYTES + 1)
    name = upload.filename or "upload.csv"
    if len(data) > IMPORT_MAX_BYTES:
        form.roster.errors = ["The file is larger than 2 MB; split it into several files."]
        return render_template("admin/import.html", form=form, report=None), 413
    report = imports.import_roster(data, name, dry_run=form.dry_run.data, admin=current_user)
    if not report.ok or report.dry_run:
        status = 200 if report.ok else 422
        return render_template("admin/import.html", form=form, report=report), status
    links = [(made, reset_url(made.token)) for made in report.links]
    return _links_page("admin/import_done.html", report=report, links=links)
