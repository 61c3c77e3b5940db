"""Logging in and out, the session, `next`, sign-up, invitations and CSRF."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from quizapp.auth.routes import local_path
from quizapp.extensions import db
from quizapp.models import Invitation, Role, User, utcnow
from quizapp.services import accounts
from tests.web.conftest import PASSWORD, csrf_from, csrf_token, login, post_form

EVIL_NEXT = [
    "//evil.example/",
    "///evil.example/",
    "http://evil.example/",
    "https://evil.example/admin/",
    "HTTP://evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "evil.example",
    "mailto:someone@evil.example",
]


def location_path(response) -> str:
    return urlsplit(response.headers["Location"]).path


# --- logging in and out -----------------------------------------------------------------------


def test_login_page_labels_every_field(client):
    page = client.get("/login").text
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert 'autocomplete="current-password"' in page
    assert page.count("<h1>") == 1


def test_login_goes_to_the_role_home_and_shows_the_account_in_the_nav(client, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    response = login(client, admin.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    page = client.get("/").text
    assert "Signed in as Ada Admin" in page
    assert 'action="/logout"' in page and "Log out" in page
    assert ">Log in<" not in page


def test_login_ignores_email_case_and_spaces(client, make_user):
    make_user(email="mixed@example.org")
    assert login(client, "  Mixed@Example.ORG ").status_code == 302


@pytest.mark.parametrize("known_email", [True, False])
def test_wrong_credentials_say_so_under_the_password_field(client, make_user, known_email):
    user = make_user()
    email = user.email if known_email else "nobody@example.org"
    response = login(client, email, "not the password at all")
    assert response.status_code == 200
    page = response.text
    assert '<p class="field-error" id="password-error">' in page
    assert "The email or the password is not right." in page
    assert 'aria-describedby="password-error"' in page and 'aria-invalid="true"' in page
    assert "Signed in as" not in client.get("/").text


def test_empty_login_form_names_each_missing_field(client):
    page = client.post("/login", data={"csrf_token": csrf_token(client)}).text
    assert "Enter your email address." in page and "Enter your password." in page


def test_login_renews_the_session(client, make_user):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone before login"
    before = client.get_cookie("session").value
    assert login(client, user.email).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].partition(":")[0] == str(user.id)


def test_logout_needs_post_and_ends_the_session(client, make_user):
    user = make_user()
    login(client, user.email)
    assert client.get("/logout").status_code == 405
    response = post_form(client, "/logout")
    assert response.status_code == 302 and location_path(response) == "/"
    page = client.get("/").text
    assert "Signed in as" not in page and ">Log in<" in page
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(active=False)
    response = login(client, user.email)
    assert response.status_code == 200
    assert "This account is deactivated" in response.text
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_deactivation_ends_access_of_an_open_session(loaded_app, signed_in):
    client, admin = signed_in(Role.ADMIN)
    other, _ = signed_in(Role.ADMIN)  # the last active admin may not be deactivated
    assert client.get("/admin/").status_code == 200
    with loaded_app.app_context():
        accounts.set_active(db.session.get(User, admin.id), False)
    response = client.get("/admin/")
    assert response.status_code == 302 and location_path(response) == "/login"


# --- next -------------------------------------------------------------------------------------


def test_next_returns_to_the_page_asked_for(client, make_user):
    admin = make_user(Role.ADMIN)
    asked = client.get("/admin/invitations")
    assert asked.status_code == 302
    assert asked.headers["Location"] == "/login?next=/admin/invitations"
    response = login(client, admin.email, next="/admin/invitations")
    assert response.headers["Location"] == "/admin/invitations"


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user(Role.ADMIN)
    form = client.get("/login", query_string={"next": target}).text
    assert 'name="next" type="hidden" value=""' in form
    response = login(client, user.email, next=target)  # posted straight into the hidden field
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


@pytest.mark.parametrize("target", EVIL_NEXT + ["", None, "admin/"])
def test_local_path_refuses_anything_but_a_path_here(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/admin/", "/agreements/x?tab=1#facts", "/a//b"])
def test_local_path_keeps_paths_here(target):
    assert local_path(target) == target


# --- CSRF -------------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    login(client, user.email)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert "Signed in as" in client.get("/").text


# --- self sign-up -----------------------------------------------------------------------------


def test_signup_is_404_while_self_signup_is_off(client):
    assert client.get("/signup").status_code == 404
    token = csrf_token(client)
    assert client.post("/signup", data={"csrf_token": token}).status_code == 404
    assert ">Sign up<" not in client.get("/").text


def _signup_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Tess Trainee",
        "email": "tess@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    return {**data, **changes}


def test_signup_makes_a_trainee_and_logs_them_in(loaded_app, client):
    with loaded_app.app_context():
        accounts.set_self_signup(True)
    page = client.get("/").text
    assert 'href="/signup"' in page
    response = client.post("/signup", data={**_signup_data(), "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert "Signed in as Tess Trainee" in client.get("/").text
    with loaded_app.app_context():
        user = accounts.find_user("tess@example.org")
        assert user.role == Role.TRAINEE and user.check_password(PASSWORD)
        assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short", "confirm": "short"}, "password", "at least 10 characters"),
        ({"confirm": "something else entirely"}, "confirm", "not the same"),
        ({"email": "not-an-email"}, "email", "Enter an email address"),
        ({"name": " "}, "name", "Enter your name."),
    ],
)
def test_signup_ties_each_problem_to_its_field(loaded_app, client, changes, field, message):
    with loaded_app.app_context():
        accounts.set_self_signup(True)
    data = {**_signup_data(**changes), "csrf_token": csrf_token(client)}
    page = client.post("/signup", data=data).text
    error = page.split(f'id="{field}-error">')[1].split("</p>")[0]
    assert message in error
    assert f'aria-describedby="{field}-error"' in page or f"{field}-hint {field}-error" in page
    with loaded_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_signup_refuses_an_email_already_taken(loaded_app, client, make_user):
    make_user(email="tess@example.org")
    with loaded_app.app_context():
        accounts.set_self_signup(True)
    data = {**_signup_data(email="TESS@example.org"), "csrf_token": csrf_token(client)}
    page = client.post("/signup", data=data).text
    assert "already exists" in page.split('id="email-error">')[1]


# --- invitations ------------------------------------------------------------------------------


def _invite(loaded_app, make_user, **options) -> str:
    inviter = make_user(Role.ADMIN)
    with loaded_app.app_context():
        return accounts.make_invitation(db.session.get(User, inviter.id), **options).token


def _accept(client, token: str, **changes: str):
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200, page.text
    data = {**_signup_data(**changes), "csrf_token": csrf_from(page.text)}
    return client.post(f"/invite/{token}", data=data)


def test_invitation_makes_an_account_with_its_role_once(loaded_app, client, make_user):
    token = _invite(loaded_app, make_user, role=Role.INSTRUCTOR)
    response = _accept(client, token)
    assert response.status_code == 302 and location_path(response) == "/instructor/"
    assert "Signed in as Tess Trainee" in client.get("/").text
    again = loaded_app.test_client().get(f"/invite/{token}")
    assert again.status_code == 410
    assert "already been used" in again.text
    with loaded_app.app_context():
        invitation = db.session.scalars(sa.select(Invitation)).one()
        user = accounts.find_user("tess@example.org")
        assert user.role == Role.INSTRUCTOR
        assert invitation.used_by_id == user.id and invitation.used_at is not None
        assert invitation.token_hash != token and token not in invitation.token_hash


def test_invitation_page_keeps_its_token_out_of_referrers(loaded_app, client, make_user):
    token = _invite(loaded_app, make_user)
    assert client.get(f"/invite/{token}").headers["Referrer-Policy"] == "no-referrer"


def test_expired_invitation_is_gone(loaded_app, client, make_user):
    token = _invite(loaded_app, make_user, now=utcnow() - timedelta(days=8))
    response = client.get(f"/invite/{token}")
    assert response.status_code == 410
    assert "has expired" in response.text and "<h1>Gone</h1>" in response.text


def test_invitation_expiring_while_the_form_is_open_is_refused(loaded_app, client, make_user):
    token = _invite(loaded_app, make_user)
    page = client.get(f"/invite/{token}")
    with loaded_app.app_context():
        invitation = db.session.scalars(sa.select(Invitation)).one()
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    data = {**_signup_data(), "csrf_token": csrf_from(page.text)}
    assert client.post(f"/invite/{token}", data=data).status_code == 410
    with loaded_app.app_context():
        assert accounts.find_user("tess@example.org") is None


def test_unknown_invitation_is_404(client):
    assert client.get("/invite/made-up-token").status_code == 404


def test_invitation_for_a_named_email_refuses_another(loaded_app, client, make_user):
    token = _invite(loaded_app, make_user, email="Tess@Example.org")
    page = _accept(client, token, email="someone.else@example.org")
    assert page.status_code == 200
    assert "different email address" in page.text.split('id="email-error">')[1]
    assert _accept(client, token).status_code == 302  # the named address, any letter case


def test_invitation_used_by_another_request_meanwhile_is_refused(loaded_app, make_user):
    token = _invite(loaded_app, make_user)
    with loaded_app.app_context():
        accounts.accept_invitation(token, "first@example.org", "First", PASSWORD)
        with pytest.raises(accounts.InvitationUnusable) as refused:
            accounts.accept_invitation(token, "second@example.org", "Second", PASSWORD)
        assert refused.value.status == 410
        assert accounts.find_user("second@example.org") is None


# --- the accounts service ---------------------------------------------------------------------


def test_create_user_refuses_duplicates_and_short_passwords(loaded_app, make_user):
    make_user(email="taken@example.org")
    with loaded_app.app_context():
        with pytest.raises(accounts.AccountError, match="already exists") as taken:
            accounts.create_user("Taken@example.org", PASSWORD, Role.TRAINEE)
        assert taken.value.field == "email"
        with pytest.raises(accounts.AccountError, match="at least 10") as short:
            accounts.create_user("new@example.org", "123456789", Role.TRAINEE)
        assert short.value.field == "password"
        with pytest.raises(accounts.AccountError, match="roles"):
            accounts.create_user("new@example.org", PASSWORD, "superuser")


def test_no_account_exists_until_someone_makes_one(loaded_app):
    with loaded_app.app_context():
        assert accounts.list_users() == []
        assert accounts.self_signup_enabled() is False


def test_the_last_active_admin_keeps_role_and_access(loaded_app, make_user):
    first = make_user(Role.ADMIN)
    with loaded_app.app_context():
        admin = db.session.get(User, first.id)
        with pytest.raises(accounts.AccountError, match="last active admin"):
            accounts.set_role(admin, Role.TRAINEE)
        with pytest.raises(accounts.AccountError, match="last active admin"):
            accounts.set_active(admin, False)
    second = make_user(Role.ADMIN)
    with loaded_app.app_context():
        accounts.set_active(db.session.get(User, second.id), False)
        with pytest.raises(accounts.AccountError):  # a deactivated admin does not count
            accounts.set_role(db.session.get(User, first.id), Role.INSTRUCTOR)


def test_who_may_invite_whom(loaded_app, make_user):
    made = {role: make_user(role) for role in Role}
    with loaded_app.app_context():
        users = {role: db.session.get(User, made[role].id) for role in Role}
        assert accounts.invitable_roles(users[Role.ADMIN]) == list(Role)
        assert accounts.invitable_roles(users[Role.INSTRUCTOR]) == [Role.TRAINEE]
        assert accounts.invitable_roles(users[Role.TRAINEE]) == []
        with pytest.raises(accounts.AccountError, match="may not invite"):
            accounts.make_invitation(users[Role.INSTRUCTOR], Role.ADMIN)
        with pytest.raises(accounts.AccountError, match="between 1 and 30"):
            accounts.make_invitation(users[Role.ADMIN], Role.TRAINEE, days=31)


def test_signed_out_browsers_and_curl_are_sent_to_login_json_clients_get_401(app):
    client = app.test_client()
    for accept in ("text/html", "*/*"):
        response = client.get("/dashboard", headers={"Accept": accept})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    response = client.get("/dashboard", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.is_json


def test_repeated_failed_logins_are_refused_for_a_while(loaded_app, make_user):
    make_user(role="trainee", email="slow@example.org", password="a-long-password")
    client = loaded_app.test_client()
    for _ in range(10):
        page = client.get("/login").get_data(as_text=True)
        token = csrf_from(page)
        response = client.post(
            "/login",
            data={"csrf_token": token, "email": "slow@example.org", "password": "wrong-guess-1"},
        )
        assert response.status_code == 200
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": "slow@example.org", "password": "a-long-password"},
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.get_data(as_text=True)
    # Another account from the same address is not locked out.
    make_user(role="trainee", email="other@example.org", password="a-long-password")
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": "other@example.org", "password": "a-long-password"},
    )
    assert response.status_code == 302
