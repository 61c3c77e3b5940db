"""Quizzes in the database: build a draft, publish frozen versions, start attempts from them.

The draft (``Quiz.settings`` and ``Quiz.slots``) changes freely. Publishing checks it
with ``core.quizzes.publish_problems`` and freezes it into a ``QuizVersion`` whose fixed
slots pin the bank version current at that moment. A live version nobody has
attempted yet is replaced in place; once someone has attempted it, publishing makes
the next version, so every attempt keeps the quiz it was started from.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from quizapp.core import attempt as engine
from quizapp.core import quizzes as core
from quizapp.core.quizzes import DrawSlot, FixedSlot, QuizError, QuizSettings, Slot
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    BankQuestion,
    GradeOverride,
    QuestionSet,
    QuestionVersion,
    Quiz,
    QuizVersion,
    Status,
    User,
    utcnow,
)
from quizapp.services import attempts, audit, bank

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
QUIZ_KIND = engine.Kind.QUIZ


class QuizFormError(QuizError):
    """Invalid input, with a message for each field at fault."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class PublishRefused(QuizError):
    """The draft has problems that block publishing; ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("This quiz cannot be published yet.")
        self.problems = problems


# --- reading ---------------------------------------------------------------------------


def get(quiz_id: int) -> Quiz | None:
    return db.session.get(Quiz, quiz_id)


def settings_of(quiz: Quiz | QuizVersion) -> QuizSettings:
    return QuizSettings.from_dict(quiz.settings)


def slots_of(quiz: Quiz | QuizVersion) -> list[Slot]:
    return core.slots_from_dicts(quiz.slots)


def live(quiz: Quiz) -> QuizVersion | None:
    """The version trainees take now, or None before the first publish."""
    if quiz.published is None:
        return None
    return db.session.scalars(
        sa.select(QuizVersion).where(
            QuizVersion.quiz_id == quiz.id, QuizVersion.number == quiz.published
        )
    ).first()


@dataclass(frozen=True)
class QuizRow:
    quiz: Quiz
    questions: int
    attempts: int


def listing() -> list[QuizRow]:
    """Every quiz, newest first, with its question count and how many attempts it has."""
    counts = dict(
        db.session.execute(
            sa.select(QuizVersion.quiz_id, sa.func.count(Attempt.id))
            .join(Attempt, Attempt.quiz_version_id == QuizVersion.id)
            .group_by(QuizVersion.quiz_id)
        ).all()
    )
    quizzes = db.session.scalars(sa.select(Quiz).order_by(Quiz.updated_at.desc(), Quiz.id.desc()))
    return [QuizRow(q, core.question_count(slots_of(q)), counts.get(q.id, 0)) for q in quizzes]


@dataclass(frozen=True)
class SlotRow:
    """A slot as the builder lists it."""

    number: int
    slot: Slot
    label: str  # the question's prompt, or "3 random from Dates"
    detail: str  # type, version, status or the pool's size
    problem: str = ""


def slot_rows(slots: Sequence[Slot]) -> list[SlotRow]:
    """Each slot described in words, with what would stop it from being published."""
    rows = []
    set_names = dict(db.session.execute(sa.select(QuestionSet.id, QuestionSet.name)).all())
    for number, slot in enumerate(slots, start=1):
        if isinstance(slot, FixedSlot):
            rows.append(_fixed_row(number, slot))
        else:
            size = len(bank.pool(slot.set_id, slot.type, slot.tag))
            parts = (
                f"type {slot.type}" if slot.type else "",
                f"tag {slot.tag}" if slot.tag else "",
            )
            narrowed = ", ".join(part for part in parts if part)
            label = f"{slot.count} random from {set_names.get(slot.set_id, 'a deleted set')}"
            detail = f"{narrowed + '; ' if narrowed else ''}pool of {size} published"
            short = f"The pool holds only {size}." if size < slot.count else ""
            rows.append(SlotRow(number, slot, label, detail, short))
    return rows


def _fixed_row(number: int, slot: FixedSlot) -> SlotRow:
    found = bank.get(slot.question_id)
    if found is None:
        return SlotRow(number, slot, "A deleted question", "", "No longer in the bank.")
    version = slot.version or found.latest
    current = bank.version(found, version)
    problem = "" if found.status == Status.PUBLISHED else "A draft: publish it in the bank."
    detail = f"{current.type}, version {version}, {found.status}"
    return SlotRow(number, slot, current.prompt, detail, problem)


# --- editing the draft --------------------------------------------------------------------


def _clean_text(title: str, description: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    problems = {}
    if not title:
        problems["title"] = "Give the quiz a title."
    elif len(title) > TITLE_MAX:
        problems["title"] = f"Keep the title under {TITLE_MAX} characters."
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        problems["description"] = f"Keep the description under {DESCRIPTION_MAX} characters."
    if problems:
        raise QuizFormError(problems)
    return title, description


def create(title: str, description: str = "", user_id: int | None = None) -> Quiz:
    """A new draft quiz with default settings and no slots."""
    title, description = _clean_text(title, description)
    quiz = Quiz(
        title=title,
        description=description,
        settings=QuizSettings().to_dict(),
        slots=[],
        created_by_id=user_id,
    )
    db.session.add(quiz)
    db.session.commit()
    return quiz


def _changed(quiz: Quiz) -> None:
    quiz.draft_changed = True
    quiz.updated_at = utcnow()
    db.session.commit()


def update(quiz: Quiz, title: str, description: str, settings: QuizSettings) -> None:
    """Replace the draft's title, description and settings: all of them, or none."""
    problems = core.settings_problems(settings)
    try:
        title, description = _clean_text(title, description)
    except QuizFormError as error:
        problems = {**error.problems, **problems}
    if problems:
        raise QuizFormError(problems)
    quiz.title, quiz.description, quiz.settings = title, description, settings.to_dict()
    _changed(quiz)


def _store_slots(quiz: Quiz, slots: Sequence[Slot]) -> None:
    quiz.slots = core.slots_to_dicts(slots)
    _changed(quiz)


def add_slot(quiz: Quiz, slot: Slot) -> None:
    """Append a fixed question or a draw to the draft."""
    if (problem := core.slot_problem(slot)) is not None:
        raise QuizFormError({"count" if isinstance(slot, DrawSlot) else "mark": problem})
    current = slots_of(quiz)
    if isinstance(slot, FixedSlot):
        if bank.get(slot.question_id) is None:
            raise QuizFormError({"question_id": "There is no such question in the bank."})
        if any(isinstance(s, FixedSlot) and s.question_id == slot.question_id for s in current):
            raise QuizFormError({"question_id": "This question is already in the quiz."})
    elif bank.get_set(slot.set_id) is None:  # None too for ids past the integer range
        raise QuizFormError({"set_id": "Choose a question set."})
    _store_slots(quiz, [*current, slot])


def move_slot(quiz: Quiz, index: int, offset: int) -> None:
    _store_slots(quiz, core.move(slots_of(quiz), index, offset))


def remove_slot(quiz: Quiz, index: int) -> None:
    current = slots_of(quiz)
    if 0 <= index < len(current):
        del current[index]
        _store_slots(quiz, current)


# --- publishing ------------------------------------------------------------------------


def _pools(slots: Sequence[Slot]) -> dict[int, list[QuestionVersion]]:
    return {
        index: bank.pool(slot.set_id, slot.type, slot.tag)
        for index, slot in enumerate(slots)
        if isinstance(slot, DrawSlot)
    }


def problems(quiz: Quiz) -> list[str]:
    """What stops the draft from being published; empty when it can be."""
    slots = slots_of(quiz)
    fixed_ids = [s.question_id for s in slots if isinstance(s, FixedSlot)]
    statuses = dict(
        db.session.execute(
            sa.select(BankQuestion.id, BankQuestion.status).where(BankQuestion.id.in_(fixed_ids))
        ).all()
    )
    published = {qid: status == Status.PUBLISHED for qid, status in statuses.items()}
    pools = {i: [v.question_id for v in pool] for i, pool in _pools(slots).items()}
    return core.publish_problems(settings_of(quiz), slots, published, pools)


def _attempted(version: QuizVersion) -> bool:
    found = db.session.scalar(
        sa.select(Attempt.id).where(Attempt.quiz_version_id == version.id).limit(1)
    )
    return found is not None


def publish(quiz: Quiz, user_id: int | None = None) -> QuizVersion:
    """Freeze the draft into the live version, pinning each fixed question's version."""
    found = problems(quiz)
    if found:
        raise PublishRefused(found)
    pinned = [
        replace(s, version=bank.get(s.question_id).latest) if isinstance(s, FixedSlot) else s
        for s in slots_of(quiz)
    ]
    current = live(quiz)
    if current is not None and not _attempted(current):
        version = current  # nobody has taken it: correct it in place
    else:
        number = 1 + (
            db.session.scalar(
                sa.select(sa.func.max(QuizVersion.number)).where(QuizVersion.quiz_id == quiz.id)
            )
            or 0
        )
        version = QuizVersion(quiz_id=quiz.id, number=number)
        db.session.add(version)
    version.title = quiz.title
    version.settings = dict(quiz.settings)
    version.slots = core.slots_to_dicts(pinned)
    version.published_by_id = user_id
    version.published_at = utcnow()
    quiz.slots = version.slots
    quiz.published = version.number
    quiz.draft_changed = False
    audit.record(
        "quiz.publish",
        f"quiz {quiz.id}",
        {"title": quiz.title, "version": version.number},
        actor=db.session.get(User, user_id) if user_id is not None else None,
    )
    db.session.commit()
    return version


# --- attempts ---------------------------------------------------------------------------


def _attempts_at(quiz_ids: Collection[int], user_ids: Collection[int]) -> sa.Select:
    """The users' attempts at any version of the quizzes, oldest first, with the quiz id."""
    return (
        sa.select(Attempt, QuizVersion.quiz_id)
        .join(QuizVersion, Attempt.quiz_version_id == QuizVersion.id)
        .where(QuizVersion.quiz_id.in_(quiz_ids), Attempt.user_id.in_(user_ids))
        .order_by(Attempt.started_at, Attempt.id)
    )


def attempts_at(quiz_id: int, user_id: int) -> list[Attempt]:
    """The user's attempts at any version of the quiz, oldest first."""
    return list(db.session.scalars(_attempts_at([quiz_id], [user_id])))


def _question(version_row: QuestionVersion):
    return bank.question_of(version_row)


def _fixed_questions(slots: Sequence[Slot]) -> dict[int, Any]:
    fixed = {}
    for slot in slots:
        if isinstance(slot, FixedSlot):
            found = bank.get(slot.question_id)
            if found is None:
                raise QuizError("A question of this quiz has been deleted from the bank.")
            fixed[slot.question_id] = _question(bank.version(found, slot.version or found.latest))
    return fixed


def start(
    user_id: int, version: QuizVersion, now: datetime | None = None, seed: int | None = None
) -> Attempt:
    """A new attempt at a published version: draws resolved with a stored seed, settings frozen.

    QuizError says why when the quiz is not open or no attempt is left.
    """
    moment = now or utcnow()
    settings = settings_of(version)
    # Two Start clicks at once must not both pass the attempt count (PostgreSQL row lock).
    db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())
    used = len(attempts_at(version.quiz_id, user_id))
    if (refusal := core.start_refusal(settings, used, moment)) is not None:
        raise QuizError(refusal)
    slots = slots_of(version)
    seed = attempts.new_seed() if seed is None else seed
    pools = {i: [(v.question_id, _question(v)) for v in p] for i, p in _pools(slots).items()}
    drawn = core.draw(
        slots,
        _fixed_questions(slots),
        pools,
        seed,
        settings.shuffle_questions,
        settings.shuffle_options,
    )
    frozen: dict[str, Any] = {
        "feedback": str(settings.feedback),
        "review": settings.review.shown(),
        "review_when": str(settings.review.when),
        "closes_at": settings.closes_at.isoformat() if settings.closes_at else None,
        "marks": [d.mark for d in drawn],
        "quiz_id": version.quiz_id,
    }
    if settings.grace_seconds is not None:
        frozen["grace_seconds"] = settings.grace_seconds
    ends = core.deadline(settings, moment)
    return attempts.create(
        user_id,
        QUIZ_KIND,
        version.title,
        [d.question for d in drawn],
        seed,
        frozen,
        moment,
        time_limit=ends - moment if ends else None,
        grade_max=settings.grade_max,
        quiz_version_id=version.id,
    )


def attempt_review_settings(attempt: Attempt) -> QuizSettings:
    """The review timing frozen into a quiz attempt (practice reviews open at once)."""
    frozen = attempt.settings or {}
    closes = frozen.get("closes_at")
    return QuizSettings(
        review=core.ReviewOptions(when=core.ReviewWhen(frozen.get("review_when", "immediately"))),
        closes_at=datetime.fromisoformat(closes) if closes else None,
    )


def review_open(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the attempt's trainee may see its review now."""
    return core.review_open(attempt_review_settings(attempt), attempt.finished_at, now or utcnow())


def score_visible(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the attempt's trainee may see its score now: its review is open and shows it."""
    return review_open(attempt, now) and attempts.review_options(attempt)["score"]


def hidden_scores(user_id: int) -> dict[int, int]:
    """The user's finished quiz attempts whose score they may not see yet: id to quiz id."""
    rows = db.session.execute(
        db.select(Attempt, QuizVersion.quiz_id)
        .join(QuizVersion, QuizVersion.id == Attempt.quiz_version_id)
        .options(sa.orm.load_only(Attempt.id, Attempt.settings, Attempt.finished_at))
        .where(Attempt.user_id == user_id, Attempt.state == engine.FINISHED)
    )
    now = utcnow()
    return {attempt.id: quiz_id for attempt, quiz_id in rows if not score_visible(attempt, now)}


def review_opens(attempt: Attempt) -> datetime | None:
    if attempt.finished_at is None:
        return None
    return core.review_opens(attempt_review_settings(attempt), attempt.finished_at)


@dataclass(frozen=True)
class Standing:
    """A trainee's position on one quiz: attempts, the one in progress, the grade."""

    finished: list[Attempt]
    in_progress: Attempt | None
    attempts_left: int | None
    fraction: float | None  # the grade that counts: set by hand, else by the grading method
    passed: bool | None
    grade_visible: bool  # the trainee may see the grade (see `standing`)
    computed: float | None = None  # by the quiz's grading method; None before any finished
    override: GradeOverride | None = None  # the grade set by hand, with its reason for staff

    def score(self, grade_max: float) -> float | None:
        return None if self.fraction is None else round(self.fraction * grade_max, 2)


def _overrides(user_ids: Collection[int], quiz_ids: Collection[int]) -> sa.Select:
    return sa.select(GradeOverride).where(
        GradeOverride.user_id.in_(user_ids), GradeOverride.quiz_id.in_(quiz_ids)
    )


def override_of(user_id: int, quiz_id: int) -> GradeOverride | None:
    """The grade set by hand for the user on the quiz, if any."""
    return db.session.scalars(_overrides([user_id], [quiz_id])).first()


def standing(user_id: int, quiz_id: int, settings: QuizSettings, now: datetime) -> Standing:
    """Where the user stands on the quiz, judged by the live version's settings."""
    return standings([user_id], {quiz_id: settings}, now)[user_id, quiz_id]


def standings(
    user_ids: Collection[int], settings: Mapping[int, QuizSettings], now: datetime
) -> dict[tuple[int, int], Standing]:
    """Where each user stands on each quiz (keyed by quiz id in ``settings``), by (user, quiz).

    Two statements whatever the number of users and quizzes: their attempts, their overrides.
    """
    if not user_ids or not settings:
        return {}
    taken: dict[tuple[int, int], list[Attempt]] = {}
    for attempt, quiz_id in db.session.execute(_attempts_at(settings, user_ids)):
        taken.setdefault((attempt.user_id, quiz_id), []).append(attempt)
    by_hand = {
        (o.user_id, o.quiz_id): o for o in db.session.scalars(_overrides(user_ids, settings))
    }
    return {
        (u, q): _standing(taken.get((u, q), []), by_hand.get((u, q)), s, now)
        for u in user_ids
        for q, s in settings.items()
    }


def _standing(
    taken: list[Attempt], by_hand: GradeOverride | None, settings: QuizSettings, now: datetime
) -> Standing:
    """A standing from the user's attempts at the quiz (oldest first) and their override.

    A grade set by hand replaces the computed one. The trainee sees it when the reviews of
    the counted attempts show scores, as a computed grade; with no finished attempt there
    is no review to wait for, so it shows at once.
    """
    finished = [a for a in taken if a.state == engine.FINISHED]
    active = next((a for a in taken if a.state == engine.IN_PROGRESS), None)
    computed = core.overall([float(a.fraction or 0.0) for a in finished], settings.grading)
    fraction = computed if by_hand is None else by_hand.fraction
    reviews_open = all(score_visible(a, now) for a in finished)
    visible = (bool(finished) or by_hand is not None) and reviews_open
    return Standing(
        finished,
        active,
        core.attempts_left(settings, len(taken)),
        fraction,
        core.passed(settings, fraction),
        visible,
        computed,
        by_hand,
    )
