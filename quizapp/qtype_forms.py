"""The instructor's edit forms for question types (web layer: Flask-WTF).

``QuestionType.edit_form_class()`` builds its form here on first use: the common fields
below plus the type's own ``edit_fields()``. Validation runs the field validators, then
the type's ``check`` on the question the form describes, and puts each problem's
message at the field it names, so the rules are the same for forms, files and imports.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from quizapp.core.qtypes.authoring import DIFFICULTIES

if TYPE_CHECKING:
    from quizapp.core.qtypes.base import QuestionType

MAX_ROWS = 20
TEXT = 300


def choice(value: str, label: str) -> SelectChoice:
    """One choice of a select or radio field."""
    return SelectChoice(value, label)


class OptionRow(Form):
    """One option of a choice question."""

    id = HiddenField()
    text = StringField("Option text", validators=[Optional(), Length(max=TEXT)])
    correct = BooleanField("Correct")


class ItemRow(Form):
    """One item of an ordering question."""

    id = HiddenField()
    text = StringField("Item", validators=[Optional(), Length(max=TEXT)])


class PairRow(Form):
    """One left-hand item of a matching question and the option it matches."""

    id = HiddenField()
    item = StringField("Item", validators=[Optional(), Length(max=TEXT)])
    match = StringField("Matches", validators=[Optional(), Length(max=TEXT)])


def rows_field(row: type[Form], label: str, description: str, spare: int = 5) -> FieldList:
    """A list of rows with ``spare`` blank ones to fill in (blank rows are ignored)."""
    return FieldList(
        FormField(row), label, min_entries=spare, max_entries=MAX_ROWS, description=description
    )


class EditForm(FlaskForm):
    """What every question type's edit form has; ``qtype`` is set per type."""

    qtype: ClassVar[QuestionType]
    type_fields: ClassVar[tuple[str, ...]] = ()  # the type's own, in order

    prompt = TextAreaField(
        "Question",
        validators=[InputRequired("Write the question."), Length(max=2000)],
    )
    explanation = TextAreaField(
        "Explanation",
        description="Shown with the feedback after grading.",
        validators=[Optional(), Length(max=4000)],
    )
    difficulty = SelectField(
        "Difficulty", choices=[choice(d, d.capitalize()) for d in DIFFICULTIES], default="medium"
    )
    tags = StringField("Tags", description="Separated by commas.", validators=[Length(max=300)])
    submit = SubmitField("Save")

    def validate(self, extra_validators: Any = None) -> bool:
        """Field validators, then the type's own checks, each message at its field."""
        valid = super().validate(extra_validators)
        problems = self.qtype.check(self.qtype.question_from_form(self))
        for problem in problems:
            field = self._fields.get(problem.field)
            errors = field.errors if field is not None else self.form_errors
            if not isinstance(errors, list):
                errors = list(errors)
                if field is not None:
                    field.errors = errors
            if problem.message not in errors:
                errors.append(problem.message)
        return valid and not problems


@functools.cache
def form_class(qtype: QuestionType) -> type[EditForm]:
    """The edit form of ``qtype``: the common fields and the type's own."""
    name = "".join(part.capitalize() for part in qtype.name.split("_")) + "EditForm"
    fields = qtype.edit_fields()
    return type(name, (EditForm,), {"qtype": qtype, "type_fields": tuple(fields), **fields})


__all__ = [
    "EditForm",
    "IntegerField",
    "ItemRow",
    "NumberRange",
    "OptionRow",
    "PairRow",
    "RadioField",
    "SelectField",
    "StringField",
    "TextAreaField",
    "choice",
    "form_class",
    "rows_field",
]
