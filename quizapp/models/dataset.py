"""Loaded versions of the agreements dataset and their facts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, utcnow


class DatasetVersion(db.Model):
    """One loaded version of the agreements data, named by its content hash."""

    __tablename__ = "dataset_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
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
