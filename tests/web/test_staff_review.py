"""Admins open any attempt's review and step log; instructors those of trainees they teach."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import cohorts
from tests.web.factories import finished_attempt


def _attempt_of(app, trainee_id: int) -> int:
    with app.app_context():
        return finished_attempt(trainee_id, [True, False])


def test_admin_opens_any_attempt_review_with_its_step_log(loaded_app, signed_in, make_user):
    trainee = make_user(Role.TRAINEE, name="Tess")
    attempt_id = _attempt_of(loaded_app, trainee.id)
    client, _ = signed_in(Role.ADMIN)
    response = client.get(f"/attempts/{attempt_id}/review")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/instructor/attempts/{attempt_id}"
    page = client.get(response.headers["Location"]).text
    assert "attempt by Tess" in page and "Step log" in page
    log = page.split('id="step-log"')[1]
    assert log.count("Answered") == 2 and "Submitted" in log
    assert log.index("Answered") < log.index("Submitted")


def test_instructor_reads_only_attempts_of_trainees_they_teach(loaded_app, signed_in, make_user):
    taught, other = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    client, teacher = signed_in(Role.INSTRUCTOR)
    with loaded_app.app_context():
        cohort = cohorts.create("Taught", created_by=db.session.get(User, teacher.id))
        cohorts.add_member(cohort, db.session.get(User, taught.id))
    mine, theirs = _attempt_of(loaded_app, taught.id), _attempt_of(loaded_app, other.id)
    assert "Step log" in client.get(f"/attempts/{mine}/review", follow_redirects=True).text
    assert client.get(f"/attempts/{theirs}/review", follow_redirects=True).status_code == 404


def test_a_trainee_still_sees_only_their_own_review(loaded_app, signed_in, make_user):
    other = make_user(Role.TRAINEE)
    attempt_id = _attempt_of(loaded_app, other.id)
    client, _ = signed_in(Role.TRAINEE)
    assert client.get(f"/attempts/{attempt_id}/review").status_code == 404
