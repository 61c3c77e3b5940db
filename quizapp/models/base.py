"""Helpers shared by the models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timestamps are aware and in UTC everywhere."""
    return datetime.now(UTC)
