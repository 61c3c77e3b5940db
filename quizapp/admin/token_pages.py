"""The admin's API tokens page: issue a token to an account (shown once), list, revoke."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from quizapp.admin.routes import bp
from quizapp.admin.users_pages import ConfirmForm
from quizapp.auth.roles import role_required
from quizapp.extensions import db
from quizapp.models import ApiToken, Role
from quizapp.services import accounts, tokens


class TokenForm(FlaskForm):
    """Whom a new token reads as, and what it is for."""

    email = StringField(
        "Account's email",
        validators=[DataRequired("Give the email of the account the token reads as.")],
        description="The token reads what this account may read: its role's limits apply.",
    )
    name = StringField(
        "What the token is for",
        validators=[
            DataRequired("Say what the token is for, e.g. “Moodle sync”."),
            Length(max=tokens.NAME_MAX, message="Keep the name to 80 characters or fewer."),
        ],
    )
    submit = SubmitField("Issue token")


def _page(form: TokenForm, status: int = 200) -> tuple[str, int]:
    rows = tokens.listed()
    return render_template("admin/tokens.html", form=form, rows=rows), status


@bp.route("/tokens", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def tokens_page() -> tuple[str, int] | Response:
    """Issue an API token (its value is shown once) and list every token."""
    form = TokenForm()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    try:
        made = tokens.issue(form.email.data, form.name.data, created_by=current_user)
    except accounts.AccountError as error:
        getattr(form, error.field).errors = [error.message]
        return _page(form, 422)
    api = url_for("api.me", _external=True)
    page = render_template("admin/token_made.html", made=made, api=api)
    response = make_response(page, 201)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/tokens/<int:token_id>/revoke")
@role_required(Role.ADMIN)
def revoke_token(token_id: int) -> Response:
    """Revoke a token: every request with it is refused from now on."""
    token = db.get_or_404(ApiToken, token_id)
    if not ConfirmForm().validate_on_submit():
        flash("That request was not understood; try again.", "error")
    elif tokens.revoke(token, by=current_user):
        flash(f"The token “{token.name}” of {token.user.email} is revoked.", "success")
    else:
        flash(f"The token “{token.name}” was already revoked.", "success")
    return redirect(url_for(".tokens_page"))
