"""Question statistics, coverage map and the quiz gradebook in a real browser: axe finds
nothing, the pages fit a 360 px phone, and a grade is set by hand through the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from quizapp.core.quizzes import FixedSlot, QuizSettings
from quizapp.extensions import db
from quizapp.services import accounts, assignments, cohorts, quizzes
from tests.browser.conftest import ARTIFACTS, PHONE, assert_accessible, screenshot
from tests.browser.test_admin_pages import PASSWORD, log_in
from tests.web.factories import finished_attempt
from tests.web.test_item_stats import take_as
from tests.web.test_quizzes import quiz_with, stock

pytestmark = pytest.mark.browser

PATTERNS = [[1, 1, 1], [1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0], [0, 1, 0]]


@pytest.fixture
def school(live_app) -> dict[str, str]:
    """A quiz taken by six trainees of two cohorts, practice too; the instructor teaches Minsk."""
    with live_app.app_context():
        admin = accounts.create_user("ada@example.org", PASSWORD, "admin", "Ada Admin")
        teacher = accounts.create_user("ian@example.org", PASSWORD, "instructor", "Ian Teacher")
        _, added = stock(3)
        quiz = quiz_with([FixedSlot(a.id) for a in added], QuizSettings(pass_percent=60))
        version = quizzes.publish(quiz)
        minsk = cohorts.create("Minsk spring", created_by=teacher)
        brest = cohorts.create("Brest autumn")
        for number, pattern in enumerate(PATTERNS, start=1):
            trainee = accounts.create_user(
                f"t{number}@example.org", PASSWORD, "trainee", f"Trainee {number}"
            )
            cohorts.add_member(minsk if number <= 3 else brest, trainee)
            take_as(trainee.id, version, pattern)
            finished_attempt(trainee.id, [bool(p) for p in pattern])
        for cohort in (minsk, brest):
            assignments.assign(quiz, cohort, None, admin)
        db.session.commit()
        return {
            "version": str(version.id),
            "quiz": str(quiz.id),
            "minsk": str(minsk.id),
            "trainee": str(trainee.id),
            "brest": str(brest.id),
        }


def _walk(page: Page, base: str, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, f"{path}: {response.status}"
        assert_accessible(page)


def _fits(page: Page) -> None:
    """Nothing wider than the phone: wide tables scroll inside their own region."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width} px wide"


def _report_paths(ids: dict[str, str]) -> list[str]:
    return [
        "/admin/reports/statistics",
        f"/admin/reports/statistics/{ids['version']}",
        "/admin/reports/statistics/practice",
        "/admin/reports/coverage",
        f"/admin/reports/coverage?sort={ids['minsk']}&dir=desc",
        f"/admin/reports/gradebook?cohort={ids['brest']}&quiz={ids['quiz']}",
    ]


def test_report_pages_pass_axe_on_desktop_and_phone(page, live_server, school):
    log_in(page, live_server, "ada@example.org")
    paths = _report_paths(school)
    _walk(page, live_server, paths)
    page.goto(f"{live_server}/admin/reports/statistics/{school['version']}")
    expect(page.get_by_role("img", name="Score distribution of Capitals check, version 1"))
    screenshot(page, "question-statistics")
    page.goto(f"{live_server}/admin/reports/coverage?sort={school['minsk']}&dir=desc")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coverage-map.png"))  # the strongest facts, on screen
    page.set_viewport_size(PHONE)
    for path in paths:
        page.goto(live_server + path)
        _fits(page)
        assert_accessible(page)
    page.goto(f"{live_server}/admin/reports/statistics/{school['version']}")
    screenshot(page, "question-statistics-phone")


def test_instructor_sets_a_grade_by_hand_with_a_reason(page, live_server, school):
    log_in(page, live_server, "ian@example.org")
    _walk(page, live_server, ["/admin/reports/statistics", "/admin/reports/coverage"])
    expect(page.locator("main")).not_to_contain_text("Brest autumn")
    page.goto(
        f"{live_server}/admin/reports/gradebook?cohort={school['minsk']}&quiz={school['quiz']}"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Set grade of Trainee 3").click()
    page.get_by_label("New grade").fill("12")
    page.get_by_role("button", name="Set the grade").click()
    expect(page.locator("#grade-error")).to_contain_text("a number from 0 to 10")
    expect(page.locator("#reason-error")).to_contain_text("Give the reason")
    assert_accessible(page)  # with both errors shown
    page.get_by_label("New grade").fill("8")
    page.get_by_label("Reason (required)").fill("Fire alarm during the quiz")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Set the grade").press("Enter")
    row = page.get_by_role("row", name="Trainee 3")
    expect(row).to_contain_text("8.00")
    expect(row).to_contain_text("Set by hand (computed 6.67): Fire alarm during the quiz")
    expect(row).to_contain_text("Passed")
    screenshot(page, "gradebook-override")
