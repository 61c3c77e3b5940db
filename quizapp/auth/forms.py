"""Forms for logging in, signing up, accepting invitations and managing accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from quizapp.models import Role
from quizapp.services.accounts import (
    EMAIL_MAX_LENGTH,
    INVITATION_DAYS,
    INVITATION_MAX_DAYS,
    NAME_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    PASSWORD_TOO_LONG,
    AccountError,
)

ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]
_EMAIL_REQUIRED = DataRequired(message="Enter your email address.")
_EMAIL_LENGTH = Length(max=EMAIL_MAX_LENGTH, message=f"Use at most {EMAIL_MAX_LENGTH} characters.")
_PASSWORD_LENGTH = Length(max=PASSWORD_MAX_LENGTH, message=PASSWORD_TOO_LONG)


class LoginForm(FlaskForm):
    """Email and password, and the local page to return to."""

    email = EmailField("Email", validators=[_EMAIL_REQUIRED, _EMAIL_LENGTH])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), _PASSWORD_LENGTH]
    )
    next = HiddenField()
    submit = SubmitField("Log in")


class NewAccountForm(FlaskForm):
    """Name, email and a password typed twice: for sign-up and for invitations."""

    name = StringField(
        "Your name",
        validators=[
            DataRequired("Enter your name."),
            Length(max=NAME_MAX_LENGTH, message=f"Use at most {NAME_MAX_LENGTH} characters."),
        ],
    )
    email = EmailField("Email", validators=[_EMAIL_REQUIRED, _EMAIL_LENGTH])
    password = PasswordField(
        "Password",
        description=f"At least {PASSWORD_MIN_LENGTH} characters.",
        validators=[InputRequired("Choose a password."), _PASSWORD_LENGTH],
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            InputRequired("Type the password again."),
            EqualTo("password", message="The two passwords are not the same."),
        ],
    )
    submit = SubmitField("Create my account")


class InvitationForm(FlaskForm):
    """Who an invitation is for and how long it stays valid."""

    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.TRAINEE.value)
    email = EmailField(
        "Email (optional: only this address may accept)",
        validators=[Optional(), _EMAIL_LENGTH],
    )
    days = IntegerField(
        "Valid for (days)",
        default=INVITATION_DAYS,
        validators=[
            InputRequired("Enter a number of days."),
            NumberRange(1, INVITATION_MAX_DAYS, f"Choose between 1 and {INVITATION_MAX_DAYS}."),
        ],
    )
    submit = SubmitField("Make an invitation link")

    def limit_roles(self, roles: list[Role]) -> InvitationForm:
        """Offer only the roles the current user may invite."""
        self.role.choices = [choice for choice in ROLE_CHOICES if Role(choice.value) in roles]
        return self


class RoleForm(FlaskForm):
    """A user's new role."""

    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class SwitchForm(FlaskForm):
    """Turn something on or off: a user's account, or self sign-up."""

    enabled = SelectField("Enabled", choices=[SelectChoice("on"), SelectChoice("off")])

    @property
    def wanted(self) -> bool:
        """The state asked for."""
        return self.enabled.data == "on"


def add_error(form: FlaskForm, error: AccountError) -> None:
    """Show a service's error under the field it is about (or under the first field)."""
    field = form._fields.get(error.field) or next(iter(form))
    field.errors = [*field.errors, error.message]


class ResetPasswordForm(FlaskForm):
    """A new password typed twice, from a password-reset link."""

    password = NewAccountForm.password
    confirm = NewAccountForm.confirm
    submit = SubmitField("Set my password")
