"""The instructor's whole journey in a real browser (issue 7, part 7): write a question with a
wrong key, build a quiz of it plus random draws, publish, assign; a trainee takes it and
challenges the answer; the instructor accepts and corrects the key; the trainee's score
changes exactly as expected. Axe and a 360 px phone on the new pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Attempt, Regrade
from tests.browser.conftest import PHONE, assert_accessible, capitals_school, log_in, screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PROMPT = "In which city was the Union State Treaty signed?"


@pytest.fixture
def school(live_app) -> dict[str, str]:
    """An instructor teaching a cohort with one trainee; a set with three published questions."""
    return capitals_school(live_app, questions=3)


def checked(page: Page, name: str) -> None:
    """No axe violation on desktop and on a phone, nothing wider than the phone; screenshots."""
    assert_accessible(page)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    assert_accessible(page)
    screenshot(page, f"{name}-360")
    page.set_viewport_size(DESKTOP)


def write_question(page: Page, base: str) -> None:
    """A single-choice question whose key is wrong (Minsk; the treaty was signed in Moscow)."""
    page.goto(base + "/instructor/")
    page.get_by_role("link", name="Bank", exact=True).click()
    page.get_by_label("Set", exact=True).select_option(label="Capitals")
    page.get_by_role("button", name="Write it").click()
    page.get_by_label("Question", exact=True).fill(PROMPT)
    page.get_by_label("Option text 1").fill("Minsk")
    page.get_by_label("Correct (1)").check()
    page.get_by_label("Option text 2").fill("Moscow")
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator(".flashes")).to_contain_text("Saved as a draft")
    page.get_by_label("Minsk").check()
    page.get_by_role("button", name="Try this answer").click()
    expect(page.locator("#tried")).to_contain_text("Correct (100%)")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#question-status")).to_contain_text("Published")


def build_and_assign(page: Page, cohort: str) -> None:
    page.get_by_role("link", name="Quizzes", exact=True).click()
    page.get_by_label("Title").fill("Treaty check")
    page.get_by_role("button", name="Create quiz").click()
    page.get_by_label("Search the bank").fill("Union State")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=re.compile("Add to the quiz: In which city")).click()
    expect(page.locator("#slot-1")).to_contain_text(PROMPT)
    page.get_by_label("How many").fill("2")
    page.get_by_label("From the set").select_option(label="Capitals")
    page.get_by_label("Of the type").select_option("single_choice")
    page.get_by_role("button", name="Add the draw").click()
    expect(page.locator("#slot-2")).to_contain_text("2 random from Capitals")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#quiz-status")).to_contain_text("Version 1 is live")
    page.get_by_label("Cohort", exact=True).select_option(label=cohort)
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#assignments")).to_contain_text(cohort)


def take_and_challenge(page: Page, base: str) -> None:
    """Moscow for question 1 (marked wrong by the bad key), the two draws right: 6.67 of 10."""
    page.goto(base + "/dashboard")
    page.get_by_role("button", name="Start Treaty check").click()
    expect(page.locator("legend").first).to_contain_text(PROMPT)
    page.get_by_label("Moscow").check()
    page.locator("#next-button").click()
    for slot in (2, 3):
        page.wait_for_url(re.compile(rf"/q/{slot}$"))  # the previous Next has landed
        prompt = page.locator("legend").first.inner_text()
        number = re.search(r"Capital question (\d)", prompt).group(1)
        page.get_by_label(f"Right {number}").check()
        page.locator("#next-button").click()
    page.get_by_role("button", name="Submit and finish").click()
    expect(page.locator("#score")).to_contain_text("2 of 3 right")
    expect(page.locator("#score")).to_contain_text("6.67 out of 10")
    item = page.locator("#q-1")
    item.get_by_text("Challenge this answer").click()
    item.get_by_label("Why do you think this answer is wrong?").fill(
        "The treaty was signed in Moscow, not Minsk."
    )
    page.locator("#challenge-1-submit").click()
    expect(page.locator("#challenge-1-status")).to_contain_text("waiting for an instructor")


def settle(page: Page) -> None:
    """The instructor reads the challenge, tries a blank rejection, then corrects the key."""
    page.get_by_role("link", name="Challenges", exact=True).click()
    listed = page.locator("#open-challenges")
    expect(listed).to_contain_text("Tia Trainee, question 1 of “Treaty check”")
    expect(listed).to_contain_text("The treaty was signed in Moscow, not Minsk.")
    expect(listed.locator(".given")).to_have_text("Moscow")
    expect(listed.locator(".correct")).to_have_text("Minsk")
    checked(page, "challenges")
    page.get_by_role("link", name=re.compile("Settle the challenge of Tia Trainee")).click()
    page.get_by_role("button", name="Reject the challenge").click()
    expect(page.locator("#reject-reply-error")).to_contain_text("Write a reply")
    checked(page, "challenge-settle")
    page.get_by_label("Correct (1)").uncheck()
    page.get_by_label("Correct (2)").check()
    page.get_by_label("Reply to the trainee (optional)").first.fill(
        "You are right: it was signed in Moscow. The key is corrected."
    )
    page.get_by_role("button", name="Accept, correct and regrade").click()
    expect(page.locator(".flashes")).to_contain_text("Bank version 2 made. 1 attempt regraded.")
    expect(page.locator(".flashes")).to_contain_text("Publish “Treaty check” again")
    expect(page.locator("#settled-challenges")).to_contain_text("Accepted; the key was corrected")
    assert_accessible(page)


def sees_the_new_score(page: Page, base: str) -> None:
    page.goto(base + "/dashboard")
    expect(page.locator("#take-now")).to_contain_text("10 / 10 (100%)")
    expect(page.locator("#past-attempts")).to_contain_text("Regraded: was 6.67")
    expect(page.locator("#challenge-answers")).to_contain_text("signed in Moscow")
    checked(page, "dashboard-regraded")
    page.get_by_role("link", name="Question 1 of Treaty check").click()
    expect(page.locator("#score-change")).to_contain_text("changed from 6.67 to 10 out of 10")
    expect(page.locator("#score")).to_contain_text("3 of 3 right")
    expect(page.locator("#challenge-1-status")).to_contain_text("accepted")
    expect(page.locator("#challenge-1-reply")).to_contain_text("signed in Moscow")
    expect(page.locator("#q-1 .correct")).to_have_text("Moscow")
    checked(page, "review-regraded")


def test_instructor_writes_builds_assigns_and_settles_a_challenge_with_a_regrade(
    browser, live_server, live_app, school
):
    instructor = browser.new_context(viewport=DESKTOP).new_page()
    log_in(instructor, live_server, school["instructor"])
    write_question(instructor, live_server)
    build_and_assign(instructor, school["cohort"])

    trainee = browser.new_context(viewport=DESKTOP).new_page()
    log_in(trainee, live_server, school["trainee"])
    take_and_challenge(trainee, live_server)

    settle(instructor)
    sees_the_new_score(trainee, live_server)
    with live_app.app_context():
        attempt = db.session.scalars(db.select(Attempt)).one()
        assert round(attempt.score, 2) == 10.0
        row = db.session.scalars(db.select(Regrade)).one()
        assert (row.slot, row.old_fraction, row.new_fraction) == (1, 0.0, 1.0)
        assert round(row.old_score, 2) == 6.67
