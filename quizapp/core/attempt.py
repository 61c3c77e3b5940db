"""The attempt engine: state from the step log, refusing stale or late steps, grading.

Vocabulary (after Moodle's question engine): an attempt is a numbered list of *slots*,
one frozen question each. Every action is a *step* appended to the attempt's log with
the next *sequence number*; the current state is a replay of the log. A *behaviour*
decides when grading happens: ``deferred`` grades everything at submit (a quiz),
``immediate`` grades a slot as soon as the trainee checks it (practice).

Plain Python: no Flask, no database. ``now`` is always passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from quizapp.core.clock import as_utc


class Behaviour(StrEnum):
    """When grading happens: at submit (an exam) or when a slot is checked (practice)."""

    DEFERRED = "deferred"
    IMMEDIATE = "immediate"


class AttemptState(StrEnum):
    """Where an attempt is in its life (``State`` below is the replayed step log)."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    ABANDONED = "abandoned"  # set aside ungraded, every answer kept; it may be resumed


class Kind(StrEnum):
    """What an attempt is for: a generated practice quiz, an assigned quiz, due facts."""

    PRACTICE = "practice"
    QUIZ = "quiz"
    REVIEW = "review"


class Action(StrEnum):
    """What a step does. ``check`` (immediate behaviour) fixes a slot's answer and grades it."""

    ANSWER = "answer"
    FLAG = "flag"
    UNFLAG = "unflag"
    CHECK = "check"
    SUBMIT = "submit"
    TIMEOUT = "timeout"
    ABANDON = "abandon"
    RESUME = "resume"


# The members under their short names, as the services and pages use them.
DEFERRED, IMMEDIATE = Behaviour.DEFERRED, Behaviour.IMMEDIATE
BEHAVIOURS = tuple(Behaviour)
IN_PROGRESS, FINISHED = AttemptState.IN_PROGRESS, AttemptState.FINISHED
ABANDONED = AttemptState.ABANDONED
ANSWER, FLAG, UNFLAG, CHECK = Action.ANSWER, Action.FLAG, Action.UNFLAG, Action.CHECK
SUBMIT, TIMEOUT = Action.SUBMIT, Action.TIMEOUT
ABANDON, RESUME = Action.ABANDON, Action.RESUME
# Kinds a trainee may abandon: their own practice, never an assigned quiz's attempt.
ABANDONABLE = (Kind.PRACTICE, Kind.REVIEW)
FINISHING = (SUBMIT, TIMEOUT)

DEFAULT_GRACE = timedelta(seconds=30)


class AttemptError(Exception):
    """A step the engine refuses; ``message`` is written for the trainee."""

    message = "This action was refused."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class StaleSequence(AttemptError):
    """The page the step came from is older than the attempt's latest step."""

    message = (
        "Not saved: this page was out of date, because the attempt was changed in another "
        "tab or window. Reload the page to see the latest saved answers, then try again."
    )


class AttemptFinished(AttemptError):
    """The attempt has been submitted; nothing can change it any more."""

    message = "This attempt has already been submitted, so it can no longer be changed."


class DeadlinePassed(AttemptError):
    """The time limit and its grace period are over."""

    message = "Time is up: the attempt was submitted with the answers saved before the deadline."


class AttemptAbandoned(AttemptError):
    """The attempt was set aside; it must be resumed before anything changes it."""

    message = (
        "This attempt was abandoned, so it cannot be changed. Resume it from your dashboard "
        "to go on: every answer you gave is still there."
    )


class SlotLocked(AttemptError):
    """Immediate feedback: a checked answer is final."""

    message = "This question has already been checked, so its answer can no longer be changed."


class Incomplete(AttemptError):
    """Something was entered, but not enough to be an answer (a date without its year)."""

    message = (
        "Not saved: this answer is incomplete. Complete it, or clear it to leave the "
        "question unanswered."
    )


# --- the step log ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One entry of the log, as stored."""

    seq: int
    action: str
    slot: int | None = None
    response: Any = None


@dataclass(frozen=True)
class State:
    """What the log says now: the latest response per slot, flags, checked slots."""

    sequence: int = 0
    responses: Mapping[int, Any] = field(default_factory=dict)
    flagged: frozenset[int] = frozenset()
    checked: frozenset[int] = frozenset()
    finished: bool = False

    def response(self, slot: int) -> Any:
        """The slot's current response, or None when unanswered."""
        return self.responses.get(slot)

    def answered(self, slot: int) -> bool:
        return self.responses.get(slot) is not None

    def to_record(self) -> dict[str, Any]:
        """The state as JSON keeps it beside the attempt (slots become strings there)."""
        return {
            "responses": {str(slot): value for slot, value in self.responses.items()},
            "flagged": sorted(self.flagged),
            "checked": sorted(self.checked),
            "finished": self.finished,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None, sequence: int) -> State:
        """The state ``to_record`` stored, at the attempt's sequence number."""
        record = record or {}
        return cls(
            sequence,
            {int(slot): value for slot, value in (record.get("responses") or {}).items()},
            frozenset(record.get("flagged") or ()),
            frozenset(record.get("checked") or ()),
            bool(record.get("finished")),
        )


def replay(steps: Iterable[Step], state: State | None = None) -> State:
    """Fold the log, in sequence order, into the current state; given ``state``, fold
    steps that follow the ones it was folded from."""
    start = state or State()
    responses = dict(start.responses)
    flagged, checked = set(start.flagged), set(start.checked)
    sequence, finished = start.sequence, start.finished
    for step in sorted(steps, key=lambda s: s.seq):
        sequence = step.seq
        if step.action in (ANSWER, CHECK) and step.slot is not None:
            responses[step.slot] = step.response
            if step.action == CHECK:
                checked.add(step.slot)
        elif step.action == FLAG and step.slot is not None:
            flagged.add(step.slot)
        elif step.action == UNFLAG and step.slot is not None:
            flagged.discard(step.slot)
        elif step.action in FINISHING:
            finished = True
    return State(sequence, responses, frozenset(flagged), frozenset(checked), finished)


# --- refusing steps ----------------------------------------------------------------------


def overdue(deadline: datetime | None, grace: timedelta, now: datetime) -> bool:
    """True once the deadline and its grace period have both passed."""
    return deadline is not None and as_utc(now) > as_utc(deadline) + grace


def seconds_left(deadline: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the deadline (never negative), or None without a time limit."""
    if deadline is None:
        return None
    return max(0, int((as_utc(deadline) - as_utc(now)).total_seconds()))


def check_step(
    sequence_seen: int | None,
    current_sequence: int,
    state: str,
    deadline: datetime | None,
    grace: timedelta,
    now: datetime,
) -> None:
    """Raise unless a step made from a page showing ``sequence_seen`` may be appended now.

    Order matters: a finished attempt says so even to a stale page, and a late step is
    late whatever page it came from.
    """
    if state == FINISHED:
        raise AttemptFinished()
    if state == ABANDONED:
        raise AttemptAbandoned()
    if overdue(deadline, grace, now):
        raise DeadlinePassed()
    if sequence_seen != current_sequence:
        raise StaleSequence()


def is_blank(raw: Any) -> bool:
    """True when a browser sent nothing at all: clearing an answer, not a bad one."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple)):
        return all(is_blank(item) for item in raw)
    if isinstance(raw, Mapping):
        return all(is_blank(value) for value in raw.values())
    return False


def parse_sequence(raw: object) -> int | None:
    """The sequence number a form or JSON body carried, or None when missing or garbled."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


# --- overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotStatus:
    """One row of the overview: what the trainee sees about a slot (never its grade)."""

    slot: int
    answered: bool
    flagged: bool
    checked: bool

    @property
    def label(self) -> str:
        """``answered, flagged`` and the like, for screen readers and the summary."""
        words = ["answered" if self.answered else "not answered"]
        if self.checked:
            words.append("checked")
        if self.flagged:
            words.append("flagged")
        return ", ".join(words)


@dataclass(frozen=True)
class Overview:
    """Every slot's status with the lists the submit page needs."""

    slots: tuple[SlotStatus, ...]

    @property
    def answered(self) -> list[int]:
        return [s.slot for s in self.slots if s.answered]

    @property
    def unanswered(self) -> list[int]:
        return [s.slot for s in self.slots if not s.answered]

    @property
    def flagged(self) -> list[int]:
        return [s.slot for s in self.slots if s.flagged]


def slots(count: int) -> range:
    """Slot numbers are 1-based, as trainees count questions."""
    return range(1, count + 1)


def overview(count: int, state: State) -> Overview:
    """The status of every slot of an attempt of ``count`` questions."""
    return Overview(
        tuple(
            SlotStatus(
                slot,
                answered=state.answered(slot),
                flagged=slot in state.flagged,
                checked=slot in state.checked,
            )
            for slot in slots(count)
        )
    )


# --- grading -----------------------------------------------------------------------------


class GradeLike(Protocol):
    fraction: float
    feedback: str


Grader = Callable[[Any, Any], GradeLike]


@dataclass(frozen=True)
class SlotGrade:
    """The graded outcome of one slot."""

    slot: int
    fraction: float
    mark: float
    feedback: str
    answered: bool

    @property
    def marks_earned(self) -> float:
        return self.fraction * self.mark

    @property
    def outcome(self) -> str:
        """``correct``, ``partial`` or ``incorrect`` (an unanswered slot is incorrect)."""
        if self.fraction >= 1.0:
            return "correct"
        return "partial" if self.fraction > 0 else "incorrect"


@dataclass(frozen=True)
class AttemptGrade:
    """Every slot's grade, the attempt's fraction (0..1) and its score out of grade_max."""

    slots: tuple[SlotGrade, ...]
    fraction: float
    score: float
    grade_max: float


def clamp(fraction: float) -> float:
    """Keep a fraction within 0..1 whatever a grader returned."""
    return min(1.0, max(0.0, float(fraction)))


def grade_slot(slot: int, question: Any, response: Any, grader: Grader, mark: float) -> SlotGrade:
    """Grade one slot; an unanswered slot scores 0 without asking the grader."""
    if response is None:
        return SlotGrade(slot, 0.0, mark, "Not answered.", answered=False)
    result = grader(question, response)
    return SlotGrade(slot, clamp(result.fraction), mark, result.feedback, answered=True)


def score(slot_grades: Sequence[SlotGrade], grade_max: float) -> AttemptGrade:
    """Sum fraction × max mark over the slots and scale the sum to the attempt's grade."""
    total = sum(g.mark for g in slot_grades)
    earned = sum(g.marks_earned for g in slot_grades)
    fraction = earned / total if total > 0 else 0.0
    return AttemptGrade(tuple(slot_grades), fraction, round(fraction * grade_max, 2), grade_max)


def grade_attempt(
    questions: Sequence[Any],
    state: State,
    grader: Grader,
    grade_max: float,
    marks: Sequence[float] | None = None,
) -> AttemptGrade:
    """Grade every slot from the state's latest responses (replaying = regrading)."""
    marks = marks or [1.0] * len(questions)
    graded = [
        grade_slot(slot, question, state.response(slot), grader, float(marks[slot - 1]))
        for slot, question in zip(slots(len(questions)), questions, strict=True)
    ]
    return score(graded, grade_max)
