"""/api/v1: scores per attempt and per quiz, page by page, for the token's user to read.

Read-only (GET only). Admins read everyone's scores, instructors those of the trainees in
the cohorts they teach, trainees their own: the limits of the token's user. A trainee's
token shows no score that the trainee's own pages still hide (a review not yet open).
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from werkzeug.wrappers import Response

from quizapp.api.auth import api_user, token_required
from quizapp.core.clock import as_utc
from quizapp.core.xapi import timestamp
from quizapp.limits import ID_MAX
from quizapp.models import Role
from quizapp.services import exports
from quizapp.services import quizzes as quiz_service

bp = Blueprint("api", __name__, url_prefix="/api/v1")
EVERY_ROLE = (Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
PER_PAGE, PER_PAGE_MAX = 50, 100
_NUMBER = re.compile(r"[0-9]{1,10}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _number(name: str, default: int | None, high: int) -> int | None:
    """A whole-number query parameter from 1 to `high`, or 400 saying how to write it."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not _NUMBER.fullmatch(raw) or not 1 <= int(raw) <= high:
        example = f"{name}={default or 1}"
        abort(400, description=f"{name} must be a whole number from 1 to {high}, e.g. {example}.")
    return int(raw)


def _since() -> datetime | None:
    raw = request.args.get("since", "")
    if raw == "":
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        return as_utc(datetime.combine(datetime.strptime(raw, "%Y-%m-%d").date(), time.min))
    except ValueError:
        abort(400, description="since must be a date as YYYY-MM-DD, e.g. since=2026-03-01.")


def _scope() -> exports.Scope:
    return exports.Scope(since=_since(), user_ids=exports.visible_user_ids(api_user()))


def paging() -> tuple[int, int]:
    return _number("page", 1, ID_MAX) or 1, _number("per_page", PER_PAGE, PER_PAGE_MAX) or PER_PAGE


def listing(page: exports.Page, items: list[dict[str, Any]], **about: Any) -> Response:
    """The page's items with the paging around them, a link to the next page and `about`."""
    following = None
    if page.has_next:
        args = {**request.args.to_dict(), "page": page.number + 1, "per_page": page.size}
        following = url_for(request.endpoint, _external=True, **args)
    return jsonify(
        **about,
        items=items,
        page=page.number,
        per_page=page.size,
        total=page.total,
        next=following,
    )


def _when(moment: datetime | None) -> str | None:
    return timestamp(moment) if moment else None


def _hidden() -> dict[int, int]:
    """A trainee's attempts whose score their own pages still hide (id to quiz id)."""
    user = api_user()
    return quiz_service.hidden_scores(user.id) if user.role == Role.TRAINEE else {}


def _attempt(row: Any, hidden: dict[int, int]) -> dict[str, Any]:
    shown = row.id not in hidden
    return {
        "id": row.id,
        "user": {"id": row.user_id, "name": row.name, "email": row.email},
        "kind": row.kind,
        "title": row.title,
        "quiz": None if row.quiz_id is None else {"id": row.quiz_id, "version": row.number},
        "state": row.state,
        "started_at": _when(row.started_at),
        "finished_at": _when(row.finished_at),
        "fraction": row.fraction if shown else None,
        "score": row.score if shown else None,
        "grade_max": row.grade_max,
    }


def _quiz(row: Any, hidden_quizzes: set[int]) -> dict[str, Any]:
    shown = row.id not in hidden_quizzes
    return {
        "id": row.id,
        "title": row.title,
        "attempts": row.attempts,
        "trainees": row.trainees,
        "finished": row.finished,
        "mean_fraction": None if row.mean is None or not shown else round(float(row.mean), 6),
        "best_fraction": row.best if shown else None,
    }


@bp.get("/me")
@token_required(*EVERY_ROLE)
def me() -> Response:
    """Whom the token reads as: id, name, email and role."""
    user = api_user()
    return jsonify(id=user.id, name=user.name, email=user.email, role=user.role)


@bp.get("/attempts")
@token_required(*EVERY_ROLE)
def attempts() -> Response:
    """Scores per attempt (any state), by id; ?quiz=ID, ?since=DATE, ?page, ?per_page."""
    number, size = paging()
    quiz = _number("quiz", None, ID_MAX)
    page = exports.attempts_page(_scope(), number, size, quiz)
    hidden = _hidden()
    return listing(page, [_attempt(row, hidden) for row in page.rows])


@bp.get("/quizzes")
@token_required(*EVERY_ROLE)
def quizzes() -> Response:
    """Scores per quiz: attempts, trainees, finished, mean and best; ?since, ?page, ?per_page."""
    number, size = paging()
    page = exports.quizzes_page(_scope(), number, size)
    hidden_quizzes = set(_hidden().values())
    return listing(page, [_quiz(row, hidden_quizzes) for row in page.rows])


# Routes in their own modules add themselves to this blueprint.
from quizapp.api import grades, statistics  # noqa: E402, F401
