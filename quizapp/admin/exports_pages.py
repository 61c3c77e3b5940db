"""Admin downloads for other systems: xAPI statements (JSON lines) and every attempt's score."""

from __future__ import annotations

from datetime import datetime, time

from flask import Response, current_app, render_template, request, stream_with_context
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional

from quizapp.admin.export import csv_response
from quizapp.admin.routes import bp
from quizapp.auth.roles import role_required
from quizapp.core.clock import as_utc
from quizapp.models import Role
from quizapp.services import audit, exports

SINCE_HELP = "Give a date as YYYY-MM-DD (for example 2026-03-01), or leave it empty for everything."


class ExportForm(FlaskForm):
    """Which attempts to export, read from the query string (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    since = DateField(
        "Only attempts since (date, UTC)",
        validators=[Optional()],
        description="Leave empty to export everything.",
    )


def _scope() -> tuple[ExportForm, exports.Scope | None]:
    """The form from the query string and the scope it asks for (None: the date is bad)."""
    form = ExportForm(formdata=request.args)
    if not form.validate():
        form.since.errors = [SINCE_HELP]
        return form, None
    since = as_utc(datetime.combine(form.since.data, time.min)) if form.since.data else None
    return form, exports.Scope(since=since)


def _refused(form: ExportForm) -> tuple[str, int]:
    return render_template("admin/exports.html", form=form), 400


@bp.get("/exports")
@role_required(Role.ADMIN)
def exports_page() -> str:
    """Downloads for a learning record store or a spreadsheet, and the API tokens."""
    return render_template("admin/exports.html", form=ExportForm(formdata=None))


@bp.get("/exports/xapi.jsonl")
@role_required(Role.ADMIN)
def export_xapi() -> Response | tuple[str, int]:
    """Every answered question as an xAPI statement, one JSON line each, streamed."""
    form, scope = _scope()
    if scope is None:
        return _refused(form)
    audit.record(
        "export.xapi", "xAPI statements", {"since": str(form.since.data or "")}, commit=True
    )
    lines = exports.xapi_lines(
        scope, exports.xapi_settings(current_app.config["QUIZAPP_BASE_URL"] or request.url_root)
    )
    response = Response(stream_with_context(lines), mimetype="application/jsonl")
    response.headers["Content-Disposition"] = 'attachment; filename="xapi-statements.jsonl"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/exports/scores.csv")
@role_required(Role.ADMIN)
def export_scores() -> Response | tuple[str, int]:
    """Every attempt's score (any state) as CSV, streamed."""
    form, scope = _scope()
    if scope is None:
        return _refused(form)
    audit.record("export.scores", "scores CSV", {"since": str(form.since.data or "")}, commit=True)
    return csv_response("scores.csv", exports.SCORES_HEADER, exports.scores_csv_rows(scope))
