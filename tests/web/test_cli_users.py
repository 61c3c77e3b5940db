"""`quizapp users …`, run as the installed console script against the test database."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import accounts
from tests.conftest import quizapp_command
from tests.web.conftest import PASSWORD, login, run_quizapp


def _create(app, role: str, email: str, *options: str, stdin: str | None = None):
    """`quizapp users create` with the password on stdin."""
    return run_quizapp(
        app, "users", "create", "--role", role, "--email", email, *options, stdin=stdin
    )


def _env(app) -> dict[str, str]:
    return {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret-key"}


def test_first_admin_from_stdin_then_log_in(loaded_app, client):
    options = ("--name", "Ruth Root", "--password-stdin")
    result = _create(loaded_app, "admin", "Root@Example.org", *options, stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "created admin root@example.org (Ruth Root)"
    assert PASSWORD not in result.stdout + result.stderr
    response = login(client, "root@example.org", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert "Signed in as Ruth Root" in client.get("/admin/").text


def test_piped_stdin_is_read_without_the_flag(loaded_app):
    result = _create(loaded_app, "trainee", "t@example.org", stdin=PASSWORD)
    assert result.returncode == 0, result.stderr
    with loaded_app.app_context():
        user = accounts.find_user("t@example.org")
        assert user.name == "t" and user.role == Role.TRAINEE and user.check_password(PASSWORD)


def test_duplicate_email_is_refused_with_exit_1(loaded_app, make_user):
    make_user(Role.TRAINEE, email="taken@example.org")
    result = quizapp_command(
        "users", "create", "--role", "admin", "--email", "TAKEN@example.org", env=_env(loaded_app)
    )
    assert result.returncode == 1
    assert "an account with the email TAKEN@example.org already exists" in result.stderr
    with loaded_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_short_password_is_refused_with_the_rule(loaded_app):
    result = _create(loaded_app, "admin", "a@example.org", stdin="short\n")
    assert result.returncode == 1
    assert "at least 10 characters" in result.stderr


def test_list_set_role_and_deactivate(loaded_app, make_user):
    make_user(Role.TRAINEE, email="tess@example.org", name="Tess")
    env = _env(loaded_app)
    changed = quizapp_command("users", "set-role", "tess@example.org", "instructor", env=env)
    assert changed.returncode == 0, changed.stderr
    assert quizapp_command("users", "deactivate", "tess@example.org", env=env).returncode == 0
    listing = quizapp_command("users", "list", env=env)
    assert listing.returncode == 0
    assert listing.stdout.split() == ["tess@example.org", "instructor", "deactivated", "Tess"]
    assert login(loaded_app.test_client(), "tess@example.org").status_code == 200  # refused


def test_unknown_email_and_role_are_refused(loaded_app):
    env = _env(loaded_app)
    missing = quizapp_command("users", "deactivate", "nobody@example.org", env=env)
    assert missing.returncode == 1 and "no account has the email nobody@example.org" in (
        missing.stderr
    )
    bad_role = quizapp_command("users", "set-role", "nobody@example.org", "root", env=env)
    assert bad_role.returncode == 2 and "'root' is not one of" in bad_role.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["users"],
        ["users", "create"],
        ["users", "list"],
        ["users", "set-role"],
        ["users", "deactivate"],
    ],
)
def test_every_users_command_has_help(command):
    result = quizapp_command(*command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout
    if command == ["users", "create"]:
        assert (
            "--password-stdin" in result.stdout and "never passed as an argument" in result.stdout
        )
