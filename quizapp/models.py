"""Database tables, as typed SQLAlchemy 2.0 models. Schema changes go through migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db, login_manager


def utcnow() -> datetime:
    return datetime.now(UTC)


class DatasetVersion(db.Model):
    """One loaded version of the agreements data, named by its content hash."""

    __tablename__ = "dataset_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    # The validated YAML data and the source texts: enough to rebuild the Dataset exactly.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    facts: Mapped[list[FactRecord]] = relationship(back_populates="dataset_version")


class FactRecord(db.Model):
    """One fact as it stood in one dataset version, so questions can say which they used."""

    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("dataset_version_id", "fact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="CASCADE"), index=True
    )
    fact_id: Mapped[str] = mapped_column(String(200))
    agreement_key: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[Any] = mapped_column(JSON)
    quotes: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100))

    dataset_version: Mapped[DatasetVersion] = relationship(back_populates="facts")


class Role(StrEnum):
    TRAINEE = "trainee"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A person who signs in: a trainee, an instructor or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.TRAINEE)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
