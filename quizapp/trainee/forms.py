"""Forms of the trainee pages (a question's answer fields belong to its type: core.qtypes)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.core import qtypes
from quizapp.core.attempt import DEFERRED, IMMEDIATE
from quizapp.services.disputes import COMMENT_MAX

MAX_QUESTIONS = 40
MAX_MINUTES = 180


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes, each with its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PracticeForm(FlaskForm):
    """What a generated practice quiz covers and how it runs."""

    dataset = RadioField("Dataset", default="", choices=[SelectChoice("", "Every dataset")])
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
    types = CheckboxesField(
        "Question types",
        choices=[SelectChoice(t.name, t.label) for t in qtypes.all()],
        validate_choice=True,
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

    # Each agreement key's dataset file, and each dataset file's title: set by the view.
    agreement_datasets: dict[str, str] = {}
    dataset_titles: dict[str, str] = {}

    def agreement_groups(self) -> list[tuple[str, list]]:
        """The agreement checkboxes grouped by dataset title, in the order loaded."""
        groups: dict[str, list] = {}
        for box in self.agreements:
            name = self.agreement_datasets.get(box.data, "")
            groups.setdefault(self.dataset_titles.get(name, ""), []).append(box)
        return list(groups.items())

    def validate_agreements(self, field: CheckboxesField) -> None:
        chosen = self.dataset.data
        if not chosen:
            return
        others = [
            c.label
            for c in field.choices
            if c.value in (field.data or ()) and self.agreement_datasets.get(c.value) != chosen
        ]
        if others:
            raise ValidationError(
                f"Not in “{self.dataset_titles.get(chosen, chosen)}”: {'; '.join(others)}. "
                "Untick them, or choose their dataset or every dataset."
            )


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
