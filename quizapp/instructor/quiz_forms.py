"""Forms of the quiz builder: the quiz's settings, its slots, and assigning it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from quizapp.core import qtypes
from quizapp.core.quizzes import (
    Feedback,
    GradingMethod,
    QuizSettings,
    ReviewOptions,
    ReviewWhen,
)
from quizapp.services.quizzes import DESCRIPTION_MAX, TITLE_MAX

WHEN_FORMAT = "%Y-%m-%dT%H:%M"
GRADING_LABELS = {
    GradingMethod.HIGHEST: "Highest attempt",
    GradingMethod.AVERAGE: "Average of attempts",
    GradingMethod.FIRST: "First attempt",
    GradingMethod.LAST: "Last attempt",
}
REVIEW_LABELS = {
    ReviewWhen.IMMEDIATELY: "Immediately after the attempt",
    ReviewWhen.AFTER_CLOSE: "After the close date",
    ReviewWhen.NEVER: "Never",
}
_NUMBER = "Enter a whole number."


def _utc(moment: datetime | None) -> datetime | None:
    """A time typed in the form (read as UTC), as an aware datetime."""
    return moment.replace(tzinfo=UTC) if moment else None


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


class NewQuizForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired("Give the quiz a title."), Length(max=TITLE_MAX)]
    )
    submit = SubmitField("Create quiz")


class SettingsForm(FlaskForm):
    """Every setting of a quiz; the core checks the combinations."""

    title = StringField(
        "Title", validators=[DataRequired("Give the quiz a title."), Length(max=TITLE_MAX)]
    )
    description = TextAreaField("Description (optional)", validators=[Length(max=DESCRIPTION_MAX)])
    time_limit_minutes = IntegerField(
        "Time limit (minutes)",
        description="Empty for no time limit.",
        validators=[Optional()],
    )
    grace_seconds = IntegerField(
        "Grace period (seconds)",
        description="Time after the limit in which answers still count. Empty: the site default.",
        validators=[Optional()],
    )
    attempts_allowed = IntegerField(
        "Attempts allowed",
        description="0 for unlimited.",
        default=0,
        validators=[InputRequired(_NUMBER)],
    )
    grading = SelectField(
        "Grade from",
        choices=[SelectChoice(m.value, label) for m, label in GRADING_LABELS.items()],
    )
    grade_max = FloatField(
        "Grade out of", default=10.0, validators=[InputRequired("Enter a number.")]
    )
    pass_percent = FloatField(
        "Pass mark (percent)", description="Empty for no pass mark.", validators=[Optional()]
    )
    shuffle_questions = BooleanField("Shuffle the questions")
    shuffle_options = BooleanField("Shuffle the options of each question")
    feedback = SelectField(
        "Feedback",
        choices=[
            SelectChoice(Feedback.DEFERRED.value, "Deferred: graded when the attempt is submitted"),
            SelectChoice(Feedback.IMMEDIATE.value, "Immediate: each answer checked in turn"),
        ],
    )
    review_score = BooleanField("The score")
    review_correctness = BooleanField("Whether each answer is right")
    review_answer = BooleanField("The correct answers")
    review_explanation = BooleanField("Feedback and explanations")
    review_when = SelectField(
        "The review opens",
        choices=[SelectChoice(w.value, label) for w, label in REVIEW_LABELS.items()],
    )
    opens_at = DateTimeLocalField(
        "Opens (UTC)", format=WHEN_FORMAT, description="Empty: open now.", validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        "Closes (UTC)",
        format=WHEN_FORMAT,
        description="Empty: never closes.",
        validators=[Optional()],
    )
    submit = SubmitField("Save settings")

    def fill(self, title: str, description: str, settings: QuizSettings) -> None:
        """Show a quiz's draft in the form."""
        self.title.data, self.description.data = title, description
        self.time_limit_minutes.data = settings.time_limit_minutes
        self.grace_seconds.data = settings.grace_seconds
        self.attempts_allowed.data = settings.attempts_allowed
        self.grading.data = settings.grading.value
        self.grade_max.data = settings.grade_max
        self.pass_percent.data = settings.pass_percent
        self.shuffle_questions.data = settings.shuffle_questions
        self.shuffle_options.data = settings.shuffle_options
        self.feedback.data = settings.feedback.value
        review = settings.review
        self.review_score.data = review.score
        self.review_correctness.data = review.correctness
        self.review_answer.data = review.answer
        self.review_explanation.data = review.explanation
        self.review_when.data = review.when.value
        self.opens_at.data = _local(settings.opens_at)
        self.closes_at.data = _local(settings.closes_at)

    def settings(self) -> QuizSettings:
        """The settings the form holds (validated by the form's field types)."""
        return QuizSettings(
            time_limit_minutes=self.time_limit_minutes.data,
            grace_seconds=self.grace_seconds.data,
            attempts_allowed=self.attempts_allowed.data,
            grading=GradingMethod(self.grading.data),
            grade_max=self.grade_max.data,
            pass_percent=self.pass_percent.data,
            shuffle_questions=self.shuffle_questions.data,
            shuffle_options=self.shuffle_options.data,
            feedback=Feedback(self.feedback.data),
            review=ReviewOptions(
                score=self.review_score.data,
                correctness=self.review_correctness.data,
                answer=self.review_answer.data,
                explanation=self.review_explanation.data,
                when=ReviewWhen(self.review_when.data),
            ),
            opens_at=_utc(self.opens_at.data),
            closes_at=_utc(self.closes_at.data),
        )


class FixedForm(FlaskForm):
    """One bank question to add, found by the bank search."""

    question_id = IntegerField("Question", validators=[InputRequired("Choose a question.")])
    mark = FloatField("Mark", default=1.0, validators=[InputRequired("Enter a mark.")])


class DrawForm(FlaskForm):
    """A random draw: how many, from which set, narrowed by type and tag."""

    count = IntegerField("How many", default=1, validators=[InputRequired(_NUMBER)])
    set_id = SelectField("From the set", coerce=int, validate_choice=False)
    type = SelectField("Of the type")
    tag = StringField("With the tag (optional)", validators=[Length(max=100)])
    mark = FloatField("Mark for each", default=1.0, validators=[InputRequired("Enter a mark.")])
    submit = SubmitField("Add the draw")

    def __init__(self, *args, set_choices: list[SelectChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_id.choices = set_choices
        self.type.choices = [SelectChoice("", "Any type")] + [
            SelectChoice(name, label) for name, label in qtypes.choices()
        ]


class AssignForm(FlaskForm):
    """A cohort to assign the quiz to, and when it is due."""

    cohort_id = SelectField("Cohort", coerce=int, validate_choice=False)
    due_at = DateTimeLocalField("Due (UTC, optional)", format=WHEN_FORMAT, validators=[Optional()])
    submit = SubmitField("Assign")

    def due(self) -> datetime | None:
        return _utc(self.due_at.data)
