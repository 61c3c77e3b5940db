"""Weak passwords are refused wherever an account is made: sign-up, invitations, the CLI."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.passwords import common_passwords, is_common
from quizapp.services import accounts
from tests.web.conftest import csrf_from, csrf_token, run_quizapp

WEAK = [
    ("1234567890", "most common"),
    (" " * 10, "not only spaces"),
    ("\t" * 12, "not only spaces"),
    ("  qwertyuiop  ", "most common"),
    ("PASSWORD123", "most common"),
    ("    abc     ", "at least 10"),
]


def test_the_shipped_list_holds_thousands_of_common_passwords():
    assert len(common_passwords()) > 10_000
    assert is_common("1234567890") and is_common("Iloveyou1")
    assert not is_common("correct horse battery staple")


def _field_error(page: str) -> str:
    return page.split('id="password-error">')[1].split("</p>")[0]


@pytest.mark.parametrize(("password", "reason"), WEAK)
def test_signup_refuses_a_weak_password_at_its_field(loaded_app, client, password, reason):
    with loaded_app.app_context():
        accounts.set_self_signup(True)
    data = {"name": "Tess", "email": "tess@example.org", "password": password}
    data |= {"confirm": password, "csrf_token": csrf_token(client)}
    assert reason in _field_error(client.post("/signup", data=data).text)
    with loaded_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_an_invitation_refuses_a_common_password(loaded_app, client, make_user):
    inviter = make_user(Role.ADMIN)
    with loaded_app.app_context():
        token = accounts.make_invitation(db.session.get(User, inviter.id)).token
    page = client.get(f"/invite/{token}").text
    data = {"name": "Ivo", "email": "ivo@example.org", "password": "1234567890"}
    data |= {"confirm": "1234567890", "csrf_token": csrf_from(page)}
    assert "most common" in _field_error(client.post(f"/invite/{token}", data=data).text)
    assert client.get(f"/invite/{token}").status_code == 200  # the invitation is still open


@pytest.mark.parametrize(("password", "reason"), WEAK[:2])
def test_the_cli_refuses_a_weak_password(loaded_app, password, reason):
    args = ("users", "create", "--role", "admin", "--email", "a@example.org")
    result = run_quizapp(loaded_app, *args, stdin=password + "\n")
    assert result.returncode == 1 and reason in result.stderr
    assert "Traceback" not in result.stderr
