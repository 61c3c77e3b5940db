"""Abandoning an attempt from the dashboard (ungraded, answers kept), resuming it, and
practice attempts titled by what was chosen."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from quizapp.core import attempt as engine
from quizapp.extensions import db
from quizapp.models import Attempt, FactReview, QuestionResult
from quizapp.services import attempts
from tests.web.conftest import csrf_from
from tests.web.test_attempts import (
    autosave,
    form_answer,
    questions,
    start_practice,
    submit,
)


@pytest.fixture
def trainee(signed_in):
    return signed_in("trainee")


def dashboard(client) -> str:
    return html.unescape(client.get("/dashboard").get_data(as_text=True))


def abandon(client, attempt_id: int):
    page = client.get(f"/attempts/{attempt_id}/abandon").get_data(as_text=True)
    return client.post(f"/attempts/{attempt_id}/abandon", data={"csrf_token": csrf_from(page)})


def resume(client, attempt_id: int):
    page = client.get("/dashboard").get_data(as_text=True)
    return client.post(f"/attempts/{attempt_id}/resume", data={"csrf_token": csrf_from(page)})


def stored(app, attempt_id: int) -> Attempt:
    with app.app_context():
        found = db.session.get(Attempt, attempt_id)
        db.session.expunge(found)
        return found


def test_an_abandoned_attempt_is_set_aside_ungraded_and_resumes_with_its_answers(
    loaded_app, trainee
):
    client, user = trainee
    attempt_id = start_practice(client)
    asked = questions(loaded_app, attempt_id)
    for slot in (1, 2):
        autosave(client, attempt_id, slot, form_answer(asked[slot - 1]))
    assert f'href="/attempts/{attempt_id}/abandon"' in dashboard(client)

    confirm = client.get(f"/attempts/{attempt_id}/abandon").get_data(as_text=True)
    assert "You have answered 2 of 6 questions" in confirm and "is kept" in confirm
    assert stored(loaded_app, attempt_id).state == engine.IN_PROGRESS  # asking changes nothing
    response = abandon(client, attempt_id)
    assert response.status_code == 302 and "/dashboard" in response.headers["Location"]

    page = dashboard(client)
    assert "was abandoned; its answers are kept" in page
    assert "Nothing in progress." in page
    aside = page.split('id="abandoned-attempts"')[1].split("</table>")[0]
    assert "2 of 6" in aside and f'action="/attempts/{attempt_id}/resume"' in aside
    assert "No attempt submitted yet." in page  # not graded, not among the scores
    with loaded_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(QuestionResult)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(FactReview)) == 0

    token = csrf_from(client.get("/dashboard").get_data(as_text=True))
    seq = stored(loaded_app, attempt_id).sequence
    fields = {"csrf_token": token, "seq": seq, "slot": 3, **form_answer(asked[2])}
    refused = client.post(f"/attempts/{attempt_id}/answer", data=fields)
    assert refused.status_code == 409 and "abandoned" in refused.get_json()["message"]
    away = client.get(f"/attempts/{attempt_id}/q/1")
    assert away.status_code == 302 and "/dashboard" in away.headers["Location"]

    back = resume(client, attempt_id)
    assert back.headers["Location"].endswith(f"/attempts/{attempt_id}")
    resumed = stored(loaded_app, attempt_id)
    assert resumed.state == engine.IN_PROGRESS and resumed.finished_at is None
    with loaded_app.app_context():
        state = attempts.state_of(db.session.get(Attempt, attempt_id))
        assert state.answered(1) and state.answered(2) and not state.answered(3)
    submit(client, attempt_id)
    graded = stored(loaded_app, attempt_id)
    assert graded.state == engine.FINISHED and graded.fraction == pytest.approx(2 / 6)


def test_an_assigned_quiz_attempt_cannot_be_abandoned(loaded_app, trainee):
    client, user = trainee
    with loaded_app.app_context():
        made = attempts.create(
            user.id,
            engine.Kind.QUIZ,
            "Assigned",
            attempts.questions_of(db.session.get(Attempt, start_practice(client))),
            seed=1,
            settings={},
        )
        quiz_id = made.id
    assert f'href="/attempts/{quiz_id}/abandon"' not in dashboard(client)
    response = client.post(
        f"/attempts/{quiz_id}/abandon",
        data={"csrf_token": csrf_from(client.get("/dashboard").get_data(as_text=True))},
    )
    assert response.status_code == 302
    assert "cannot be abandoned" in dashboard(client)
    assert stored(loaded_app, quiz_id).state == engine.IN_PROGRESS


def test_abandoning_needs_the_form_with_its_csrf_token(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    response = client.post(f"/attempts/{attempt_id}/abandon", data={})
    assert response.status_code in (200, 400)
    assert stored(loaded_app, attempt_id).state == engine.IN_PROGRESS


def test_a_timed_attempt_resumed_after_its_time_is_submitted_with_its_answers(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, time_limit="5")
    first = questions(loaded_app, attempt_id)[0]
    autosave(client, attempt_id, 1, form_answer(first))
    abandon(client, attempt_id)
    with loaded_app.app_context():
        found = db.session.get(Attempt, attempt_id)
        found.deadline = found.started_at - timedelta(minutes=1)
        db.session.commit()
    back = resume(client, attempt_id)
    assert back.status_code == 302
    done = stored(loaded_app, attempt_id)
    assert done.state == engine.FINISHED and done.fraction == pytest.approx(1 / 6)
    assert "Time is up" in client.get(back.headers["Location"], follow_redirects=True).get_data(
        as_text=True
    )


def test_a_practice_attempt_is_titled_by_what_was_chosen(loaded_app, trainee, bundled_dataset):
    client, _ = trainee
    agreement = bundled_dataset.agreements[1]
    attempt_id = start_practice(client, count="4", types=["date"], agreements=[agreement.key])
    made = len(questions(loaded_app, attempt_id))
    title = stored(loaded_app, attempt_id).title
    assert title == f"Practice: {made} date question{'s' if made != 1 else ''} on {agreement.title}"
    plain = stored(loaded_app, start_practice(client)).title
    assert plain == "Practice: 6 questions on all agreements"
    assert title in dashboard(client)
