"""Cohort pages, shared by the admin and instructor blueprints.

Admins manage every cohort at /admin/cohorts; instructors create cohorts and manage the
ones they teach at /instructor/cohorts. A cohort an instructor does not teach is a 404 to
them, so they cannot even learn that it exists.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from quizapp.auth.forms import add_error
from quizapp.auth.roles import role_required
from quizapp.extensions import db
from quizapp.models import Cohort, Role, User
from quizapp.services import accounts, cohorts


class CohortForm(FlaskForm):
    """A cohort's name and description."""

    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter a name for the cohort."),
            Length(max=cohorts.NAME_MAX_LENGTH),
        ],
    )
    description = TextAreaField(
        "Description (optional)", validators=[Length(max=cohorts.DESCRIPTION_MAX_LENGTH)]
    )
    submit = SubmitField("Create cohort")


class MemberForm(FlaskForm):
    """The email of a trainee or instructor to add to a cohort."""

    email = EmailField(
        "Email of the trainee or instructor",
        validators=[DataRequired("Enter the member's email address.")],
    )
    submit = SubmitField("Add to cohort")


class ConfirmForm(FlaskForm):
    """A button whose only data is its CSRF token."""


def _cohort(cohort_id: int) -> Cohort:
    """The cohort, or 404 when it does not exist or the current user may not manage it."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not cohorts.can_manage(current_user, cohort):
        abort(404)
    return cohort


def cohorts_page(form: CohortForm | None = None) -> str:
    """The cohorts the current user manages, and a form to create one."""
    mine = cohorts.manageable_by(current_user)
    return render_template("cohorts/list.html", rows=cohorts.rows(mine), form=form or CohortForm())


def create_cohort() -> str | Response:
    """Create a cohort (an instructor becomes its instructor) and open it."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = cohorts.create(form.name.data, form.description.data, current_user)
        except cohorts.CohortError as error:
            add_error(form, error)
        else:
            flash(f"Cohort {cohort.name} created.", "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return cohorts_page(form)


def _detail(cohort: Cohort, rename: CohortForm | None = None, add: MemberForm | None = None) -> str:
    if rename is None:
        rename = CohortForm(prefix="cohort", name=cohort.name, description=cohort.description)
    rename.submit.label.text = "Save name and description"
    return render_template(
        "cohorts/detail.html",
        cohort=cohort,
        members=cohorts.members(cohort),
        rename_form=rename,
        member_form=add or MemberForm(),
        may_delete=current_user.role == Role.ADMIN,
    )


def cohort(cohort_id: int) -> str:
    """One cohort: its members, a form to add one, and its name and description."""
    return _detail(_cohort(cohort_id))


def rename_cohort(cohort_id: int) -> str | Response:
    """Save a cohort's new name and description."""
    group = _cohort(cohort_id)
    form = CohortForm(prefix="cohort")
    if form.validate_on_submit():
        try:
            cohorts.rename(group, form.name.data, form.description.data)
        except cohorts.CohortError as error:
            db.session.rollback()
            add_error(form, error)
        else:
            flash(f"Saved: the cohort is named {group.name}.", "success")
            return redirect(url_for(".cohort", cohort_id=group.id))
    return _detail(group, rename=form)


def add_member(cohort_id: int) -> str | Response:
    """Add a trainee or an instructor to the cohort by email."""
    group = _cohort(cohort_id)
    form = MemberForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        try:
            if user is None:
                raise cohorts.CohortError(
                    "email",
                    f"No account has the email {form.email.data.strip()}; invite them first.",
                )
            added = cohorts.add_member(group, user)
        except cohorts.CohortError as error:
            add_error(form, error)
        else:
            state = "added to" if added else "already in"
            flash(f"{user.name} is {state} {group.name}.", "success")
            return redirect(url_for(".cohort", cohort_id=group.id))
    return _detail(group, add=form)


def remove_member(cohort_id: int, user_id: int) -> Response:
    """Take a member out of the cohort (their account stays)."""
    group = _cohort(cohort_id)
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and cohorts.remove_member(group, user):
        flash(f"{user.name} is no longer in {group.name}.", "success")
    if not cohorts.can_manage(current_user, group):  # an instructor who removed themselves
        return redirect(url_for(".cohorts"))
    return redirect(url_for(".cohort", cohort_id=group.id))


def delete_cohort(cohort_id: int) -> Response:
    """Delete a cohort and its memberships (admins only)."""
    group = _cohort(cohort_id)
    if ConfirmForm().validate_on_submit():
        name = group.name
        cohorts.delete(group)
        flash(f"Cohort {name} deleted; its members' accounts stay.", "success")
    return redirect(url_for(".cohorts"))


_PAGES: list[tuple[str, Callable, list[str]]] = [
    ("/cohorts", cohorts_page, ["GET"]),
    ("/cohorts", create_cohort, ["POST"]),
    ("/cohorts/<int:cohort_id>", cohort, ["GET"]),
    ("/cohorts/<int:cohort_id>/rename", rename_cohort, ["POST"]),
    ("/cohorts/<int:cohort_id>/members", add_member, ["POST"]),
    ("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", remove_member, ["POST"]),
]


def add_cohort_pages(bp: Blueprint, role: Role) -> None:
    """Register the cohort pages on a role's blueprint, each guarded for that role."""
    pages = [*_PAGES]
    if role == Role.ADMIN:
        pages.append(("/cohorts/<int:cohort_id>/delete", delete_cohort, ["POST"]))
    for rule, view, methods in pages:
        bp.add_url_rule(
            rule, view.__name__.removesuffix("_page"), role_required(role)(view), methods=methods
        )
