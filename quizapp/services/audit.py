"""The audit log: record who did what, when, from which address; read it back filtered.

Call `record(...)` from any service for an action worth answering "who did that?" about:
logins, failed logins, account and role changes, imports, data loads, quiz publications,
grade overrides, regrades. The record is staged in the current transaction, so it commits
together with the change it describes (and vanishes with it on rollback); pass
`commit=True` when nothing else will commit, as for a failed login.

Rows are never updated or deleted: there is no function for it here, and database
triggers refuse it (migration 0008).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, func

from quizapp.core.clock import as_utc
from quizapp.extensions import db
from quizapp.models import AuditEvent, User

COMMAND_LINE = "command line"
ANONYMOUS = "anonymous"

# The actions recorded so far, for the filter on the audit page (others may add theirs).
ACTIONS = {
    "login": "Logged in",
    "login.failed": "Failed login",
    "user.create": "Account created",
    "user.role": "Role changed",
    "user.deactivate": "Account deactivated",
    "user.activate": "Account reactivated",
    "user.password_reset": "Password reset link made",
    "user.password_set": "Password set from a reset link",
    "users.import": "Accounts imported",
    "invitation.create": "Invitation made",
    "settings.self_signup": "Self sign-up switched",
    "cohort.create": "Cohort created",
    "cohort.rename": "Cohort renamed",
    "cohort.delete": "Cohort deleted",
    "cohort.member.add": "Cohort member added",
    "cohort.member.remove": "Cohort member removed",
    "data.load": "Dataset loaded",
    "quiz.publish": "Quiz published",
    "grade.override": "Grade overridden",
    "attempt.regrade": "Attempts regraded",
    "challenge.accepted": "Challenge accepted, key corrected",
    "challenge.rejected": "Challenge rejected",
    "challenge.fact": "Challenge accepted, dataset fact to correct",
    "export.xapi": "xAPI statements exported",
    "export.scores": "Scores exported",
    "token.issue": "API token issued",
    "token.revoke": "API token revoked",
}


def _who(actor: User | None) -> tuple[int | None, str]:
    """The acting user's id and email; the signed-in user by default; else CLI or anonymous."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if actor is not None:
        return actor.id, actor.email
    return None, ANONYMOUS if has_request_context() else COMMAND_LINE


def record(
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
    *,
    actor: User | None = None,
    commit: bool = False,
) -> AuditEvent:
    """Add an audit record: `action` like "user.role", `target` what it was done to
    (an email, a cohort's name, "quiz 12"), `details` anything JSON can hold.

    The actor defaults to the signed-in user (or "command line" outside a request); the
    address is the request's client address. Staged in the caller's transaction unless
    `commit` is true.
    """
    actor_id, actor_name = _who(actor)
    event = AuditEvent(
        actor_id=actor_id,
        actor=actor_name,
        action=action,
        target=(target or "")[:254],
        address=request.remote_addr if has_request_context() else None,
        details=details or {},
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page narrows the log to; empty fields do not filter."""

    action: str = ""
    actor: str = ""  # part of the actor's email
    target: str = ""  # part of the target
    address: str = ""  # start of the address
    since: date | None = None
    until: date | None = None  # inclusive


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _start_of(day: date) -> datetime:
    return as_utc(datetime.combine(day, time.min))


def query(wanted: AuditFilter) -> Select:
    """The matching records, newest first."""
    select = db.select(AuditEvent)
    if wanted.action:
        select = select.where(AuditEvent.action == wanted.action)
    if wanted.actor.strip():
        select = select.where(func.lower(AuditEvent.actor).like(_like(wanted.actor), escape="\\"))
    if wanted.target.strip():
        select = select.where(func.lower(AuditEvent.target).like(_like(wanted.target), escape="\\"))
    if wanted.address.strip():
        select = select.where(
            AuditEvent.address.startswith(wanted.address.strip(), autoescape=True)
        )
    if wanted.since:
        select = select.where(AuditEvent.at >= _start_of(wanted.since))
    if wanted.until:
        select = select.where(AuditEvent.at < _start_of(wanted.until + timedelta(days=1)))
    return select.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def page(wanted: AuditFilter, number: int = 1, per_page: int = 50):
    """One page of matching records (Flask-SQLAlchemy's Pagination)."""
    return db.paginate(query(wanted), page=number, per_page=per_page, error_out=False)


def recorded_actions() -> list[str]:
    """Every action known or present in the log, for the filter's choices."""
    present = set(db.session.scalars(db.select(AuditEvent.action).distinct()))
    return sorted(present | set(ACTIONS))


CSV_HEADER = ["id", "at", "actor", "actor_id", "action", "target", "address", "details"]


def csv_rows(wanted: AuditFilter) -> Iterator[list[Any]]:
    """The matching records as CSV rows, fetched from the database in batches."""
    result = db.session.scalars(query(wanted).execution_options(yield_per=500))
    for event in result:
        yield [
            event.id,
            event.at.isoformat(),
            event.actor,
            event.actor_id if event.actor_id is not None else "",
            event.action,
            event.target,
            event.address or "",
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
        ]
