"""Trainee pages: dashboard, practice form, review with sources, challenges, due practice."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt, Dispute, FactCard, utcnow
from quizapp.services import attempts, practice
from tests.web.conftest import csrf_from
from tests.web.test_attempts import (
    autosave,
    form_answer,
    post_question,
    questions,
    seq_of,
    start_practice,
    submit,
)

SEED = 11


@pytest.fixture(autouse=True)
def fixed_seed(monkeypatch):
    monkeypatch.setattr(attempts, "new_seed", lambda: SEED)


@pytest.fixture
def trainee(signed_in):
    return signed_in("trainee")


def finished_attempt(loaded_app, client, right: bool = True) -> int:
    attempt_id = start_practice(client)
    for slot, question in enumerate(questions(loaded_app, attempt_id), start=1):
        autosave(client, attempt_id, slot, form_answer(question, right=right))
    submit(client, attempt_id)
    return attempt_id


# --- dashboard ---------------------------------------------------------------------------


def test_a_new_trainee_sees_what_to_take_and_no_history(trainee):
    client, _ = trainee
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/practice/new"' in page and 'href="/practice/due"' in page
    assert "Nothing in progress." in page and "No attempt submitted yet." in page
    assert "Mastery per agreement" in page and "0 of " in page


def test_dashboard_lists_attempts_in_progress_with_time_left_and_past_scores(loaded_app, trainee):
    client, _ = trainee
    done = finished_attempt(loaded_app, client)
    finished_attempt(loaded_app, client, right=False)
    open_one = start_practice(client, time_limit="20")
    page = client.get("/dashboard").get_data(as_text=True)
    active = page.split('id="active-attempts"')[1].split("</table>")[0]
    assert f'href="/attempts/{open_one}"' in active and "0 of 6" in active
    assert re.search(r"<td[^>]*>(19|20):\d\d</td>", active)
    past = page.split('id="past-attempts"')[1].split("</table>")[0]
    assert f'href="/attempts/{done}/review"' in past and "10 / 10 (100%)" in past
    assert re.search(r"Trend: 100% → \d%", page) and 'role="img"' in page


def test_dashboard_shows_facts_due_and_mastery_after_answers(loaded_app, trainee):
    client, user = trainee
    finished_attempt(loaded_app, client)
    with loaded_app.app_context():  # a day later, every card answered is due again
        for card in db.session.scalars(db.select(FactCard).where(FactCard.user_id == user.id)):
            card.due = utcnow() - timedelta(hours=1)
        db.session.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r"\d+ facts? due for practice now", page)
    mastery = page.split('id="mastery"')[1].split("</table>")[0]
    assert re.search(r"<td[^>]*>[1-9]\d* of \d+</td>", mastery)


def _mastery_percents(page: str) -> list[int]:
    table = page.split('id="mastery"')[1].split("</table>")[0]
    return [int(p) for p in re.findall(r"</meter> (\d+)%", table)]


def test_mastery_says_what_it_means_and_drops_after_wrong_answers(loaded_app, trainee):
    client, _ = trainee
    finished_attempt(loaded_app, client, right=True)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "that you still recall a fact in 7 days" in page and "Mastery (in 7 days)" in page
    right = _mastery_percents(page)
    assert max(right) > 0 and all(p < 100 for p in right)
    finished_attempt(loaded_app, client, right=False)  # the same seed: the same facts
    wrong = _mastery_percents(client.get("/dashboard").get_data(as_text=True))
    assert sum(wrong) < sum(right) * 0.7


# --- practice form -----------------------------------------------------------------------


def test_practice_form_is_labelled_and_offers_agreements_and_topics(trainee, bundled_dataset):
    client, _ = trainee
    page = client.get("/practice/new").get_data(as_text=True)
    assert "<legend>Agreements</legend>" in page and "<legend>Topics</legend>" in page
    for agreement in bundled_dataset.agreements:
        assert html.escape(agreement.title, quote=False) in page
    assert '<label for="count">Number of questions</label>' in page
    assert '<label for="time_limit">' in page


def test_practice_form_errors_are_tied_to_their_fields(trainee):
    client, _ = trainee
    page = client.get("/practice/new").get_data(as_text=True)
    response = client.post(
        "/practice/new",
        data={
            "csrf_token": csrf_from(page),
            "count": "0",
            "time_limit": "999",
            "feedback": "deferred",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'aria-describedby="count-hint count-error"' in text and 'id="count-error"' in text
    assert 'id="time_limit-error"' in text


def test_practice_on_one_agreement_asks_only_about_it(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, agreements="interior-ministry-rosgvardiya-2020")
    qs = questions(loaded_app, attempt_id)
    assert qs and all("interior-ministry-rosgvardiya-2020" in q.agreements for q in qs)
    with loaded_app.app_context():
        title = db.session.get(Attempt, attempt_id).title
        assert title.startswith(f"Practice: {len(qs)} questions on Cooperation")


def test_practice_by_topic_picks_the_agreements_that_cover_it(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, topics="the common foreign policy", count="3")
    qs = questions(loaded_app, attempt_id)
    assert qs and all("border-committee-sochi-2021" in q.agreements for q in qs)


# --- review and challenges ---------------------------------------------------------------


def test_review_feedback_is_plain_and_true_false_capitalised(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(
        client, count="9", types=["true_false", "multiple_choice", "matching"]
    )
    asked = questions(loaded_app, attempt_id)
    assert {q.type for q in asked} == {"true_false", "multiple_choice", "matching"}
    for slot, question in enumerate(asked, start=1):
        autosave(client, attempt_id, slot, form_answer(question, right=False))
    submit(client, attempt_id)
    page = html.unescape(client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True))
    given = re.findall(r'<dd class="given">([^<]*)</dd>', page)
    keys = re.findall(r'<dd class="correct">([^<]*)</dd>', page)
    assert {"True", "False"} & set(given) and not {"true", "false"} & set(given + keys)
    assert re.search(r"the statement is (True|False)\.", page)
    chose = r"You chose “[^”]+”(, “[^”]+”)*( and “[^”]+”)?; the right ones? (is|are) “"
    assert re.search(chose, page)
    assert "You picked" not in page and "one(s)" not in page and "The pairs are" not in page
    assert re.search(r"“[^”]+” goes with “[^”]+”, not “[^”]+”\.", page)


def test_review_is_closed_until_submission(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client)
    response = client.get(f"/attempts/{attempt_id}/review")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/submit")


def test_review_shows_each_response_key_explanation_and_source_sentence(loaded_app, trainee):
    client, _ = trainee
    attempt_id = finished_attempt(loaded_app, client, right=False)
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert 'id="score"' in page and "out of 10" in page
    for slot, question in enumerate(questions(loaded_app, attempt_id), start=1):
        section = page.split(f'id="q-{slot}"')[1].split("</section>")[0]
        assert "Your answer" in section and "Correct answer" in section
        assert "Not correct" in section or "Partly correct" in section
        for quote in question.quotes:
            assert f"<blockquote>{html.escape(quote, quote=False)}</blockquote>" in section
        for key in question.asked_agreements():
            assert f'href="/agreements/{key}"' in section
        assert "Challenge this answer" in section


def test_challenging_an_answer_records_a_dispute(loaded_app, trainee):
    client, user = trainee
    attempt_id = finished_attempt(loaded_app, client)
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert '<label for="c2-comment">' in page
    response = client.post(
        f"/attempts/{attempt_id}/review/2/challenge",
        data={"csrf_token": csrf_from(page), "c2-comment": "  The source <b>says</b> otherwise. "},
    )
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review#q-2")
    with loaded_app.app_context():
        dispute = db.session.scalars(db.select(Dispute)).one()
        assert (dispute.attempt_id, dispute.slot, dispute.user_id) == (attempt_id, 2, user.id)
        assert dispute.comment == "The source <b>says</b> otherwise."
        assert dispute.question_id == questions(loaded_app, attempt_id)[1].id
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "You challenged this answer" in page and "waiting for an instructor" in page
    again = client.post(
        f"/attempts/{attempt_id}/review/2/challenge",
        data={"csrf_token": csrf_from(page), "c2-comment": "Again"},
    )
    assert again.status_code == 302
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "not sent: You have already challenged this answer." in page
    with loaded_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Dispute)) == 1


def test_an_empty_challenge_returns_to_the_review_with_the_error_beside_its_field(
    loaded_app, trainee
):
    client, _ = trainee
    attempt_id = finished_attempt(loaded_app, client)
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    response = client.post(
        f"/attempts/{attempt_id}/review/3/challenge",
        data={"csrf_token": csrf_from(page), "c3-comment": "   "},
    )
    assert response.status_code == 302  # never a page left on the POST address
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review#q-3")
    text = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your challenge of question 3 was not sent: Say why you think" in text
    assert 'id="c3-comment-error"' in text and 'aria-describedby="c3-comment-error"' in text
    assert text.count('<details class="challenge" open>') == 1
    again = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert 'id="c3-comment-error"' not in again and '<details class="challenge" open>' not in again
    with loaded_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Dispute)) == 0


# --- spaced practice ---------------------------------------------------------------------


def test_due_practice_starts_with_new_facts_and_gives_immediate_feedback(
    loaded_app, trainee, bundled_dataset
):
    client, user = trainee
    page = client.get("/practice/due").get_data(as_text=True)
    facts = bundled_dataset.counts()["facts"]
    assert f"0 facts due now, and {facts} you have not been asked yet" in page
    response = client.post("/practice/due", data={"csrf_token": csrf_from(page)})
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    qs = questions(loaded_app, attempt_id)
    assert len(qs) == practice.SESSION_LENGTH
    question_page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert 'id="check-button"' in question_page
    checked = post_question(client, attempt_id, 1, form_answer(qs[0]), go="check")
    assert checked.headers["Location"].endswith(f"/attempts/{attempt_id}/q/1#feedback")
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    feedback = page.split('id="feedback"')[1].split("</section>")[0]
    assert '<h2 id="feedback-heading">Correct</h2>' in feedback
    assert all(html.escape(q, quote=False) in feedback for q in qs[0].quotes)
    assert "<fieldset" in page and " disabled>" in page.split("<fieldset")[1].split("<legend")[0]
    with loaded_app.app_context():
        cards = db.session.scalars(db.select(FactCard).where(FactCard.user_id == user.id)).all()
        assert {c.fact_id for c in cards} == set(qs[0].fact_ids)
        assert db.session.get(Attempt, attempt_id).state == "in_progress"


def test_a_checked_answer_cannot_be_changed(loaded_app, trainee):
    client, _ = trainee
    page = client.get("/practice/due").get_data(as_text=True)
    response = client.post("/practice/due", data={"csrf_token": csrf_from(page)})
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    first = questions(loaded_app, attempt_id)[0]
    post_question(client, attempt_id, 1, form_answer(first), go="check")
    again = autosave(client, attempt_id, 1, form_answer(first, right=False))
    assert again.status_code == 409 and again.get_json()["error"] == "SlotLocked"
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page), "seq": seq_of(page), "go": "check"}
    twice = client.post(f"/attempts/{attempt_id}/q/1", data={**fields, **form_answer(first)})
    assert twice.status_code == 302  # redirected, not a page left on the POST address
    assert twice.headers["Location"].endswith(f"/attempts/{attempt_id}/q/1")
    shown = client.get(twice.headers["Location"]).get_data(as_text=True)
    assert "already been checked" in shown and 'id="feedback"' in shown


def test_checking_every_question_finishes_the_session(loaded_app, trainee):
    client, _ = trainee
    page = client.get("/practice/due").get_data(as_text=True)
    response = client.post("/practice/due", data={"csrf_token": csrf_from(page)})
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    qs = questions(loaded_app, attempt_id)
    for slot, question in enumerate(qs, start=1):
        last = post_question(client, attempt_id, slot, form_answer(question), go="check")
    assert last.headers["Location"].endswith(f"/attempts/{attempt_id}/review#q-{len(qs)}")
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == "finished" and attempt.score == 10.0
        assert len(attempt.results) == len(qs)


def test_each_due_fact_comes_back_in_another_question_type(loaded_app, trainee):
    client, user = trainee
    attempt_id = finished_attempt(loaded_app, client)
    asked = {f: q.type for q in questions(loaded_app, attempt_id) for f in q.fact_ids}
    with loaded_app.app_context():
        for card in db.session.scalars(db.select(FactCard).where(FactCard.user_id == user.id)):
            card.due = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = client.get("/practice/due").get_data(as_text=True)
    assert f"{len(asked)} facts due now" in page or f"{len(asked)} fact due now" in page
    response = client.post("/practice/due", data={"csrf_token": csrf_from(page)})
    session_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    again = [q for q in questions(loaded_app, session_id) if set(q.fact_ids) & set(asked)]
    assert again, "due facts come first"
    changed = [q for q in again if any(asked.get(f) != q.type for f in q.fact_ids)]
    assert len(changed) >= len(again) - 1  # a fact with a single possible form may repeat it


def test_an_open_session_is_offered_again(loaded_app, trainee):
    client, _ = trainee
    page = client.get("/practice/due").get_data(as_text=True)
    response = client.post("/practice/due", data={"csrf_token": csrf_from(page)})
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    page = client.get("/practice/due").get_data(as_text=True)
    assert f'href="/attempts/{attempt_id}">Continue it' in page


def test_the_question_page_keeps_stable_ids_for_browser_tests(loaded_app, trainee):
    client, _ = trainee
    attempt_id = start_practice(client, time_limit="10")
    page = client.get(f"/attempts/{attempt_id}/q/2").get_data(as_text=True)
    for element in (
        'id="question-form"',
        'id="question"',
        'id="seq"',
        'id="save-status"',
        'id="next-button"',
        'id="prev-button"',
        'id="flag-button"',
        'id="finish-button"',
        'id="goto-1"',
        'id="time-left"',
        'name="csrf-token"',
        "js/attempt.js",
    ):
        assert element in page, element
    assert seq_of(page) == 0
    assert 'aria-current="step"' in page.split('id="goto-2"')[1].split(">")[0]
