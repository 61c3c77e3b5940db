"""Attempts in the database: start one, append steps, check, submit and grade.

Every change is one transaction that appends a step with the next sequence number.
The unique (attempt, seq) constraint is the lock: of two writers from pages showing
the same sequence, one commits and the other collides and is told its page is stale.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.core import attempt as engine
from quizapp.core import practice as core_practice
from quizapp.core import qtypes, scheduling
from quizapp.core.attempt import AttemptError, State, Step
from quizapp.core.dataset import Dataset, only
from quizapp.core.practice import agreement_of
from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.limits import ANSWER_MAX_CHARS, text_size
from quizapp.models import (
    Attempt,
    AttemptStep,
    FactCard,
    FactReview,
    QuestionResult,
    User,
    utcnow,
)
from quizapp.models.users import MAX_ID
from quizapp.services import datasets

# What a review shows after submission unless an attempt's settings say otherwise.
DEFAULT_REVIEW = {"score": True, "correctness": True, "answer": True, "explanation": True}


class NoQuestions(Exception):
    """Nothing could be generated for the choices made (or no data is loaded)."""


class NoSuchSlot(LookupError):
    """The attempt has no question with that number."""


@dataclass(frozen=True)
class Saved:
    """What a save did: the attempt's sequence now, and whether the slot counts as answered."""

    sequence: int
    changed: bool
    answered: bool


# --- reading ---------------------------------------------------------------------------


def get_owned(attempt_id: int, user_id: int) -> Attempt | None:
    """The attempt, if it belongs to this user; None otherwise (the view answers 404)."""
    found = db.session.get(Attempt, attempt_id)
    return found if found is not None and found.user_id == user_id else None


_WITH_OWNER = (
    db.select(User, Attempt)
    .outerjoin(Attempt, (Attempt.id == bindparam("attempt")) & (Attempt.user_id == User.id))
    .where(User.id == bindparam("user"))
)


def load_with_owner(attempt_id: int, user_id: int) -> tuple[User | None, Attempt | None]:
    """A user and, when it is theirs, one of their attempts, read in one statement. While
    the caller holds them, a ``db.session.get`` of either finds them without a query."""
    if not (0 < attempt_id <= MAX_ID and 0 < user_id <= MAX_ID):
        return None, None
    row = db.session.execute(_WITH_OWNER, {"attempt": attempt_id, "user": user_id}).first()
    return (row[0], row[1]) if row else (None, None)


def questions_of(attempt: Attempt) -> list[Question]:
    """The questions exactly as frozen at the start."""
    return [Question.from_dict(data) for data in attempt.questions]


def question_at(attempt: Attempt, slot: int) -> Question:
    """The question in a slot (1-based); NoSuchSlot when out of range."""
    if not 1 <= slot <= len(attempt.questions):
        raise NoSuchSlot(slot)
    return Question.from_dict(attempt.questions[slot - 1])


def state_of(attempt: Attempt) -> State:
    """The attempt's current state, as replaying its log gives it (kept with each step)."""
    return State.from_record(attempt.progress, attempt.sequence)


def behaviour(attempt: Attempt) -> str:
    """``deferred`` (graded at submit) or ``immediate`` (each question checked in turn)."""
    value = (attempt.settings or {}).get("feedback", engine.DEFERRED)
    return value if value in engine.BEHAVIOURS else engine.DEFERRED


def grace(attempt: Attempt) -> timedelta:
    """The grace period after the deadline, frozen in the attempt's settings at start."""
    seconds = (attempt.settings or {}).get("grace_seconds")
    return engine.DEFAULT_GRACE if seconds is None else timedelta(seconds=float(seconds))


def review_options(attempt: Attempt) -> dict[str, bool]:
    """What the review may show: score, right or wrong, correct answer, explanation."""
    return {**DEFAULT_REVIEW, **(attempt.settings or {}).get("review", {})}


def marks(attempt: Attempt) -> list[float]:
    """Each slot's max mark (1 unless the attempt's settings give marks)."""
    given = (attempt.settings or {}).get("marks")
    return [float(m) for m in given] if given else [1.0] * len(attempt.questions)


_UNFINISHED = (
    db.select(Attempt)
    .where(
        Attempt.user_id == bindparam("user"),
        Attempt.state.in_([engine.IN_PROGRESS, engine.ABANDONED]),
    )
    .order_by(Attempt.started_at.desc(), Attempt.id.desc())
)
_FINISHED = (
    db.select(Attempt)
    .where(Attempt.user_id == bindparam("user"), Attempt.state == engine.FINISHED)
    .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
    .options(defer(Attempt.questions))
    .limit(bindparam("limit"))
)


def unfinished(user_id: int, now: datetime | None = None) -> tuple[list[Attempt], list[Attempt]]:
    """The user's attempts in progress and abandoned ones, the latest first, in one
    statement; one past its deadline and grace is submitted first (and left out)."""
    found = db.session.scalars(_UNFINISHED, {"user": user_id}).all()
    for attempt in found:
        if attempt.deadline is not None:
            expire_if_overdue(attempt, now)
    return (
        [a for a in found if a.state == engine.IN_PROGRESS],
        [a for a in found if a.state == engine.ABANDONED],
    )


def finished(user_id: int, limit: int = 20) -> list[Attempt]:
    """The user's latest submitted attempts, without their frozen questions (a list of
    scores never reads them, and they are most of a row)."""
    return list(db.session.scalars(_FINISHED, {"user": user_id, "limit": limit}))


# --- starting --------------------------------------------------------------------------


def create(
    user_id: int,
    kind: str,
    title: str,
    questions: Sequence[Question],
    seed: int,
    settings: dict[str, Any],
    now: datetime | None = None,
    time_limit: timedelta | None = None,
    grade_max: float = 10.0,
    quiz_version_id: int | None = None,
) -> Attempt:
    """Freeze the questions into a new attempt and store it."""
    if not questions:
        raise NoQuestions("There are no questions to put in this attempt.")
    moment = now or utcnow()
    record = datasets.latest_version()
    frozen_settings = {
        "feedback": engine.DEFERRED,
        "grace_seconds": current_app.config["QUIZAPP_GRACE_SECONDS"],
        **settings,
    }
    if time_limit is not None:
        frozen_settings["time_limit_seconds"] = int(time_limit.total_seconds())
    attempt = Attempt(
        user_id=user_id,
        kind=kind,
        title=title[:200],
        dataset_version=record.version if record else "",
        seed=seed,
        questions=[q.to_dict() for q in questions],
        settings=frozen_settings,
        grade_max=grade_max,
        state=engine.IN_PROGRESS,
        sequence=0,
        started_at=moment,
        deadline=moment + time_limit if time_limit else None,
        quiz_version_id=quiz_version_id,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def new_seed() -> int:
    """A fresh generation seed, stored with the attempt so that it can be replayed."""
    return secrets.randbelow(2**31)


@dataclass(frozen=True)
class PracticeOptions:
    """What a trainee asked for: which agreements or topics, how many, how hard, how long."""

    count: int = 10
    agreements: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    difficulty: str | None = None
    types: tuple[str, ...] = ()
    time_limit_minutes: int | None = None
    feedback: str = engine.DEFERRED
    dataset: str = ""  # one dataset file by name, or every one loaded


def start_practice(
    user_id: int, options: PracticeOptions, now: datetime | None = None, seed: int | None = None
) -> Attempt:
    """Generate a practice quiz with a fresh seed and freeze it into a new attempt."""
    dataset = datasets.current()
    if dataset is None:
        raise NoQuestions("No agreements are loaded yet, so no quiz can be made.")
    scope = None
    if options.dataset:
        dataset, scope = _one_dataset(dataset, options.dataset)
    seed = new_seed() if seed is None else seed
    keys = core_practice.chosen_agreements(dataset, options.agreements, options.topics)
    if scope and (options.agreements or options.topics) and not keys:
        raise NoQuestions(
            f"None of the chosen agreements or topics is in “{scope}”: choose some of its "
            "own, or every dataset."
        )
    questions = core_practice.quiz_questions(
        dataset, options.count, seed, keys, options.difficulty, options.types
    )
    if not questions:
        raise NoQuestions(
            "No question could be made for these choices: choose more agreements or types."
        )
    limit = timedelta(minutes=options.time_limit_minutes) if options.time_limit_minutes else None
    settings = {
        "feedback": options.feedback if options.feedback in engine.BEHAVIOURS else engine.DEFERRED,
        "agreements": list(keys),
        "difficulty": options.difficulty,
        "types": list(options.types),
        "requested": options.count,
        "dataset": options.dataset,
    }
    title = core_practice.practice_title(
        dataset,
        len(questions),
        options.agreements,
        options.topics,
        [qtypes.get(name).label for name in options.types],
        options.difficulty,
        everything=scope or "all agreements",
    )
    return create(user_id, engine.Kind.PRACTICE, title, questions, seed, settings, now, limit)


def _one_dataset(dataset: Dataset, name: str) -> tuple[Dataset, str]:
    """The agreements of one dataset file (computed once per version) and its title."""
    if name not in dataset.dataset_names():
        raise NoQuestions(f"No dataset called “{name}” is loaded: choose one from the list.")
    part = datasets.derived(dataset, f"only:{name}", lambda whole: only(whole, name))
    return part, dataset.dataset_title(name)


# --- the deadline ----------------------------------------------------------------------


def expire_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit an attempt past its deadline and grace with what was saved; True if it did."""
    moment = now or utcnow()
    if attempt.state != engine.IN_PROGRESS:
        return False
    if not engine.overdue(attempt.deadline, grace(attempt), moment):
        return False
    try:
        _finish(attempt, engine.TIMEOUT, attempt.sequence + 1, moment)
    except engine.StaleSequence:
        return False  # someone else wrote first; the next touch tries again
    return True


def expire_overdue(user_id: int, now: datetime | None = None) -> int:
    """Auto-submit each of the user's overdue attempts; how many it submitted."""
    timed = db.select(Attempt).where(
        Attempt.user_id == user_id,
        Attempt.state == engine.IN_PROGRESS,
        Attempt.deadline.is_not(None),
    )
    return sum(expire_if_overdue(a, now) for a in db.session.scalars(timed).all())


def _guard(attempt: Attempt, seq_seen: int | None, now: datetime) -> None:
    """Refuse a step from a stale page, or after the end (submitting an overdue attempt)."""
    try:
        engine.check_step(
            seq_seen, attempt.sequence, attempt.state, attempt.deadline, grace(attempt), now
        )
    except engine.DeadlinePassed:
        expire_if_overdue(attempt, now)
        raise


# --- steps -----------------------------------------------------------------------------


@contextmanager
def _collisions_are_stale() -> Iterator[None]:
    """A collision on (attempt, seq) means another page wrote first: the caller is stale."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise engine.StaleSequence() from None
    except OperationalError as error:  # SQLite: a concurrent writer holds the lock
        db.session.rollback()
        if "locked" in str(error.orig).lower():
            raise engine.StaleSequence() from None
        raise


# Core statements on the tables: the ORM would also look for the attempt in the session.
_INSERT_STEP = AttemptStep.__table__.insert()
_UPDATE_PROGRESS = (
    Attempt.__table__.update()
    .where(Attempt.__table__.c.id == bindparam("attempt"))
    .values(sequence=bindparam("seq"), progress=bindparam("progress"))
)


def _append(attempt: Attempt, seq: int, action: str, now: datetime, slot=None, response=None):
    """Write the step first, so that a racing writer collides here, before any other work,
    then the attempt's sequence and state. Two plain statements: no unit of work to flush,
    and the log, not loaded, is not read to append to it."""
    progress = engine.replay([Step(seq, action, slot, response)], state_of(attempt)).to_record()
    step = {"seq": seq, "action": action, "slot": slot, "response": response, "created_at": now}
    with _collisions_are_stale():
        db.session.execute(_INSERT_STEP, {"attempt_id": attempt.id, **step})
        db.session.execute(
            _UPDATE_PROGRESS, {"attempt": attempt.id, "seq": seq, "progress": progress}
        )
    # What the database now holds, without marking the attempt changed again.
    set_committed_value(attempt, "sequence", seq)
    set_committed_value(attempt, "progress", progress)


def _commit() -> None:
    with _collisions_are_stale():
        db.session.commit()


def read_response(question: Question, raw: Any) -> Any:
    """The canonical response; None to clear; Incomplete when typed but not an answer."""
    if text_size(raw) > ANSWER_MAX_CHARS:
        raise engine.Incomplete(f"Keep your answer under {ANSWER_MAX_CHARS} characters.")
    response = qtypes.of(question).normalize(question, raw)
    if response is None and not engine.is_blank(raw):
        raise engine.Incomplete()
    return response


def save_answer(
    attempt: Attempt, slot: int, raw: Any, seq_seen: int | None, now: datetime | None = None
) -> Saved:
    """Append an answer step; an unchanged answer writes nothing (even from a stale page,
    which may then move on without having overwritten anything)."""
    moment = now or utcnow()
    question = question_at(attempt, slot)
    response = read_response(question, raw)
    current = state_of(attempt)
    unchanged = response == current.response(slot)
    try:
        _guard(attempt, seq_seen, moment)
    except engine.StaleSequence:
        if not unchanged:  # a stale page may move on, never overwrite
            raise
    if slot in current.checked:
        raise engine.SlotLocked()
    if unchanged:
        return Saved(attempt.sequence, changed=False, answered=response is not None)
    _append(attempt, seq_seen + 1, engine.ANSWER, moment, slot, response)
    sequence = attempt.sequence  # read before the commit expires it: no query after saving
    _commit()
    return Saved(sequence, changed=True, answered=response is not None)


def set_flag(
    attempt: Attempt, slot: int, flagged: bool, seq_seen: int | None, now: datetime | None = None
) -> Saved:
    """Flag a question for review, or remove the flag."""
    moment = now or utcnow()
    question_at(attempt, slot)
    current = state_of(attempt)
    try:
        _guard(attempt, seq_seen, moment)
    except engine.StaleSequence:
        if (slot in current.flagged) != flagged:
            raise
    if (slot in current.flagged) == flagged:
        return Saved(attempt.sequence, changed=False, answered=current.answered(slot))
    _append(attempt, seq_seen + 1, engine.FLAG if flagged else engine.UNFLAG, moment, slot)
    _commit()
    return Saved(attempt.sequence, changed=True, answered=current.answered(slot))


def check(
    attempt: Attempt, slot: int, raw: Any, seq_seen: int | None, now: datetime | None = None
) -> QuestionResult:
    """Immediate feedback: fix the slot's answer, grade it, and finish once all are checked."""
    moment = now or utcnow()
    question = question_at(attempt, slot)
    response = read_response(question, raw)
    _guard(attempt, seq_seen, moment)
    if behaviour(attempt) != engine.IMMEDIATE:
        raise AttemptError("This attempt gives feedback only after it is submitted.")
    if slot in state_of(attempt).checked:
        raise engine.SlotLocked()
    if response is None:
        raise engine.Incomplete("Give an answer before checking it.")
    _append(attempt, seq_seen + 1, engine.CHECK, moment, slot, response)
    graded = engine.grade_slot(slot, question, response, qtypes.grade, marks(attempt)[slot - 1])
    result = _record(attempt, question, graded, response, moment)
    if len(state_of(attempt).checked) == len(attempt.questions):
        _grade_and_close(attempt, engine.SUBMIT, seq_seen + 2, moment)
    _commit()
    return result


def submit(attempt: Attempt, seq_seen: int | None, now: datetime | None = None) -> Attempt:
    """Submit and grade. Idempotent: a finished attempt is returned as it is."""
    moment = now or utcnow()
    if attempt.state == engine.FINISHED or expire_if_overdue(attempt, moment):
        return attempt
    engine.check_step(seq_seen, attempt.sequence, attempt.state, None, grace(attempt), moment)
    # Within the grace period after the deadline, the countdown's own submit is a time-out.
    late = attempt.deadline is not None and moment >= attempt.deadline
    try:
        _finish(attempt, engine.TIMEOUT if late else engine.SUBMIT, seq_seen + 1, moment)
    except engine.StaleSequence:
        db.session.refresh(attempt)
        if attempt.state == engine.FINISHED:  # the other tab's submit won: same result
            return attempt
        raise
    return attempt


def abandon(attempt: Attempt, now: datetime | None = None) -> bool:
    """Set an open practice attempt aside, ungraded, keeping every answer; True if it did.

    An assigned quiz's attempt cannot be abandoned, and one past its deadline is
    submitted instead (``expire_if_overdue``): the time limit is the server's.
    """
    moment = now or utcnow()
    if attempt.kind not in engine.ABANDONABLE:
        raise AttemptError("An assigned quiz cannot be abandoned: submit it when you are done.")
    if attempt.state != engine.IN_PROGRESS or expire_if_overdue(attempt, moment):
        return False
    _append(attempt, attempt.sequence + 1, engine.ABANDON, moment)
    attempt.state = engine.ABANDONED
    attempt.finished_at = moment
    _commit()
    return True


def resume(attempt: Attempt, now: datetime | None = None) -> bool:
    """Reopen an abandoned attempt where it was left; True if it did. A time limit kept
    running meanwhile: past it, the attempt is submitted with its answers."""
    moment = now or utcnow()
    if attempt.state != engine.ABANDONED:
        return False
    _append(attempt, attempt.sequence + 1, engine.RESUME, moment)
    attempt.state = engine.IN_PROGRESS
    attempt.finished_at = None
    _commit()
    expire_if_overdue(attempt, moment)
    return True


# --- grading ---------------------------------------------------------------------------


def _finish(attempt: Attempt, action: str, seq: int, now: datetime) -> None:
    _grade_and_close(attempt, action, seq, now)
    _commit()


def _grade_and_close(attempt: Attempt, action: str, seq: int, now: datetime) -> None:
    """Append the finishing step, grade every slot not graded yet, and store the score."""
    _append(attempt, seq, action, now)
    questions = questions_of(attempt)
    current = state_of(attempt)
    grade = engine.grade_attempt(
        questions, current, qtypes.grade, attempt.grade_max, marks(attempt)
    )
    done = {r.slot for r in attempt.results}
    fresh = [g for g in grade.slots if g.slot not in done]
    for graded in fresh:
        question = questions[graded.slot - 1]
        _record(attempt, question, graded, current.response(graded.slot), now, review=False)
    _review_facts(
        attempt,
        [(questions[g.slot - 1], g.fraction) for g in fresh if g.answered],
        now,
    )
    attempt.state = engine.FINISHED
    attempt.finished_at = now
    attempt.fraction = grade.fraction
    attempt.score = grade.score


def _record(
    attempt: Attempt,
    question: Question,
    graded: engine.SlotGrade,
    response: Any,
    now: datetime,
    review: bool = True,
) -> QuestionResult:
    """Store one slot's result (and, for a checked slot, update its facts' cards now)."""
    result = QuestionResult(
        slot=graded.slot,
        question_id=question.id,
        question_type=question.type,
        fact=question.fact[:40],
        fact_ids=list(question.fact_ids),
        agreements=list(question.agreements),
        response=response,
        fraction=graded.fraction,
    )
    attempt.results.append(result)
    if review and graded.answered:
        _review_facts(attempt, [(question, graded.fraction)], now)
    return result


def _review_facts(
    attempt: Attempt, graded: Sequence[tuple[Question, float]], now: datetime
) -> None:
    """Per-fact history rows, and one FSRS review per fact (mean fraction if asked twice).

    Unanswered questions are not reviews: leaving a question blank says nothing about
    what the trainee remembers, so the card stays as it was.
    """
    fractions: dict[str, list[float]] = defaultdict(list)
    types: dict[str, str] = {}
    for question, fraction in graded:
        for fact_id in question.fact_ids:
            fractions[fact_id].append(fraction)
            types[fact_id] = question.type
            db.session.add(
                FactReview(
                    user_id=attempt.user_id,
                    fact_id=fact_id,
                    attempt_id=attempt.id,
                    question_type=question.type,
                    fraction=fraction,
                    rating=int(scheduling.rating_for(fraction)),
                    reviewed_at=now,
                )
            )
    if not fractions:
        return
    cards = {
        c.fact_id: c
        for c in db.session.scalars(
            db.select(FactCard).where(
                FactCard.user_id == attempt.user_id, FactCard.fact_id.in_(list(fractions))
            )
        )
    }
    for fact_id, values in fractions.items():
        card = cards.get(fact_id)
        stored, due = scheduling.review(card.card if card else None, sum(values) / len(values), now)
        if card is None:
            card = FactCard(
                user_id=attempt.user_id, fact_id=fact_id, agreement_key=agreement_of(fact_id)
            )
            db.session.add(card)
        card.card, card.due = stored, due
        card.last_question_type = types[fact_id]
        card.updated_at = now


# --- reading results -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """One question of a finished attempt, as the review page shows it."""

    slot: int
    question: Question
    response: Any
    fraction: float
    given: str
    correct: str
    feedback: str

    @property
    def outcome(self) -> str:
        if self.fraction >= 1.0:
            return "correct"
        return "partial" if self.fraction > 0 else "incorrect"


def _item(slot: int, question: Question, result: QuestionResult | None) -> ReviewItem:
    response = result.response if result else None
    module = qtypes.of(question)
    return ReviewItem(
        slot=slot,
        question=question,
        response=response,
        fraction=result.fraction if result else 0.0,
        given=module.describe(question, response),
        correct=module.describe_key(question),
        feedback=module.grade(question, response).feedback,
    )


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Each question with the trainee's response, the key and the feedback (finished only)."""
    if attempt.state != engine.FINISHED:
        raise AttemptError("The review opens once the attempt is submitted.")
    results = {r.slot: r for r in attempt.results}
    return [
        _item(slot, question, results.get(slot))
        for slot, question in enumerate(questions_of(attempt), start=1)
    ]


def checked_item(attempt: Attempt, slot: int, state: State) -> ReviewItem | None:
    """Immediate feedback: a checked slot's outcome, key and feedback; None if not checked
    (its results are read only then)."""
    if slot not in state.checked:
        return None
    result = next((r for r in attempt.results if r.slot == slot), None)
    if result is None:
        return None
    return _item(slot, question_at(attempt, slot), result)
