"""Bearer-token authentication for the API: the token's user, with that user's role limits.

Session cookies are not accepted here, which is why the API is exempt from CSRF: a page on
another site cannot make a browser send an Authorization header.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, jsonify, request
from werkzeug.wrappers import Response

from quizapp.models import Role, User
from quizapp.services import tokens

View = TypeVar("View", bound=Callable[..., Any])

MISSING = (
    "This API needs an API token: send it as 'Authorization: Bearer <token>'. "
    "An admin issues tokens at /admin/tokens."
)
REFUSED = "This API token is not valid, or was revoked. Ask an admin for a new one."


def _json_error(status: int, error: str, message: str) -> Response:
    response = jsonify(error=error, message=message)
    response.status_code = status
    return response


def unauthorized(message: str) -> Response:
    """401 in JSON with the Bearer challenge (RFC 6750)."""
    response = _json_error(401, "Unauthorized", message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="quizapp"'
    return response


def _bearer() -> str | None:
    """The token of an 'Authorization: Bearer …' header, or None when there is none."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def api_user() -> User:
    """The user whose token authenticated this request."""
    return g.api_user


def token_required(*roles: Role) -> Callable[[View], View]:
    """Let only requests with a valid token of a user holding one of `roles` reach the view.

    No or a bad token: 401; a token whose user has another role: 403. The allowed roles
    are kept on the view as `allowed_roles`, which the route-walking access test reads.
    """
    allowed = frozenset(Role(role).value for role in roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            raw = _bearer()
            if raw is None:
                return unauthorized(MISSING)
            user = tokens.user_of(raw)
            if user is None:
                return unauthorized(REFUSED)
            if user.role not in allowed:
                return _json_error(403, "Forbidden", "This token's account may not read this.")
            g.api_user = user
            return view(*args, **kwargs)

        guarded.allowed_roles = allowed  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
