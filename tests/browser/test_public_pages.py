"""Public pages in a real browser: accessible, readable on a phone, usable by keyboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, assert_accessible, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Learn the Russia–Belarus security agreements"),
        ("/timeline", "Timeline of the agreements"),
        (
            "/agreements/interior-ministry-rosgvardiya-2020",
            "Cooperation agreement between the Belarusian Interior Ministry and Rosgvardiya",
        ),
        ("/agreements/nothing-here", "Not Found"),
    ],
)
def test_public_page_is_accessible(page, live_server, path, heading):
    page.goto(live_server + path)
    assert page.locator("h1").inner_text() == heading
    assert_accessible(page)


def test_study_page_reads_on_a_360px_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/agreements/union-state-integration-agenda-2021")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    assert page.get_by_text("Vladimir Putin and Alexander Lukashenko").first.is_visible()
    screenshot(page, "study-page-phone")


def test_timeline_leads_to_a_study_page_by_keyboard(page, live_server):
    page.goto(live_server + "/timeline")
    screenshot(page, "timeline")
    link = page.locator(".timeline-list a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/agreements/interior-ministry-rosgvardiya-2020")
    assert "Rosgvardiya" in page.locator("h1").inner_text()
