"""Behind trusted reverse proxies the client's own address counts; personal pages are not cached."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import accounts
from tests.conftest import make_test_app
from tests.web.conftest import PASSWORD, csrf_from, login, post_form


@pytest.fixture
def proxied_app(database_url):
    """The app told that one reverse proxy stands in front of it."""
    app = make_test_app(database_url, QUIZAPP_TRUSTED_PROXIES=1)
    with app.app_context():
        accounts.create_user("slow@example.org", PASSWORD, Role.TRAINEE)
    yield app
    with app.app_context():
        db.engine.dispose()


def _failed_login(client, address: str) -> int:
    headers = {"X-Forwarded-For": address}
    token = csrf_from(client.get("/login", headers=headers).text)
    data = {"csrf_token": token, "email": "slow@example.org", "password": "wrong-guess-1"}
    return client.post("/login", data=data, headers=headers).status_code


def test_behind_a_trusted_proxy_each_client_address_has_its_own_login_limit(proxied_app):
    client = proxied_app.test_client()
    assert [_failed_login(client, "203.0.113.7") for _ in range(10)] == [200] * 10
    assert _failed_login(client, "203.0.113.7") == 429
    assert _failed_login(client, "198.51.100.9") == 200  # another user behind the same proxy


def test_without_a_trusted_proxy_a_forged_address_does_not_escape_the_limit(app):
    with app.app_context():
        accounts.create_user("slow@example.org", PASSWORD, Role.TRAINEE)
    client = app.test_client()
    tries = [_failed_login(client, f"203.0.113.{number}") for number in range(11)]
    assert tries == [200] * 10 + [429]


def test_invitation_links_use_the_scheme_and_host_the_proxy_was_asked_for(proxied_app):
    with proxied_app.app_context():
        accounts.create_user("boss@example.org", PASSWORD, Role.ADMIN)
    client = proxied_app.test_client()
    assert login(client, "boss@example.org").status_code == 302
    headers = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "quiz.example.org",
        # Over HTTPS, Flask-WTF also wants the form posted from this same site.
        "Referer": "https://quiz.example.org/admin/invitations",
    }
    data = {"role": "trainee", "email": "", "days": "7"}
    response = post_form(client, "/admin/invitations", data, headers=headers)
    assert response.status_code == 201, response.text
    assert "https://quiz.example.org/invite/" in response.text


def test_pages_for_a_signed_in_user_are_never_stored(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    for path in ["/dashboard", "/", "/practice/new", "/no-such-page"]:
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", path
    response = post_form(client, "/logout")
    assert response.headers.get("Cache-Control") == "no-store"


def test_a_login_answer_is_never_stored_but_public_pages_and_files_may_be(client, make_user):
    user = make_user(Role.TRAINEE)
    failed = login(client, user.email, "not the password at all")
    assert failed.headers.get("Cache-Control") == "no-store"  # it shows the email typed
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    with client.get("/static/css/app.css") as stylesheet:
        assert "no-store" not in stylesheet.headers.get("Cache-Control", "")


def test_an_app_with_limits_switched_off_does_not_switch_them_off_for_the_next(database_url):
    quiet = make_test_app(database_url, RATELIMIT_ENABLED=False)
    with quiet.app_context():
        db.engine.dispose()
    app = make_test_app(database_url)
    with app.app_context():
        accounts.create_user("slow@example.org", PASSWORD, Role.TRAINEE)
    client = app.test_client()
    assert [_failed_login(client, "203.0.113.1") for _ in range(11)][-1] == 429
    with app.app_context():
        db.engine.dispose()
