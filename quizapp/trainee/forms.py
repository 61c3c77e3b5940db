"""Forms of the trainee pages, and reading a question's answer from a posted form."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.core.attempt import DEFERRED, IMMEDIATE
from quizapp.core.questions import Question
from quizapp.services.disputes import COMMENT_MAX

MAX_QUESTIONS = 40
MAX_MINUTES = 180
DATE_PARTS = ("year", "month", "day")


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes, each with its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PracticeForm(FlaskForm):
    """What a generated practice quiz covers and how it runs."""

    agreements = CheckboxesField("Agreements", choices=[], validate_choice=True)
    topics = CheckboxesField("Topics", choices=[], validate_choice=True)
    count = IntegerField(
        "Number of questions",
        default=10,
        description=f"From 1 to {MAX_QUESTIONS}.",
        validators=[
            DataRequired("Give the number of questions."),
            NumberRange(1, MAX_QUESTIONS, f"Choose from 1 to {MAX_QUESTIONS} questions."),
        ],
    )
    difficulty = RadioField(
        "Difficulty",
        default="",
        choices=[
            SelectChoice("", "Mixed"),
            SelectChoice("easy", "Easier: wrong options far from the right one"),
            SelectChoice("hard", "Harder: wrong options close to the right one"),
        ],
        validators=[Optional()],
    )
    time_limit = IntegerField(
        "Time limit in minutes (optional)",
        description=f"Leave empty for no time limit; at most {MAX_MINUTES}.",
        validators=[
            Optional(),
            NumberRange(1, MAX_MINUTES, f"Choose from 1 to {MAX_MINUTES} minutes, or none."),
        ],
    )
    feedback = RadioField(
        "Feedback",
        default=DEFERRED,
        choices=[
            SelectChoice(DEFERRED, "At the end, like an exam"),
            SelectChoice(IMMEDIATE, "After each question"),
        ],
    )
    submit = SubmitField("Start the quiz")


class StartDueForm(FlaskForm):
    """Starting a session of due facts (just the button)."""

    submit = SubmitField("Practise due facts")


class ChallengeForm(FlaskForm):
    """A trainee's reason for thinking a graded answer is wrong."""

    comment = TextAreaField(
        "Why do you think this answer is wrong?",
        validators=[
            DataRequired("Say why you think this answer is wrong."),
            Length(max=COMMENT_MAX, message=f"Keep it under {COMMENT_MAX} characters."),
        ],
    )
    submit = SubmitField("Send the challenge")


# --- answers in a question form ---------------------------------------------------------


def raw_response(question: Question, form: MultiDict) -> Any:
    """The answer fields of one question as the question type's ``normalize`` reads them."""
    if question.type in ("multiple_choice", "ordering"):
        return form.getlist("response")
    if question.type == "date":
        return {part: form.get(f"response-{part}", "") for part in DATE_PARTS}
    if question.type == "matching":
        return {item.id: form.get(f"response-{item.id}", "") for item in question.items}
    return form.get("response")


def shown_values(question: Question, value: Any) -> dict[str, Any]:
    """What each control of a question shows for a response (canonical, or raw as typed)."""
    if question.type == "date":
        return {"parts": _date_parts(value)}
    if question.type == "matching":
        return {"pairs": dict(value) if isinstance(value, dict) else {}}
    if question.type in ("multiple_choice", "ordering"):
        return {"choices": list(value) if isinstance(value, (list, tuple)) else []}
    if isinstance(value, bool):
        return {"choice": "true" if value else "false"}
    return {"choice": value if isinstance(value, str) else ""}


def _date_parts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {part: str(value.get(part) or "") for part in DATE_PARTS}
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value or ""))
    if not match:
        return dict.fromkeys(DATE_PARTS, "")
    year, month, day = match.groups()
    return {
        "year": year,
        "month": str(int(month)) if month else "",
        "day": str(int(day)) if day else "",
    }
