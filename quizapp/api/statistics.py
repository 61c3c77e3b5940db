"""/api/v1 question statistics: Moodle's figures per quiz version and for practice.

For admins (every trainee's attempts) and instructors (those of the trainees they teach).
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

from flask import abort, jsonify
from werkzeug.wrappers import Response

from quizapp.api.auth import api_user, token_required
from quizapp.api.routes import bp, listing, paging
from quizapp.extensions import db
from quizapp.models import QuizVersion, Role
from quizapp.services import exports, item_stats

STAFF = (Role.ADMIN, Role.INSTRUCTOR)


def _scope() -> tuple[Any, object]:
    """The trainees counted for the token's user, and a cache name for that narrowing."""
    user = api_user()
    user_ids = exports.visible_user_ids(user)
    return user_ids, None if user_ids is None else ("instructor", user.id)


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: such a figure is given as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _figures(data: Any) -> dict[str, Any] | None:
    return None if data is None else {k: _finite(v) for k, v in asdict(data).items()}


def _item(item: item_stats.Item) -> dict[str, Any]:
    return {
        "number": item.number,
        "key": item.key,
        "prompt": item.prompt,
        "type": item.qtype,
        "mark": item.mark,
        **(_figures(item.stats) or {}),
        "options": [
            {"text": o.text, "count": o.count, "share": o.share, "correct": o.correct}
            for o in item.options
        ],
        "weak": item.weak,
    }


def _report(report: item_stats.Report) -> Response:
    return jsonify(
        title=report.title,
        attempts=report.attempts,
        total_max=report.total_max,
        quiz=_figures(report.quiz),
        items=[_item(item) for item in report.items],
        distribution=[{"total": total, "attempts": n} for total, n in report.distribution],
    )


@bp.get("/quiz-versions")
@token_required(*STAFF)
def quiz_versions() -> Response:
    """Quiz versions with finished attempts the token's user may count, newest first."""
    number, size = paging()
    rows = item_stats.versions(_scope()[0])
    shown = rows[(number - 1) * size : number * size]
    page = exports.Page(shown, len(rows), number, size)
    items = [
        {"id": r.version_id, "title": r.title, "version": r.number, "attempts": r.attempts}
        for r in shown
    ]
    return listing(page, items)


@bp.get("/quiz-versions/<int:version_id>/statistics")
@token_required(*STAFF)
def quiz_version_statistics(version_id: int) -> Response:
    """Moodle's quiz statistics of one quiz version: whole-test figures and each question."""
    if db.session.get(QuizVersion, version_id) is None:
        abort(404, description="No quiz version has this id; /api/v1/quiz-versions lists them.")
    user_ids, scope_key = _scope()
    return _report(item_stats.for_quiz_version(version_id, user_ids, scope_key))


@bp.get("/practice/statistics")
@token_required(*STAFF)
def practice_statistics() -> Response:
    """Question statistics over every finished practice attempt, by question identity."""
    user_ids, scope_key = _scope()
    return _report(item_stats.for_practice(user_ids, scope_key))
