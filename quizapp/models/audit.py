"""The audit log: who did what, when, from which address. Rows are only ever inserted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One recorded action. Database triggers refuse UPDATE and DELETE on this table.

    The actor is kept by id and by email, not by foreign key, so the record outlives the
    account and nothing ever has to rewrite it.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(254))  # an email, or "command line"
    action: Mapped[str] = mapped_column(String(60), index=True)  # e.g. "user.role"
    target: Mapped[str] = mapped_column(String(254), default="")  # e.g. an email or a cohort
    address: Mapped[str | None] = mapped_column(String(45))  # IPv4 or IPv6
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
