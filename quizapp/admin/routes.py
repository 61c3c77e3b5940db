"""Admin pages: list accounts, change roles, (de)activate, self sign-up, invitations."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Optional

from quizapp.auth import invitations
from quizapp.auth.forms import RoleForm, SwitchForm
from quizapp.auth.roles import role_required
from quizapp.cohort_pages import add_cohort_pages
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import accounts, cohorts

bp = Blueprint("admin", __name__, url_prefix="/admin")
add_cohort_pages(bp, Role.ADMIN)


def _role_form(user: User) -> RoleForm:
    """The role form of one user's row: its own prefix keeps ids unique on the page."""
    return RoleForm(prefix=f"user-{user.id}", role=user.role)


def _attempt(change: Callable[[], object], done: str) -> Response:
    """Run an account change, flash its outcome and go back to the admin home."""
    try:
        change()
    except accounts.AccountError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for(".home"))


class UserFilterForm(FlaskForm):
    """The accounts list's filters, read from the query string (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Email or name contains", validators=[Optional()])
    role = SelectField(
        "Role",
        default="",
        choices=[SelectChoice("", "Any role")]
        + [SelectChoice(r.value, r.value.capitalize()) for r in Role],
    )
    state = SelectField(
        "State",
        default="",
        choices=[
            SelectChoice("", "Any"),
            SelectChoice("active", "Active"),
            SelectChoice("deactivated", "Deactivated"),
        ],
    )
    cohort = SelectField(
        "Cohort", choices=[SelectChoice("", "Any cohort")], validators=[Optional()]
    )


def _user_filters() -> tuple[UserFilterForm, dict]:
    form = UserFilterForm(formdata=request.args)
    form.cohort.choices = [SelectChoice("", "Any cohort")] + [
        SelectChoice(str(c.id), c.name) for c in cohorts.manageable_by(current_user)
    ]
    if not form.validate():
        return form, {}
    state = {"active": True, "deactivated": False}.get(form.state.data)
    cohort = int(form.cohort.data) if form.cohort.data else None
    return form, {"text": form.q.data, "role": form.role.data, "active": state, "cohort_id": cohort}


@bp.get("/")
@role_required(Role.ADMIN)
def home() -> str:
    """Accounts found by the filters, 50 a page, and the self sign-up switch."""
    form, wanted = _user_filters()
    number = max(request.args.get("page", 1, type=int), 1)
    users = db.paginate(accounts.search_users(**wanted), page=number, per_page=50, error_out=False)
    return render_template(
        "admin/home.html",
        users=users,
        filters=form,
        query={k: v for k, v in request.args.items() if k != "page" and v},
        role_forms={user.id: _role_form(user) for user in users.items},
        signup_enabled=accounts.self_signup_enabled(),
    )


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
def change_role(user_id: int) -> Response:
    """Give a user another role."""
    user = db.get_or_404(User, user_id)
    form = RoleForm(prefix=f"user-{user.id}")
    if not form.validate_on_submit():
        flash("Choose a role from the list.", "error")
        return redirect(url_for(".home"))
    role = form.role.data
    return _attempt(lambda: accounts.set_role(user, role), f"{user.name} is now {role}.")


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def change_active(user_id: int) -> Response:
    """Deactivate or reactivate a user; a deactivated user cannot log in."""
    user = db.get_or_404(User, user_id)
    form = SwitchForm()
    if not form.validate_on_submit():
        flash("That change was not understood; try again.", "error")
        return redirect(url_for(".home"))
    state = "reactivated" if form.wanted else "deactivated"
    return _attempt(lambda: accounts.set_active(user, form.wanted), f"{user.name} is {state}.")


@bp.post("/self-signup")
@role_required(Role.ADMIN)
def self_signup() -> Response:
    """Turn trainee self sign-up on or off."""
    form = SwitchForm()
    if not form.validate_on_submit():
        flash("That change was not understood; try again.", "error")
        return redirect(url_for(".home"))
    state = "on" if form.wanted else "off"
    return _attempt(lambda: accounts.set_self_signup(form.wanted), f"Self sign-up is {state}.")


@bp.route("/invitations", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invitation_page() -> str | Response:
    """Make an invitation link for any role (shown once) and list every invitation."""
    form = invitations.invitation_form()
    made = invitations.create_from(form, back_url=url_for(".invitation_page"))
    if made is not None:
        return made
    return render_template(
        "admin/invitations.html",
        form=form,
        rows=accounts.invitation_rows(),
        create_url=url_for(".invitation_page"),
    )


# Pages in their own modules add their routes to this blueprint.
from quizapp.admin import (  # noqa: E402, F401
    audit_pages,
    exports_pages,
    gradebook_pages,
    report_pages,
    stat_pages,
    token_pages,
    users_pages,
)
