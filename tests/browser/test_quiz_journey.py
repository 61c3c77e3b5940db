"""A quiz from the builder to a trainee's grade, in a real browser, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Assignment
from tests.browser.conftest import PHONE, assert_accessible, capitals_school, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def school(live_app) -> dict[str, str]:
    """An instructor teaching a cohort with one trainee, and a set of four published questions."""
    return capitals_school(live_app, questions=4)


def build_and_assign(page: Page, base: str, cohort: str) -> str:
    """The instructor's part; returns the builder's URL."""
    page.goto(base + "/instructor/")
    page.get_by_role("link", name="Quizzes").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Capitals, week 1")
    page.get_by_role("button", name="Create quiz").click()
    expect(page.locator("h1")).to_have_text("Capitals, week 1")
    expect(page.locator("#publish-problems")).to_contain_text("The quiz has no questions")
    builder = page.url.split("#")[0]

    page.get_by_label("Search the bank").fill("question 0")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Add to the quiz: Capital question 0")).click()
    expect(page.locator("#slot-1")).to_contain_text("Capital question 0?")

    page.get_by_label("How many").fill("2")
    page.get_by_label("From the set").select_option(label="Capitals")
    page.get_by_label("Of the type").select_option("single_choice")
    page.get_by_role("button", name="Add the draw").click()
    expect(page.locator("#slot-2")).to_contain_text("2 random from Capitals")

    page.get_by_label("Time limit (minutes)").fill("0")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#time_limit_minutes-error")).to_contain_text("between 1 and 1440")
    assert_accessible(page)  # with the error shown
    page.get_by_label("Time limit (minutes)").fill("20")
    page.get_by_label("Pass mark (percent)").fill("50")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flashes")).to_contain_text("Settings saved")

    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#quiz-status")).to_contain_text("Version 1 is live")
    page.get_by_label("Cohort", exact=True).select_option(label=cohort)
    page.get_by_label("Due (UTC, optional)").fill("2030-06-01T17:00")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#assignments")).to_contain_text(cohort)
    assert_accessible(page)
    screenshot(page, "quiz-builder")
    page.set_viewport_size(PHONE)
    screenshot(page, "quiz-builder-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    return builder


def take_quiz(page: Page, base: str) -> None:
    """The trainee's part: Take now, three questions (two right), the grade."""
    page.goto(base + "/dashboard")
    take = page.locator("#take-now")
    expect(take).to_contain_text("Capitals, week 1")
    expect(take).to_contain_text("01 Jun 2030, 17:00 UTC")
    assert_accessible(page)
    screenshot(page, "take-now")
    page.get_by_role("button", name="Start Capitals, week 1").click()
    for slot in (1, 2, 3):
        page.wait_for_url(re.compile(rf"/q/{slot}$"))  # the previous Next has landed
        expect(page.locator(".attempt-progress, h1").first).to_be_visible()
        prompt = page.locator("legend").first.inner_text()
        number = re.search(r"Capital question (\d)", prompt).group(1)
        choice = "Right" if slot < 3 else "Wrong"
        page.get_by_label(f"{choice} {number}").check()
        page.locator("#next-button").click()
    page.get_by_role("button", name="Submit and finish").click()
    expect(page.locator("#score")).to_contain_text("6.67 out of 10")
    page.goto(base + "/dashboard")
    expect(page.locator("#take-now")).to_contain_text("6.67 / 10 (67%), passed")
    page.set_viewport_size(PHONE)
    screenshot(page, "take-now-graded-360")


def test_instructor_builds_assigns_and_a_trainee_takes_the_quiz(
    browser, live_server, live_app, school
):
    instructor = browser.new_context().new_page()  # one session each
    log_in(instructor, live_server, school["instructor"])
    builder = build_and_assign(instructor, live_server, school["cohort"])

    trainee = browser.new_context().new_page()
    log_in(trainee, live_server, school["trainee"])
    take_quiz(trainee, live_server)

    instructor.set_viewport_size({"width": 1280, "height": 800})
    instructor.goto(builder)
    instructor.get_by_role("link", name=f"Results of {school['cohort']}").click()
    results = instructor.locator("#results")
    expect(results).to_contain_text("Tia Trainee")
    expect(results).to_contain_text("6.67 (67%), passed")
    assert_accessible(instructor)
    screenshot(instructor, "quiz-results")
    instructor.get_by_role("link", name="Attempt 1").click()
    expect(instructor.locator("h1")).to_contain_text("attempt by Tia Trainee")
    expect(instructor.locator(".correct").first).to_be_visible()
    assert_accessible(instructor)
    with live_app.app_context():
        assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 1


def test_a_review_not_open_yet_says_when_it_opens(page, live_server, live_app, school):
    from datetime import UTC, datetime, timedelta

    from quizapp.core.quizzes import FixedSlot, QuizSettings, ReviewOptions, ReviewWhen
    from quizapp.models import BankQuestion, User
    from quizapp.services import attempts, quizzes

    with live_app.app_context():
        closes = datetime.now(UTC) + timedelta(days=3)
        settings = QuizSettings(closes_at=closes, review=ReviewOptions(when=ReviewWhen.AFTER_CLOSE))
        quiz = quizzes.create("Closed review")
        quizzes.update(quiz, quiz.title, "", settings)
        first = db.session.scalars(db.select(BankQuestion)).first()
        quizzes.add_slot(quiz, FixedSlot(first.id))
        trainee = db.session.scalars(db.select(User).where(User.email == school["trainee"])).one()
        attempt = quizzes.start(trainee.id, quizzes.publish(quiz))
        attempts.submit(attempt, attempt.sequence)
        attempt_id = attempt.id
    log_in(page, live_server, school["trainee"])
    page.goto(f"{live_server}/attempts/{attempt_id}/review")
    expect(page.locator("#review-closed")).to_contain_text("Its review opens")
    expect(page.locator("body")).not_to_contain_text("Right 0")
    assert_accessible(page)
