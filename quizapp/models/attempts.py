"""Attempts at quizzes, their append-only step log, results, practice cards and disputes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.core.attempt import AttemptState, Kind
from quizapp.core.stats import item_key
from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, utcnow


class Attempt(db.Model):
    """One trainee's run through a quiz, with its questions frozen at the start."""

    __tablename__ = "attempts"
    # Covering indexes for the reports: they read these small columns without touching the
    # frozen questions, which on SQLite sit before them in each row's overflow pages.
    __table_args__ = (
        Index(
            "ix_attempts_user_summary",
            "user_id",
            "state",
            "kind",
            "fraction",
            "started_at",
            "finished_at",
        ),
        Index(
            "ix_attempts_version_summary",
            "quiz_version_id",
            "state",
            "user_id",
            "fraction",
            "started_at",
            "finished_at",
        ),
        # SQLite only (migration 0013): PostgreSQL keeps the frozen questions out of line.
        Index(
            "ix_attempts_listing",
            "id",
            "user_id",
            "kind",
            "title",
            "quiz_version_id",
            "state",
            "started_at",
            "finished_at",
            "fraction",
            "score",
            "grade_max",
        ).ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=Kind.PRACTICE.value)  # a Kind
    title: Mapped[str] = mapped_column(String(200))
    dataset_version: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    # Each question exactly as generated (Question.to_dict()): later edits never change it.
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Behaviour and review options: feedback ("deferred" | "immediate"), what review shows.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    grade_max: Mapped[float] = mapped_column(Float, default=10.0)
    state: Mapped[str] = mapped_column(String(20), default=AttemptState.IN_PROGRESS.value)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # seq of the latest step
    # What the step log folds to (core.attempt.State.to_record), written with each step, so
    # a page or a save reads it with the attempt instead of folding the log again.
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fraction: Mapped[float | None] = mapped_column(Float)  # 0..1 over all questions
    score: Mapped[float | None] = mapped_column(Float)  # fraction scaled to grade_max
    # The published quiz version this attempt was started from (None for practice).
    quiz_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_versions.id", ondelete="SET NULL"), index=True
    )

    steps: Mapped[list[AttemptStep]] = relationship(
        back_populates="attempt", order_by="AttemptStep.seq", cascade="all, delete-orphan"
    )
    results: Mapped[list[QuestionResult]] = relationship(
        back_populates="attempt", order_by="QuestionResult.slot", cascade="all, delete-orphan"
    )


class AttemptStep(db.Model):
    """One action in an attempt. Insert-only: the latest step per slot is the current state.

    The unique (attempt, seq) pair is what refuses a stale page or a second submit.
    """

    __tablename__ = "attempt_steps"
    __table_args__ = (UniqueConstraint("attempt_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # answer | flag | unflag | submit | timeout
    slot: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="steps")


def _item_key_of(context: Any) -> str:
    row = context.get_current_parameters()
    return item_key(row["question_id"], row["question_type"], row["fact_ids"])


class QuestionResult(db.Model):
    """The graded outcome of one question in a finished attempt."""

    __tablename__ = "question_results"
    __table_args__ = (
        UniqueConstraint("attempt_id", "slot"),
        Index("ix_question_results_attempt_item", "attempt_id", "item_key", "fraction"),
        Index("ix_question_results_item", "item_key", "question_id"),
        # SQLite only (migration 0013): PostgreSQL's json type has no B-tree order.
        Index(
            "ix_question_results_question_response", "question_id", "response", "fraction"
        ).ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(64), index=True)
    question_type: Mapped[str] = mapped_column(String(30))
    fact: Mapped[str] = mapped_column(String(40))
    fact_ids: Mapped[list[str]] = mapped_column(JSON)
    agreements: Mapped[list[str]] = mapped_column(JSON)
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    fraction: Mapped[float] = mapped_column(Float)
    # core.stats.item_key, set on insert: item statistics GROUP BY it through an index.
    item_key: Mapped[str] = mapped_column(Text, default=_item_key_of)

    attempt: Mapped[Attempt] = relationship(back_populates="results")


class FactCard(db.Model):
    """A trainee's spaced-practice card for one fact, scheduled with FSRS."""

    __tablename__ = "fact_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "fact_id"),
        Index("ix_fact_cards_user_fact_due", "user_id", "fact_id", "due"),  # the coverage map
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    fact_id: Mapped[str] = mapped_column(String(200))
    agreement_key: Mapped[str] = mapped_column(String(100))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)  # fsrs.Card.to_dict()
    due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_question_type: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FactReview(db.Model):
    """Per-fact history: every graded answer about a fact, from quizzes and practice."""

    __tablename__ = "fact_reviews"
    __table_args__ = (  # the coverage map sums each trainee's answers per fact from it
        Index("ix_fact_reviews_user_fact_fraction", "user_id", "fact_id", "fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    fact_id: Mapped[str] = mapped_column(String(200), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    question_type: Mapped[str] = mapped_column(String(30))
    fraction: Mapped[float] = mapped_column(Float)
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Dispute(db.Model):
    """A trainee's challenge of a graded answer, for instructors to settle."""

    __tablename__ = "disputes"
    __table_args__ = (UniqueConstraint("attempt_id", "slot", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | accepted | rejected
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply: Mapped[str] = mapped_column(Text, default="")  # the instructor's answer to the trainee
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Regrade(db.Model):
    """A finished attempt's question graded again after its key was corrected."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[int] = mapped_column(Integer)
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id", ondelete="SET NULL"))
    old_fraction: Mapped[float] = mapped_column(Float)
    new_fraction: Mapped[float] = mapped_column(Float)
    old_score: Mapped[float | None] = mapped_column(Float)
    new_score: Mapped[float | None] = mapped_column(Float)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
