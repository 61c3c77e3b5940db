"""Logging in and out, trainee self sign-up, and accepting invitation links."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
)
from flask.blueprints import BlueprintSetupState
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from quizapp.auth.forms import LoginForm, NewAccountForm, ResetPasswordForm, add_error
from quizapp.auth.roles import home_url
from quizapp.extensions import db, limiter, login_manager
from quizapp.models import User
from quizapp.services import accounts, audit, resets

bp = Blueprint("auth", __name__)

# Failed logins allowed per address and account before the form refuses for a while.
LOGIN_LIMIT = "10 per 5 minutes"


@bp.record_once
def _configure_login(state: BlueprintSetupState) -> None:
    """Flask-Login sends anonymous users here and guards sessions against cookie theft."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to open that page."
    login_manager.session_protection = "strong"


@bp.app_context_processor
def _account_helpers() -> dict[str, object]:
    """Helpers for the account links in the navigation bar."""
    return {"account_home_url": lambda: home_url(current_user.role), "signup_open": _signup_open}


def _signup_open() -> bool:
    """Whether to offer Sign up; False when the database cannot say (e.g. on an error page)."""
    try:
        return accounts.self_signup_enabled()
    except SQLAlchemyError:
        db.session.rollback()
        return False


def local_path(target: str | None) -> str | None:
    """`target` when it is a path within this app, else None: `next` never leaves the site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(char.isspace() or ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _start_session(user: User) -> None:
    """A fresh session for the user: nothing from before logging in survives."""
    session.clear()
    login_user(user)


def _login_key() -> str:
    """Failed logins are counted per address and account, so one user cannot lock out all."""
    email = (request.form.get("email") or "").strip().lower()
    return f"{get_remote_address()}|{email}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    LOGIN_LIMIT,
    methods=["POST"],
    key_func=_login_key,
    deduct_when=lambda response: response.status_code == 200,  # a failed try re-shows the form
    error_message="Too many failed logins. Wait a few minutes and try again.",
)
def login() -> str | Response:
    """Show the login form; on success start a new session and go to `next` or home."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = local_path(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.AccountError as error:
            add_error(form, error)
            audit.record(
                "login.failed",
                form.email.data.strip().lower(),
                {"reason": error.message},
                commit=True,
            )
        else:
            _start_session(user)
            audit.record("login", user.email, actor=user, commit=True)
            flash(f"Welcome, {user.name}.", "success")
            return redirect(local_path(form.next.data) or home_url(user.role))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """End the session (POST with a CSRF token, so no link or image can log anyone out).

    The server refuses the cookie from now on, even when someone kept a copy of it.
    """
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
    logout_user()
    session.clear()
    flash("You have logged out.", "success")
    return redirect(home_url(None))


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    """Trainees create their own account, only while an admin allows self sign-up."""
    if not accounts.self_signup_enabled():
        abort(404)
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(form.email.data, form.password.data, form.name.data)
        except accounts.AccountError as error:
            add_error(form, error)
        else:
            return _welcome(user)
    return render_template("auth/signup.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Response:
    """Accept an invitation: one-time, expiring, for the address it names if it names one."""
    try:
        invited = accounts.usable_invitation(token)
    except accounts.InvitationUnusable as error:
        abort(error.status, description=error.message)
    form = NewAccountForm(email=invited.email)
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(
                token, form.email.data, form.name.data, form.password.data
            )
        except accounts.InvitationUnusable as error:
            abort(error.status, description=error.message)
        except accounts.AccountError as error:
            add_error(form, error)
        else:
            return _welcome(user)
    response = make_response(render_template("auth/invitation.html", form=form, invitation=invited))
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    return response


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response:
    """Choose a new password from a one-time, expiring reset link, then log in."""
    try:
        reset = resets.usable(token)
    except accounts.InvitationUnusable as error:
        abort(error.status, description=error.message)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = resets.use(token, form.password.data)
        except accounts.InvitationUnusable as error:
            abort(error.status, description=error.message)
        except accounts.AccountError as error:
            add_error(form, error)
        else:
            _start_session(user)
            flash(f"Welcome, {user.name}: your new password is set.", "success")
            return redirect(home_url(user.role))
    user = db.session.get(User, reset.user_id)
    page = render_template("auth/reset.html", form=form, user=user)
    response = make_response(page)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    response.headers["Cache-Control"] = "no-store"
    return response


def _welcome(user: User) -> Response:
    """Log a newly created account in and send it to its start page."""
    _start_session(user)
    flash(f"Welcome, {user.name}: your account is ready.", "success")
    return redirect(home_url(user.role))
