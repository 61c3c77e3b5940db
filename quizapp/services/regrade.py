"""Settling trainees' challenges: reject with a reply, refer to a dataset fact, or correct
the key and regrade every finished attempt that holds the question.

Accepting is one transaction: the new bank version, each attempt's corrected question,
result and score, a ``Regrade`` row and an ``attempt.regrade`` audit record per attempt,
and the settled challenge commit together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from quizapp.core import attempt as engine
from quizapp.core import qtypes
from quizapp.core import quizzes as quiz_rules
from quizapp.core import regrade as core
from quizapp.core.questions import Question
from quizapp.core.quizzes import FixedSlot
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    Dispute,
    QuestionResult,
    Quiz,
    QuizVersion,
    Regrade,
    Role,
    User,
    utcnow,
)
from quizapp.services import attempts, audit, bank, cohorts

REPLY_MAX = 2000
OPEN, ACCEPTED, REJECTED, FACT = "open", "accepted", "rejected", "fact"
# What the trainee reads for each state of a challenge.
STATUS_TEXT = {
    OPEN: "waiting for an instructor",
    ACCEPTED: "accepted; the key was corrected",
    REJECTED: "not accepted",
    FACT: "accepted; the dataset fact will be corrected",
}


class SettleError(ValueError):
    """A settlement that cannot be made; the message says what to fix."""


# --- reading ------------------------------------------------------------------------------


def _visible_to(viewer: User) -> sa.Select:
    query = sa.select(Dispute)
    if viewer.role != Role.ADMIN:
        query = query.where(Dispute.user_id.in_(cohorts.trainee_ids_taught_by(viewer.id)))
    return query


def visible(dispute_id: int, viewer: User) -> Dispute | None:
    """The challenge, if the viewer may settle it (admins: all; instructors: their trainees')."""
    return db.session.scalars(_visible_to(viewer).where(Dispute.id == dispute_id)).first()


@dataclass(frozen=True)
class Challenge:
    """A challenge with what the instructor needs to judge it."""

    dispute: Dispute
    attempt: Attempt
    trainee: User
    question: Question  # as the trainee saw it
    given: str
    key: str

    @property
    def is_bank_question(self) -> bool:
        return bank.parse_ref(self.dispute.question_id) is not None

    @property
    def seen_version(self) -> int | None:
        ref = bank.parse_ref(self.dispute.question_id)
        return ref[1] if ref else None

    @property
    def newer_version(self) -> int | None:
        """The bank's latest version when it is newer than the one the trainee answered."""
        ref = bank.parse_ref(self.dispute.question_id)
        found = bank.get(ref[0]) if ref else None
        return found.latest if found is not None and found.latest > ref[1] else None


def seen_question(dispute: Dispute, attempt: Attempt) -> Question:
    """The question exactly as the trainee answered it (the bank version they were given)."""
    ref = bank.parse_ref(dispute.question_id)
    found = bank.get(ref[0]) if ref else None
    if found is not None:
        try:
            return bank.question_of(bank.version(found, ref[1]))
        except bank.BankError:
            pass
    return Question.from_dict(attempt.questions[dispute.slot - 1])


def _response(attempt: Attempt, slot: int) -> Any:
    result = next((r for r in attempt.results if r.slot == slot), None)
    return result.response if result else None


def describe(dispute: Dispute) -> Challenge:
    """The challenge with its attempt, trainee, question, answer and key."""
    attempt = db.session.get(Attempt, dispute.attempt_id)
    question = seen_question(dispute, attempt)
    qtype = qtypes.of(question)
    return Challenge(
        dispute=dispute,
        attempt=attempt,
        trainee=db.session.get(User, dispute.user_id),
        question=question,
        given=qtype.describe(question, _response(attempt, dispute.slot)),
        key=qtype.describe_key(question),
    )


def listing(viewer: User, settled: bool = False, limit: int = 100) -> list[Challenge]:
    """Open challenges (oldest first) or settled ones (latest first) the viewer may see."""
    query = _visible_to(viewer)
    if settled:
        query = query.where(Dispute.status != OPEN).order_by(Dispute.settled_at.desc())
    else:
        query = query.where(Dispute.status == OPEN).order_by(Dispute.created_at, Dispute.id)
    return [describe(d) for d in db.session.scalars(query.limit(limit))]


def open_count(viewer: User) -> int:
    query = _visible_to(viewer).where(Dispute.status == OPEN)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


# --- settling -----------------------------------------------------------------------------


def _clean_reply(reply: str | None, required: bool) -> str:
    text = " ".join((reply or "").split())
    if required and not text:
        raise SettleError("Write a reply telling the trainee why the answer stands.")
    if len(text) > REPLY_MAX:
        raise SettleError(f"Keep the reply under {REPLY_MAX} characters.")
    return text


def _lock_open(dispute: Dispute) -> None:
    """Lock the challenge's row (PostgreSQL) and refuse one already settled."""
    db.session.execute(sa.select(Dispute.id).where(Dispute.id == dispute.id).with_for_update())
    db.session.refresh(dispute)
    if dispute.status != OPEN:
        raise SettleError("This challenge has already been settled.")


def _settle(dispute: Dispute, status: str, reply: str, by: User) -> None:
    dispute.status, dispute.reply = status, reply
    dispute.settled_by_id, dispute.settled_at = by.id, utcnow()
    audit.record(f"challenge.{status}", f"challenge {dispute.id}", {"reply": reply}, actor=by)


def _in_one_transaction(work):
    try:
        done = work()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return done


def reject(dispute: Dispute, reply: str, by: User) -> None:
    """Keep the key; the reply (required) tells the trainee why."""
    text = _clean_reply(reply, required=True)
    _in_one_transaction(lambda: (_lock_open(dispute), _settle(dispute, REJECTED, text, by)))


def refer_to_fact(dispute: Dispute, fact_id: str, fact_label: str, reply: str, by: User) -> None:
    """Accept that a dataset fact the question names is wrong; the reply says which."""
    question = seen_question(dispute, db.session.get(Attempt, dispute.attempt_id))
    if fact_id not in question.fact_ids:
        raise SettleError("Choose one of the facts this question names.")
    said = f"The dataset's fact “{fact_label}” is wrong and will be corrected."
    text = " ".join(part for part in (said, _clean_reply(reply, required=False)) if part)
    _in_one_transaction(lambda: (_lock_open(dispute), _settle(dispute, FACT, text, by)))


@dataclass(frozen=True)
class Accepted:
    """What accepting did: the bank version made (if any) and each attempt regraded."""

    version: int | None
    regrades: list[Regrade]
    still_giving: list[str]  # titles of live quizzes that still give the old version
    settled: int  # challenges of the question settled (this one and any others open)


def accept(dispute: Dispute, corrected: Question, reply: str, by: User) -> Accepted:
    """Correct the question, make a bank version, regrade every finished attempt holding it;
    every open challenge of the question is settled with the same reply."""
    problems = qtypes.of(corrected).check(corrected)
    if problems:
        raise SettleError(" ".join(p.message for p in problems))
    text = _clean_reply(reply, required=False) or "You were right: the key has been corrected."
    attempt = db.session.get(Attempt, dispute.attempt_id)
    seen = seen_question(dispute, attempt)
    if replace(corrected, id=seen.id).to_dict() == seen.to_dict():
        raise SettleError(
            "Nothing was changed: correct the key (or the question), or reject the challenge."
        )

    def work() -> Accepted:
        _lock_open(dispute)
        number, fixed = _new_version(dispute.question_id, corrected, by)
        done = [
            row
            for held in _attempts_holding(dispute.question_id)
            for row in _regrade_attempt(held, dispute, fixed, by)
        ]
        answered = _open_on_same_question(dispute)  # one correction answers them all
        for same in answered:
            _settle(same, ACCEPTED, text, by)
        return Accepted(number, done, quizzes_pinning(dispute.question_id), len(answered))

    return _in_one_transaction(work)


def _new_version(question_id: str, corrected: Question, by: User) -> tuple[int | None, Question]:
    """The corrected question as attempts will hold it: a new bank version when from the bank."""
    ref = bank.parse_ref(question_id)
    found = bank.get(ref[0]) if ref else None
    if found is None:
        return None, replace(corrected, id=question_id)
    made = bank.revise(found, replace(corrected, id=""), by.id, "corrected after a challenge")
    version = made or bank.latest(found)
    return version.number, bank.question_of(version)


def _open_on_same_question(dispute: Dispute) -> list[Dispute]:
    """Every open challenge of the same question, this one included."""
    return list(
        db.session.scalars(
            sa.select(Dispute)
            .where(Dispute.question_id == dispute.question_id, Dispute.status == OPEN)
            .order_by(Dispute.id)
        )
    )


def quizzes_pinning(question_id: str) -> list[str]:
    """Titles of quizzes whose live version pins this bank version: new attempts still get it
    until the quiz is published again (publishing pins the latest version)."""
    ref = bank.parse_ref(question_id)
    if ref is None:
        return []
    live = db.session.execute(
        sa.select(Quiz.title, QuizVersion.slots)
        .join(QuizVersion, QuizVersion.quiz_id == Quiz.id)
        .where(QuizVersion.number == Quiz.published)
        .order_by(Quiz.title)
    )
    return [
        title
        for title, slots in live
        if any(
            isinstance(s, FixedSlot) and (s.question_id, s.version) == ref
            for s in quiz_rules.slots_from_dicts(slots)
        )
    ]


def _attempts_holding(question_id: str) -> list[Attempt]:
    """Finished attempts with a result for this question id, in id order."""
    ids = sa.select(QuestionResult.attempt_id).where(QuestionResult.question_id == question_id)
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.id.in_(ids), Attempt.state == engine.FINISHED)
            .order_by(Attempt.id)
        )
    )


def _regrade_attempt(
    attempt: Attempt, dispute: Dispute, fixed: Question, by: User
) -> list[Regrade]:
    """Replay the attempt's steps with ``fixed`` in the slots that held the old question."""
    questions = attempts.questions_of(attempt)
    slots = core.slots_holding(questions, dispute.question_id)
    results = {r.slot: r for r in attempt.results}
    outcome = core.regrade(
        questions,
        {slot: fixed for slot in slots},
        attempts.state_of(attempt),
        qtypes.grade,
        attempt.grade_max,
        attempts.marks(attempt),
        {slot: results[slot].fraction for slot in slots if slot in results},
    )
    old_score = attempt.score
    stored = list(attempt.questions)
    for slot in slots:
        stored[slot - 1] = fixed.to_dict()
    attempt.questions = stored
    attempt.fraction, attempt.score = outcome.grade.fraction, outcome.grade.score
    rows = []
    for change in outcome.changes:
        result = results.get(change.slot)
        if result is not None:
            result.fraction, result.question_id = change.new_fraction, fixed.id
        rows.append(_regrade_row(attempt, change, dispute, old_score, by))
    audit.record(
        "attempt.regrade",
        f"attempt {attempt.id}",
        {
            "challenge": dispute.id,
            "slots": [c.slot for c in outcome.changes],
            "old_score": old_score,
            "new_score": attempt.score,
        },
        actor=by,
    )
    return rows


def _regrade_row(
    attempt: Attempt, change: core.SlotChange, dispute: Dispute, old_score, by: User
) -> Regrade:
    row = Regrade(
        attempt_id=attempt.id,
        slot=change.slot,
        dispute_id=dispute.id,
        old_fraction=change.old_fraction,
        new_fraction=change.new_fraction,
        old_score=old_score,
        new_score=attempt.score,
        by_id=by.id,
        at=utcnow(),
    )
    db.session.add(row)
    return row


# --- what the trainee sees ----------------------------------------------------------------


def of_attempt(attempt_id: int) -> dict[int, list[Regrade]]:
    """An attempt's regrades by slot, oldest first."""
    found: dict[int, list[Regrade]] = defaultdict(list)
    for row in db.session.scalars(
        sa.select(Regrade).where(Regrade.attempt_id == attempt_id).order_by(Regrade.at, Regrade.id)
    ):
        found[row.slot].append(row)
    return dict(found)


@dataclass(frozen=True)
class ScoreChange:
    """An attempt's score before its first regrade and after its latest."""

    old: float | None
    new: float | None


def score_changes(attempt_ids: Sequence[int]) -> dict[int, ScoreChange]:
    """For each regraded attempt among ``attempt_ids``, its first and latest score."""
    if not attempt_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Regrade)
        .where(Regrade.attempt_id.in_(list(attempt_ids)))
        .order_by(Regrade.at, Regrade.id)
    )
    found: dict[int, ScoreChange] = {}
    for row in rows:
        first = found.get(row.attempt_id)
        found[row.attempt_id] = ScoreChange(first.old if first else row.old_score, row.new_score)
    return {key: change for key, change in found.items() if change.old != change.new}


def answered_for(user_id: int, limit: int = 5) -> list[tuple[Dispute, Attempt]]:
    """The user's latest settled challenges, each with its attempt, for the dashboard."""
    rows = db.session.execute(
        sa.select(Dispute, Attempt)
        .join(Attempt, Attempt.id == Dispute.attempt_id)
        .where(Dispute.user_id == user_id, Dispute.status != OPEN)
        .order_by(Dispute.settled_at.desc(), Dispute.id.desc())
        .limit(limit)
    )
    return [(dispute, attempt) for dispute, attempt in rows]
