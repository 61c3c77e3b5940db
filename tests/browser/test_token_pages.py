"""The exports and API token pages in a real browser: axe finds nothing, a 360 px phone
needs no sideways scrolling, and an admin issues and revokes a token by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from quizapp.services import accounts
from tests.browser.conftest import PHONE, assert_accessible, screenshot
from tests.browser.test_admin_pages import PASSWORD, log_in

pytestmark = pytest.mark.browser


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width} px wide at {PHONE['width']} px"


def test_admin_issues_uses_and_revokes_a_token(page: Page, live_server, live_app):
    with live_app.app_context():
        accounts.create_user("ada@example.org", PASSWORD, "admin", "Ada Admin")
        accounts.create_user("sync@example.org", PASSWORD, "instructor", "Sync <Robot>")
    log_in(page, live_server, "ada@example.org")
    page.goto(live_server + "/admin/exports")
    assert_accessible(page)
    page.get_by_role("link", name="API token").click()
    expect(page.locator("h1")).to_have_text("API tokens")
    assert_accessible(page)

    page.get_by_label("Account's email").fill("nobody@example.org")
    page.get_by_label("What the token is for").fill("Moodle sync")
    page.keyboard.press("Enter")
    expect(page.locator("#email-error")).to_contain_text("No active account has this email")
    assert_accessible(page)  # with the error tied to its field

    page.get_by_label("Account's email").fill("sync@example.org")
    page.get_by_role("button", name="Issue token").click()
    expect(page.locator("h1")).to_have_text("API token for Sync <Robot>")
    raw = page.get_by_label("Token “Moodle sync” for sync@example.org").input_value()
    assert raw.startswith("qzt_")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    _fits(page)
    screenshot(page, "admin-token-made-360")

    answer = page.request.get(
        live_server + "/api/v1/me", headers={"Authorization": f"Bearer {raw}"}
    )
    assert answer.status == 200 and answer.json()["role"] == "instructor"

    page.goto(live_server + "/admin/tokens")
    _fits(page)
    assert raw not in page.content()
    page.get_by_role("button", name="Revoke the token “Moodle sync” of sync@example.org").click()
    expect(page.locator(".flashes")).to_contain_text("is revoked")
    assert_accessible(page)
    screenshot(page, "admin-tokens-360")
    page.goto(live_server + "/admin/exports")
    _fits(page)
    refused = page.request.get(
        live_server + "/api/v1/me", headers={"Authorization": f"Bearer {raw}"}
    )
    assert refused.status == 401
