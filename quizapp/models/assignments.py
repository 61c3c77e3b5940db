"""Quizzes assigned to cohorts, with a due date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.bank import Quiz
from quizapp.models.base import UTCDateTime, utcnow
from quizapp.models.cohorts import Cohort


class Assignment(db.Model):
    """A quiz the trainees of a cohort are asked to take, by an optional due date."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("quiz_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quiz: Mapped[Quiz] = relationship()
    cohort: Mapped[Cohort] = relationship()
