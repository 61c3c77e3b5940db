"""Challenges settled by instructors, regrades, and what the trainee then sees (both databases)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from quizapp.core.questions import Option, Question
from quizapp.core.quizzes import Feedback, FixedSlot, QuizSettings, ReviewOptions
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AuditEvent,
    BankQuestion,
    Dispute,
    Regrade,
    Role,
    Status,
    User,
)
from quizapp.services import assignments, attempts, bank, cohorts, disputes, quizzes, regrade
from tests.web.conftest import MadeUser, csrf_token, login, post_form
from tests.web.factories import finished_attempt


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


# --- settling challenges --------------------------------------------------------------------


@dataclass
class Classroom:
    """A teacher, two trainees in the teacher's cohort, a quiz of two questions taken by both.

    Question 1's key is wrong ("a", "Right 1"; the truth is "b"). Ann answered b, a
    (5 of 10 before the correction, 10 after); Ben answered a, a (10 before, 5 after).
    """

    teacher: MadeUser
    ann: MadeUser
    ben: MadeUser
    quiz_version_id: int
    ann_attempt: int
    ben_attempt: int
    dispute_id: int


def take(user_id: int, version, responses: list[str]) -> int:
    attempt = quizzes.start(user_id, version)
    for slot, response in enumerate(responses, start=1):
        attempts.save_answer(attempt, slot, response, attempt.sequence)
    attempts.submit(attempt, attempt.sequence)
    return attempt.id


@pytest.fixture
def classroom(loaded_app, make_user) -> Classroom:
    teacher = make_user(Role.INSTRUCTOR, name="Tess Teacher")
    ann = make_user(Role.TRAINEE, name="Ann")
    ben = make_user(Role.TRAINEE, name="Ben")
    with loaded_app.app_context():
        version = publish([capital(1), capital(2)])
        cohort = cohorts.create("Group A", created_by=db.session.get(User, teacher.id))
        for trainee in (ann, ben):
            cohorts.add_member(cohort, db.session.get(User, trainee.id))
        ann_attempt = take(ann.id, version, ["b", "a"])
        ben_attempt = take(ben.id, version, ["a", "a"])
        attempt = db.session.get(Attempt, ann_attempt)
        dispute = disputes.challenge(attempt, 1, ann.id, "The source says <b>Other 1</b>.")
        return Classroom(teacher, ann, ben, version.id, ann_attempt, ben_attempt, dispute.id)


def client_of(app, user: MadeUser):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def accept_data(client, reply: str = "", correct: str = "b", prompt: str = "Capital question 1?"):
    """The accept form as the page fills it, with the option ``correct`` ticked."""
    token = csrf_token(client, "/")
    data = {
        "accept-csrf_token": token,
        "accept-prompt": prompt,
        "accept-difficulty": "medium",
        "accept-tags": "",
        "accept-explanation": "",
        "accept-reply": reply,
    }
    for row, (option_id, text) in enumerate([("a", "Right 1"), ("b", "Other 1")]):
        data[f"accept-options-{row}-id"] = option_id
        data[f"accept-options-{row}-text"] = text
        if option_id == correct:
            data[f"accept-options-{row}-correct"] = "y"
    return data


def scores(*attempt_ids: int) -> list[float]:
    return [db.session.get(Attempt, i).score for i in attempt_ids]


def test_the_teacher_sees_the_challenge_with_question_answer_key_and_comment(
    loaded_app, classroom, make_user
):
    teacher = client_of(loaded_app, classroom.teacher)
    page = teacher.get("/instructor/challenges").text
    listed = page.split('id="open-challenges"')[1].split("</ol>")[0]
    assert "Ann, question 1 of “Capitals check”" in listed
    assert "The source says &lt;b&gt;Other 1&lt;/b&gt;." in listed  # escaped
    assert "Other 1" in listed.split('class="given"')[1].split("</dd>")[0]
    assert "Right 1" in listed.split('class="correct"')[1].split("</dd>")[0]
    assert "bank question version 1" in listed
    detail = teacher.get(f"/instructor/challenges/{classroom.dispute_id}")
    assert detail.status_code == 200 and 'id="accept-button"' in detail.text
    assert "Challenges" in teacher.get("/instructor/").text

    outsider = client_of(loaded_app, make_user(Role.INSTRUCTOR))
    assert "Ann" not in outsider.get("/instructor/challenges").text
    assert outsider.get(f"/instructor/challenges/{classroom.dispute_id}").status_code == 404
    refused = post_form(
        outsider, f"/instructor/challenges/{classroom.dispute_id}/reject", {"reject-reply": "No."}
    )
    assert refused.status_code == 404
    admin = client_of(loaded_app, make_user(Role.ADMIN))
    assert "Ann, question 1" in admin.get("/instructor/challenges").text


def test_accepting_corrects_the_key_makes_a_version_and_regrades_every_attempt(
    loaded_app, classroom
):
    with loaded_app.app_context():
        ben = db.session.get(Attempt, classroom.ben_attempt)
        ben_dispute = disputes.challenge(ben, 1, classroom.ben.id, "Is Right 1 right?").id
    teacher = client_of(loaded_app, classroom.teacher)
    url = f"/instructor/challenges/{classroom.dispute_id}/accept"
    done = teacher.post(url, data=accept_data(teacher, reply="Right: it is <i>Other 1</i>."))
    assert done.status_code == 302, done.text
    flashed = teacher.get(done.headers["Location"]).text
    assert "Bank version 2 made. 2 attempts regraded." in flashed
    assert "1 other open challenge(s) of it settled with your reply." in flashed
    assert "Publish “Capitals check” again so that new attempts get the correction." in flashed
    with loaded_app.app_context():
        assert scores(classroom.ann_attempt, classroom.ben_attempt) == [10.0, 5.0]
        dispute = db.session.get(Dispute, classroom.dispute_id)
        assert dispute.status == "accepted" and dispute.settled_by_id == classroom.teacher.id
        assert dispute.reply == "Right: it is <i>Other 1</i>."
        other = db.session.get(Dispute, ben_dispute)
        assert (other.status, other.reply) == ("accepted", dispute.reply)
        question = db.session.scalars(db.select(BankQuestion).order_by(BankQuestion.id)).first()
        assert question.latest == 2
        assert bank.latest(question).data["answer"] == "b"
        assert bank.version(question, 1).data["answer"] == "a"  # the old version is kept
        rows = db.session.scalars(db.select(Regrade).order_by(Regrade.attempt_id)).all()
        assert [(r.attempt_id, r.slot, r.old_fraction, r.new_fraction) for r in rows] == [
            (classroom.ann_attempt, 1, 0.0, 1.0),
            (classroom.ben_attempt, 1, 1.0, 0.0),
        ]
        assert [(r.old_score, r.new_score) for r in rows] == [(5.0, 10.0), (10.0, 5.0)]
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "attempt.regrade")
        ).all()
        assert sorted(e.target for e in events) == sorted(
            f"attempt {i}" for i in (classroom.ann_attempt, classroom.ben_attempt)
        )
        assert all(e.actor == classroom.teacher.email for e in events)

    ann = client_of(loaded_app, classroom.ann)
    review = ann.get(f"/attempts/{classroom.ann_attempt}/review").text
    assert "Right: it is &lt;i&gt;Other 1&lt;/i&gt;." in review
    status = review.split('id="challenge-1-status"')[1].split("</p>")[0]
    assert "accepted" in status
    assert "Your score changed from 5 to 10" in review
    assert "Other 1" in review.split('class="correct"')[1].split("</dd>")[0]
    dashboard = ann.get("/dashboard").text.split('id="past-attempts"')[1]
    assert "10 / 10 (100%)" in dashboard and "was 5" in dashboard
    again = teacher.post(url, data=accept_data(teacher))
    assert again.status_code == 422 and "Already settled: accepted" in again.text
    assert "This challenge has already been settled." in again.text


def test_a_regrade_is_all_or_nothing(loaded_app, classroom, monkeypatch):
    from quizapp.services import audit

    real = audit.record
    calls = []

    def fail_on_second_regrade(action, *args, **kwargs):
        if action == "attempt.regrade":
            calls.append(action)
            if len(calls) == 2:
                raise RuntimeError("the database went away")
        return real(action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_second_regrade)
    with loaded_app.app_context():
        dispute = db.session.get(Dispute, classroom.dispute_id)
        teacher = db.session.get(User, classroom.teacher.id)
        seen = regrade.describe(dispute).question
        with pytest.raises(RuntimeError):
            regrade.accept(dispute, replace(seen, answer="b"), "", teacher)
    with loaded_app.app_context():
        assert scores(classroom.ann_attempt, classroom.ben_attempt) == [5.0, 10.0]
        assert db.session.scalar(db.select(db.func.count(Regrade.id))) == 0
        assert db.session.scalar(db.select(db.func.max(BankQuestion.latest))) == 1
        assert db.session.get(Dispute, classroom.dispute_id).status == "open"
        attempt = db.session.get(Attempt, classroom.ann_attempt)
        assert attempt.questions[0]["answer"] == "a"


def test_bad_settlements_say_what_to_fix_and_change_nothing(loaded_app, classroom):
    teacher = client_of(loaded_app, classroom.teacher)
    base = f"/instructor/challenges/{classroom.dispute_id}"
    blank = post_form(teacher, f"{base}/reject", {"reject-reply": "   "})
    assert blank.status_code == 422
    assert "Write a reply telling the trainee why the answer stands." in blank.text
    none_ticked = teacher.post(f"{base}/accept", data=accept_data(teacher, correct=""))
    assert none_ticked.status_code == 422
    assert "Mark exactly one option as correct." in none_ticked.text
    unchanged = teacher.post(f"{base}/accept", data=accept_data(teacher, correct="a"))
    assert unchanged.status_code == 422 and "Nothing was changed" in unchanged.text
    no_prompt = teacher.post(f"{base}/accept", data=accept_data(teacher, prompt=""))
    assert no_prompt.status_code == 422 and "Write the question." in no_prompt.text
    with loaded_app.app_context():
        assert db.session.get(Dispute, classroom.dispute_id).status == "open"
        assert scores(classroom.ann_attempt, classroom.ben_attempt) == [5.0, 10.0]
        assert db.session.scalar(db.select(db.func.count(Regrade.id))) == 0


def test_rejecting_keeps_the_score_and_the_trainee_reads_the_reply(loaded_app, classroom):
    teacher = client_of(loaded_app, classroom.teacher)
    url = f"/instructor/challenges/{classroom.dispute_id}/reject"
    done = post_form(teacher, url, {"reject-reply": "The treaty says <Right 1>."})
    assert done.status_code == 302
    settled = teacher.get("/instructor/challenges").text.split('id="settled-challenges"')[1]
    assert "Not accepted" in settled and "&lt;Right 1&gt;" in settled
    ann = client_of(loaded_app, classroom.ann)
    review = ann.get(f"/attempts/{classroom.ann_attempt}/review").text
    status = review.split('id="challenge-1-status"')[1].split("</p>")[0]
    assert "not accepted" in status
    assert "The treaty says &lt;Right 1&gt;." in review
    assert "score changed" not in review
    with loaded_app.app_context():
        assert scores(classroom.ann_attempt) == [5.0]
        assert db.session.get(Dispute, classroom.dispute_id).status == "rejected"


def test_a_wrong_dataset_fact_is_named_in_the_reply(loaded_app, make_user):
    teacher = make_user(Role.INSTRUCTOR)
    trainee = make_user(Role.TRAINEE, name="Cleo")
    with loaded_app.app_context():
        cohort = cohorts.create("Group F", created_by=db.session.get(User, teacher.id))
        cohorts.add_member(cohort, db.session.get(User, trainee.id))
        attempt_id = finished_attempt(trainee.id, [False])
        attempt = db.session.get(Attempt, attempt_id)
        fact_id = attempt.questions[0]["fact_ids"][0]
        dispute = disputes.challenge(attempt, 1, trainee.id, "The date is wrong.")
        dispute_id, score = dispute.id, attempt.score
    client = client_of(loaded_app, teacher)
    page = client.get(f"/instructor/challenges/{dispute_id}").text
    assert f'value="{fact_id}"' in page
    done = post_form(client, f"/instructor/challenges/{dispute_id}/fact", {"fact-fact": fact_id})
    assert done.status_code == 302
    wrong = post_form(client, f"/instructor/challenges/{dispute_id}/fact", {"fact-fact": "x"})
    assert wrong.status_code in (404, 422)
    with loaded_app.app_context():
        dispute = db.session.get(Dispute, dispute_id)
        assert dispute.status == "fact"
        assert (
            dispute.reply.startswith("The dataset's fact “")
            and "will be corrected" in dispute.reply
        )
        assert db.session.get(Attempt, attempt_id).score == score
    review = client_of(loaded_app, trainee).get(f"/attempts/{attempt_id}/review").text
    assert "the dataset fact will be corrected" in review


def test_a_newer_bank_version_is_pointed_out_before_correcting(loaded_app, classroom):
    with loaded_app.app_context():
        question = db.session.scalars(db.select(BankQuestion).order_by(BankQuestion.id)).first()
        edited = replace(bank.question_of(bank.latest(question)), prompt="Capital question one?")
        bank.edit(question, edited)
    teacher = client_of(loaded_app, classroom.teacher)
    page = teacher.get(f"/instructor/challenges/{classroom.dispute_id}").text
    notice = page.split('id="newer-version"')[1].split("</p>")[0]
    assert "already has version 2" in notice and "makes version 3" in notice
    url = f"/instructor/challenges/{classroom.dispute_id}/accept"
    assert teacher.post(url, data=accept_data(teacher)).status_code == 302
    with loaded_app.app_context():
        question = db.session.scalars(db.select(BankQuestion).order_by(BankQuestion.id)).first()
        assert question.latest == 3 and bank.latest(question).data["answer"] == "b"
        assert scores(classroom.ann_attempt, classroom.ben_attempt) == [10.0, 5.0]
