"""Forms of the question bank pages: the list's filters, new sets, generating, importing."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from quizapp.core import formats, qtypes
from quizapp.models import Status

ANY = SelectChoice("", "Any")
GENERATE_MOST = 20


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [ANY, *(SelectChoice(value, label) for value, label in pairs)]


class FilterForm(FlaskForm):
    """What the bank list is narrowed to (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=200)])
    set = SelectField("Set", choices=[ANY], validate_choice=False)
    agreement = SelectField("Agreement", choices=[ANY], validate_choice=False)
    fact = StringField("Fact", validators=[Optional(), Length(max=200)])
    type = SelectField("Type", choices=_choices(qtypes.choices()), validate_choice=False)
    tag = SelectField("Tag", choices=[ANY], validate_choice=False)
    status = SelectField(
        "Status",
        choices=_choices([(Status.DRAFT, "Draft"), (Status.PUBLISHED, "Published")]),
        validate_choice=False,
    )
    version = SelectField(
        "Versions",
        choices=_choices([("edited", "Edited (2 or more)"), ("original", "Never edited")]),
        validate_choice=False,
    )
    review = BooleanField("Needs review only")

    def fill(self, sets: list, agreements: list, tags: list[str]) -> None:
        """The menus that depend on what is stored."""
        self.set.choices = [ANY, *(SelectChoice(str(s.id), s.name) for s in sets)]
        self.agreement.choices = [ANY, *(SelectChoice(a.key, a.title) for a in agreements)]
        self.tag.choices = [ANY, *(SelectChoice(t, t) for t in tags)]


class NewSetForm(FlaskForm):
    """A new, empty question set."""

    name = StringField(
        "Set name",
        validators=[InputRequired("Give the set a name."), Length(max=100)],
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Create set")


class NewQuestionForm(FlaskForm):
    """Which set and type a new question gets (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    set = SelectField("Set", choices=[], validate_choice=False)
    type = SelectField("Question type", choices=[SelectChoice(*c) for c in qtypes.choices()])


class GenerateForm(FlaskForm):
    """Which dataset template to generate questions from, about what, and how many."""

    template = SelectField("Template", choices=[], validators=[DataRequired("Choose a template.")])
    agreement = SelectField("Agreement", choices=[ANY])
    count = IntegerField(
        "How many",
        default=5,
        validators=[
            InputRequired("Say how many questions to generate."),
            NumberRange(1, GENERATE_MOST, f"Choose between 1 and {GENERATE_MOST}."),
        ],
    )
    submit = SubmitField("Generate for review")


class UploadForm(FlaskForm):
    """A question file to check or import into a set."""

    file = FileField(
        "Question file",
        description="GIFT (.gift, .txt), Moodle XML (.xml) or YAML (.yaml); UTF-8.",
        validators=[FileRequired("Choose a file to import.")],
    )
    set_name = StringField(
        "Into the set",
        description="An existing set, or a new name to make a new set.",
        validators=[InputRequired("Name the set to import into."), Length(max=100)],
    )
    format = SelectField(
        "Format",
        choices=[SelectChoice("", "From the file's extension")]
        + [SelectChoice(name, name) for name in formats.NAMES],
        validate_choice=True,
    )
    check = SubmitField("Check the file")
    submit = SubmitField("Import")
