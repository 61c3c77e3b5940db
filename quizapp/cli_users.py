"""`quizapp users`: create accounts (the first admin too), list them, change roles, deactivate."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click
from flask.cli import AppGroup

from quizapp.models import Role, User
from quizapp.services import accounts, imports

ROLE_NAMES = [role.value for role in Role]

users_group = AppGroup("users", help="Create and manage accounts.")


def _fail(message: str) -> None:
    """Print an error to stderr and exit with status 1."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(1)


def _user(email: str) -> User:
    """The user with this email, or exit 1 saying how to find the right one."""
    user = accounts.find_user(email)
    if user is None:
        _fail(f"no account has the email {email}; `quizapp users list` shows them all.")
    return user


def _read_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin when piped, else typed twice, hidden."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_group.command("create")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True, help="The account's role.")
@click.option("--email", required=True, help="The address the person logs in with.")
@click.option("--name", help="The name shown in the app (default: the part before @).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of stdin (the default when stdin is not a TTY).",
)
def create(role: str, email: str, name: str | None, password_stdin: bool) -> None:
    """Create an account. The password is asked for, never passed as an argument.

    Typed at a hidden prompt (twice), or read from stdin, e.g.
    `printf '%s\\n' "$PASSWORD" | quizapp users create --role admin --email a@example.org`.
    """
    if accounts.find_user(email) is not None:
        _fail(f"an account with the email {email} already exists; `quizapp users list` shows it.")
    password = _read_password(password_stdin)
    try:
        user = accounts.create_user(email, password, role, name)
    except accounts.AccountError as error:
        _fail(error.message)
    click.echo(f"created {user.role} {user.email} ({user.name})")


@users_group.command("list")
def list_users() -> None:
    """List every account: email, role, state and name."""
    users = accounts.list_users()
    if not users:
        click.echo("no accounts yet; make the first admin with `quizapp users create --role admin`")
        return
    width = max(len(user.email) for user in users)
    for user in users:
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email:<{width}}  {user.role:<10}  {state:<11}  {user.name}")


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def set_role(email: str, role: str) -> None:
    """Give the account with EMAIL the role ROLE."""
    _change(email, lambda user: accounts.set_role(user, role), f"is now {role}")


@users_group.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop the account with EMAIL from logging in (its data stays)."""
    _change(email, lambda user: accounts.set_active(user, False), "is deactivated")


@users_group.command("activate")
@click.argument("email")
def activate(email: str) -> None:
    """Let a deactivated account with EMAIL log in again."""
    _change(email, lambda user: accounts.set_active(user, True), "is active")


def _change(email: str, change: Callable[[User], object], done: str) -> None:
    """Apply a change to the account with EMAIL and say so, or exit 1 with the reason."""
    user = _user(email)
    try:
        change(user)
    except accounts.AccountError as error:
        _fail(error.message)
    click.echo(f"{user.email} {done}")


@users_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would create.")
@click.option(
    "--base-url",
    envvar="QUIZAPP_BASE_URL",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The site's address, for the reset links printed (or QUIZAPP_BASE_URL).",
)
def import_users(file: str, dry_run: bool, base_url: str) -> None:
    """Create accounts (and cohorts) from a CSV file, all or nothing.

    The header row names the columns email, name, role, cohort in any order (email and
    role are required). Each new account gets a one-time password-reset link, printed here
    and valid for 7 days. Any bad row: every problem is printed as FILE:LINE: what (fix),
    nothing changes, and the exit status is 1.
    """
    with open(file, "rb") as handle:
        data = handle.read()
    report = imports.import_roster(data, file, dry_run=dry_run)
    if not report.ok:
        for problem in report.problems:
            click.echo(problem, err=True)
        click.echo(
            f"error: nothing imported; fix the {len(report.problems)} problem(s) above", err=True
        )
        raise SystemExit(1)
    click.echo(f"{file}: {report.summary()}")
    if report.new_cohorts:
        click.echo("new cohorts: " + ", ".join(report.new_cohorts))
    for link in report.links:
        click.echo(f"{link.user.email}  {base_url.rstrip('/')}/reset/{link.token}")
