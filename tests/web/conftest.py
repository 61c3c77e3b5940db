"""Web fixtures: a user factory, logging in through the real form, CSRF tokens from pages."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from quizapp.models import Role
from tests.conftest import quizapp_command

PASSWORD = "correct horse battery staple"
_CSRF_INPUT = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


@dataclass(frozen=True)
class MadeUser:
    """A user made for a test, with the password it was given."""

    id: int
    email: str
    role: str
    password: str
    name: str


def csrf_from(page: str) -> str:
    """The CSRF token of the first form in an HTML page."""
    field = _CSRF_INPUT.search(page)
    assert field, "the page has no csrf_token field"
    return html.unescape(_VALUE.search(field.group(0)).group(1))


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """A real CSRF token for this client's session, read from a page's form."""
    return csrf_from(client.get(path).get_data(as_text=True))


def login(
    client: FlaskClient, email: str, password: str = PASSWORD, next: str | None = None
) -> TestResponse:
    """Log in as a browser does: fetch the form, then post it with its token."""
    page = client.get("/login", query_string={"next": next} if next else None)
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.text)}
    if next is not None:
        data["next"] = next
    return client.post("/login", data=data)


def post_form(client: FlaskClient, path: str, data: dict | None = None, **kwargs) -> TestResponse:
    """POST a form with the CSRF token of this client's session (read from the home page)."""
    token = csrf_token(client, "/" if _signed_in(client) else "/login")
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def _signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.fixture
def make_user(loaded_app: Flask) -> Callable[..., MadeUser]:
    """Create accounts through the accounts service: make_user(role=..., email=..., ...)."""
    from quizapp.services import accounts

    counter = iter(range(1, 1000))

    def make(
        role: Role | str = Role.TRAINEE,
        email: str | None = None,
        password: str = PASSWORD,
        name: str | None = None,
        active: bool = True,
    ) -> MadeUser:
        number = next(counter)
        address = email or f"{Role(role).value}{number}@example.org"
        with loaded_app.app_context():
            user = accounts.create_user(address, password, role, name or f"Person {number}")
            if not active:
                accounts.set_active(user, False)
            return MadeUser(user.id, user.email, user.role, password, user.name)

    return make


@pytest.fixture
def signed_in(loaded_app: Flask, make_user) -> Callable[..., tuple[FlaskClient, MadeUser]]:
    """A new test client logged in as a new user of the given role."""

    def sign_in(role: Role | str = Role.TRAINEE, **user_fields) -> tuple[FlaskClient, MadeUser]:
        user = make_user(role, **user_fields)
        client = loaded_app.test_client()
        response = login(client, user.email, user.password)
        assert response.status_code == 302, response.text
        return client, user

    return sign_in


def run_quizapp(app: Flask, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `quizapp` console script against the test app's database."""
    env = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
    }
    return quizapp_command(*args, env=env, stdin=stdin)


def bank_rows(database_url: str) -> tuple[int, int, int]:
    """(sets, questions, versions) in the question bank of a database."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        found = tuple(
            conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            for table in ("question_sets", "bank_questions", "question_versions")
        )
    engine.dispose()
    return found
