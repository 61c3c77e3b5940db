"""The gradebook of one quiz: grades by the quiz's method, set by hand with a reason, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.quizzes import FixedSlot, QuizSettings, ReviewOptions, ReviewWhen
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, AuditEvent, GradeOverride, Role, User
from quizapp.services import assignments, cohorts, quiz_grades, quizzes
from tests.web.conftest import csrf_from, login
from tests.web.test_quizzes import quiz_with, stock, take


def _classroom(loaded_app, make_user):
    """Capitals check (3 questions, pass 50%) assigned to Minsk; Ana took it twice."""
    admin = make_user(Role.ADMIN)
    ana = make_user(Role.TRAINEE, name="Ana")
    boris = make_user(Role.TRAINEE, name="Boris")
    with loaded_app.app_context():
        _, added = stock(3)
        quiz = quiz_with([FixedSlot(a.id) for a in added], QuizSettings(pass_percent=50))
        version = quizzes.publish(quiz)
        minsk = cohorts.create("Minsk")
        for person in (ana, boris):
            cohorts.add_member(minsk, db.session.get(User, person.id))
        assignments.assign(quiz, minsk, None, db.session.get(User, admin.id))
        take(ana.id, version, 1)
        take(ana.id, version, 3)
        return minsk.id, quiz.id, ana, boris


def _override_url(cohort_id, quiz_id, user_id):
    return f"/admin/reports/gradebook/override?cohort={cohort_id}&quiz={quiz_id}&user={user_id}"


def _post(client, url, **data):
    token = csrf_from(client.get(url).text)
    return client.post(url, data={"csrf_token": token, **data})


def test_a_grade_set_by_hand_shows_in_the_gradebook_and_csv_and_is_audited(
    loaded_app, make_user, signed_in
):
    minsk, quiz_id, ana, boris = _classroom(loaded_app, make_user)
    admin, _ = signed_in(Role.ADMIN)
    book = admin.get("/admin/reports/gradebook", query_string={"cohort": minsk, "quiz": quiz_id})
    page = book.text
    assert "grade out of 10 by the highest attempt, pass mark 50%" in page
    assert "10.00" in page and "Passed" in page and 'id="progress-title"' in page
    with loaded_app.app_context():
        taken = db.session.scalars(db.select(Attempt.id).where(Attempt.user_id == ana.id)).all()
    for number, attempt_id in enumerate(sorted(taken), start=1):
        assert f'href="/instructor/attempts/{attempt_id}">Attempt {number}<' in page
        assert admin.get(f"/instructor/attempts/{attempt_id}").status_code == 200

    url = _override_url(minsk, quiz_id, ana.id)
    refused = _post(admin, url, grade="eleven", reason="  ")
    assert refused.status_code == 422
    assert "Enter the grade as a number from 0 to 10, e.g. 5." in refused.text
    assert "Give the reason for the new grade; it is required." in refused.text
    with loaded_app.app_context():
        assert db.session.scalars(db.select(GradeOverride)).all() == []

    done = _post(admin, url, grade="4,5", reason="Exam <b>disrupted</b>")
    assert done.status_code == 302
    page = admin.get(done.headers["Location"]).text
    assert '<span class="overridden">4.50</span>' in page
    assert "Set by hand (computed 10.00): Exam &lt;b&gt;disrupted&lt;/b&gt;" in page
    assert "Failed" in page  # 4.5 of 10 is below the pass mark
    csv = admin.get("/admin/reports/gradebook.csv", query_string={"cohort": minsk, "quiz": quiz_id})
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("name,email,attempts,grade,grade_max,overridden,computed_grade")
    assert lines[1].startswith(f"Ana,{ana.email},2,4.5,10.0,yes,10.0,Exam <b>disrupted</b>,no,")
    assert lines[2].startswith(f"Boris,{boris.email},0,,10.0,no,,,,")
    with loaded_app.app_context():
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "grade.override")
        ).one()
        assert event.target == ana.email
        assert event.details["grade"] == 4.5 and event.details["reason"] == "Exam <b>disrupted</b>"


def test_a_grade_set_by_hand_is_the_grade_the_trainee_and_the_results_page_show(
    loaded_app, make_user, signed_in
):
    minsk, quiz_id, ana, boris = _classroom(loaded_app, make_user)
    admin, _ = signed_in(Role.ADMIN)
    _post(admin, _override_url(minsk, quiz_id, ana.id), grade="4.5", reason="Copied answers")
    _post(admin, _override_url(minsk, quiz_id, boris.id), grade="6", reason="Sat it on paper")

    for person, shown in ((ana, "4.5 / 10 (45%), not passed"), (boris, "6 / 10 (60%), passed")):
        client = loaded_app.test_client()
        login(client, person.email, person.password)
        page = client.get("/dashboard").text
        assert shown in page and "Set by your instructor" in page
        assert "Copied answers" not in page and "Sat it on paper" not in page

    with loaded_app.app_context():
        assignment = db.session.scalars(db.select(Assignment.id)).one()
    results = admin.get(f"/instructor/assignments/{assignment}").text
    assert "4.5 (45%), not passed" in results
    assert "Set by hand (computed 10): Copied answers" in results
    assert "6 (60%), passed" in results and "Set by hand: Sat it on paper" in results


def test_a_grade_set_by_hand_waits_for_the_review_as_a_computed_grade_does(loaded_app, make_user):
    ana, boris, admin = (make_user(Role.TRAINEE), make_user(Role.TRAINEE), make_user(Role.ADMIN))
    with loaded_app.app_context():
        closes = datetime.now(UTC) + timedelta(days=2)
        review = QuizSettings(closes_at=closes, review=ReviewOptions(when=ReviewWhen.AFTER_CLOSE))
        _, added = stock(1)
        quiz = quiz_with([FixedSlot(added[0].id)], review)
        take(ana.id, quizzes.publish(quiz), 1)
        by = db.session.get(User, admin.id)
        for person in (ana, boris):
            quiz_grades.override(db.session.get(User, person.id), quiz, "3", "Marked by hand", by)
        now, settings = datetime.now(UTC), quizzes.settings_of(quizzes.live(quiz))
        hidden = quizzes.standing(ana.id, quiz.id, settings, now)
        assert (hidden.fraction, hidden.computed, hidden.grade_visible) == (0.3, 1.0, False)
        untaken = quizzes.standing(boris.id, quiz.id, settings, now)
        assert (untaken.fraction, untaken.computed, untaken.grade_visible) == (0.3, None, True)


def test_only_admins_and_the_cohorts_instructors_may_set_a_grade(loaded_app, make_user, signed_in):
    minsk, quiz_id, ana, _ = _classroom(loaded_app, make_user)
    url = _override_url(minsk, quiz_id, ana.id)
    stranger, _ = signed_in(Role.INSTRUCTOR)
    assert stranger.get(url).status_code == 404
    assert (
        stranger.get("/admin/reports/gradebook", query_string={"cohort": minsk}).status_code == 404
    )
    trainee, _ = signed_in(Role.TRAINEE)
    assert trainee.get(url).status_code == 403

    teacher, teacher_user = signed_in(Role.INSTRUCTOR)
    with loaded_app.app_context():
        cohorts.add_member(
            db.session.get(cohorts.Cohort, minsk), db.session.get(User, teacher_user.id)
        )
    assert _post(teacher, url, grade="9", reason="Regraded by hand").status_code == 302
    outsider = make_user(Role.TRAINEE)
    assert teacher.get(_override_url(minsk, quiz_id, outsider.id)).status_code == 404
    with loaded_app.app_context():
        found = db.session.scalars(db.select(GradeOverride)).one()
        assert (found.fraction, found.by_id) == (0.9, teacher_user.id)


GRADE_TEXT = st.one_of(
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "10", "0", "-0", "10.0001", "1e309", "nan", "7,5", "5\x00"]),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grade=GRADE_TEXT, reason=st.text(max_size=600))
def test_any_grade_and_reason_is_refused_with_a_message_or_kept_in_range(grade, reason):
    try:
        fraction = quiz_grades.parse_grade(grade, 10.0)
    except quiz_grades.OverrideError as error:
        assert "Enter the grade as a number from 0 to 10" in error.problems["grade"]
    else:
        assert 0 <= fraction <= 1
    try:
        cleaned = quiz_grades.clean_reason(reason)
    except quiz_grades.OverrideError as error:
        assert error.problems["reason"].startswith(("Give the reason", "Shorten the reason"))
    else:
        assert cleaned and cleaned == cleaned.strip() and len(cleaned) <= quiz_grades.MAX_REASON


@pytest.fixture
def fuzz_room(loaded_app, make_user, signed_in):
    minsk, quiz_id, ana, _ = _classroom(loaded_app, make_user)
    admin, _ = signed_in(Role.ADMIN)
    return admin, _override_url(minsk, quiz_id, ana.id)


def _stored(loaded_app) -> list[tuple[float, str]]:
    with loaded_app.app_context():
        return [(o.fraction, o.reason) for o in db.session.scalars(db.select(GradeOverride))]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grade=GRADE_TEXT, reason=st.text(max_size=40))
def test_any_override_post_is_answered_and_a_refusal_changes_nothing(
    loaded_app, fuzz_room, grade, reason
):
    admin, url = fuzz_room
    before = _stored(loaded_app)
    response = _post(admin, url, grade=grade, reason=reason)
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code == 302:
        [(fraction, kept)] = _stored(loaded_app)
        assert 0 <= fraction <= 1 and kept == " ".join(reason.split())
    else:
        assert _stored(loaded_app) == before
