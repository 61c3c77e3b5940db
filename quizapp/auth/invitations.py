"""Making an invitation from a form, shared by the admin and instructor pages."""

from __future__ import annotations

from flask import make_response, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.auth.forms import InvitationForm, add_error
from quizapp.services import accounts


def invitation_form() -> InvitationForm:
    """An invitation form offering only the roles the current user may invite."""
    return InvitationForm().limit_roles(accounts.invitable_roles(current_user))


def create_from(form: InvitationForm, back_url: str) -> Response | None:
    """Make the invitation and show its link, once; None when the form needs correcting."""
    if not form.validate_on_submit():
        return None
    try:
        made = accounts.make_invitation(
            current_user, form.role.data, form.email.data, form.days.data
        )
    except accounts.AccountError as error:
        add_error(form, error)
        return None
    link = url_for("auth.invitation", token=made.token, _external=True)
    page = render_template(
        "auth/invitation_made.html", invitation=made.invitation, link=link, back_url=back_url
    )
    response = make_response(page, 201)
    response.headers["Cache-Control"] = "no-store"  # the link is shown once, never from a cache
    return response
