"""Reports on attempts: the step log of one attempt; aggregates come by GROUP BY."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.core import qtypes
from quizapp.models import Attempt
from quizapp.services import attempts

# What each step action means, for people reading the log.
ACTION_LABELS = {
    "answer": "Answered",
    "flag": "Flagged",
    "unflag": "Unflagged",
    "check": "Checked",
    "submit": "Submitted",
    "timeout": "Time ran out",
}


@dataclass(frozen=True)
class StepRow:
    """One step of an attempt's log, in words."""

    seq: int
    at: datetime
    action: str
    slot: int | None
    response: str


def step_log(attempt: Attempt) -> list[StepRow]:
    """Every step of the attempt in order, each answer described as the review would."""
    questions = attempts.questions_of(attempt)
    rows = []
    for step in attempt.steps:
        described = ""
        if step.action == "answer" and step.slot and 1 <= step.slot <= len(questions):
            question = questions[step.slot - 1]
            described = qtypes.of(question).describe(question, step.response)
        label = ACTION_LABELS.get(step.action, step.action)
        rows.append(StepRow(step.seq, step.created_at, label, step.slot, described))
    return rows
