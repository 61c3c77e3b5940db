"""Role protection for views, and where each role starts after logging in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp.errors import wants_json
from quizapp.models import Role

View = TypeVar("View", bound=Callable[..., Any])

# The page each role lands on after logging in; missing endpoints fall back to the home page.
HOME_ENDPOINTS = {
    Role.TRAINEE.value: "trainee.dashboard",
    Role.INSTRUCTOR.value: "instructor.home",
    Role.ADMIN.value: "admin.home",
}


def home_url(role: str | None) -> str:
    """The start page for a role, or the public home page when its blueprint is absent."""
    endpoint = HOME_ENDPOINTS.get(role or "")
    if endpoint and endpoint in current_app.view_functions:
        return url_for(endpoint)
    return url_for("public.home")


def _refuse_anonymous() -> Response:
    """401 for API clients; otherwise the login page, coming back here afterwards for a GET."""
    if wants_json():
        abort(401)
    if request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return redirect(url_for("auth.login"))


def role_required(*roles: Role) -> Callable[[View], View]:
    """Let only signed-in, active users holding one of `roles` reach the view.

    Anonymous (or deactivated) users are sent to /login with `next` set to the page they
    asked for (API clients get 401); signed-in users of any other role get 403.

    Roles do not nest: an admin is not an instructor and an instructor is not a trainee.
    Each role has its own pages; a view meant for several roles names them all, e.g.
    `role_required(Role.INSTRUCTOR, Role.ADMIN)`. The allowed roles are kept on the view
    as `allowed_roles`, which the route-walking test reads.
    """
    if not roles:
        raise ValueError("role_required needs at least one role")
    allowed = frozenset(Role(role).value for role in roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:  # Flask-Login: False for inactive users too
                return _refuse_anonymous()
            if current_user.role not in allowed:
                abort(403, description="Your account's role may not open this page.")
            return view(*args, **kwargs)

        guarded.allowed_roles = allowed  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
