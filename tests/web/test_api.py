"""The JSON API: tokens an admin issues (shown once, hashed, revocable), the token user's
role limits, pages of scores per attempt and per quiz, and JSON refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.quizzes import DrawSlot, FixedSlot, QuizSettings, ReviewOptions, ReviewWhen
from quizapp.extensions import db
from quizapp.models import ApiToken, AuditEvent, Cohort, Quiz, Role, User
from quizapp.services import accounts, assignments, cohorts, quiz_grades, quizzes, tokens
from tests.web.conftest import post_form
from tests.web.factories import finished_attempt
from tests.web.test_quizzes import quiz_with, stock, take


def _issue(app, email: str, name: str = "sync") -> str:
    with app.app_context():
        return tokens.issue(email, name).raw


def _get(client, path: str, token: str | None, **query):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers, query_string=query)


@pytest.fixture
def school(loaded_app, make_user) -> dict:
    """Cohort X (Ana, Boris; taught by Ian) and cohort Y (Vera), each with attempts; a quiz."""
    ian = make_user(Role.INSTRUCTOR, name="Ian")
    ana, boris, vera = (make_user(Role.TRAINEE, name=n) for n in ("Ana", "Boris", "Vera"))
    with loaded_app.app_context():
        x, y = cohorts.create("X"), cohorts.create("Y")
        for cohort, member in ((x, ian), (x, ana), (x, boris), (y, vera)):
            cohorts.add_member(cohort, db.session.get(User, member.id))
        finished_attempt(ana.id, [True, False])
        finished_attempt(vera.id, [True, True])
        question_set, _ = stock(3)
        version = quizzes.publish(quiz_with([DrawSlot(question_set.id, 2)]))
        now = datetime(2026, 5, 1, 10, tzinfo=UTC)
        take(ana.id, version, right=2, now=now)
        take(boris.id, version, right=1, now=now)
        take(vera.id, version, right=0, now=now + timedelta(days=1))
        quiz_id = version.quiz_id
    return {"ian": ian, "ana": ana, "boris": boris, "vera": vera, "quiz": quiz_id}


def test_admin_issues_a_token_shown_once_and_lists_it_without_its_value(
    loaded_app, signed_in, make_user
):
    client, admin = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE, name="<b>Ana</b>")
    response = post_form(client, "/admin/tokens", {"email": trainee.email, "name": "Moodle sync"})
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    raw = response.text.split('id="api-token" value="')[1].split('"')[0]
    assert raw.startswith("qzt_") and len(raw) > 40
    assert "&lt;b&gt;Ana&lt;/b&gt;" in response.text and "<b>Ana" not in response.text
    listing = client.get("/admin/tokens").text
    assert "Moodle sync" in listing and raw not in listing and raw[:8] in listing
    assert "never" in listing
    with loaded_app.app_context():
        stored = db.session.scalars(db.select(ApiToken)).one()
        assert stored.token_hash == accounts.token_hash(raw) and raw not in stored.token_hash
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "token.issue"))
        assert [(e.actor, e.target) for e in event] == [(admin.email, trainee.email)]
    me = _get(loaded_app.test_client(), "/api/v1/me", raw)
    assert me.json == {
        "id": trainee.id,
        "name": "<b>Ana</b>",
        "email": trainee.email,
        "role": "trainee",
    }
    assert "never" not in client.get("/admin/tokens").text  # the last-used time is shown


def test_issue_form_errors_say_what_to_fix_and_change_nothing(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    unknown = post_form(client, "/admin/tokens", {"email": "nobody@example.org", "name": "x"})
    assert unknown.status_code == 422
    assert "No active account has this email" in unknown.text.split('id="email-error">')[1]
    unnamed = post_form(client, "/admin/tokens", {"email": "nobody@example.org", "name": " "})
    assert "Say what the token is for" in unnamed.text.split('id="name-error">')[1]
    assert client.post("/admin/tokens", data={"email": "a@b.c", "name": "x"}).status_code == 400
    with loaded_app.app_context():
        assert db.session.scalars(db.select(ApiToken)).all() == []


def test_wrong_missing_revoked_and_deactivated_tokens_get_401_json(
    loaded_app, signed_in, make_user
):
    admin_client, _ = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE)
    raw = _issue(loaded_app, trainee.email)
    api = loaded_app.test_client()
    assert _get(api, "/api/v1/me", raw).status_code == 200
    missing = _get(api, "/api/v1/me", None)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in missing.json["message"]
    assert _get(api, "/api/v1/me", raw[:-1] + "x").json["error"] == "Unauthorized"
    assert _get(api, "/api/v1/me", "not-a-token").status_code == 401
    with loaded_app.app_context():
        token_id = db.session.scalars(db.select(ApiToken.id)).one()
    post_form(admin_client, f"/admin/tokens/{token_id}/revoke")
    assert "Revoked" in admin_client.get("/admin/tokens").text
    revoked = _get(api, "/api/v1/me", raw)
    assert revoked.status_code == 401 and "revoked" in revoked.json["message"]
    second = _issue(loaded_app, trainee.email)
    with loaded_app.app_context():
        accounts.set_active(db.session.get(User, trainee.id), False)
    assert _get(api, "/api/v1/me", second).status_code == 401
    with loaded_app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert actions.count("token.revoke") == 1


def test_a_signed_in_session_without_a_token_is_refused_and_the_api_takes_no_posts(
    loaded_app, signed_in
):
    client, admin = signed_in(Role.ADMIN)
    assert client.get("/api/v1/attempts").status_code == 401
    raw = _issue(loaded_app, admin.email)
    assert _get(client, "/api/v1/attempts", raw).status_code == 200
    posted = client.post("/api/v1/attempts", headers={"Authorization": f"Bearer {raw}"})
    assert posted.status_code == 405 and posted.is_json


def test_each_token_reads_only_what_its_user_may(loaded_app, school):
    api = loaded_app.test_client()
    names = {}
    for who in ("ian", "ana", "vera"):
        raw = _issue(loaded_app, school[who].email)
        items = _get(api, "/api/v1/attempts", raw).json["items"]
        names[who] = sorted({item["user"]["name"] for item in items})
    assert names == {"ian": ["Ana", "Boris"], "ana": ["Ana"], "vera": ["Vera"]}
    admin = accounts_admin(loaded_app)
    everyone = _get(api, "/api/v1/attempts", _issue(loaded_app, admin)).json
    assert everyone["total"] == 5


def accounts_admin(app) -> str:
    with app.app_context():
        return accounts.create_user("root@example.org", "correct horse battery", "admin").email


def test_attempts_are_paged_with_a_next_link_and_filtered(loaded_app, school):
    api, raw = loaded_app.test_client(), _issue(loaded_app, accounts_admin(loaded_app))
    first = _get(api, "/api/v1/attempts", raw, per_page=2).json
    assert (first["total"], first["page"], first["per_page"], len(first["items"])) == (5, 1, 2, 2)
    assert first["next"] == "http://localhost/api/v1/attempts?per_page=2&page=2"
    last = _get(api, "/api/v1/attempts", raw, per_page=2, page=3).json
    assert len(last["items"]) == 1 and last["next"] is None
    quiz = _get(api, "/api/v1/attempts", raw, quiz=school["quiz"]).json["items"]
    assert [i["user"]["name"] for i in quiz] == ["Ana", "Boris", "Vera"]
    assert quiz[0]["quiz"] == {"id": school["quiz"], "version": 1}
    assert quiz[0]["fraction"] == 1.0 and quiz[1]["fraction"] == 0.5
    assert quiz[0]["finished_at"] == "2026-05-01T10:00:00.000Z"
    since = _get(api, "/api/v1/attempts", raw, since="2026-05-02").json["items"]
    assert [i["user"]["name"] for i in since] == ["Vera"]


def test_scores_per_quiz_respect_the_role_limits(loaded_app, school):
    api = loaded_app.test_client()
    admin = _get(api, "/api/v1/quizzes", _issue(loaded_app, accounts_admin(loaded_app))).json
    [quiz] = admin["items"]
    assert (quiz["id"], quiz["attempts"], quiz["trainees"], quiz["finished"]) == (
        school["quiz"],
        3,
        3,
        3,
    )
    assert quiz["mean_fraction"] == 0.5 and quiz["best_fraction"] == 1.0
    [taught] = _get(api, "/api/v1/quizzes", _issue(loaded_app, school["ian"].email)).json["items"]
    assert (taught["trainees"], taught["mean_fraction"]) == (2, 0.75)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"page": "0"}, "page must be a whole number from 1"),
        ({"per_page": "101"}, "per_page must be a whole number from 1 to 100"),
        ({"quiz": "-3"}, "quiz must be a whole number"),
        ({"since": "2026-02-30"}, "since must be a date as YYYY-MM-DD"),
    ],
)
def test_bad_parameters_get_400_json_saying_how_to_fix_them(loaded_app, make_user, query, says):
    raw = _issue(loaded_app, make_user(Role.ADMIN).email)
    response = _get(loaded_app.test_client(), "/api/v1/attempts", raw, **query)
    assert response.status_code == 400 and says in response.json["message"]


FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PARAMS = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", "1", "100", "2026-03-01", "2026-13-01", "١", "²", "9" * 11]),
)


@FUZZ
@given(
    query=st.fixed_dictionaries(
        {}, optional=dict.fromkeys(("page", "per_page", "since", "quiz"), PARAMS)
    )
)
def test_any_query_is_answered_in_json_never_a_500(loaded_app, make_user, query):
    if not hasattr(loaded_app, "_fuzz_token"):
        loaded_app._fuzz_token = _issue(loaded_app, make_user(Role.ADMIN).email)
    client = loaded_app.test_client()
    for path in ("/api/v1/attempts", "/api/v1/quizzes"):
        response = _get(client, path, loaded_app._fuzz_token, **query)
        assert response.status_code in (200, 400), (path, query, response.status_code)
        assert response.is_json


@FUZZ
@given(email=st.text(max_size=60), name=st.text(max_size=100))
def test_any_issue_form_is_answered_and_refusals_issue_nothing(loaded_app, signed_in, email, name):
    if not hasattr(loaded_app, "_fuzz_admin"):
        loaded_app._fuzz_admin = signed_in(Role.ADMIN)
    client, admin = loaded_app._fuzz_admin
    with loaded_app.app_context():
        before = db.session.scalar(db.select(db.func.count(ApiToken.id)))
    response = post_form(client, "/admin/tokens", {"email": email, "name": name})
    assert response.status_code in (201, 400, 422), response.status_code
    with loaded_app.app_context():
        after = db.session.scalar(db.select(db.func.count(ApiToken.id)))
    assert after == before + (response.status_code == 201)


def test_question_statistics_for_staff_tokens_within_their_limits(loaded_app, school):
    api = loaded_app.test_client()
    admin = _issue(loaded_app, accounts_admin(loaded_app))
    [version] = _get(api, "/api/v1/quiz-versions", admin).json["items"]
    assert (version["title"], version["version"], version["attempts"]) == ("Capitals check", 1, 3)
    path = f"/api/v1/quiz-versions/{version['id']}/statistics"
    report = _get(api, path, admin).json
    assert report["attempts"] == 3 and report["quiz"]["attempts"] == 3
    assert report["quiz"]["mean"] == 1.0  # marks: 2, 1 and 0 of 2
    assert {"facility_index", "discrimination_index", "options", "weak"} <= set(report["items"][0])
    assert sum(d["attempts"] for d in report["distribution"]) == 3
    taught = _get(api, path, _issue(loaded_app, school["ian"].email)).json
    assert taught["attempts"] == 2 and taught["quiz"]["mean"] == 1.5  # Ana and Boris only
    practice = _get(api, "/api/v1/practice/statistics", admin).json
    assert practice["quiz"] is None and practice["attempts"] == 2
    trainee = _get(api, path, _issue(loaded_app, school["ana"].email))
    assert trainee.status_code == 403 and trainee.is_json
    missing = _get(api, "/api/v1/quiz-versions/999999/statistics", admin)
    assert missing.status_code == 404 and "/api/v1/quiz-versions" in missing.json["message"]


@pytest.fixture
def graded(loaded_app, school, make_user) -> dict:
    """The school's quiz assigned to X and Y; Boris's grade set by hand to 7 with a reason."""
    admin = make_user(Role.ADMIN)
    with loaded_app.app_context():
        quiz = db.session.get(Quiz, school["quiz"])
        by = db.session.get(User, admin.id)
        x, y = (db.session.scalars(db.select(Cohort).where(Cohort.name == n)).one() for n in "XY")
        for cohort in (x, y):
            assignments.assign(quiz, cohort, None, by)
        quiz_grades.override(db.session.get(User, school["boris"].id), quiz, "7", "Re-marked", by)
        ids = {"x": x.id, "y": y.id}
    return {**school, **ids, "admin": admin}


def _grades(app, who, quiz_id: int):
    path = f"/api/v1/quizzes/{quiz_id}/grades"
    return _get(app.test_client(), path, _issue(app, who.email))


def test_quiz_grades_equal_the_gradebook_with_overrides_marked(loaded_app, graded, signed_in):
    response = _grades(loaded_app, graded["admin"], graded["quiz"])
    assert response.status_code == 200
    body = response.json
    assert body["quiz"]["grading"] == "highest" and body["quiz"]["grade_max"] == 10.0
    rows = {item["user"]["name"]: item for item in body["items"]}
    assert list(rows) == ["Ana", "Boris", "Vera"] and body["total"] == 3
    assert (rows["Ana"]["grade"], rows["Ana"]["attempts"], rows["Ana"]["overridden"]) == (
        10.0,
        1,
        False,
    )
    assert "reason" not in rows["Ana"] and "computed_grade" not in rows["Ana"]
    boris = rows["Boris"]
    assert (boris["grade"], boris["overridden"], boris["computed_grade"]) == (7.0, True, 5.0)
    assert boris["reason"] == "Re-marked" and boris["cohort"]["name"] == "X"
    client, _ = signed_in(Role.ADMIN)
    for cohort in ("x", "y"):
        query = {"cohort": graded[cohort], "quiz": graded["quiz"]}
        csv = client.get("/admin/reports/gradebook.csv", query_string=query)
        for line in csv.get_data(as_text=True).lstrip("\ufeff").splitlines()[1:]:
            name, _, attempts, grade, _, overridden, computed, reason, passed = line.split(",")[:9]
            row = rows[name]
            assert (str(row["attempts"]), str(row["grade"])) == (attempts, grade)
            assert row["overridden"] == (overridden == "yes")
            assert str(row.get("computed_grade", "")) == (computed if row["overridden"] else "")
            assert row.get("reason", "") == reason
            assert {True: "yes", False: "no", None: ""}[row["passed"]] == passed


def test_quiz_grades_keep_to_the_cohorts_an_instructor_teaches(loaded_app, graded, make_user):
    taught = _grades(loaded_app, graded["ian"], graded["quiz"]).json["items"]
    assert [item["user"]["name"] for item in taught] == ["Ana", "Boris"]
    assert {item["cohort"]["name"] for item in taught} == {"X"}
    outsider = _grades(loaded_app, make_user(Role.INSTRUCTOR), graded["quiz"])
    assert outsider.status_code == 404 and outsider.is_json
    assert "/api/v1/quizzes" in outsider.json["message"]
    elsewhere = _grades(loaded_app, make_user(Role.TRAINEE), graded["quiz"])
    assert elsewhere.status_code == 404 and elsewhere.is_json
    missing = _grades(loaded_app, graded["admin"], 999999)
    assert missing.status_code == 404 and missing.is_json


@FUZZ
@given(quiz_id=st.integers(-(10**12), 10**12).map(str) | st.text(max_size=12))
def test_any_quiz_id_in_the_grades_path_is_answered_in_json(loaded_app, make_user, quiz_id):
    if not hasattr(loaded_app, "_fuzz_token"):
        loaded_app._fuzz_token = _issue(loaded_app, make_user(Role.ADMIN).email)
    path = f"/api/v1/quizzes/{quote(quiz_id, safe='')}/grades"
    response = _get(loaded_app.test_client(), path, loaded_app._fuzz_token)
    assert response.status_code in (200, 400, 404), (quiz_id, response.status_code)
    assert response.is_json


def test_a_trainee_token_reads_only_its_own_grade_and_never_the_reason(loaded_app, graded):
    [ana] = _grades(loaded_app, graded["ana"], graded["quiz"]).json["items"]
    assert (ana["user"]["name"], ana["attempts"]) == ("Ana", 1)
    [boris] = _grades(loaded_app, graded["boris"], graded["quiz"]).json["items"]
    assert boris["user"]["name"] == "Boris" and "reason" not in boris
    assert (boris["grade"], boris["overridden"], boris["computed_grade"]) == (7.0, True, 5.0)


def _review_after_close(loaded_app, ana, admin) -> int:
    """A quiz whose review opens at its close in two days, taken by Ana and graded by hand."""
    with loaded_app.app_context():
        closes = datetime.now(UTC) + timedelta(days=2)
        hidden = QuizSettings(closes_at=closes, review=ReviewOptions(when=ReviewWhen.AFTER_CLOSE))
        _, added = stock(1)
        quiz = quiz_with([FixedSlot(added[0].id)], hidden)
        version, by = quizzes.publish(quiz), db.session.get(User, admin.id)
        cohort = cohorts.create("Z")
        cohorts.add_member(cohort, db.session.get(User, ana.id))
        assignments.assign(quiz, cohort, None, by)
        take(ana.id, version, 1)
        quiz_grades.override(db.session.get(User, ana.id), quiz, "3", "Marked by hand", by)
        return quiz.id


def test_a_trainee_token_gets_no_grade_while_the_quiz_review_hides_it(loaded_app, make_user):
    ana, admin = make_user(Role.TRAINEE, name="Ana"), make_user(Role.ADMIN)
    quiz_id = _review_after_close(loaded_app, ana, admin)
    [own] = _grades(loaded_app, ana, quiz_id).json["items"]
    assert (own["grade"], own["fraction"], own["passed"], own["overridden"]) == (
        None,
        None,
        None,
        False,
    )
    assert "computed_grade" not in own and "reason" not in own
    [staff] = _grades(loaded_app, admin, quiz_id).json["items"]
    assert (staff["grade"], staff["reason"]) == (3.0, "Marked by hand")


def test_a_trainee_token_gets_no_score_while_the_quiz_review_hides_it(loaded_app, make_user):
    ana, admin = make_user(Role.TRAINEE, name="Ana"), make_user(Role.ADMIN)
    quiz_id = _review_after_close(loaded_app, ana, admin)
    client, own = loaded_app.test_client(), _issue(loaded_app, ana.email)
    staff = _issue(loaded_app, admin.email)
    [hidden] = _get(client, "/api/v1/attempts", own, quiz=quiz_id).json["items"]
    assert (hidden["state"], hidden["fraction"], hidden["score"]) == ("finished", None, None)
    [shown] = _get(client, "/api/v1/attempts", staff, quiz=quiz_id).json["items"]
    assert shown["fraction"] == 1.0 and shown["score"] is not None
    [mine] = _get(client, "/api/v1/quizzes", own).json["items"]
    assert (mine["finished"], mine["mean_fraction"], mine["best_fraction"]) == (1, None, None)
    [theirs] = _get(client, "/api/v1/quizzes", staff).json["items"]
    assert theirs["best_fraction"] == 1.0
