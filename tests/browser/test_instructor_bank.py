"""An instructor fills the question bank in a real browser: imports a GIFT file, fixes a
question, previews and tries it, generates more; axe and a 360 px phone on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizapp.services import accounts
from tests.browser.conftest import PASSWORD, PHONE, assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
GIFT = """// the week's questions, with a typo to fix in the browser
::Capital of Belarus::Waht is the capital of Belarus? {=Minsk ~Moscow ~Kyiv}

::Union::The Union State treaty was signed in 1999. {T}

::Seat::Which city hosts the CSTO secretariat? {=Moscow}
"""
BROKEN = "::Fine::Is this fine? {T}\n\n::Broken::What is missing? {=A ~B\n"


@pytest.fixture
def instructor(live_app) -> str:
    with live_app.app_context():
        return accounts.create_user("ian@example.org", PASSWORD, "instructor", "Ian").email


def checked(page: Page) -> None:
    """No axe violation, and nothing wider than a 360 px phone."""
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def upload(page: Page, file: Path, button: str) -> None:
    page.get_by_label("Question file").set_input_files(str(file))
    page.get_by_label("Into the set").fill("Week 1")
    page.get_by_role("button", name=button).click()


def import_files(page: Page, folder: Path) -> None:
    """A broken file is refused by line; the good one is checked, then imported."""
    broken, good = folder / "broken.gift", folder / "week1.gift"
    broken.write_text(BROKEN, encoding="utf-8")
    good.write_text(GIFT, encoding="utf-8")
    page.get_by_role("link", name="Import a file").click()
    checked(page)
    upload(page, broken, "Import")
    expect(page.locator("#problems")).to_contain_text("broken.gift:3:28: '{' is never closed")
    checked(page)
    upload(page, good, "Check the file")
    expect(page.locator("#import-report")).to_contain_text("Nothing was written")
    expect(page.locator("#type-counts")).to_contain_text("Single choice")
    checked(page)
    upload(page, good, "Import")
    expect(page.locator("#import-report")).to_contain_text("3 new, 0 changed")
    page.get_by_role("link", name="See the set").click()
    expect(page.locator("#bank-questions caption")).to_contain_text("3 questions")


def fix_question(page: Page) -> None:
    """The typo is fixed (after a refused save), making version 2; the preview grades."""
    page.get_by_role("link", name="Waht is the capital of Belarus?").click()
    checked(page)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Question", exact=True).fill("")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator("#prompt-error")).to_have_text("Write the question.")
    checked(page)
    page.get_by_label("Question", exact=True).fill("What is the capital of Belarus?")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator(".flashes")).to_contain_text("Saved as version 2")
    expect(page.locator("legend")).to_have_text("What is the capital of Belarus?")
    page.get_by_label("Moscow").check()
    page.get_by_role("button", name="Try this answer").click()
    expect(page.locator("#tried")).to_contain_text("Not correct (0%)")
    page.get_by_label("Minsk").check()
    page.get_by_role("button", name="Try this answer").click()
    expect(page.locator("#tried")).to_contain_text("Correct (100%)")
    expect(page.locator("#history")).to_contain_text("Waht is the capital")
    checked(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#question-status")).to_contain_text("Published")


def generate_more(page: Page) -> None:
    """Generated questions are shown with check boxes; only the ticked ones are added."""
    page.get_by_role("link", name="Bank", exact=True).click()
    page.get_by_role("link", name="Generate into Week 1").click()
    checked(page)
    page.get_by_label("How many").fill("3")
    page.get_by_role("button", name="Generate for review").click()
    boxes = page.locator("input[name=chosen]")
    expect(boxes).to_have_count(3)
    checked(page)
    boxes.nth(2).uncheck()
    page.get_by_role("button", name="Add the ticked questions as drafts").click()
    expect(page.locator(".flashes")).to_contain_text("Added 2 question(s) to Week 1")
    expect(page.locator("#bank-questions caption")).to_contain_text("5 questions")


def write_one(page: Page) -> None:
    page.get_by_role("link", name="Bank", exact=True).click()
    page.get_by_role("button", name="Write it").click()
    expect(page.locator("h1")).to_have_text("New single choice question")
    checked(page)
    page.goto(page.url.split("?")[0])
    checked(page)  # the set and type chooser


def test_instructor_imports_fixes_previews_and_generates(
    browser, live_server, instructor, tmp_path
):
    page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(page, live_server, instructor)
    page.goto(live_server + "/instructor/")
    page.get_by_role("link", name="Bank", exact=True).click()
    expect(page.locator("h1")).to_have_text("Question bank")
    checked(page)
    import_files(page, tmp_path)
    fix_question(page)
    generate_more(page)
    write_one(page)
    page.get_by_role("link", name="Bank", exact=True).click()
    checked(page)
    screenshot(page, "bank")
