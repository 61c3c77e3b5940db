"""Database tables as typed SQLAlchemy 2.0 models. Schema changes go through migrations."""

from quizapp.models.attempts import (
    Attempt,
    AttemptStep,
    Dispute,
    FactCard,
    FactReview,
    QuestionResult,
)
from quizapp.models.base import utcnow
from quizapp.models.dataset import DatasetVersion, FactRecord
from quizapp.models.users import Invitation, Role, Setting, User

__all__ = [
    "Attempt",
    "AttemptStep",
    "DatasetVersion",
    "Dispute",
    "FactCard",
    "FactRecord",
    "FactReview",
    "Invitation",
    "QuestionResult",
    "Role",
    "Setting",
    "User",
    "utcnow",
]
