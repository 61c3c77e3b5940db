"""Challenges settled by instructors, regrades, and what the trainee then sees (both databases)."""

from __future__ import annotations

import pytest

from quizapp.core.questions import Option, Question
from quizapp.core.quizzes import Feedback, FixedSlot, QuizSettings, ReviewOptions
from quizapp.extensions import db
from quizapp.models import AuditEvent, Role, Status, User
from quizapp.services import assignments, bank, cohorts, quizzes
from tests.web.conftest import post_form


def capital(number: int, answer: str = "a") -> Question:
    """A single-choice question whose key is ``answer``."""
    return Question(
        id="",
        type="single_choice",
        prompt=f"Capital question {number}?",
        answer=answer,
        options=(Option("a", f"Right {number}"), Option("b", f"Other {number}")),
    )


@pytest.fixture
def ctx(loaded_app):
    with loaded_app.app_context():
        yield loaded_app


def publish(questions: list[Question], settings: QuizSettings | None = None, user_id=None):
    """A published quiz of these questions as fixed slots; returns its live version."""
    question_set = bank.ensure_set("Capitals")
    added = [bank.add(question_set, q, status=Status.PUBLISHED) for q in questions]
    db.session.commit()
    quiz = quizzes.create("Capitals check")
    if settings is not None:
        quizzes.update(quiz, quiz.title, "", settings)
    for bank_question in added:
        quizzes.add_slot(quiz, FixedSlot(bank_question.id))
    return quizzes.publish(quiz, user_id)


def test_publishing_is_audited(ctx, make_user):
    teacher = make_user(Role.INSTRUCTOR)
    version = publish([capital(1)], user_id=teacher.id)
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "quiz.publish")
    ).one()
    assert event.actor == teacher.email
    assert event.target == f"quiz {version.quiz_id}"
    assert event.details == {"title": "Capitals check", "version": 1}


@pytest.mark.parametrize("answers_shown", [True, False])
def test_immediate_feedback_keeps_the_key_hidden_when_the_review_hides_answers(
    loaded_app, signed_in, make_user, answers_shown
):
    client, trainee = signed_in(Role.TRAINEE)
    review = ReviewOptions(answer=answers_shown)
    settings = QuizSettings(feedback=Feedback.IMMEDIATE, review=review)
    with loaded_app.app_context():
        version = publish([capital(1), capital(2)], settings)
        teacher = db.session.get(User, make_user(Role.INSTRUCTOR).id)
        cohort = cohorts.create("Group A", created_by=teacher)
        cohorts.add_member(cohort, db.session.get(User, trainee.id))
        assignments.assign(version.quiz, cohort, None, teacher)
        quiz_id = version.quiz_id
    start = post_form(client, f"/quizzes/{quiz_id}/start")
    question_url = start.headers["Location"] + "/q/1"
    checked = post_form(client, question_url, {"response": "b", "go": "check", "seq": "0"})
    assert checked.status_code == 302
    page = client.get(question_url).text
    feedback = page.split('id="feedback"')[1].split("</section>")[0]
    assert '<h2 id="feedback-heading">Not correct</h2>' in feedback
    assert "Other 1" in feedback  # the trainee's own answer
    assert ("Right 1" in feedback) is answers_shown
