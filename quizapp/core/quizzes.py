"""Quizzes without a database: settings, slots, the seeded draw, grades across attempts.

A quiz is a list of *slots*: a fixed bank question (pinned to a version when the quiz
is published) or a random draw ("3 random from set S, type T, tag G"). Settings say
how the quiz is taken (time, attempts, feedback behaviour), how attempts combine into
one grade, and what the review shows and when. Everything here is plain data with
``to_dict``/``from_dict`` so a quiz's draft and its published versions are JSON.

Plain Python: no Flask, no database; ``now`` and the seed are parameters.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from quizapp.core.clock import as_utc
from quizapp.core.questions import Question

MAX_TIME_LIMIT_MINUTES = 24 * 60
MAX_GRACE_SECONDS = 3600
MAX_ATTEMPTS = 100
MAX_DRAW = 100
MAX_MARK = 100.0
MAX_GRADE = 1000.0


class GradingMethod(StrEnum):
    """How a trainee's attempts at one quiz combine into their grade."""

    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


class Feedback(StrEnum):
    """When answers are graded: all at submit, or each as the trainee checks it."""

    DEFERRED = "deferred"
    IMMEDIATE = "immediate"


class ReviewWhen(StrEnum):
    """When the review of a submitted attempt opens."""

    IMMEDIATELY = "immediately"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class Availability(StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


class QuizError(ValueError):
    """A quiz that cannot be published or started, with a message for the person who asked."""


# --- settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewOptions:
    """What the review of a submitted attempt shows, and from when."""

    score: bool = True
    correctness: bool = True
    answer: bool = True
    explanation: bool = True
    when: ReviewWhen = ReviewWhen.IMMEDIATELY

    def shown(self) -> dict[str, bool]:
        """The four switches, in the shape an attempt's ``review`` setting takes."""
        return {
            "score": self.score,
            "correctness": self.correctness,
            "answer": self.answer,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class QuizSettings:
    """How a quiz is taken and graded. ``None`` means "no limit" or "the site default"."""

    time_limit_minutes: int | None = None
    grace_seconds: int | None = None  # None: the site's QUIZAPP_GRACE_SECONDS
    attempts_allowed: int = 0  # 0: unlimited
    grading: GradingMethod = GradingMethod.HIGHEST
    pass_percent: float | None = None
    grade_max: float = 10.0
    shuffle_questions: bool = False
    shuffle_options: bool = False
    feedback: Feedback = Feedback.DEFERRED
    review: ReviewOptions = field(default_factory=ReviewOptions)
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["grading"] = str(self.grading)
        data["feedback"] = str(self.feedback)
        data["review"]["when"] = str(self.review.when)
        for key in ("opens_at", "closes_at"):
            moment = getattr(self, key)
            data[key] = as_utc(moment).isoformat() if moment else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> QuizSettings:
        """Settings from stored JSON; missing keys take their defaults."""
        data = dict(data or {})
        review = dict(data.pop("review", None) or {})
        if "when" in review:
            review["when"] = ReviewWhen(review["when"])
        known = {name for name in cls.__dataclass_fields__}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        if "grading" in values:
            values["grading"] = GradingMethod(values["grading"])
        if "feedback" in values:
            values["feedback"] = Feedback(values["feedback"])
        for key in ("opens_at", "closes_at"):
            if isinstance(values.get(key), str):
                values[key] = as_utc(datetime.fromisoformat(values[key]))
        return cls(**values, review=ReviewOptions(**review))

    @property
    def time_limit(self) -> timedelta | None:
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None


def settings_problems(settings: QuizSettings) -> dict[str, str]:
    """Each invalid setting's name with what is wrong and how to fix it; empty when valid."""
    problems: dict[str, str] = {}
    limit = settings.time_limit_minutes
    if limit is not None and not 1 <= limit <= MAX_TIME_LIMIT_MINUTES:
        problems["time_limit_minutes"] = (
            f"Give a time limit between 1 and {MAX_TIME_LIMIT_MINUTES} minutes, "
            "or leave it empty for no limit."
        )
    grace = settings.grace_seconds
    if grace is not None and not 0 <= grace <= MAX_GRACE_SECONDS:
        problems["grace_seconds"] = (
            f"Give a grace period between 0 and {MAX_GRACE_SECONDS} seconds, "
            "or leave it empty for the site default."
        )
    if not 0 <= settings.attempts_allowed <= MAX_ATTEMPTS:
        problems["attempts_allowed"] = (
            f"Allow between 1 and {MAX_ATTEMPTS} attempts, or 0 for unlimited."
        )
    mark = settings.pass_percent
    if mark is not None and not 0 <= mark <= 100:
        problems["pass_percent"] = "Give a pass mark between 0 and 100 percent, or leave it empty."  # noqa: S105
    if not 0 < settings.grade_max <= MAX_GRADE:
        problems["grade_max"] = f"Grade out of a number above 0 and at most {MAX_GRADE:g}."
    opens, closes = settings.opens_at, settings.closes_at
    if opens and closes and as_utc(closes) <= as_utc(opens):
        problems["closes_at"] = "The close date must come after the open date."
    if settings.review.when == ReviewWhen.AFTER_CLOSE and closes is None:
        problems["review_when"] = (
            "A review that opens after the close date needs a close date: set one, "
            "or choose another time for the review."
        )
    return problems


# --- slots -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedSlot:
    """One bank question; ``version`` is None in a draft and pinned when published."""

    question_id: int
    version: int | None = None
    mark: float = 1.0

    kind = "fixed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "question_id": self.question_id,
            "version": self.version,
            "mark": self.mark,
        }


@dataclass(frozen=True)
class DrawSlot:
    """``count`` random published questions from a set, narrowed by type and tag."""

    set_id: int
    count: int = 1
    type: str = ""
    tag: str = ""
    mark: float = 1.0  # for each drawn question

    kind = "draw"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "set_id": self.set_id,
            "count": self.count,
            "type": self.type,
            "tag": self.tag,
            "mark": self.mark,
        }


Slot = FixedSlot | DrawSlot


def slot_from_dict(data: Mapping[str, Any]) -> Slot:
    """A slot from stored JSON; ValueError on an unknown kind."""
    kind = data.get("kind")
    if kind == FixedSlot.kind:
        version = data.get("version")
        return FixedSlot(
            int(data["question_id"]),
            int(version) if version is not None else None,
            float(data.get("mark", 1.0)),
        )
    if kind == DrawSlot.kind:
        return DrawSlot(
            int(data["set_id"]),
            int(data.get("count", 1)),
            str(data.get("type", "")),
            str(data.get("tag", "")),
            float(data.get("mark", 1.0)),
        )
    raise ValueError(f"unknown slot kind {kind!r}: expected 'fixed' or 'draw'")


def slots_from_dicts(rows: Sequence[Mapping[str, Any]] | None) -> list[Slot]:
    return [slot_from_dict(row) for row in rows or ()]


def slots_to_dicts(slots: Sequence[Slot]) -> list[dict[str, Any]]:
    return [slot.to_dict() for slot in slots]


def slot_problem(slot: Slot) -> str | None:
    """What is wrong with a slot's own numbers, or None."""
    if not 0 < slot.mark <= MAX_MARK:
        return f"Give a mark above 0 and at most {MAX_MARK:g}."
    if isinstance(slot, DrawSlot) and not 1 <= slot.count <= MAX_DRAW:
        return f"Draw between 1 and {MAX_DRAW} questions."
    return None


def move(slots: Sequence[Slot], index: int, offset: int) -> list[Slot]:
    """The slots with the one at ``index`` moved by ``offset`` places (kept within bounds)."""
    moved = list(slots)
    if not 0 <= index < len(moved):
        return moved
    target = max(0, min(len(moved) - 1, index + offset))
    moved.insert(target, moved.pop(index))
    return moved


def question_count(slots: Sequence[Slot]) -> int:
    """How many questions an attempt at these slots holds."""
    return sum(slot.count if isinstance(slot, DrawSlot) else 1 for slot in slots)


# --- publishing --------------------------------------------------------------------------


def publish_problems(
    settings: QuizSettings,
    slots: Sequence[Slot],
    fixed_published: Mapping[int, bool],
    pools: Mapping[int, Sequence[int]],
) -> list[str]:
    """Why a draft cannot be published; empty when it can.

    ``fixed_published`` says, for each fixed question id that exists, whether it is
    published; ``pools`` gives each draw slot's (by index) candidate question ids.
    """
    problems = [f"Settings: {message}" for message in settings_problems(settings).values()]
    if not slots:
        problems.append("The quiz has no questions: add a fixed question or a random draw.")
    fixed_ids = {s.question_id for s in slots if isinstance(s, FixedSlot)}
    for number, slot in enumerate(slots, start=1):
        if (problem := slot_problem(slot)) is not None:
            problems.append(f"Slot {number}: {problem}")
        if isinstance(slot, FixedSlot):
            if slot.question_id not in fixed_published:
                problems.append(f"Slot {number}: the question is no longer in the bank.")
            elif not fixed_published[slot.question_id]:
                problems.append(
                    f"Slot {number}: the question is a draft: publish it in the bank first."
                )
            continue
        available = [q for q in pools.get(number - 1, ()) if q not in fixed_ids]
        if len(available) < slot.count:
            problems.append(
                f"Slot {number}: it draws {slot.count} but its pool holds only "
                f"{len(available)} published question{'s' if len(available) != 1 else ''} "
                "not already fixed in the quiz: draw fewer, or publish more."
            )
    draws = {i: s for i, s in enumerate(slots) if isinstance(s, DrawSlot)}
    if not problems and draws:
        needs = [
            (s.count, [q for q in pools.get(i, ()) if q not in fixed_ids]) for i, s in draws.items()
        ]
        if assign_draws(needs, random.Random(0)) is None:  # noqa: S311  (any order will do)
            problems.append(
                "The random draws share questions and together ask for more than their "
                "pools hold: draw fewer, or publish more questions."
            )
    return problems


# --- the draw ------------------------------------------------------------------------------


def assign_draws(
    needs: Sequence[tuple[int, Sequence[int]]], rng: random.Random
) -> list[list[int]] | None:
    """Pick ``count`` distinct ids for each draw from its pool, no id twice overall.

    A bipartite matching (Kuhn's augmenting paths) over candidates visited in a random
    order, so overlapping pools (all of a set, and only its dates) never starve a
    draw that a luckier order would have filled. None when no assignment exists.
    """
    units = [draw for draw, (count, _) in enumerate(needs) for _ in range(count)]
    candidates = {draw: rng.sample(list(pool), len(pool)) for draw, (_, pool) in enumerate(needs)}
    owner: dict[int, int] = {}  # question id -> unit index

    def place(unit: int, seen: set[int]) -> bool:
        for question in candidates[units[unit]]:
            if question in seen:
                continue
            seen.add(question)
            if question not in owner or place(owner[question], seen):
                owner[question] = unit
                return True
        return False

    for unit in range(len(units)):
        if not place(unit, set()):
            return None
    chosen: list[list[int]] = [[] for _ in needs]
    for question, unit in owner.items():
        chosen[units[unit]].append(question)
    for picks in chosen:
        picks.sort()
        rng.shuffle(picks)
    return chosen


@dataclass(frozen=True)
class Drawn:
    """One question of an attempt, with the bank question it came from and its mark."""

    question_id: int
    question: Question
    mark: float


def shuffled_options(question: Question, rng: random.Random) -> Question:
    """The question with its options in a random order; ids (and so the key) unchanged."""
    if question.type == "true_false" or len(question.options) < 2:
        return question  # True before False reads best; nothing to shuffle
    return replace(question, options=tuple(rng.sample(question.options, len(question.options))))


def draw(
    slots: Sequence[Slot],
    fixed: Mapping[int, Question],
    pools: Mapping[int, Sequence[tuple[int, Question]]],
    seed: int,
    shuffle_questions: bool = False,
    shuffle_options: bool = False,
) -> list[Drawn]:
    """The questions of one attempt, the same for the same seed.

    ``fixed`` maps each fixed slot's question id to its pinned question; ``pools``
    maps each draw slot's index to its candidates (id, question). A fixed question is
    never drawn, and no question appears twice. Shuffled options keep their ids.
    """
    rng = random.Random(seed)  # noqa: S311  (reproducible from the stored seed)
    fixed_ids = {s.question_id for s in slots if isinstance(s, FixedSlot)}
    draws = [(i, s) for i, s in enumerate(slots) if isinstance(s, DrawSlot)]
    by_id = {qid: q for i, _ in draws for qid, q in pools.get(i, ())}
    needs = [
        (s.count, [qid for qid, _ in pools.get(i, ()) if qid not in fixed_ids]) for i, s in draws
    ]
    picked = assign_draws(needs, rng)
    if picked is None:
        raise QuizError(
            "Not enough published questions are left in the bank for this quiz's random "
            "draws: ask an instructor to publish more or draw fewer."
        )
    drawn_by_slot = {i: ids for (i, _), ids in zip(draws, picked, strict=True)}
    questions: list[Drawn] = []
    for index, slot in enumerate(slots):
        if isinstance(slot, FixedSlot):
            questions.append(Drawn(slot.question_id, fixed[slot.question_id], slot.mark))
        else:
            questions += [Drawn(qid, by_id[qid], slot.mark) for qid in drawn_by_slot[index]]
    if shuffle_questions:
        rng.shuffle(questions)
    if shuffle_options:
        questions = [replace(d, question=shuffled_options(d.question, rng)) for d in questions]
    return questions


# --- taking a quiz -------------------------------------------------------------------------


def availability(settings: QuizSettings, now: datetime) -> Availability:
    """Whether the quiz can be started now, judged by its open and close dates."""
    moment = as_utc(now)
    if settings.opens_at and moment < as_utc(settings.opens_at):
        return Availability.NOT_YET_OPEN
    if settings.closes_at and moment >= as_utc(settings.closes_at):
        return Availability.CLOSED
    return Availability.OPEN


def attempts_left(settings: QuizSettings, used: int) -> int | None:
    """How many more attempts a trainee may start; None when unlimited."""
    if settings.attempts_allowed == 0:
        return None
    return max(0, settings.attempts_allowed - used)


def start_refusal(settings: QuizSettings, used: int, now: datetime) -> str | None:
    """Why a new attempt cannot be started now, or None when it can."""
    state = availability(settings, now)
    if state == Availability.NOT_YET_OPEN:
        return "This quiz is not open yet."
    if state == Availability.CLOSED:
        return "This quiz is closed."
    if attempts_left(settings, used) == 0:
        return "You have used every attempt this quiz allows."
    return None


def deadline(settings: QuizSettings, started: datetime) -> datetime | None:
    """When an attempt started now must end: its time limit, and never after the close."""
    ends = [as_utc(started) + settings.time_limit] if settings.time_limit else []
    if settings.closes_at:
        ends.append(as_utc(settings.closes_at))
    return min(ends) if ends else None


def overall(fractions: Sequence[float], method: GradingMethod) -> float | None:
    """The grade (0..1) of finished attempts listed oldest first; None when there are none."""
    if not fractions:
        return None
    if method == GradingMethod.HIGHEST:
        return max(fractions)
    if method == GradingMethod.AVERAGE:
        return sum(fractions) / len(fractions)
    if method == GradingMethod.FIRST:
        return fractions[0]
    return fractions[-1]


def passed(settings: QuizSettings, fraction: float | None) -> bool | None:
    """Whether a grade reaches the pass mark; None without a pass mark or a grade."""
    if settings.pass_percent is None or fraction is None:
        return None
    return fraction * 100 >= settings.pass_percent - 1e-9


def review_opens(settings: QuizSettings, finished_at: datetime) -> datetime | None:
    """When the review of an attempt finished at ``finished_at`` opens; None: never."""
    when = settings.review.when
    if when == ReviewWhen.IMMEDIATELY:
        return as_utc(finished_at)
    if when == ReviewWhen.AFTER_CLOSE and settings.closes_at is not None:
        return as_utc(settings.closes_at)
    return None


def review_open(settings: QuizSettings, finished_at: datetime | None, now: datetime) -> bool:
    """True once a finished attempt's review may be shown to its trainee."""
    if finished_at is None:
        return False
    opens = review_opens(settings, finished_at)
    return opens is not None and as_utc(now) >= opens
