"""The attempt engine through the browser's eyes: answering, stale pages, deadlines, grading."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStep, FactCard, FactReview, QuestionResult, utcnow
from quizapp.services import attempts
from tests.web.conftest import csrf_from

SEED = 7


@pytest.fixture(autouse=True)
def fixed_seed(monkeypatch):
    """Practice quizzes normally get a random seed; tests pin it to be deterministic."""
    monkeypatch.setattr(attempts, "new_seed", lambda: SEED)


@pytest.fixture
def trainee(signed_in):
    client, user = signed_in("trainee")
    return client, user


# --- helpers ---------------------------------------------------------------------------


def start_practice(client: FlaskClient, **fields: Any) -> int:
    """Start a practice quiz through the form; the new attempt's id."""
    page = client.get("/practice/new").get_data(as_text=True)
    data = {"count": "6", "difficulty": "", "feedback": "deferred", "csrf_token": csrf_from(page)}
    data.update({k: v for k, v in fields.items()})
    response = client.post("/practice/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def load(app, attempt_id: int) -> Attempt:
    return db.session.get(Attempt, attempt_id)


def questions(app, attempt_id: int) -> list[Question]:
    with app.app_context():
        return attempts.questions_of(load(app, attempt_id))


def seq_of(page: str) -> int:
    return int(re.search(r'name="seq"[^>]*value="(\d+)"', page).group(1))


def form_answer(question: Question, right: bool = True) -> dict[str, Any]:
    """Form fields a browser sends for the right (or a wrong) answer to ``question``."""
    answer = question.answer
    options = [o.id for o in question.options]
    match question.type:
        case "single_choice":
            return {"response": answer if right else next(o for o in options if o != answer)}
        case "multiple_choice":
            return {"response": answer if right else [o for o in options if o not in answer]}
        case "true_false":
            return {"response": "true" if answer == right else "false"}
        case "short_answer":
            return {"response": answer if right else "Atlantis"}
        case "date":
            year, *rest = answer.split("-")
            parts = {"response-year": year if right else str(int(year) - 5)}
            for name, value in zip(("response-month", "response-day"), rest, strict=False):
                parts[name] = str(int(value))
            return parts
        case "ordering":
            return {"response": answer if right else list(reversed(answer))}
        case "matching":
            pairs = dict(answer)
            if not right:
                first, second = list(pairs)[:2]
                pairs[first], pairs[second] = pairs[second], pairs[first]
            return {f"response-{item}": option for item, option in pairs.items()}
    raise AssertionError(question.type)


def post_question(client, attempt_id, slot, data, go="next"):
    page = client.get(f"/attempts/{attempt_id}/q/{slot}").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page), "seq": seq_of(page), "go": go, **data}
    return client.post(f"/attempts/{attempt_id}/q/{slot}", data=fields)


def autosave(client, attempt_id, slot, data, seq=None):
    page = client.get(f"/attempts/{attempt_id}/q/{slot}").get_data(as_text=True)
    fields = {
        "csrf_token": csrf_from(page),
        "seq": seq_of(page) if seq is None else seq,
        "slot": slot,
        **data,
    }
    return client.post(
        f"/attempts/{attempt_id}/answer", data=fields, headers={"Accept": "application/json"}
    )


def submit(client, attempt_id):
    page = client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True)
    return client.post(
        f"/attempts/{attempt_id}/submit",
        data={"csrf_token": csrf_from(page), "seq": seq_of(page)},
    )


# --- starting and answering --------------------------------------------------------------


def test_start_practice_freezes_questions_and_opens_the_first_one(loaded_app, trainee):
    client, user = trainee
    attempt_id = start_practice(client)
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        assert attempt.user_id == user.id and attempt.seed == SEED
        assert len(attempt.questions) == 6 and attempt.state == "in_progress"
        assert all("answer" in q for q in attempt.questions)
    response = client.get(f"/attempts/{attempt_id}")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/q/1")
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert "<fieldset" in page and "<legend>" in page and "Question 1 of 6" in page
    assert 'id="save-status"' in page and 'aria-live="polite"' in page


def test_later_changes_to_the_data_never_change_an_attempt_in_progress(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    before = questions(loaded_app, attempt_id)
    start_practice(client, count="3")  # generating again changes nothing frozen
    assert questions(loaded_app, attempt_id) == before


def test_an_answer_saved_without_javascript_is_there_on_reload(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    response = post_question(client, attempt_id, 1, form_answer(first))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/q/2")
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert seq_of(page) == 1
    assert "checked" in page or "selected" in page or 'value="' in page
    with loaded_app.app_context():
        state = attempts.state_of(load(loaded_app, attempt_id))
        assert state.response(1) is not None


def test_autosave_answers_json_and_reload_finds_the_answer(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    qs = questions(loaded_app, attempt_id)
    for slot, question in enumerate(qs, start=1):
        response = autosave(client, attempt_id, slot, form_answer(question))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["saved"] and body["answered"] and body["sequence"] == slot
        assert set(body) == {"saved", "changed", "sequence", "slot", "answered", "message"}
    with loaded_app.app_context():
        state = attempts.state_of(load(loaded_app, attempt_id))
        assert len(state.responses) == len(qs)
    overview = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert f"{len(qs)} answered, 0 not answered" in overview


def test_saving_the_same_answer_again_writes_no_step(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    autosave(client, attempt_id, 1, form_answer(first))
    again = autosave(client, attempt_id, 1, form_answer(first))
    assert again.get_json()["changed"] is False and again.get_json()["sequence"] == 1


def test_a_json_body_is_accepted_with_the_csrf_header(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, count="10")
    qs = questions(loaded_app, attempt_id)
    slot, question = next((n, q) for n, q in enumerate(qs, 1) if q.type == "true_false")
    page = client.get(f"/attempts/{attempt_id}/q/{slot}").get_data(as_text=True)
    response = client.post(
        f"/attempts/{attempt_id}/answer",
        data=json.dumps({"slot": slot, "seq": seq_of(page), "response": True}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_from(page), "Accept": "application/json"},
    )
    assert response.status_code == 200 and response.get_json()["answered"]


def test_autosave_without_a_csrf_token_is_refused(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    response = client.post(
        f"/attempts/{attempt_id}/answer",
        data={"slot": 1, "seq": 0, "response": "x"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400


def test_an_incomplete_answer_is_refused_and_tied_to_the_question(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, count="10")
    qs = questions(loaded_app, attempt_id)
    found = [(n, q) for n, q in enumerate(qs, 1) if q.type in ("date", "ordering")]
    if not found:
        pytest.skip("no date or ordering question with this seed")
    slot, question = found[0]
    bad = {"response-month": "3"} if question.type == "date" else {"response": ["x", ""]}
    if question.type == "ordering":
        bad = {"response": [question.options[0].id] * len(question.options)}
    response = post_question(client, attempt_id, slot, bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="answer-error"' in page and "answer-error" in page.split("<fieldset")[1]
    json_reply = autosave(client, attempt_id, slot, bad)
    assert json_reply.status_code == 422 and json_reply.get_json()["saved"] is False


def test_flag_and_unflag_without_javascript(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    response = post_question(client, attempt_id, 2, {}, go="flag")
    assert response.headers["Location"].endswith("/q/2")
    page = client.get(f"/attempts/{attempt_id}/q/2").get_data(as_text=True)
    assert "Remove flag" in page and "Question 2: not answered, flagged" in page
    post_question(client, attempt_id, 2, {}, go="unflag")
    assert "Flag for review" in client.get(f"/attempts/{attempt_id}/q/2").get_data(as_text=True)


def test_navigation_buttons_go_where_they_say(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    assert post_question(client, attempt_id, 3, {}, go="prev").headers["Location"].endswith("/q/2")
    assert post_question(client, attempt_id, 3, {}, go="5").headers["Location"].endswith("/q/5")
    assert (
        post_question(client, attempt_id, 6, {}, go="next").headers["Location"].endswith("/submit")
    )


# --- stale pages -------------------------------------------------------------------------


def test_a_stale_autosave_is_refused_with_409_and_overwrites_nothing(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    old_seq = seq_of(page)
    assert autosave(client, attempt_id, 1, form_answer(first, right=True)).status_code == 200
    stale = autosave(client, attempt_id, 1, form_answer(first, right=False), seq=old_seq)
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["saved"] is False and "Reload" in body["message"]
    assert "sequence" not in body
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        assert attempt.sequence == 1 and len(attempt.steps) == 1
        expected = attempts.read_response(first, _raw(first, form_answer(first, right=True)))
        assert attempts.state_of(attempt).response(1) == expected


def _raw(question: Question, fields: dict[str, Any]) -> Any:
    from werkzeug.datastructures import MultiDict

    from quizapp.core import qtypes

    data = MultiDict()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    return qtypes.of(question).read_form(question, data)


def test_a_stale_page_without_javascript_gets_a_reload_page(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    autosave(client, attempt_id, 1, form_answer(first))
    fields = {"csrf_token": csrf_from(page), "seq": seq_of(page), "go": "next"}
    fields.update(form_answer(first, right=False))
    response = client.post(f"/attempts/{attempt_id}/q/1", data=fields)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Reload the page" in text and f'href="/attempts/{attempt_id}/q/1"' in text


def test_a_colliding_writer_is_told_its_page_is_stale(loaded_app, trainee):
    """Two writers from the same page: the unique (attempt, seq) makes the second collide."""
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    with loaded_app.app_context():
        # The other tab's step landed but this request still read sequence 0.
        db.session.add(AttemptStep(attempt_id=attempt_id, seq=1, action="flag", slot=2))
        db.session.commit()
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        raw = _raw(first, form_answer(first))
        from quizapp.core.attempt import StaleSequence

        with pytest.raises(StaleSequence):
            attempts.save_answer(attempt, 1, raw, seq_seen=0)
        assert [s.seq for s in load(loaded_app, attempt_id).steps] == [1]


# --- submitting --------------------------------------------------------------------------


def test_submit_page_lists_unanswered_and_flagged_questions(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    post_question(client, attempt_id, 1, form_answer(first))
    post_question(client, attempt_id, 4, {}, go="flag")
    page = client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True)
    unanswered = page.split('id="unanswered"')[1].split("</ul>")[0]
    flagged = page.split('id="flagged"')[1].split("</ul>")[0]
    assert "Question 1<" not in unanswered and "Question 2<" in unanswered
    assert "Question 4<" in flagged and "Question 2<" not in flagged
    assert "You have answered 1 of 6 questions" in page


def test_submitting_twice_grades_once(loaded_app, trainee):
    client, user = trainee
    attempt_id = start_practice(client)
    qs = questions(loaded_app, attempt_id)
    for slot, question in enumerate(qs, start=1):
        autosave(client, attempt_id, slot, form_answer(question, right=slot % 2 == 1))
    page = client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page), "seq": seq_of(page)}
    first = client.post(f"/attempts/{attempt_id}/submit", data=fields)
    second = client.post(f"/attempts/{attempt_id}/submit", data=fields)  # the other tab
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        assert attempt.state == "finished"
        assert [s.action for s in attempt.steps].count("submit") == 1
        results = db.session.scalars(
            db.select(QuestionResult).where(QuestionResult.attempt_id == attempt_id)
        ).all()
        assert len(results) == len(qs)
        reviews = db.session.scalars(
            db.select(FactReview).where(FactReview.attempt_id == attempt_id)
        ).all()
        assert len(reviews) == sum(len(q.fact_ids) for q in qs)
        right = [r.fraction for r in results if r.slot % 2 == 1]
        assert right == [1.0] * len(right)
        assert attempt.fraction == pytest.approx(sum(r.fraction for r in results) / len(qs))
        assert attempt.score == pytest.approx(round(attempt.fraction * attempt.grade_max, 2))


def test_two_tabs_submitting_the_same_page_grade_once_in_the_service(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    with loaded_app.app_context():
        tab_one = load(loaded_app, attempt_id)
        attempts.submit(tab_one, seq_seen=0)
        score = tab_one.score
    with loaded_app.app_context():
        tab_two = load(loaded_app, attempt_id)
        assert attempts.submit(tab_two, seq_seen=0).score == score
        assert len(tab_two.results) == 6
        assert [s.action for s in tab_two.steps] == ["submit"]


def test_two_tabs_submitting_at_the_same_moment_grade_once(loaded_app, trainee):
    """Real concurrency: both requests read the open attempt, then both try to submit."""
    client, _ = trainee
    attempt_id = start_practice(client)
    barrier = threading.Barrier(2, timeout=10)
    scores: list[float] = []
    errors: list[BaseException] = []

    def tab() -> None:
        with loaded_app.app_context():
            try:
                attempt = load(loaded_app, attempt_id)
                assert attempt.state == "in_progress" and not attempt.results
                barrier.wait()
                scores.append(attempts.submit(attempt, seq_seen=0).score)
            except BaseException as error:  # reported below, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(scores) == 2 and scores[0] == scores[1]
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        assert [s.action for s in attempt.steps] == ["submit"]
        assert len(attempt.results) == 6


def test_a_stale_page_with_an_unchanged_answer_may_still_move_on(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    post_question(client, attempt_id, 3, {}, go="flag")  # another tab
    response = client.post(
        f"/attempts/{attempt_id}/q/1",
        data={"csrf_token": csrf_from(page), "seq": seq_of(page), "go": "next"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/q/2")


def test_a_stale_submit_page_is_refused_while_the_attempt_is_open(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    page = client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True)
    post_question(client, attempt_id, 2, {}, go="flag")  # another tab changed the attempt
    response = client.post(
        f"/attempts/{attempt_id}/submit",
        data={"csrf_token": csrf_from(page), "seq": seq_of(page)},
    )
    assert response.status_code == 409
    with loaded_app.app_context():
        assert load(loaded_app, attempt_id).state == "in_progress"


def test_a_finished_attempt_refuses_answers(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    first = questions(loaded_app, attempt_id)[0]
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    submit(client, attempt_id)
    fields = {"csrf_token": csrf_from(page), "seq": 1, "slot": 1, **form_answer(first)}
    late = client.post(
        f"/attempts/{attempt_id}/answer", data=fields, headers={"Accept": "application/json"}
    )
    assert late.status_code == 409
    assert late.get_json()["redirect"] == f"/attempts/{attempt_id}/review"
    assert client.get(f"/attempts/{attempt_id}/q/1").headers["Location"].endswith("/review")


# --- time limits -------------------------------------------------------------------------


def _move_deadline(app, attempt_id: int, seconds_ago: int) -> None:
    with app.app_context():
        attempt = load(app, attempt_id)
        attempt.deadline = utcnow() - timedelta(seconds=seconds_ago)
        db.session.commit()


def test_a_timed_attempt_shows_a_countdown_from_the_server(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, time_limit="5")
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    left = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    assert 290 <= left <= 300
    assert 'role="timer"' in page and 'data-grace="30"' in page


def test_past_the_deadline_the_attempt_is_submitted_with_its_saved_answers(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, time_limit="5")
    first = questions(loaded_app, attempt_id)[0]
    autosave(client, attempt_id, 1, form_answer(first))
    _move_deadline(loaded_app, attempt_id, 31)
    response = client.get(f"/attempts/{attempt_id}/q/2")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        assert attempt.state == "finished"
        assert attempt.steps[-1].action == "timeout"
        assert {r.slot: r.fraction for r in attempt.results}[1] == 1.0
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "automatically when time ran out" in review


def test_a_save_within_the_grace_period_counts_and_after_it_is_refused(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, time_limit="5")
    qs = questions(loaded_app, attempt_id)
    _move_deadline(loaded_app, attempt_id, 10)
    assert autosave(client, attempt_id, 1, form_answer(qs[0])).status_code == 200
    page = client.get(f"/attempts/{attempt_id}/q/2").get_data(as_text=True)
    _move_deadline(loaded_app, attempt_id, 40)
    fields = {"csrf_token": csrf_from(page), "seq": seq_of(page), "slot": 2, **form_answer(qs[1])}
    late = client.post(
        f"/attempts/{attempt_id}/answer", data=fields, headers={"Accept": "application/json"}
    )
    assert late.status_code == 409 and late.get_json()["error"] == "DeadlinePassed"
    with loaded_app.app_context():
        attempt = load(loaded_app, attempt_id)
        assert attempt.state == "finished"
        assert attempts.state_of(attempt).response(2) is None


def test_the_dashboard_submits_overdue_attempts(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, time_limit="1")
    _move_deadline(loaded_app, attempt_id, 120)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Nothing in progress." in page
    assert f'href="/attempts/{attempt_id}/review"' in page


# --- nothing leaks before grading --------------------------------------------------------


def _secrets(question: Question) -> list[str]:
    """Text a trainee must not receive before grading: the explanation, quotes, key words."""
    found = [question.explanation, *question.quotes]
    if question.type == "short_answer":
        found += [form for group in question.accepted for form in group]
    if question.type == "date":
        found.append(question.answer)
    return [s for s in found if s and s not in question.prompt]


def _inputs_alike(page: str) -> bool:
    """Every answer control looks the same once its id, value and state are set aside."""
    tags = re.findall(r"<input[^>]*name=\"response[^>]*>|<option[^>]*>", page)
    shapes = {
        re.sub(r'\s(id|value)="[^"]*"|\s(checked|selected)', "", tag).split('name="response')[0]
        for tag in tags
        if 'value=""' not in tag
    }
    return len(shapes) <= 2  # one shape for inputs, one for <option>s


def test_no_answer_reaches_the_browser_before_the_attempt_is_graded(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, count="20", time_limit="30")
    qs = questions(loaded_app, attempt_id)
    received = []
    for slot, question in enumerate(qs, start=1):
        page = client.get(f"/attempts/{attempt_id}/q/{slot}").get_data(as_text=True)
        assert _inputs_alike(page), question.type
        reply = autosave(client, attempt_id, slot, form_answer(question, right=False))
        own = page + reply.get_data(as_text=True)
        for secret in _secrets(question):
            assert secret not in own, (question.type, secret)
        received.append(own)
    received.append(client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True))
    received.append(client.get("/dashboard").get_data(as_text=True))
    for question in qs:
        for evidence in (question.explanation, *question.quotes):
            assert not any(evidence in text for text in received), evidence
    for text in received:
        assert "correct" not in text.lower(), text


def test_public_dict_of_each_frozen_question_holds_no_key(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, count="20")
    for question in questions(loaded_app, attempt_id):
        public = question.public_dict()
        assert "answer" not in public and "explanation" not in public and "quotes" not in public


# --- privacy and scheduling -------------------------------------------------------------


def test_another_trainee_gets_404_on_someone_elses_attempt(loaded_app, trainee, signed_in):
    client, _ = trainee
    attempt_id = start_practice(client)
    other, _ = signed_in("trainee")
    page = other.get("/dashboard").get_data(as_text=True)
    token = csrf_from(page)
    for path in ("", "/q/1", "/submit", "/review"):
        assert other.get(f"/attempts/{attempt_id}{path}").status_code == 404, path
    answer = other.post(
        f"/attempts/{attempt_id}/answer",
        data={"csrf_token": token, "slot": 1, "seq": 0, "response": "x"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 404
    assert (
        other.post(
            f"/attempts/{attempt_id}/submit", data={"csrf_token": token, "seq": 0}
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/attempts/{attempt_id}/review/1/challenge",
            data={"csrf_token": token, "c1-comment": "x"},
        ).status_code
        == 404
    )


def test_grading_updates_the_fsrs_card_of_each_answered_fact(loaded_app, trainee):
    client, user = trainee
    attempt_id = start_practice(client)
    qs = questions(loaded_app, attempt_id)
    autosave(client, attempt_id, 1, form_answer(qs[0], right=True))
    autosave(client, attempt_id, 2, form_answer(qs[1], right=False))
    submit(client, attempt_id)
    with loaded_app.app_context():
        cards = {
            c.fact_id: c
            for c in db.session.scalars(db.select(FactCard).where(FactCard.user_id == user.id))
        }
        assert set(cards) == set(qs[0].fact_ids) | set(qs[1].fact_ids)  # unanswered: no card
        for fact in qs[0].fact_ids:
            assert cards[fact].card["last_review"] is not None
            assert cards[fact].last_question_type == qs[0].type
            assert cards[fact].agreement_key == fact.split(":")[0]
        ratings = {
            r.fact_id: r.rating
            for r in db.session.scalars(db.select(FactReview).where(FactReview.user_id == user.id))
        }
        assert {ratings[f] for f in qs[1].fact_ids} == {1}  # Again


def test_the_practice_form_offers_a_choice_of_question_types(app, trainee) -> None:
    client, _ = trainee
    page = client.get("/practice/new").get_data(as_text=True)
    assert "Question types" in page and 'value="ordering"' in page
    attempt_id = start_practice(client, types=["true_false", "ordering"])
    made = {q.type for q in questions(app, attempt_id)}
    assert made and made <= {"true_false", "ordering"}


def test_an_unknown_question_type_is_refused(trainee) -> None:
    client, _ = trainee
    page = client.get("/practice/new").get_data(as_text=True)
    data = {"count": "6", "feedback": "deferred", "types": "essay", "csrf_token": csrf_from(page)}
    response = client.post("/practice/new", data=data)
    assert response.status_code == 422
    assert "'essay' is not a valid choice" in response.get_data(as_text=True).replace("&#39;", "'")


def test_the_review_counts_right_answers_and_can_show_only_the_wrong_ones(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    frozen = questions(loaded_app, attempt_id)
    for slot, question in enumerate(frozen[:4], start=1):
        post_question(client, attempt_id, slot, form_answer(question, right=slot <= 3))
    submit(client, attempt_id)
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "3 of 6 right (50%)" in page and "out of" in page
    assert page.count('class="review-item') == 6
    only = client.get(f"/attempts/{attempt_id}/review?only=wrong").get_data(as_text=True)
    assert only.count('class="review-item') == 3
    assert "Showing the 3 questions not fully right" in only


def test_the_review_can_show_only_the_flagged_questions(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    frozen = questions(loaded_app, attempt_id)
    for slot, question in enumerate(frozen, start=1):
        go = "flag" if slot in (2, 5) else "next"
        post_question(client, attempt_id, slot, form_answer(question), go=go)
    submit(client, attempt_id)
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Show only the 2 you flagged" in page and page.count("(flagged)</span>") == 2
    only = client.get(f"/attempts/{attempt_id}/review?only=flagged").get_data(as_text=True)
    assert only.count('class="review-item') == 2
    assert 'id="q-2"' in only and 'id="q-5"' in only and 'id="q-1"' not in only
    assert "Showing the 2 questions you flagged" in only
    odd = client.get(f"/attempts/{attempt_id}/review?only=nonsense").get_data(as_text=True)
    assert odd.count('class="review-item') == 6


def test_the_state_kept_with_the_attempt_is_the_whole_log_replayed(loaded_app, trainee):
    """Pages and saves read the state each step folds into the attempt's row: the same
    state as replaying every step, through saves, clears, flags, checks, abandoning and
    resuming, and still so when the attempt is read again from the database."""
    from random import Random

    from quizapp.core import attempt as engine

    client, user = trainee
    pick = Random(11)
    with loaded_app.app_context():
        made = attempts.start_practice(
            user.id, attempts.PracticeOptions(count=5, feedback=engine.IMMEDIATE)
        )
        found = db.session.get(Attempt, made.id)
        qs = attempts.questions_of(found)
        for turn in range(60):
            slot = pick.randint(1, len(qs))
            seq = found.sequence
            if turn in (25, 45):
                attempts.abandon(found)
                attempts.resume(found)
            elif slot in attempts.state_of(found).checked:
                continue
            elif pick.random() < 0.3:
                attempts.set_flag(found, slot, pick.random() < 0.6, seq)
            elif turn > 30 and pick.random() < 0.2:
                attempts.check(found, slot, _raw(qs[slot - 1], form_answer(qs[slot - 1])), seq)
            else:
                right = pick.random() < 0.5
                raw = (
                    None
                    if pick.random() < 0.15
                    else _raw(qs[slot - 1], form_answer(qs[slot - 1], right))
                )
                attempts.save_answer(found, slot, raw, seq)
            log = db.session.execute(
                db.select(
                    AttemptStep.seq, AttemptStep.action, AttemptStep.slot, AttemptStep.response
                ).where(AttemptStep.attempt_id == found.id)
            ).all()
            whole = engine.replay(engine.Step(*row) for row in log)
            assert attempts.state_of(found) == whole, turn
            db.session.expire(found)
            assert attempts.state_of(found) == whole, turn
        assert whole.checked and whole.flagged and len(log) > 30
