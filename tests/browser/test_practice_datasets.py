"""A trainee with two datasets loaded practises on one of them, of the types they chose."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from quizapp.config import DEFAULT_DATA
from quizapp.core.loader import check
from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services import accounts, attempts, datasets
from tests.browser.conftest import PASSWORD, assert_accessible, log_in
from tests.conftest import make_test_app

pytestmark = pytest.mark.browser

FILES = [DEFAULT_DATA, DEFAULT_DATA.parent / "union-state.yaml"]
SECOND = "History of Formation and Development of the Union State"


@pytest.fixture
def live_app(tmp_path, sqlite_template):
    """The app with both bundled datasets loaded together."""
    path = tmp_path / "quizapp.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", TESTING=False)
    both = check(FILES)
    assert both.problems == []
    with app.app_context():
        datasets.load(both.dataset)
        accounts.create_user("tom@example.org", PASSWORD, "trainee", "Tom Trainee")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_trainee_practises_on_the_second_dataset_only(page: Page, live_server, live_app):
    log_in(page, live_server, "tom@example.org")
    page.goto(live_server + "/practice/new")
    datasets_group = page.get_by_role("group", name="Dataset")
    expect(datasets_group.get_by_role("radio")).to_have_count(3)
    assert_accessible(page)

    datasets_group.get_by_label(SECOND).check()
    types = page.get_by_role("group", name="Question types")
    types.get_by_label("Date", exact=True).check()
    types.get_by_label("Ordering").check()
    page.get_by_label("Number of questions").fill("6")
    page.locator("#start-quiz").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    attempt_id = int(re.search(r"/attempts/(\d+)/", page.url).group(1))

    with live_app.app_context():
        current = datasets.current()
        second = {
            a.key for a in current.agreements if current.sources[a.source].dataset == "union-state"
        }
        frozen = attempts.questions_of(db.session.get(Attempt, attempt_id))
    assert len(frozen) == 6
    assert {q.type for q in frozen} == {"date", "ordering"}
    assert all(set(q.agreements) <= second for q in frozen), [q.agreements for q in frozen]
    for slot, question in enumerate(frozen, start=1):
        page.goto(f"{live_server}/attempts/{attempt_id}/q/{slot}")
        expect(page.locator("legend").first).to_contain_text(question.prompt)
    assert_accessible(page)


def test_agreements_are_grouped_by_dataset_and_only_the_chosen_ones_show(
    page: Page, live_server, live_app
):
    log_in(page, live_server, "tom@example.org")
    page.goto(live_server + "/practice/new")
    agreements = page.get_by_role("group", name="Agreements")
    union = agreements.get_by_role("group", name=SECOND)
    first = page.locator("fieldset.agreement-group").filter(has_not_text=SECOND)
    expect(page.locator("fieldset.agreement-group")).to_have_count(2)
    expect(union.get_by_label("Charter of the Union of Belarus and Russia")).to_have_count(1)
    expect(union.get_by_role("checkbox")).to_have_count(11)

    first.get_by_role("checkbox").first.check()
    chooser = page.get_by_role("group", name="Dataset")
    chooser.get_by_label(SECOND).check()
    expect(first).to_be_hidden()
    expect(union).to_be_visible()
    assert_accessible(page)
    chooser.get_by_label("Every dataset").check()
    expect(first.get_by_role("checkbox").first).to_be_checked()

    chooser.get_by_label(SECOND).check()
    page.get_by_label("Number of questions").fill("4")
    page.locator("#start-quiz").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))


def test_without_the_script_another_datasets_agreement_is_refused(
    page: Page, live_server, live_app
):
    page.route("**/js/practice.js*", lambda route: route.abort())
    log_in(page, live_server, "tom@example.org")
    page.goto(live_server + "/practice/new")
    first = page.locator("fieldset.agreement-group").filter(has_not_text=SECOND)
    first.get_by_role("checkbox").first.check()
    page.get_by_role("group", name="Dataset").get_by_label(SECOND).check()
    expect(first).to_be_visible()
    page.locator("#start-quiz").click()

    expect(page.locator("#agreements-error")).to_contain_text(f"Not in “{SECOND}”")
    assert page.url.endswith("/practice/new")
    assert_accessible(page)
    with live_app.app_context():
        assert db.session.query(Attempt).count() == 0
