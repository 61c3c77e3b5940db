"""Whatever a browser posts to the quiz builder's forms, the answer is a page, never a 500
(400 for control characters, 422 for bad values), and a refused form changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.models import Role
from quizapp.services import bank, quizzes
from tests.web.conftest import csrf_token

SETTINGS_FIELDS = (
    "title",
    "description",
    "time_limit_minutes",
    "grace_seconds",
    "attempts_allowed",
    "grading",
    "grade_max",
    "pass_percent",
    "shuffle_questions",
    "feedback",
    "review_score",
    "review_when",
    "opens_at",
    "closes_at",
)
DRAW_FIELDS = ("count", "set_id", "type", "tag", "mark")
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", "0", "1e309", "nan", "-inf", "2026-13-40T25:61", "2026-06-01T10:00"]),
)
RELAXED = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@RELAXED
@given(data=st.fixed_dictionaries({}, optional={name: VALUES for name in SETTINGS_FIELDS}))
def test_any_settings_post_is_answered_and_refusals_change_nothing(loaded_app, signed_in, data):
    client, _ = _client(loaded_app, signed_in)
    with loaded_app.app_context():
        quiz = quizzes.create("Fuzzed")
        quiz_id, before = quiz.id, dict(quiz.settings)
    token = csrf_token(client, "/")
    response = client.post(
        f"/instructor/quizzes/{quiz_id}/settings", data={**data, "csrf_token": token}
    )
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code != 302:
        with loaded_app.app_context():
            assert quizzes.get(quiz_id).settings == before


@RELAXED
@given(data=st.fixed_dictionaries({}, optional={name: VALUES for name in DRAW_FIELDS}))
def test_any_draw_post_is_answered(loaded_app, signed_in, data):
    client, _ = _client(loaded_app, signed_in)
    with loaded_app.app_context():
        bank.ensure_set("Fuzz set")
        quiz_id = quizzes.create("Fuzzed draws").id
    token = csrf_token(client, "/")
    response = client.post(
        f"/instructor/quizzes/{quiz_id}/draws", data={**data, "csrf_token": token}
    )
    assert response.status_code in (302, 400, 422), response.status_code


_CLIENTS: dict[int, object] = {}


def _client(app, signed_in):
    """One signed-in instructor per app (hypothesis reruns the body with the same fixtures)."""
    if id(app) not in _CLIENTS:
        _CLIENTS.clear()
        _CLIENTS[id(app)] = signed_in(Role.INSTRUCTOR)
    return _CLIENTS[id(app)]
