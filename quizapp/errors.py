"""Error pages for browsers and JSON errors for API clients, in one place."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, current_app, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from quizapp.extensions import db
from quizapp.limits import TOO_LARGE


def wants_json() -> bool:
    """JSON for API paths and for clients that prefer it to HTML (curl's */* gets HTML)."""
    accept = request.accept_mimetypes
    prefers_json = accept.quality("application/json") > accept.quality("text/html")
    return request.path.startswith("/api/") or request.is_json or prefers_json


def _handle(error: HTTPException):
    if isinstance(error, RequestEntityTooLarge):
        error.description = TOO_LARGE
    if error.code and error.code >= 500:
        # The failed transaction must not break the error page (it reads the current user).
        db.session.rollback()
    if wants_json():
        return jsonify(error=error.name, message=error.description), error.code
    return render_template("error.html", error=error), error.code


UNAVAILABLE = (
    "The database is not answering at the moment, so nothing was read or saved. "
    "Try again in a minute."
)


def _database_down(_error: Exception):
    """503 from a page that needs no database: no user lookup, no context processors."""
    # The connection is gone; the pool makes a new one once the database returns.
    with suppress(SQLAlchemyError):
        db.session.rollback()
    if wants_json():
        return jsonify(error="Service Unavailable", message=UNAVAILABLE), 503
    # Rendered straight from the environment: Flask's context processors would load the user.
    page = current_app.jinja_env.get_template("unavailable.html").render(message=UNAVAILABLE)
    return page, 503, {"Retry-After": "30", "Content-Type": "text/html; charset=utf-8"}


def register(app: Flask) -> None:
    # Unhandled exceptions reach _handle too, as InternalServerError (outside TESTING).
    app.register_error_handler(HTTPException, _handle)
    for lost in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(lost, _database_down)
