"""Bounded input: request sizes, field lengths, JSON depth, id ranges and control characters.

Each test sends what an attacker or a broken client could send and expects a refusal that
says what was wrong, never a server error (the test app propagates exceptions, so a 500
fails the test with its traceback).
"""

from __future__ import annotations

import json

import pytest

from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.limits import ANSWER_MAX_CHARS, JSON_MAX_DEPTH, MAX_REQUEST_BYTES
from quizapp.models import Attempt, Role
from quizapp.services import attempts
from tests.web.conftest import csrf_from, csrf_token, post_form
from tests.web.test_attempts import SEED, autosave, post_question, seq_of, start_practice

BIG_ID = "2147483648"  # one past PostgreSQL's integer
HUGE_ID = "9223372036854775808"  # one past SQLite's 64-bit integer


@pytest.fixture(autouse=True)
def fixed_seed(monkeypatch):
    monkeypatch.setattr(attempts, "new_seed", lambda: SEED)


def _questions(app, attempt_id: int) -> list[Question]:
    with app.app_context():
        return attempts.questions_of(db.session.get(Attempt, attempt_id))


def _slot_of_type(app, attempt_id: int, type_name: str) -> int:
    found = [i for i, q in enumerate(_questions(app, attempt_id), 1) if q.type == type_name]
    assert found, f"the seeded practice quiz has no {type_name} question"
    return found[0]


# --- request size ------------------------------------------------------------------------


def test_a_request_over_the_size_limit_gets_413_with_a_clear_page(client):
    body = {"email": "a@example.org", "password": "x" * (MAX_REQUEST_BYTES + 1)}
    response = client.post("/login", data=body)
    assert response.status_code == 413
    assert "too large" in response.text and "<h1>" in response.text


def test_a_json_client_over_the_size_limit_gets_json_413(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client)
    body = json.dumps({"slot": 1, "seq": 0, "response": "x" * MAX_REQUEST_BYTES})
    response = client.post(
        f"/attempts/{attempt_id}/answer", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.get_json()["message"]


# --- ids in addresses --------------------------------------------------------------------


@pytest.mark.parametrize("big", [BIG_ID, HUGE_ID, "9" * 5000])
def test_ids_past_the_integer_range_are_404(loaded_app, signed_in, big):
    trainee, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(trainee)
    for path in (
        f"/attempts/{big}",
        f"/attempts/{big}/review",
        f"/attempts/{attempt_id}/q/{big}",
    ):
        assert trainee.get(path).status_code == 404, path
    admin, _ = signed_in(Role.ADMIN)
    response = post_form(admin, f"/admin/users/{big}/role", {"role": "trainee"})
    assert response.status_code == 404


# --- control characters --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a\x00@example.org", "a\x07b@example.org", "a\x85@x.org"])
def test_control_characters_in_a_login_are_refused_with_400(client, value):
    response = client.post(
        "/login", data={"email": value, "password": "whatever", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 400
    assert "email" in response.text and "character" in response.text


def test_a_nul_in_an_invitation_field_is_refused(loaded_app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    data = {"role": "trainee", "email": "x\x00@example.org", "days": "7"}
    response = post_form(admin, "/admin/invitations", data)
    assert response.status_code == 400 and "email" in response.text


def test_a_nul_in_an_address_is_refused(client):
    assert client.get("/agreements/a%00b").status_code == 400
    assert client.get("/login?next=/%00").status_code == 400


def test_newlines_and_tabs_are_ordinary_text(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client, feedback="immediate")
    assert client.get(f"/attempts/{attempt_id}/q/1?x=a%09b").status_code == 200


# --- answers ----------------------------------------------------------------------------------


def test_a_long_answer_is_refused_with_its_limit(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client, count="40")
    slot = _slot_of_type(loaded_app, attempt_id, "short_answer")
    response = post_question(client, attempt_id, slot, {"response": "x" * (ANSWER_MAX_CHARS + 1)})
    assert response.status_code == 422
    assert f"{ANSWER_MAX_CHARS} characters" in response.text
    saved = autosave(client, attempt_id, slot, {"response": "y" * (ANSWER_MAX_CHARS + 1)})
    assert saved.status_code == 422
    assert f"{ANSWER_MAX_CHARS} characters" in saved.get_json()["message"]


def test_deeply_nested_json_is_refused_with_400(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client)
    page = client.get(f"/attempts/{attempt_id}/q/1").text
    for depth in (JSON_MAX_DEPTH + 1, 100_000):
        body = '{"slot": 1, "seq": 0, "response": ' + "[" * depth + "]" * depth + "}"
        response = client.post(
            f"/attempts/{attempt_id}/answer",
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": csrf_from(page)},
        )
        assert response.status_code == 400
        assert "nested" in response.get_json()["message"]


@pytest.mark.parametrize("text", ["\\u0000", "\\ud800", "ok\\u001b"])
def test_control_characters_in_json_are_refused_with_400(loaded_app, signed_in, text):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client)
    page = client.get(f"/attempts/{attempt_id}/q/1").text
    response = client.post(
        f"/attempts/{attempt_id}/answer",
        data='{"slot": 1, "seq": 0, "response": "' + text + '"}',
        content_type="application/json",
        headers={"X-CSRFToken": csrf_from(page)},
    )
    assert response.status_code == 400
    assert "control character" in response.get_json()["message"]


def test_a_year_of_5000_digits_is_not_an_answer(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client, count="40")
    slot = _slot_of_type(loaded_app, attempt_id, "date")
    response = post_question(client, attempt_id, slot, {"response-year": "9" * 5000})
    assert response.status_code == 422
    json_save = autosave(client, attempt_id, slot, {"response-year": "2" * 5000})
    assert json_save.status_code == 422


@pytest.mark.parametrize("go", ["²", "9" * 5000, "-1", "0"])
def test_odd_navigation_values_stay_on_the_quiz(loaded_app, signed_in, go):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client)
    response = post_question(client, attempt_id, 1, {}, go=go)
    assert response.status_code == 302
    assert f"/attempts/{attempt_id}/" in response.headers["Location"]


def test_a_challenge_on_an_attempt_in_progress_is_refused(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    attempt_id = start_practice(client)
    page = client.get(f"/attempts/{attempt_id}/q/1").text
    response = client.post(
        f"/attempts/{attempt_id}/review/1/challenge",
        data={
            "csrf_token": csrf_from(page),
            "c1-comment": "The key is wrong.",
            "seq": seq_of(page),
        },
    )
    assert response.status_code == 409
    assert "once the attempt is submitted" in response.text


# --- account fields ------------------------------------------------------------------------


def test_an_overlong_password_is_refused_at_its_field(loaded_app, client):
    from quizapp.services import accounts

    with loaded_app.app_context():
        accounts.set_self_signup(True)
    long = "p" * 1000
    data = {"name": "Tess", "email": "tess@example.org", "password": long, "confirm": long}
    page = client.post("/signup", data={**data, "csrf_token": csrf_token(client)}).text
    assert "at most" in page.split('id="password-error">')[1].split("</p>")[0]
