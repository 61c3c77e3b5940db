"""Quizzes on both databases: building, publishing, versions, starting, assigning, results."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.core.questions import Option, Question
from quizapp.core.quizzes import (
    DrawSlot,
    FixedSlot,
    GradingMethod,
    QuizError,
    QuizSettings,
    ReviewOptions,
    ReviewWhen,
)
from quizapp.extensions import db
from quizapp.models import Attempt, QuizVersion, Role, Status, User
from quizapp.services import assignments, attempts, bank, cohorts, quizzes
from tests.web.conftest import post_form


def choice(prompt: str, tag: str = "capitals") -> Question:
    return Question(
        id="",
        type="single_choice",
        prompt=prompt,
        answer="a",
        options=(Option("a", "Right"), Option("b", "Wrong"), Option("c", "Also wrong")),
        tags=(tag,),
    )


@pytest.fixture
def ctx(loaded_app):
    with loaded_app.app_context():
        yield loaded_app


def stock(count: int = 5, status: str = Status.PUBLISHED):
    """A set of ``count`` questions; returns (set, bank questions)."""
    question_set = bank.create_set("Capitals")
    added = [bank.add(question_set, choice(f"Question {n}?"), status=status) for n in range(count)]
    db.session.commit()
    return question_set, added


def quiz_with(slots, settings: QuizSettings | None = None):
    quiz = quizzes.create("Capitals check")
    if settings is not None:
        quizzes.update(quiz, quiz.title, "", settings)
    for slot in slots:
        quizzes.add_slot(quiz, slot)
    return quiz


def take(user_id: int, version: QuizVersion, right: int, now=None) -> Attempt:
    """Start and submit an attempt answering the first ``right`` questions right."""
    attempt = quizzes.start(user_id, version, now=now)
    for slot in range(1, right + 1):
        attempts.save_answer(attempt, slot, "a", attempt.sequence, now=now)
    return attempts.submit(attempt, attempt.sequence, now=now)


# --- services -----------------------------------------------------------------------------


def test_publish_pins_fixed_versions_and_a_start_freezes_everything(ctx, make_user):
    question_set, added = stock(6)
    first = added[0]
    bank.edit(first, choice("Question 0, reworded?"))
    settings = QuizSettings(time_limit_minutes=15, grace_seconds=5, grade_max=20)
    quiz = quiz_with([FixedSlot(first.id, mark=2), DrawSlot(question_set.id, 3)], settings)
    version = quizzes.publish(quiz)
    assert version.number == 1 and quiz.published == 1 and not quiz.draft_changed
    assert version.slots[0]["version"] == 2
    bank.edit(first, choice("Question 0, third wording?"))  # after publishing: not used

    trainee = make_user(Role.TRAINEE)
    now = datetime(2026, 5, 1, 10, tzinfo=UTC)
    attempt = quizzes.start(trainee.id, version, now=now, seed=7)
    prompts = [q["prompt"] for q in attempt.questions]
    assert prompts[0] == "Question 0, reworded?"
    assert len(set(prompts)) == 4 and "Question 0?" not in prompts
    assert attempt.quiz_version_id == version.id and attempt.kind == "quiz"
    assert attempt.settings["marks"] == [2, 1, 1, 1]
    assert attempt.settings["grace_seconds"] == 5 and attempt.grade_max == 20
    assert attempt.deadline == now + timedelta(minutes=15)
    again = quizzes.start(make_user(Role.TRAINEE).id, version, now=now, seed=7)
    assert again.questions == attempt.questions  # the stored seed replays the draw


def test_publishing_refuses_with_every_problem_and_changes_nothing(ctx):
    question_set, added = stock(2, status=Status.DRAFT)
    quiz = quiz_with([FixedSlot(added[0].id), DrawSlot(question_set.id, 4)])
    with pytest.raises(quizzes.PublishRefused) as refused:
        quizzes.publish(quiz)
    text = "\n".join(refused.value.problems)
    assert "Slot 1: the question is a draft" in text
    assert "Slot 2: it draws 4 but its pool holds only 0" in text
    assert quiz.published is None and db.session.scalars(db.select(QuizVersion)).all() == []


def test_an_attempted_version_is_kept_and_republishing_makes_the_next(ctx, make_user):
    question_set, added = stock(3)
    quiz = quiz_with([FixedSlot(added[0].id)])
    first = quizzes.publish(quiz)
    assert quizzes.publish(quiz).id == first.id  # nobody took it: replaced in place
    attempt = take(make_user(Role.TRAINEE).id, first, right=1)
    quizzes.add_slot(quiz, FixedSlot(added[1].id))
    assert quiz.draft_changed
    second = quizzes.publish(quiz)
    assert (second.number, quiz.published) == (2, 2) and second.id != first.id
    assert len(first.slots) == 1 and len(second.slots) == 2
    assert attempt.quiz_version_id == first.id and len(attempt.questions) == 1


def test_attempts_allowed_open_dates_and_grading_method(ctx, make_user):
    _, added = stock(2)
    now = datetime(2026, 5, 1, 10, tzinfo=UTC)
    settings = QuizSettings(
        attempts_allowed=2, grading=GradingMethod.AVERAGE, pass_percent=60, opens_at=now
    )
    version = quizzes.publish(quiz_with([FixedSlot(a.id) for a in added], settings))
    trainee = make_user(Role.TRAINEE)
    with pytest.raises(QuizError, match="not open yet"):
        quizzes.start(trainee.id, version, now=now - timedelta(minutes=1))
    take(trainee.id, version, right=2, now=now)
    take(trainee.id, version, right=0, now=now)
    with pytest.raises(QuizError, match="every attempt"):
        quizzes.start(trainee.id, version, now=now)
    standing = quizzes.standing(trainee.id, version.quiz_id, settings, now)
    assert standing.fraction == pytest.approx(0.5) and standing.passed is False
    assert standing.attempts_left == 0 and standing.grade_visible


def test_settings_update_is_all_or_nothing(ctx):
    quiz = quizzes.create("Draft")
    with pytest.raises(quizzes.QuizFormError) as error:
        quizzes.update(quiz, "", "", QuizSettings(attempts_allowed=-1))
    assert set(error.value.problems) == {"title", "attempts_allowed"}
    assert quiz.title == "Draft" and quizzes.settings_of(quiz) == QuizSettings()


# --- assignments -----------------------------------------------------------------------------


@pytest.fixture
def classroom(ctx, make_user):
    """A published quiz of 2 fixed questions, a cohort with its instructor and trainee."""
    _, added = stock(3)
    version = quizzes.publish(quiz_with([FixedSlot(a.id) for a in added[:2]]))
    teacher = db.session.get(User, make_user(Role.INSTRUCTOR).id)
    trainee = make_user(Role.TRAINEE)
    cohort = cohorts.create("Morning group", created_by=teacher)
    cohorts.add_member(cohort, db.session.get(User, trainee.id))
    return version, teacher, trainee, cohort


def test_instructors_assign_only_to_cohorts_they_teach(classroom, make_user):
    version, teacher, _, cohort = classroom
    outsider = db.session.get(User, make_user(Role.INSTRUCTOR).id)
    with pytest.raises(assignments.AssignmentError, match="cohorts you teach"):
        assignments.assign(version.quiz, cohort, None, outsider)
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    made = assignments.assign(version.quiz, cohort, None, admin)
    with pytest.raises(assignments.AssignmentError, match="already assigned"):
        assignments.assign(version.quiz, cohort, None, teacher)
    assert assignments.of_quiz(version.quiz, teacher) == [made]
    assert assignments.of_quiz(version.quiz, outsider) == []


def test_take_now_lists_assigned_quizzes_with_due_date_and_grade(classroom):
    version, teacher, trainee, cohort = classroom
    now = datetime(2026, 5, 1, 10, tzinfo=UTC)
    assert assignments.take_now(trainee.id, now) == []
    due = now + timedelta(days=3)
    assignment = assignments.assign(version.quiz, cohort, due, teacher)
    [row] = assignments.take_now(trainee.id, now)
    assert row.due_at == due and row.standing.attempts_left is None and row.score is None
    take(trainee.id, version, right=1, now=now)
    [row] = assignments.take_now(trainee.id, now)
    assert row.score == 5.0 and row.standing.grade_visible
    [result] = assignments.results(assignment, now)
    assert result.user.id == trainee.id and result.standing.fraction == pytest.approx(0.5)


# --- pages ---------------------------------------------------------------------------------


def test_instructor_builds_publishes_and_assigns_through_the_pages(loaded_app, signed_in):
    client, teacher = signed_in(Role.INSTRUCTOR)
    with loaded_app.app_context():
        question_set, added = stock(4)
        set_id, fixed_id = question_set.id, added[0].id
        cohort_id = cohorts.create("Evening", created_by=db.session.get(User, teacher.id)).id
    response = post_form(client, "/instructor/quizzes", {"title": "Week 1"})
    assert response.status_code == 302
    url = response.headers["Location"].split("#")[0]
    page = client.get(url).text
    assert "The quiz has no questions" in page and 'id="publish"' not in page
    found = client.get(url + "?q=question+0").text
    assert "Question 0?" in found and f'name="question_id" value="{fixed_id}"' in found
    post_form(client, url + "/fixed", {"question_id": fixed_id, "mark": "1"})
    response = post_form(
        client, url + "/draws", {"count": "9", "set_id": set_id, "type": "", "tag": "", "mark": "1"}
    )
    assert response.status_code == 302  # added; publishing then names the short pool
    page = client.get(url).text
    assert "Slot 2: it draws 9 but its pool holds only 3" in page
    assert post_form(client, url + "/publish").status_code == 422
    post_form(client, url + "/slots/2/remove")
    post_form(client, url + "/draws", {"count": "2", "set_id": set_id, "mark": "1"})
    assert post_form(client, url + "/publish").status_code == 302
    page = client.get(url).text
    assert "Version 1 is live" in page
    response = post_form(client, url + "/assignments", {"cohort_id": cohort_id, "due_at": ""})
    assert response.status_code == 302
    assert "Results of Evening" in client.get(url).text


def test_settings_errors_stay_on_their_fields(loaded_app, signed_in):
    client, _ = signed_in(Role.INSTRUCTOR)
    url = post_form(client, "/instructor/quizzes", {"title": "Week 2"}).headers["Location"]
    url = url.split("#")[0]
    data = {
        "title": "Week 2",
        "attempts_allowed": "0",
        "grading": "highest",
        "grade_max": "10",
        "feedback": "deferred",
        "review_when": "after_close",
        "time_limit_minutes": "5000",
        "opens_at": "2026-06-02T10:00",
        "closes_at": "2026-06-01T10:00",
    }
    page = post_form(client, url + "/settings", data)
    assert page.status_code == 422
    text = page.text
    assert "between 1 and 1440 minutes" in text.split('id="time_limit_minutes-error">')[1]
    assert "after the open date" in text.split('id="closes_at-error">')[1]
    with loaded_app.app_context():
        quiz = quizzes.listing()[0].quiz
        assert quizzes.settings_of(quiz).time_limit_minutes is None  # nothing saved


def test_trainee_takes_an_assigned_quiz_from_the_dashboard(loaded_app, signed_in, make_user):
    client, trainee = signed_in(Role.TRAINEE)
    with loaded_app.app_context():
        _, added = stock(2)
        settings = QuizSettings(attempts_allowed=1)
        version = quizzes.publish(quiz_with([FixedSlot(a.id) for a in added], settings))
        teacher = db.session.get(User, make_user(Role.INSTRUCTOR).id)
        cohort = cohorts.create("Group A", created_by=teacher)
        cohorts.add_member(cohort, db.session.get(User, trainee.id))
        assignments.assign(version.quiz, cohort, None, teacher)
        quiz_id = version.quiz_id
    dashboard = client.get("/dashboard").text
    assert "Capitals check" in dashboard.split('id="take-now"')[1]
    response = post_form(client, f"/quizzes/{quiz_id}/start")
    assert response.status_code == 302
    attempt_url = response.headers["Location"]
    again = post_form(client, f"/quizzes/{quiz_id}/start")
    assert again.headers["Location"] == attempt_url  # continues, does not start another
    with loaded_app.app_context():
        attempt = db.session.scalars(db.select(Attempt)).one()
        assert '"answer"' not in client.get(f"/attempts/{attempt.id}/q/1").text
        attempts.save_answer(attempt, 1, "a", attempt.sequence)
        attempts.submit(attempt, attempt.sequence)
    dashboard = client.get("/dashboard").text.split('id="take-now"')[1]
    assert "5 / 10 (50%)" in dashboard and "You have used every attempt" in dashboard
    assert post_form(client, f"/quizzes/{quiz_id}/start").status_code == 302
    with loaded_app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_a_quiz_not_assigned_to_the_trainee_is_404(loaded_app, signed_in):
    client, _ = signed_in(Role.TRAINEE)
    with loaded_app.app_context():
        _, added = stock(1)
        quiz_id = quizzes.publish(quiz_with([FixedSlot(added[0].id)])).quiz_id
    assert post_form(client, f"/quizzes/{quiz_id}/start").status_code == 404


def test_no_answer_is_shown_before_the_review_opens(loaded_app, signed_in, make_user):
    client, trainee = signed_in(Role.TRAINEE)
    closes = datetime.now(UTC) + timedelta(days=2)
    with loaded_app.app_context():
        _, added = stock(1)
        settings = QuizSettings(closes_at=closes, review=ReviewOptions(when=ReviewWhen.AFTER_CLOSE))
        version = quizzes.publish(quiz_with([FixedSlot(added[0].id)], settings))
        attempt = take(trainee.id, version, right=0)
        attempt_id = attempt.id
    page = client.get(f"/attempts/{attempt_id}/review")
    assert page.status_code == 403
    assert "Its review opens" in page.text and "Right" not in page.text
    challenge = post_form(client, f"/attempts/{attempt_id}/review/1/challenge", {"c1-comment": ""})
    assert challenge.status_code == 403 and "Right" not in challenge.text
    dashboard = client.get("/dashboard").text
    assert "0 / 10" not in dashboard


def test_results_and_attempt_reviews_for_teachers_only(loaded_app, signed_in, make_user):
    client, teacher = signed_in(Role.INSTRUCTOR, name="Tess")
    outsider, _ = signed_in(Role.INSTRUCTOR)
    trainee = make_user(Role.TRAINEE, name="Tom Trainee")
    with loaded_app.app_context():
        _, added = stock(2)
        version = quizzes.publish(quiz_with([FixedSlot(a.id) for a in added]))
        cohort = cohorts.create("Group B", created_by=db.session.get(User, teacher.id))
        cohorts.add_member(cohort, db.session.get(User, trainee.id))
        assignment = assignments.assign(
            version.quiz, cohort, None, db.session.get(User, teacher.id)
        )
        attempt = take(trainee.id, version, right=2)
        assignment_id, attempt_id = assignment.id, attempt.id
    results = client.get(f"/instructor/assignments/{assignment_id}").text
    assert "Tom Trainee" in results and "10 (100%)" in results
    review = client.get(f"/instructor/attempts/{attempt_id}")
    assert review.status_code == 200 and "Correct answer" in review.text
    assert outsider.get(f"/instructor/assignments/{assignment_id}").status_code == 404
    assert outsider.get(f"/instructor/attempts/{attempt_id}").status_code == 404
    admin, _ = signed_in(Role.ADMIN)
    assert admin.get(f"/instructor/attempts/{attempt_id}").status_code == 200


def test_reordering_and_removing_slots(ctx):
    _, added = stock(3)
    quiz = quiz_with([FixedSlot(a.id) for a in added])
    quizzes.move_slot(quiz, 2, -1)
    assert [s.question_id for s in quizzes.slots_of(quiz)] == [
        added[0].id,
        added[2].id,
        added[1].id,
    ]
    quizzes.remove_slot(quiz, 0)
    assert [s.question_id for s in quizzes.slots_of(quiz)] == [added[2].id, added[1].id]
    with pytest.raises(quizzes.QuizFormError, match="already in the quiz"):
        quizzes.add_slot(quiz, replace(FixedSlot(added[1].id), mark=2))


def test_without_cohorts_the_builder_links_to_where_each_role_makes_one(loaded_app, signed_in):
    for role, link in ((Role.ADMIN, "/admin/cohorts"), (Role.INSTRUCTOR, "/instructor/cohorts")):
        client, _ = signed_in(role)
        with loaded_app.app_context():
            _, added = stock(1) if role == Role.ADMIN else (None, None)
            quiz = (
                quizzes.listing()[0].quiz if added is None else quiz_with([FixedSlot(added[0].id)])
            )
            quizzes.publish(quiz)
            quiz_id = quiz.id
        assert f'href="{link}">create one' in client.get(f"/instructor/quizzes/{quiz_id}").text
