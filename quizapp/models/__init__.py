"""Database tables as typed SQLAlchemy 2.0 models. Schema changes go through migrations."""

from quizapp.models.assignments import Assignment
from quizapp.models.attempts import (
    Attempt,
    AttemptStep,
    Dispute,
    FactCard,
    FactReview,
    QuestionResult,
    Regrade,
)
from quizapp.models.audit import AuditEvent
from quizapp.models.bank import (
    BankQuestion,
    QuestionSet,
    QuestionVersion,
    Quiz,
    QuizVersion,
    Status,
)
from quizapp.models.base import utcnow
from quizapp.models.cohorts import Cohort, CohortMember, CohortRole
from quizapp.models.dataset import DatasetVersion, FactRecord
from quizapp.models.grades import GradeOverride
from quizapp.models.resets import PasswordReset
from quizapp.models.tokens import ApiToken
from quizapp.models.users import Invitation, Role, Setting, User

__all__ = [
    "ApiToken",
    "Assignment",
    "Attempt",
    "AttemptStep",
    "AuditEvent",
    "BankQuestion",
    "Cohort",
    "CohortMember",
    "CohortRole",
    "DatasetVersion",
    "Dispute",
    "FactCard",
    "FactRecord",
    "FactReview",
    "GradeOverride",
    "Invitation",
    "PasswordReset",
    "QuestionResult",
    "QuestionSet",
    "QuestionVersion",
    "Quiz",
    "QuizVersion",
    "Regrade",
    "Role",
    "Setting",
    "Status",
    "User",
    "utcnow",
]
