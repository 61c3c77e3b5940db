"""Grades set by hand: a trainee's grade on a quiz, overriding the computed one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, utcnow


class GradeOverride(db.Model):
    """The grade an admin or instructor set for one trainee on one quiz, with the reason.

    One row per (trainee, quiz): setting it again replaces it; the audit log keeps each
    change (action grade.override) with the old and new grade.
    """

    __tablename__ = "grade_overrides"
    __table_args__ = (UniqueConstraint("user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    fraction: Mapped[float] = mapped_column(Float)  # 0..1 of the quiz's grade
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
