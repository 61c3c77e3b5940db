"""The audit log page: filters, pages of records, and the CSV export of what is filtered."""

from __future__ import annotations

from flask import render_template, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional

from quizapp.admin.export import csv_response
from quizapp.admin.routes import bp
from quizapp.auth.roles import role_required
from quizapp.models import Role
from quizapp.services import audit


class AuditFilterForm(FlaskForm):
    """The audit page's filters, read from the query string (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    action = SelectField("Action", default="")
    actor = StringField("Who (part of the email)", validators=[Optional()])
    target = StringField("What it was done to", validators=[Optional()])
    address = StringField("Address starts with", validators=[Optional()])
    since = DateField("From (date)", validators=[Optional()])
    until = DateField("Until (date)", validators=[Optional()])


def _filters() -> tuple[AuditFilterForm, audit.AuditFilter]:
    """The form filled from the query string, and the filter it asks for (invalid: none)."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(name, audit.ACTIONS.get(name, name)) for name in audit.recorded_actions()
    ]
    if not form.validate():
        return form, audit.AuditFilter()
    return form, audit.AuditFilter(
        action=form.action.data or "",
        actor=form.actor.data or "",
        target=form.target.data or "",
        address=form.address.data or "",
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> str:
    """The audit log, newest first, filtered, 50 records a page."""
    form, wanted = _filters()
    number = request.args.get("page", 1, type=int)
    records = audit.page(wanted, max(number, 1))
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html", form=form, records=records, query=query, labels=audit.ACTIONS
    )


@bp.get("/audit.csv")
@role_required(Role.ADMIN)
def audit_csv() -> Response:
    """Every record the filters match, as CSV, streamed."""
    _, wanted = _filters()
    return csv_response("audit-log.csv", audit.CSV_HEADER, audit.csv_rows(wanted))
