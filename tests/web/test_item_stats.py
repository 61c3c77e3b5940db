"""Question statistics per quiz version, summed in the database, against hand-computed values.

The hand fixture of tests/core/test_stats.py, taken as a real quiz by five trainees:
    Q0 [1,1,1,1,1] everyone right    Q1 [1,1,1,0,0]    Q2 [1,1,0,1,0]
"""

from __future__ import annotations

import math

import pytest

from quizapp.core.quizzes import FixedSlot
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import attempts, cohorts, item_stats, quizzes
from tests.web.factories import finished_attempt, single_choice_questions
from tests.web.test_quizzes import quiz_with, stock

PATTERN = [[1, 1, 1], [1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0]]
approx = pytest.approx


def take_as(user_id: int, version, right: list[int]) -> None:
    """Answer "Question n?" right ("a") or wrong ("b") as `right[n]` says, then submit."""
    attempt = quizzes.start(user_id, version)
    for slot, question in enumerate(attempts.questions_of(attempt), start=1):
        number = int(question.prompt.split()[1].rstrip("?"))
        answer = "a" if right[number] else "b"
        attempts.save_answer(attempt, slot, answer, attempt.sequence)
    attempts.submit(attempt, attempt.sequence)


@pytest.fixture
def taken(loaded_app, make_user):
    """The quiz taken by five trainees as PATTERN says; the first two in cohort Minsk."""
    with loaded_app.app_context():
        _, added = stock(3)
        version = quizzes.publish(quiz_with([FixedSlot(a.id) for a in added]))
        trainees = [make_user(Role.TRAINEE) for _ in PATTERN]
        for trainee, right in zip(trainees, PATTERN, strict=True):
            take_as(trainee.id, version, right)
        minsk = cohorts.create("Minsk")
        for trainee in trainees[:2]:
            cohorts.add_member(minsk, db.session.get(User, trainee.id))
        db.session.commit()
        return version.id, minsk.id, trainees


@pytest.fixture
def ctx(loaded_app):
    with loaded_app.app_context():
        yield loaded_app


def test_item_statistics_match_the_hand_computed_values(taken, ctx):
    version_id, _, _ = taken
    report = item_stats.for_quiz_version(version_id)
    by_prompt = {item.prompt: item for item in report.items}
    q0, q1 = by_prompt["Question 0?"], by_prompt["Question 1?"]
    assert report.attempts == 5 and report.total_max == 3
    assert (q0.stats.facility_index, q1.stats.facility_index) == approx((100, 60))
    assert q0.stats.discrimination_index is None  # everyone right: undefined, not 0
    assert q1.stats.standard_deviation == approx(100 * math.sqrt(0.3))
    assert q1.stats.discrimination_index == approx(100 / 6)
    assert q1.stats.discriminative_efficiency == approx(100 * 0.05 / 0.3)
    assert q1.stats.random_guess_score == approx(100 / 3)
    assert (q0.stats.effective_weight, q1.stats.effective_weight) == approx((0, 50))
    assert q0.weak == ["very easy"] and "weak discrimination" in q1.weak
    shares = {o.text: (o.count, o.correct, o.unchosen) for o in q1.options}
    assert shares == {
        "Right": (3, True, False),
        "Wrong": (2, False, False),
        "Also wrong": (0, False, True),
    }
    quiz = report.quiz
    assert (quiz.attempts, quiz.mean, quiz.median) == (5, approx(2.2), 2)
    assert quiz.standard_deviation == approx(math.sqrt(0.7))
    assert quiz.skewness == approx(-0.3 / 0.7**1.5)
    assert quiz.kurtosis == approx(-0.3 / 0.49)
    assert quiz.coefficient_of_internal_consistency == approx(100 * 1.5 * (1 - 0.6 / 0.7))
    assert report.distribution == [(1.0, 1), (2.0, 2), (3.0, 2)]


def test_a_cohort_sees_only_its_trainees_and_the_cache_follows_new_attempts(taken, ctx, make_user):
    version_id, minsk_id, _ = taken
    minsk = db.session.get(cohorts.Cohort, minsk_id)
    scoped = item_stats.for_quiz_version(version_id, cohorts.trainee_ids(minsk), ("cohort", 1))
    assert scoped.attempts == 2 and scoped.quiz.mean == approx(3)
    first = item_stats.for_quiz_version(version_id)
    assert item_stats.for_quiz_version(version_id) is first  # nothing new: the cached report
    version = db.session.get(quizzes.QuizVersion, version_id)
    take_as(make_user(Role.TRAINEE).id, version, [0, 0, 0])
    fresh = item_stats.for_quiz_version(version_id)
    assert fresh is not first and fresh.attempts == 6 and fresh.distribution[0] == (0.0, 1)


def test_practice_groups_generated_questions_by_type_and_fact(loaded_app, make_user):
    ana, boris = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    with loaded_app.app_context():
        questions = single_choice_questions(2)
        finished_attempt(ana.id, [True, False], questions=questions)
        finished_attempt(boris.id, [True, True], questions=questions)
        report = item_stats.for_practice()
        assert report.quiz is None and report.attempts == 2
        facilities = sorted(item.stats.facility_index for item in report.items)
        assert facilities == approx([50, 100])
        assert all(item.stats.attempts == 2 for item in report.items)


def test_the_statistics_page_for_admins_and_for_the_instructor_of_a_cohort(
    loaded_app, taken, signed_in
):
    version_id, minsk_id, _ = taken
    url = f"/admin/reports/statistics/{version_id}"
    admin, _ = signed_in(Role.ADMIN)
    page = admin.get(url).text
    assert "Question statistics: Capitals check, version 1" in page
    assert 'Number of finished attempts</th><td class="num">5<' in page
    assert "Coefficient of internal consistency (Cronbach's alpha)" in page
    assert "Also wrong: 0% (0): nobody chooses this option" in page
    assert "very easy" in page and "below 20 (weak discrimination)" in page
    assert page.count('role="img"') == 2 and "<title" in page  # distribution and scatter
    assert (
        'Capitals check, version 1</a></th><td class="num">5<'
        in admin.get("/admin/reports/statistics").text
    )

    teacher, teacher_user = signed_in(Role.INSTRUCTOR)
    with loaded_app.app_context():
        minsk = db.session.get(cohorts.Cohort, minsk_id)
        cohorts.add_member(minsk, db.session.get(User, teacher_user.id))
        other = cohorts.create("Brest")
        other_id = other.id
    assert "Question statistics" in teacher.get("/instructor/").text
    mine = teacher.get(url).text
    assert 'Number of finished attempts</th><td class="num">2<' in mine  # Minsk's two only
    assert teacher.get(url, query_string={"cohort": other_id}).status_code == 404
    assert "Brest" not in teacher.get("/admin/reports/statistics").text
    assert admin.get(url, query_string={"cohort": other_id}).status_code == 200
    assert admin.get("/admin/reports/statistics/999").status_code == 404


def test_practice_statistics_page(loaded_app, signed_in, make_user):
    ana = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        finished_attempt(ana.id, [True, False])
    admin, _ = signed_in(Role.ADMIN)
    page = admin.get("/admin/reports/statistics/practice").text
    assert "Question statistics: Practice" in page and "1 finished practice attempt" in page
    assert "Quiz information" not in page and "(the right answer): 100% (1)" in page
