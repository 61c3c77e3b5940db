"""Trainees challenging a graded answer; instructors settle the disputes later."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from quizapp.core import attempt as engine
from quizapp.extensions import db
from quizapp.models import Attempt, Dispute, utcnow

COMMENT_MAX = 2000


class DisputeError(ValueError):
    """A challenge that cannot be recorded; the message is written for the trainee."""


def challenge(attempt: Attempt, slot: int, user_id: int, comment: str) -> Dispute:
    """Record the trainee's challenge of one question of their finished attempt."""
    text = " ".join((comment or "").split())
    if attempt.state != engine.FINISHED:
        raise DisputeError("You can challenge an answer once the attempt is submitted.")
    if not 1 <= slot <= len(attempt.questions):
        raise DisputeError("There is no such question in this attempt.")
    if not text:
        raise DisputeError("Say why you think this answer is wrong.")
    if len(text) > COMMENT_MAX:
        raise DisputeError(f"Keep the comment under {COMMENT_MAX} characters.")
    dispute = Dispute(
        attempt_id=attempt.id,
        slot=slot,
        user_id=user_id,
        question_id=attempt.questions[slot - 1]["id"],
        comment=text,
        created_at=utcnow(),
    )
    db.session.add(dispute)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DisputeError("You have already challenged this answer.") from None
    return dispute


def for_attempt(attempt_id: int, user_id: int) -> dict[int, Dispute]:
    """The user's challenges on one attempt, by slot."""
    rows = db.session.scalars(
        db.select(Dispute).where(Dispute.attempt_id == attempt_id, Dispute.user_id == user_id)
    )
    return {row.slot: row for row in rows}
