"""Every route refuses anonymous users and the wrong roles; the admin and instructor pages."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from quizapp.auth.roles import role_required
from quizapp.extensions import db
from quizapp.models import Invitation, Role, User
from quizapp.services import accounts, tokens
from tests.web.conftest import csrf_from, csrf_token, login, post_form

# Who may open a blueprint's routes, by the first part of the endpoint name. A blueprint
# missing here fails test_every_route_refuses_anonymous_users_and_wrong_roles: add it.
PUBLIC = {"auth", "public", "static"}
ROLE_OF_BLUEPRINT = {
    "trainee": Role.TRAINEE,
    "instructor": Role.INSTRUCTOR,
    "admin": Role.ADMIN,
    "api": Role.ADMIN,  # token-authenticated: each visitor sends a token of its own role
}
# Stand-ins for URL parameters, by converter; anything else gets "x".
DUMMY_BY_CONVERTER = {
    "IntegerConverter": 1,
    "IdConverter": 1,
    "FloatConverter": 1.0,
    "UUIDConverter": uuid.UUID(int=1),
}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass
class Visitor:
    """A test client with its role (None: anonymous), a CSRF token for its session and an
    API token (sent to /api/ routes only)."""

    role: Role | None
    client: FlaskClient
    token: str
    bearer: str | None = None

    def call(self, method: str, url: str):
        headers = {"X-CSRFToken": self.token}
        if self.bearer and url.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.bearer}"
        if method == "GET":
            return self.client.get(url, headers=headers)
        return self.client.open(
            url, method=method, data={"csrf_token": self.token}, headers=headers
        )


def _dummy(rule: Rule, name: str) -> object:
    converter = rule._converters[name]
    items = getattr(converter, "items", None)  # AnyConverter: one of a fixed set
    if items:
        return sorted(items)[0]
    return DUMMY_BY_CONVERTER.get(type(converter).__name__, "x")


def _url(app: Flask, rule: Rule, method: str) -> str:
    """A URL that reaches this rule, with stand-ins for its parameters."""
    adapter = app.url_map.bind("localhost")
    url = adapter.build(rule.endpoint, {name: _dummy(rule, name) for name in rule.arguments})
    assert adapter.match(url, method=method)[0] == rule.endpoint, (
        f"{rule.rule}: no stand-in value reaches this route; add one to DUMMY_BY_CONVERTER"
    )
    return url


def _visitor(app: Flask, make_user, role: Role | None) -> Visitor:
    client = app.test_client()
    if role is None:
        return Visitor(None, client, csrf_token(client, "/login"))
    user = make_user(role)
    assert login(client, user.email).status_code == 302
    with app.app_context():
        bearer = tokens.issue(user.email, "access test").raw
    return Visitor(role, client, csrf_token(client, "/"), bearer)


def _to_login(response) -> bool:
    return response.status_code in (302, 303) and (
        urlsplit(response.headers["Location"]).path == "/login"
    )


def _check_route(app: Flask, rule: Rule, method: str, visitors: list[Visitor]) -> list[str]:
    """Problems with one protected route: anonymous and wrong roles must be refused."""
    required = ROLE_OF_BLUEPRINT[rule.endpoint.split(".")[0]]
    declared = getattr(app.view_functions[rule.endpoint], "allowed_roles", {required.value})
    if required.value not in declared:
        return [f"{method} {rule.rule}: the {required} blueprint's view does not allow {required}"]
    url, problems = _url(app, rule, method), []
    for visitor in sorted(visitors, key=lambda v: v.role in declared):  # allowed roles last
        response = visitor.call(method, url)
        who = visitor.role or "anonymous"
        if visitor.role is None:
            ok = _to_login(response) or response.status_code in (401, 403)
        elif visitor.role.value in declared:
            ok = response.status_code not in (401, 403) and not _to_login(response)
        else:
            ok = response.status_code == 403
        if not ok:
            problems.append(f"{method} {url} as {who}: {response.status_code}")
    return problems


def _stand_in_token(app: Flask, make_user) -> None:
    """Token 1 is revoked by the walk (ids are 1): it must not be a visitor's."""
    with app.app_context():
        tokens.issue(make_user(Role.TRAINEE).email, "revoked by the walk")


def test_every_route_refuses_anonymous_users_and_wrong_roles(loaded_app, make_user):
    _stand_in_token(loaded_app, make_user)
    visitors = [_visitor(loaded_app, make_user, role) for role in [None, *Role]]
    problems, checked = [], 0
    for rule in sorted(loaded_app.url_map.iter_rules(), key=lambda r: r.rule):
        blueprint = rule.endpoint.split(".")[0]
        if blueprint in PUBLIC:
            continue
        if blueprint not in ROLE_OF_BLUEPRINT:
            problems.append(
                f"{rule.rule} ({rule.endpoint}): blueprint {blueprint!r} is not classified; "
                "add it to PUBLIC or ROLE_OF_BLUEPRINT in tests/web/test_roles.py"
            )
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            problems += _check_route(loaded_app, rule, method, visitors)
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 8  # the admin and instructor routes at least


def test_anonymous_get_is_sent_to_login_with_the_page_as_next(client):
    response = client.get("/admin/invitations?x=1")
    assert _to_login(response)
    assert parse_qs(urlsplit(response.headers["Location"]).query)["next"] == [
        "/admin/invitations?x=1"
    ]


def test_anonymous_api_clients_get_401(client):
    response = client.get("/admin/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json["error"] == "Unauthorized"


def test_wrong_role_sees_a_403_page(signed_in):
    client, _ = signed_in(Role.TRAINEE)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "<h1>Forbidden</h1>" in response.text


def test_roles_do_not_nest(signed_in):
    admin, _ = signed_in(Role.ADMIN)
    instructor, _ = signed_in(Role.INSTRUCTOR)
    assert admin.get("/instructor/").status_code == 403
    assert instructor.get("/admin/").status_code == 403


def test_role_required_records_its_roles_and_needs_one():
    view = role_required(Role.INSTRUCTOR, Role.ADMIN)(lambda: "ok")
    assert view.allowed_roles == {"instructor", "admin"}
    with pytest.raises(ValueError):
        role_required()


# --- admin pages ------------------------------------------------------------------------------


def test_admin_home_lists_accounts_escaped(signed_in, make_user):
    client, _ = signed_in(Role.ADMIN, name="Ada")
    make_user(Role.TRAINEE, name="<script>alert(1)</script>", active=False)
    page = client.get("/admin/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Deactivated" in page and 'aria-label="Reactivate &lt;script&gt;' in page
    assert page.count("<h1>") == 1


def test_admin_changes_a_role(loaded_app, signed_in, make_user):
    client, _ = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE)
    field = f"user-{trainee.id}-role"
    assert f'id="{field}"' in client.get("/admin/").text
    response = post_form(client, f"/admin/users/{trainee.id}/role", {field: "instructor"})
    assert response.status_code == 302
    assert "is now instructor" in client.get("/admin/").text
    with loaded_app.app_context():
        assert db.session.get(User, trainee.id).role == Role.INSTRUCTOR


def test_admin_cannot_demote_the_last_admin(loaded_app, signed_in):
    client, admin = signed_in(Role.ADMIN)
    post_form(client, f"/admin/users/{admin.id}/role", {f"user-{admin.id}-role": "trainee"})
    assert "last active admin" in client.get("/admin/").text
    with loaded_app.app_context():
        assert db.session.get(User, admin.id).role == Role.ADMIN


def test_admin_deactivates_and_reactivates(loaded_app, signed_in, make_user):
    client, _ = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE)
    post_form(client, f"/admin/users/{trainee.id}/active", {"enabled": "off"})
    assert login(loaded_app.test_client(), trainee.email).status_code == 200  # refused
    post_form(client, f"/admin/users/{trainee.id}/active", {"enabled": "on"})
    assert login(loaded_app.test_client(), trainee.email).status_code == 302


def test_admin_unknown_user_is_404(signed_in):
    client, _ = signed_in(Role.ADMIN)
    assert post_form(client, "/admin/users/999999/active", {"enabled": "off"}).status_code == 404


def test_admin_turns_self_signup_on_and_off(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    post_form(client, "/admin/self-signup", {"enabled": "on"})
    assert loaded_app.test_client().get("/signup").status_code == 200
    post_form(client, "/admin/self-signup", {"enabled": "off"})
    assert loaded_app.test_client().get("/signup").status_code == 404


def test_admin_invitation_link_is_shown_once(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    form = client.get("/admin/invitations").text
    assert '<label for="role">Role</label>' in form
    data = {"role": "instructor", "email": "ian@example.org", "days": "3"}
    response = post_form(client, "/admin/invitations", data)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    link = response.text.split('id="invitation-link" value="')[1].split('"')[0]
    assert link.startswith("http://localhost/invite/")
    listing = client.get("/admin/invitations").text
    assert link.rsplit("/", 1)[1] not in listing and "ian@example.org" in listing
    fresh = loaded_app.test_client()
    page = fresh.get(urlsplit(link).path)
    assert "Create your instructor account" in page.text
    assert csrf_from(page.text)


def test_admin_invitation_form_errors_stay_on_their_fields(signed_in):
    client, _ = signed_in(Role.ADMIN)
    page = post_form(client, "/admin/invitations", {"role": "trainee", "days": "99"}).text
    assert "Choose between 1 and 30." in page.split('id="days-error">')[1]


# --- instructor pages -------------------------------------------------------------------------


def test_instructor_invites_trainees_and_sees_their_invitations(loaded_app, signed_in):
    client, instructor = signed_in(Role.INSTRUCTOR)
    home = client.get("/instructor/").text
    assert "No invitations yet." in home and 'id="role"' not in home
    response = post_form(client, "/instructor/invitations", {"days": "7"})
    assert response.status_code == 201
    assert "Link for a new trainee" in response.text
    assert "Open until" in client.get("/instructor/").text
    with loaded_app.app_context():
        invitation = db.session.scalars(db.select(Invitation)).one()
        assert invitation.role == Role.TRAINEE and invitation.created_by_id == instructor.id


def test_instructor_cannot_invite_other_roles(loaded_app, signed_in):
    client, _ = signed_in(Role.INSTRUCTOR)
    response = post_form(client, "/instructor/invitations", {"role": "admin", "days": "7"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.text.split('id="role-error">')[1]
    with loaded_app.app_context():
        assert accounts.invitations_by() == []


def _links(page: str) -> set[str]:
    """Paths the page links to or sends a form to."""
    return {urlsplit(url).path for url in re.findall(r'(?:href|action)="([^"#]*)', page)}


# Reached once there is something to choose: a cohort and a quiz, a question set.
AFTER_A_CHOICE = {
    "/admin/reports/gradebook.csv",
    "/admin/reports/gradebook/override",
    "/instructor/bank/new",
}


def test_every_page_an_admin_may_open_is_two_clicks_from_admin_home(loaded_app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    pages = {
        rule.rule
        for rule in loaded_app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and not rule.endpoint.startswith("api.")
        and "admin" in getattr(loaded_app.view_functions[rule.endpoint], "allowed_roles", ())
    }
    first = _links(admin.get("/admin/").text)
    second = set().union(*(_links(admin.get(path).text) for path in first & pages))
    assert sorted(pages - first - second - AFTER_A_CHOICE) == []
    assert {"/instructor/bank", "/admin/tokens", "/admin/reports/gradebook"} <= first
