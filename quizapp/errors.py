"""Error pages for browsers and JSON errors for API clients, in one place."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
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


def register(app: Flask) -> None:
    # Unhandled exceptions reach _handle too, as InternalServerError (outside TESTING).
    app.register_error_handler(HTTPException, _handle)
