"""The question bank: sets of versioned questions, and quizzes with frozen published versions.

A bank question is a stable identity; each edit adds a ``QuestionVersion`` holding the
whole question as ``Question.to_dict()`` data, so attempts and quiz versions that used
an older version keep it. A quiz's draft (settings and slots) is edited freely;
publishing freezes it into a ``QuizVersion`` that attempts point at.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, utcnow


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class QuestionSet(db.Model):
    """A named collection of questions, from a file in questions/sets/ or the browser."""

    __tablename__ = "question_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[BankQuestion]] = relationship(
        back_populates="question_set", order_by="BankQuestion.id"
    )


class BankQuestion(db.Model):
    """One question's identity in a set; its content lives in its versions."""

    __tablename__ = "bank_questions"
    __table_args__ = (UniqueConstraint("set_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("question_sets.id", ondelete="CASCADE"))
    # Stable name inside the set (a file's question id, or made from the prompt).
    key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT)
    latest: Mapped[int] = mapped_column(Integer, default=1)  # number of the newest version
    # Set when a dataset load changed a fact the question names: an instructor should look.
    needs_review: Mapped[bool] = mapped_column(default=False)
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question_set: Mapped[QuestionSet] = relationship(back_populates="questions")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="bank_question", order_by="QuestionVersion.number"
    )


class QuestionVersion(db.Model):
    """One immutable version of a bank question, with columns copied out for searching."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("bank_questions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # Question.to_dict()
    type: Mapped[str] = mapped_column(String(30), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    # Space-delimited " a b " lists, so one LIKE works the same on SQLite and PostgreSQL.
    search_tags: Mapped[str] = mapped_column(Text, default=" ")
    search_agreements: Mapped[str] = mapped_column(Text, default=" ")
    fact_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank_question: Mapped[BankQuestion] = relationship(back_populates="versions")


class Quiz(db.Model):
    """A quiz being built: its draft settings and slots, and its published versions."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The draft: see quizapp.core.quizzes for the shape of settings and slots.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    slots: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    published: Mapped[int | None] = mapped_column(Integer)  # number of the live version
    draft_changed: Mapped[bool] = mapped_column(default=True)  # draft differs from live
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[QuizVersion]] = relationship(
        back_populates="quiz", order_by="QuizVersion.number"
    )


class QuizVersion(db.Model):
    """A published, frozen quiz: fixed slots pin question versions, draws name their pool."""

    __tablename__ = "quiz_versions"
    __table_args__ = (UniqueConstraint("quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    slots: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="versions")
