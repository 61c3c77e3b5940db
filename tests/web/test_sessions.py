"""Sessions end on the server: a copy of a cookie is refused after logout, password change
or deactivation."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import accounts
from tests.web.conftest import login, post_form


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A new client carrying only a copy of a saved session cookie, asking for its dashboard."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/dashboard")


def _refused(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_cookie_saved_before_logout_is_refused_after_it(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    saved = _cookie(client)
    assert _replay(loaded_app, saved).status_code == 200
    post_form(client, "/logout")
    assert _refused(_replay(loaded_app, saved))


def test_logout_ends_the_sessions_on_other_devices_too(loaded_app, signed_in):
    phone, user = signed_in(Role.TRAINEE)
    laptop = loaded_app.test_client()
    assert login(laptop, user.email).status_code == 302
    post_form(phone, "/logout")
    assert _refused(laptop.get("/dashboard"))
    assert login(laptop, user.email).status_code == 302
    assert laptop.get("/dashboard").status_code == 200


def test_a_password_change_ends_the_sessions_opened_before(loaded_app, signed_in):
    client, user = signed_in(Role.TRAINEE)
    saved = _cookie(client)
    with loaded_app.app_context():
        db.session.get(User, user.id).set_password("a brand new passphrase")
        db.session.commit()
    assert _refused(client.get("/dashboard"))
    assert _refused(_replay(loaded_app, saved))
    assert login(client, user.email, "a brand new passphrase").status_code == 302


def test_a_reactivated_account_does_not_revive_its_old_sessions(loaded_app, signed_in):
    client, user = signed_in(Role.TRAINEE)
    saved = _cookie(client)
    with loaded_app.app_context():
        accounts.set_active(db.session.get(User, user.id), False)
        accounts.set_active(db.session.get(User, user.id), True)
    assert _refused(_replay(loaded_app, saved))


@pytest.mark.parametrize("session_id", ["1", "1:", "x:0", "1:0:0", "99999999999999999999:0", ""])
def test_a_forged_or_old_style_session_id_is_anonymous(loaded_app, make_user, session_id):
    make_user(Role.TRAINEE)
    client = loaded_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    assert _refused(client.get("/dashboard"))
