"""Instructor pages: the instructor home and trainee invitations."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.auth import invitations
from quizapp.auth.forms import InvitationForm
from quizapp.auth.roles import role_required
from quizapp.cohort_pages import add_cohort_pages
from quizapp.models import Role
from quizapp.services import accounts

bp = Blueprint("instructor", __name__, url_prefix="/instructor")
add_cohort_pages(bp, Role.INSTRUCTOR)


def _home_page(form: InvitationForm) -> str:
    """The instructor home with the given invitation form."""
    return render_template(
        "instructor/home.html",
        form=form,
        rows=accounts.invitation_rows(creator=current_user),
        create_url=url_for(".create_invitation"),
    )


@bp.get("/")
@role_required(Role.INSTRUCTOR)
def home() -> str:
    """The instructor's start page: their trainee invitations."""
    return _home_page(invitations.invitation_form())


@bp.post("/invitations")
@role_required(Role.INSTRUCTOR)
def create_invitation() -> str | Response:
    """Make a trainee invitation link and show it once."""
    form = invitations.invitation_form()
    made = invitations.create_from(form, back_url=url_for(".home"))
    return made if made is not None else _home_page(form)


from quizapp.instructor import bank as _bank_pages  # noqa: E402, F401  (registers its routes on bp)
from quizapp.instructor import challenges as _challenge_pages  # noqa: E402, F401
from quizapp.instructor import quizzes as _quiz_pages  # noqa: E402, F401  (registers its routes on bp)
