"""Admin and instructor pages in a real browser: each one passes axe, and the cohort journey
works by mouse and keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from quizapp.services import accounts, cohorts
from tests.browser.conftest import PASSWORD, assert_accessible, log_in, screenshot
from tests.web.factories import finished_attempt

pytestmark = pytest.mark.browser

# Admin pages without parameters, each checked with axe (add new ones here).
ADMIN_PAGES = [
    "/admin/",
    "/admin/invitations",
    "/admin/cohorts",
    "/admin/audit",
    "/admin/users/import",
    "/admin/reports/confusion",
    "/admin/reports/gradebook",
]


@pytest.fixture
def people(live_app) -> dict[str, str]:
    """An admin, an instructor teaching a cohort of two trainees; their emails by role."""
    with live_app.app_context():
        admin = accounts.create_user("ada@example.org", PASSWORD, "admin", "Ada Admin")
        teacher = accounts.create_user("ian@example.org", PASSWORD, "instructor", "Ian Instructor")
        cohort = cohorts.create("Minsk spring", "Border guards", created_by=teacher)
        for number in (1, 2):
            trainee = accounts.create_user(
                f"t{number}@example.org", PASSWORD, "trainee", f"Trainee {number}"
            )
            cohorts.add_member(cohort, trainee)
        attempt = finished_attempt(trainee.id, [True, False, None])
        return {
            "admin": admin.email,
            "instructor": teacher.email,
            "cohort": str(cohort.id),
            "attempt": str(attempt),
        }


def walk(page: Page, base: str, paths: list[str]) -> None:
    """Open each page and check it with axe; a 4xx or 5xx page fails the walk."""
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, f"{path}: {response.status}"
        assert_accessible(page)


def test_admin_pages_are_accessible(page, live_server, people):
    log_in(page, live_server, people["admin"])
    cohort = people["cohort"]
    walk(page, live_server, ADMIN_PAGES + [f"/admin/cohorts/{cohort}"])
    walk(page, live_server, [f"/attempts/{people['attempt']}/review"])  # with its step log
    walk(page, live_server, [f"/admin/reports/gradebook?cohort={cohort}"])
    screenshot(page, "admin-attempt-review")
    screenshot(page, "admin-cohort")
    page.goto(live_server + "/admin/audit?action=login")
    assert_accessible(page)  # filled filters and a table of records
    screenshot(page, "admin-audit")


def test_instructor_pages_are_accessible(page, live_server, people):
    log_in(page, live_server, people["instructor"])
    walk(
        page,
        live_server,
        ["/instructor/", "/instructor/cohorts", f"/instructor/cohorts/{people['cohort']}"],
    )


def test_instructor_creates_a_cohort_and_adds_a_trainee(page, live_server, people):
    log_in(page, live_server, people["instructor"])
    page.goto(live_server + "/instructor/cohorts")
    page.get_by_label("Name").fill("Grodno autumn")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.locator("h1")).to_have_text("Grodno autumn")
    page.get_by_label("Email of the trainee or instructor").fill("nobody@example.org")
    page.get_by_role("button", name="Add to cohort").click()
    expect(page.locator("#email-error")).to_contain_text("No account has the email")
    assert_accessible(page)  # with the error shown
    page.get_by_label("Email of the trainee or instructor").fill("t1@example.org")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Trainee 1 is added to Grodno autumn.")
    expect(page.get_by_role("row", name="Trainee 1")).to_contain_text("Trainee")
