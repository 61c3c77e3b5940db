"""Regrading: replay a finished attempt's steps against corrected questions.

An attempt keeps its answers in the step log; correcting a key replaces the question in
the slots that held it and grades every slot again from the same log, so the new score
is exactly what the trainee would have had with the right key from the start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.core.attempt import AttemptGrade, Grader, State, grade_attempt


@dataclass(frozen=True)
class SlotChange:
    """One regraded slot: its fraction of the mark before and after."""

    slot: int
    old_fraction: float
    new_fraction: float


@dataclass(frozen=True)
class Regraded:
    """A whole attempt graded again: the changed slots and the new grade."""

    changes: tuple[SlotChange, ...]
    grade: AttemptGrade


def slots_holding(questions: Sequence[Any], question_id: str) -> list[int]:
    """The 1-based slots whose question has this id."""
    return [slot for slot, q in enumerate(questions, start=1) if q.id == question_id]


def regrade(
    questions: Sequence[Any],
    corrected: Mapping[int, Any],
    state: State,
    grader: Grader,
    grade_max: float,
    marks: Sequence[float],
    old_fractions: Mapping[int, float],
) -> Regraded:
    """Grade the attempt again with ``corrected`` questions (by slot) in place of the old."""
    now_asked = [corrected.get(slot, q) for slot, q in enumerate(questions, start=1)]
    grade = grade_attempt(now_asked, state, grader, grade_max, marks)
    changes = tuple(
        SlotChange(g.slot, float(old_fractions.get(g.slot, 0.0)), g.fraction)
        for g in grade.slots
        if g.slot in corrected
    )
    return Regraded(changes, grade)
