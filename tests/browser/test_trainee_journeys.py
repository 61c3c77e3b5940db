"""Trainee journeys in a real browser: log in, take a quiz by keyboard, reload, two tabs,
time running out, the review with its sources, challenges, and practising due facts.

Questions are answered the way a keyboard user does it (Tab, Space, arrows, typing);
autosave is waited for through the page's own "Saved" status, never by sleeping.
"""

from __future__ import annotations

import contextlib
import html
import re
import shutil
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizapp.config import DEFAULT_DATA
from quizapp.core import attempt as engine
from quizapp.core import qtypes
from quizapp.core.generate import generate_bank
from quizapp.core.loader import load_dataset
from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.models import Attempt, Dispute, FactCard, User
from quizapp.services import accounts, attempts, datasets
from tests.browser.conftest import PHONE, assert_accessible, screenshot
from tests.conftest import make_test_app

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ALL_TYPES = qtypes.TYPES
# All an autosave reply may say: never a grade, a key or feedback.
REPLY_KEYS = {"saved", "changed", "sequence", "slot", "answered", "message", "error"}
SOURCES = Path(DEFAULT_DATA).parent / "sources"

# Counts the page's fetches in flight, so "Saved" is trusted only when nothing is pending.
COUNT_FETCHES = """
(() => {
  let pending = 0;
  const original = window.fetch;
  Object.defineProperty(window, "__pendingFetches", { get: () => pending });
  window.fetch = function (...args) {
    pending += 1;
    return original.apply(this, args).finally(() => { pending -= 1; });
  };
})();
"""


# --- accounts and attempts made directly in the database --------------------------------


@pytest.fixture(scope="module")
def live_app(tmp_path_factory, sqlite_template):
    """One app and database for this file (conftest's is per test): every test has its own
    trainee, and the app's compiled templates are reused, which halves the file's time."""
    path = tmp_path_factory.mktemp("journeys") / "quizapp.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", TESTING=False)
    with app.app_context():
        datasets.load(load_dataset(DEFAULT_DATA))
    yield app
    with app.app_context():
        db.engine.dispose()


@dataclass(frozen=True)
class Trainee:
    id: int
    email: str
    name: str


@pytest.fixture
def trainee(live_app) -> Trainee:
    """A new trainee for each test, so no test sees another's attempts."""
    with live_app.app_context():
        number = db.session.scalar(db.select(db.func.count(User.id))) + 1
        user = accounts.create_user(
            f"tess{number}@example.org", PASSWORD, "trainee", "Tess Trainee"
        )
        return Trainee(user.id, user.email, user.name)


def log_in(page: Page, base: str, who: Trainee) -> None:
    """Log in through the real form and land on the dashboard."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")


@pytest.fixture
def signed_in(page: Page, live_server: str, trainee: Trainee) -> Page:
    page.add_init_script(COUNT_FETCHES)
    log_in(page, live_server, trainee)
    return page


def one_of_each_type() -> list[Question]:
    """The first question of each type in a seeded bank of the loaded data."""
    bank = generate_bank(datasets.current(), seed=1)
    found = {}
    for question in bank:
        found.setdefault(question.type, question)
    missing = set(ALL_TYPES) - set(found)
    assert not missing, f"the bundled data no longer yields {missing} questions"
    return [found[kind] for kind in ALL_TYPES]


def new_attempt(app, user_id: int, questions=None, **create_args) -> int:
    """An attempt in progress over the given questions (one of each type by default)."""
    with app.app_context():
        chosen = questions(datasets.current()) if callable(questions) else one_of_each_type()
        made = attempts.create(
            user_id,
            "practice",
            "Practice: every question type",
            chosen,
            seed=1,
            settings=create_args.pop("settings", {}),
            **create_args,
        )
        return made.id


def frozen_questions(app, attempt_id: int) -> list[Question]:
    with app.app_context():
        return attempts.questions_of(db.session.get(Attempt, attempt_id))


def first_of(kinds: tuple[str, ...]):
    """A question chooser: the first bank question of each of these types, in order."""

    def choose(dataset) -> list[Question]:
        bank = generate_bank(dataset, seed=1)
        return [next(q for q in bank if q.type == kind) for kind in kinds]

    return choose


# --- the keyboard ----------------------------------------------------------------------


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches; its focus must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
            )
            assert outline[0] != "none" and outline[1] != "0px" or outline[2] != "none", (
                f"no visible focus on {selector}: {outline}"
            )
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def press_enter_and_wait(page: Page, url_pattern: str) -> None:
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(url_pattern))


def answer_by_keyboard(page: Page) -> str:
    """Answer the question on the page with the keyboard alone, by its controls; its type."""
    kind = page.locator("#question").get_attribute("data-type")
    keys = page.keyboard
    if kind in ("single_choice", "true_false"):
        tab_to(page, "#question input[type=radio]")
        keys.press("Space")
        if kind == "single_choice":
            keys.press("ArrowDown")  # arrows move the choice within the group
    elif kind == "multiple_choice":
        tab_to(page, "#question input[type=checkbox]")
        keys.press("Space")
        keys.press("Tab")
        keys.press("Space")
    elif kind == "short_answer":
        tab_to(page, "#answer-text")
        keys.type("Sochi")
        keys.press("Tab")
    elif kind == "date":
        for part, action in (("day", "4"), ("month", 9), ("year", "2021")):
            if page.locator(f"#answer-{part}").count():
                tab_to(page, f"#answer-{part}")
                if isinstance(action, int):
                    for _ in range(action):
                        keys.press("ArrowDown")
                else:
                    keys.type(action)
        keys.press("Tab")
    elif kind in ("ordering", "matching"):
        # The nth list gets the nth option: every option once, so the answer is complete.
        for n in range(1, page.locator("#question select").count() + 1):
            tab_to(page, f"#answer-{n}")
            for _ in range(n):
                keys.press("ArrowDown")
    else:
        raise AssertionError(f"no keyboard recipe for question type {kind!r}")
    return kind


def wait_saved(page: Page) -> None:
    """The server acknowledged the answer: the status says Saved and no save is pending."""
    page.wait_for_function(
        "() => window.__pendingFetches === 0"
        " && document.getElementById('save-status').textContent.trim() === 'Saved'"
    )


def controls(page: Page) -> dict[str, str | bool]:
    """What every answer control of the question shows: checked, typed or chosen."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(
              '#question input, #question select')].map(el =>
              [el.id, el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value]))"""
    )


def shown_as_answered(state: dict[str, str | bool]) -> bool:
    return any(value not in ("", False) for value in state.values())


# --- 1. logging in ---------------------------------------------------------------------


def test_trainee_logs_in_and_lands_on_the_dashboard(page, live_server, trainee):
    page.goto(live_server + "/dashboard")
    page.wait_for_url(re.compile(r"/login\?next=(/|%2F)dashboard$"))
    page.get_by_label("Email").press_sequentially(trainee.email)
    page.get_by_label("Password").press_sequentially(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(live_server + "/dashboard")
    expect(page.locator("h1")).to_have_text("Your dashboard")
    expect(page.locator(".flashes")).to_contain_text(f"Welcome, {trainee.name}.")
    expect(page.get_by_text(f"Signed in as {trainee.name}")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard")


def test_abandon_an_attempt_from_the_dashboard_and_resume_it(
    signed_in, live_server, live_app, trainee
):
    page = signed_in
    attempt_id = new_attempt(live_app, trainee.id)
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        first = attempts.questions_of(attempt)[0]
        attempts.save_answer(attempt, 1, first.answer, attempt.sequence)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/dashboard")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard is {width}px wide on a phone"
    screenshot(page, "dashboard-in-progress-phone")
    page.get_by_role("link", name="Abandon Practice: every question type").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/abandon")
    expect(page.locator("#abandon-effect")).to_contain_text("You have answered 1 of")
    assert_accessible(page)
    page.locator("#confirm-abandon").click()
    page.wait_for_url("**/dashboard#abandoned-heading")
    expect(page.locator(".flashes")).to_contain_text("was abandoned; its answers are kept")
    expect(page.locator("#abandoned-attempts")).to_contain_text("1 of")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard is {width}px wide on a phone"
    assert_accessible(page)
    screenshot(page, "dashboard-abandoned-phone")
    page.get_by_role("button", name="Resume Practice: every question type").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt_id}/q/\d+$"))
    page.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    expect(page.locator("#question")).to_be_visible()
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == engine.IN_PROGRESS
        assert attempts.state_of(attempt).response(1) is not None


# --- 2. a timed quiz with the keyboard alone ---------------------------------------------


def test_timed_practice_quiz_by_keyboard_alone(signed_in, live_server, live_app, trainee):
    page = signed_in
    page.goto(live_server + "/practice/new")
    tab_to(page, "#count")
    page.keyboard.press("Control+a")
    page.keyboard.type("5")
    tab_to(page, "#time_limit")
    page.keyboard.type("5")
    tab_to(page, "#start-quiz")
    press_enter_and_wait(page, r"/attempts/\d+/q/1$")

    count = int(re.search(r"of (\d+)", page.locator("#progress").inner_text()).group(1))
    assert count == 5
    expect(page.locator("#time-left")).to_have_text(re.compile(r"^[45]:\d\d$"))
    seen = []
    for slot in range(1, count + 1):
        expect(page.locator("#progress")).to_have_text(f"Question {slot} of {count}")
        if slot == 1:
            assert_accessible(page)
            screenshot(page, "question")
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the question page is {width}px wide on a phone"
            screenshot(page, "question-phone")
            page.set_viewport_size({"width": 1280, "height": 720})
        seen.append(answer_by_keyboard(page))
        wait_saved(page)
        tab_to(page, "#next-button")
        press_enter_and_wait(page, rf"/q/{slot + 1}$" if slot < count else r"/submit$")

    expect(page.locator("#answered-count")).to_contain_text(f"answered {count} of {count}")
    expect(page.locator("#time-left")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "#submit-attempt")
    press_enter_and_wait(page, r"/review$")

    expect(page.locator(".flashes")).to_contain_text("Your attempt was submitted.")
    expect(page.locator("#score")).to_have_text(
        re.compile(r"^Score: \d+ of 5 right \(\d+%\); mark \d+(\.\d+)? out of 10 \(\d+%\)$")
    )
    expect(page.locator(".review-item")).to_have_count(count)
    expect(page.locator(".review-item dd.given").filter(has_text="no answer")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "review")
    print(f"question types met by keyboard: {seen}")


# --- 3. reloading loses nothing the server acknowledged ---------------------------------


def test_reload_mid_quiz_keeps_every_saved_answer(signed_in, live_server, live_app, trainee):
    page = signed_in
    attempt_id = new_attempt(live_app, trainee.id)
    url = f"{live_server}/attempts/{attempt_id}/q/"
    given: dict[int, dict] = {}
    for slot, kind in enumerate(ALL_TYPES, start=1):
        page.goto(url + str(slot))
        assert answer_by_keyboard(page) == kind
        wait_saved(page)
        given[slot] = controls(page)
        assert shown_as_answered(given[slot]), f"{kind}: the keyboard left no answer"
        page.reload()  # no Next: only the autosave can have kept the answer
        assert controls(page) == given[slot], f"{kind}: the answer changed on reload"
        assert_accessible(page)  # each type's controls, answered

    expect(page.locator("#overview-summary")).to_have_text(
        f"{len(ALL_TYPES)} answered, 0 not answered, 0 flagged."
    )
    page.goto(url + "1")  # and the first answer is still there after all the others
    assert controls(page) == given[1]


def test_answer_from_a_stale_tab_is_refused_with_a_reload_link(
    signed_in, live_server, live_app, trainee
):
    first = signed_in
    attempt_id = new_attempt(live_app, trainee.id, first_of(("true_false", "single_choice")))
    second = first.context.new_page()
    for tab in (first, second):
        tab.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    tab_to(first, "#answer-true")
    first.keyboard.press("Space")
    wait_saved(first)

    tab_to(second, "#answer-true")
    second.keyboard.press("ArrowDown")  # "False", on a page that has not seen "True"
    status = second.locator("#save-status")
    expect(status).to_contain_text("Not saved: this page was out of date")
    status.get_by_role("link", name="Reload this question").click()
    expect(second.locator("#answer-true")).to_be_checked()
    with live_app.app_context():
        state = attempts.state_of(db.session.get(Attempt, attempt_id))
        assert state.response(1) is True


# --- 4. two tabs submit at once: one grade -----------------------------------------------


def test_submitting_from_two_tabs_grades_once(
    signed_in, live_server, live_app, trainee, monkeypatch
):
    first = signed_in
    attempt_id = new_attempt(live_app, trainee.id, first_of(("single_choice", "true_false")))
    first.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    answer_by_keyboard(first)
    wait_saved(first)

    # "At once": each submit waits (in the server's thread) until the other has read the
    # attempt too, so neither request can see the other's result before it writes.
    both_read = threading.Barrier(2, timeout=3)
    finish = attempts._finish

    def finish_together(*args, **kwargs):
        # A broken barrier means the app made one request wait for the other: also fine.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return finish(*args, **kwargs)

    monkeypatch.setattr(attempts, "_finish", finish_together)

    second = first.context.new_page()
    for tab in (first, second):
        tab.goto(f"{live_server}/attempts/{attempt_id}/submit")
        tab.locator("#submit-attempt").focus()
    first.keyboard.press("Enter")  # returns once pressed, before the server answers
    second.keyboard.press("Enter")
    for tab in (first, second):
        expect(tab.locator("#submit-attempt")).to_have_count(0)
    for tab in (first, second):
        if not tab.url.endswith("/review"):
            screenshot(tab, "two-tabs-not-reviewed")
        assert re.search(rf"/attempts/{attempt_id}/review$", tab.url), (
            f"a tab ended on {tab.url}: {tab.locator('h1').inner_text()!r}"
        )
        expect(tab.locator(".flashes")).to_contain_text("submitted.")
    assert first.locator("#score").inner_text() == second.locator("#score").inner_text()

    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        finishing = [s for s in attempt.steps if s.action in engine.FINISHING]
        assert len(finishing) == 1
        assert sorted(r.slot for r in attempt.results) == [1, 2]

    second.goto(live_server + "/dashboard")
    expect(second.locator(f'a[href="/attempts/{attempt_id}/review"]')).to_have_count(1)
    expect(second.locator(f'a[href="/attempts/{attempt_id}"]')).to_have_count(0)


def test_second_tab_submitting_later_gets_the_same_grade(signed_in, live_server, live_app, trainee):
    first = signed_in
    attempt_id = new_attempt(live_app, trainee.id, first_of(("true_false", "single_choice")))
    first.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    answer_by_keyboard(first)
    wait_saved(first)
    second = first.context.new_page()
    for tab in (first, second):
        tab.goto(f"{live_server}/attempts/{attempt_id}/submit")
    first.locator("#submit-attempt").click()
    first.wait_for_url(f"**/attempts/{attempt_id}/review")
    expect(first.locator(".flashes")).to_have_text("Your attempt was submitted.")
    second.locator("#submit-attempt").click()  # the tab left open, submitted later
    second.wait_for_url(f"**/attempts/{attempt_id}/review")
    expect(second.locator(".flashes")).to_have_text("This attempt was already submitted.")
    score = first.locator("#score").inner_text()
    expect(second.locator("#score")).to_have_text(score)
    mark = re.search(r"mark (.+) out of (.+)$", score)

    page = second
    page.goto(live_server + "/dashboard")
    expect(page.locator(f'#past-attempts a[href="/attempts/{attempt_id}/review"]')).to_have_count(1)
    expect(page.locator(f'a[href="/attempts/{attempt_id}"]')).to_have_count(0)
    expect(page.locator("#past-attempts")).to_contain_text(f"{mark[1]} / {mark[2]}")
    assert_accessible(page)
    screenshot(page, "dashboard-after-quiz")
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert [s.action for s in attempt.steps if s.action in engine.FINISHING] == ["submit"]


# --- 5. time runs out --------------------------------------------------------------------


def test_countdown_submits_the_attempt_when_time_runs_out(
    signed_in, live_server, live_app, trainee
):
    page = signed_in
    attempt_id = new_attempt(
        live_app,
        trainee.id,
        first_of(("single_choice", "true_false")),
        time_limit=timedelta(seconds=4),
        settings={"grace_seconds": 3},
    )
    page.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    expect(page.locator("#time-left")).to_have_text(re.compile(r"^0:0[0-4]$"))
    answer_by_keyboard(page)
    wait_saved(page)
    chosen = page.locator("#question input:checked").get_attribute("value")

    page.wait_for_url(f"**/attempts/{attempt_id}/review", timeout=10_000)
    expect(page.locator("#q-2 dd.given")).to_have_text("no answer")
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == engine.FINISHED
        results = {r.slot: r for r in attempt.results}
        assert results[1].response == chosen
        assert results[2].response is None
        question = attempts.question_at(attempt, 1)
    expect(page.locator("#q-1 dd.given")).to_have_text(
        qtypes.get(question.type).describe(question, chosen)
    )


def test_review_says_time_ran_out_after_the_countdown(signed_in, live_server, live_app, trainee):
    page = signed_in
    attempt_id = new_attempt(
        live_app, trainee.id, first_of(("true_false",)), time_limit=timedelta(seconds=1)
    )
    page.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    page.wait_for_url(f"**/attempts/{attempt_id}/review", timeout=10_000)
    expect(page.locator(".review-summary")).to_contain_text(
        "automatically when time ran out", timeout=1000
    )


def test_server_submits_an_overdue_attempt_without_javascript(
    browser, live_server, live_app, trainee
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, trainee)
    attempt_id = new_attempt(
        live_app,
        trainee.id,
        first_of(("true_false", "single_choice")),
        time_limit=timedelta(minutes=5),
        settings={"grace_seconds": 1},
    )
    page.goto(f"{live_server}/attempts/{attempt_id}/q/1")
    page.get_by_label("True").check()
    page.locator("#next-button").click()  # without JavaScript, Next saves the answer
    page.wait_for_url("**/q/2")
    with live_app.app_context():  # the deadline and its grace pass while the page is open
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline = attempt.started_at - timedelta(seconds=1)
        db.session.commit()
    page.locator("#question input[type=radio]").first.check()
    page.locator("#next-button").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/review")
    expect(page.locator(".flashes")).to_contain_text("Time is up")
    expect(page.locator(".review-summary")).to_contain_text("automatically when time ran out")
    expect(page.locator("#q-1 dd.given")).to_have_text("True")
    expect(page.locator("#q-2 dd.given")).to_have_text("no answer")  # posted too late
    context.close()


# --- 6 and 7. the review: sources, and challenging an answer -----------------------------


def source_sentences() -> set[str]:
    sentences = set()
    for path in SOURCES.glob("*.txt"):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            text = " ".join(paragraph.split())
            sentences.update(re.split(r"(?<=[.!?])\s+(?=[A-Z„“\"(])", text))
    return sentences


def finished_attempt(app, user_id: int) -> int:
    """One of each type, slot 1 answered right and slot 2 wrong, submitted."""
    attempt_id = new_attempt(app, user_id)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        questions = attempts.questions_of(attempt)
        attempts.save_answer(attempt, 1, questions[0].answer, attempt.sequence)
        wrong = next(o.id for o in questions[1].options if o.id not in questions[1].answer)
        attempts.save_answer(attempt, 2, [wrong], attempt.sequence)
        attempts.submit(attempt, attempt.sequence)
    return attempt_id


def test_review_quotes_the_source_sentences_and_links_the_study_pages(
    signed_in, live_server, live_app, trainee
):
    page = signed_in
    attempt_id = finished_attempt(live_app, trainee.id)
    questions = frozen_questions(live_app, attempt_id)
    with live_app.app_context():
        titles = {a.key: a.title for a in datasets.current().agreements}
    sentences = source_sentences()
    page.goto(f"{live_server}/attempts/{attempt_id}/review")
    expect(page.locator("#q-1 .outcome")).to_have_text("Correct")
    expect(page.locator("#q-2 .outcome")).to_have_text("Not correct")
    for slot, question in enumerate(questions, start=1):
        section = page.locator(f"#q-{slot}")
        quotes = section.locator("blockquote").all_inner_texts()
        assert quotes == list(question.quotes), f"question {slot} quotes other sentences"
        for quote in quotes:
            assert quote in sentences, f"not a sentence of the sources: {quote!r}"
        links = section.locator("figcaption a")
        expected = [f"/agreements/{key}" for key in question.asked_agreements()]
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == expected
        assert links.all_inner_texts() == [titles[key] for key in question.asked_agreements()]
    assert_accessible(page)

    page.locator("#q-1 figcaption a").first.click()
    page.wait_for_url(f"**/agreements/{questions[0].agreements[0]}")
    expect(page.locator("h1")).to_have_text(titles[questions[0].agreements[0]])


def test_review_shows_only_the_flagged_questions(signed_in, live_server, live_app, trainee):
    page = signed_in
    attempt_id = new_attempt(live_app, trainee.id)
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempts.set_flag(attempt, 3, True, attempt.sequence)
        attempts.submit(attempt, attempt.sequence)
    page.goto(f"{live_server}/attempts/{attempt_id}/review")
    expect(page.locator("#q-3-heading")).to_contain_text("(flagged)")
    page.get_by_role("link", name="Show only the 1 you flagged").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/review?only=flagged")
    expect(page.locator(".review-item")).to_have_count(1)
    expect(page.locator("#review-filter")).to_contain_text("Showing the 1 question you flagged")
    assert_accessible(page)


def test_trainee_challenges_an_answer_from_the_review(signed_in, live_server, live_app, trainee):
    page = signed_in
    attempt_id = finished_attempt(live_app, trainee.id)
    page.goto(f"{live_server}/attempts/{attempt_id}/review")
    item = page.locator("#q-2")
    item.get_by_text("Challenge this answer").click()
    item.get_by_role("button", name="Send the challenge").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/review#q-2")  # back on the review, not the POST
    expect(page.locator(".flashes")).to_contain_text("Your challenge of question 2 was not sent")
    expect(page.locator("#c2-comment-error")).to_have_text(
        "Say why you think this answer is wrong."
    )
    expect(page.locator("#c2-comment")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    comment = "The source names <b>both</b> services, so my choice should count."
    item.get_by_label("Why do you think this answer is wrong?").fill(comment)
    page.locator("#challenge-2-submit").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/review#q-2")
    expect(page.locator(".flashes")).to_have_text(
        "Your challenge of question 2 was sent to the instructors."
    )
    expect(page.locator("#challenge-2-status")).to_contain_text("waiting for an instructor")
    expect(page.locator("#q-2 details.challenge")).to_have_count(0)
    expect(page.locator("#q-1 details.challenge")).to_have_count(1)
    assert_accessible(page)

    with live_app.app_context():
        rows = db.session.scalars(db.select(Dispute).where(Dispute.user_id == trainee.id)).all()
        assert [(r.attempt_id, r.slot, r.user_id, r.comment, r.status) for r in rows] == [
            (attempt_id, 2, trainee.id, comment, "open")
        ]
        assert rows[0].question_id == frozen_questions(live_app, attempt_id)[1].id


# --- 8. nothing gives the answer away before grading ------------------------------------


def test_question_pages_reveal_no_key_before_grading(signed_in, live_server, live_app, trainee):
    page = signed_in
    attempt_id = new_attempt(live_app, trainee.id)
    questions = frozen_questions(live_app, attempt_id)
    replies = []
    page.on(
        "response",
        lambda r: replies.append(r.json()) if r.url.endswith(f"/{attempt_id}/answer") else None,
    )
    graded_text = []  # what the review must show, proving the search below can find it
    for slot, question in enumerate(questions, start=1):
        page.goto(f"{live_server}/attempts/{attempt_id}/q/{slot}")
        if slot in (1, 5):  # a page after autosaving reveals no more than before
            answer_by_keyboard(page)
            wait_saved(page)
        content = page.content()
        explanation = question.explanation.split(" From “", 1)[0]
        assert explanation and question.quotes, f"question {slot} has nothing to hide"
        graded_text += [explanation, *question.quotes]
        secrets = [explanation, *question.quotes]
        if question.type in ("short_answer", "date"):
            secrets.append(str(question.answer))
        for secret in secrets:
            assert secret not in content and html.escape(secret) not in content, (
                f"question {slot} ({question.type}) shows {secret!r} before grading"
            )
    assert replies, "no autosave reply was seen"
    for body in replies:
        assert set(body) <= REPLY_KEYS, f"the autosave reply says more than it should: {body}"

    page.goto(f"{live_server}/attempts/{attempt_id}/submit")
    page.locator("#submit-attempt").click()
    page.wait_for_url("**/review")
    content = page.content()
    assert all(text in content or html.escape(text) in content for text in graded_text)


# --- practising due facts ------------------------------------------------------------------


def test_practise_due_facts_with_immediate_feedback(signed_in, live_server, live_app, trainee):
    page = signed_in
    page.goto(live_server + "/practice/due")
    expect(page.locator("#due-count")).to_contain_text("you have not been asked yet")
    assert_accessible(page)
    page.locator("#start-due").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/q/1$"))
    answer_by_keyboard(page)
    wait_saved(page)
    tab_to(page, "#check-button")
    press_enter_and_wait(page, r"/q/1#feedback$")

    feedback = page.locator("#feedback")
    expect(feedback.locator("h2")).to_have_text(
        re.compile(r"^(Correct|Partly correct|Not correct)$")
    )
    expect(feedback).to_contain_text("Correct answer:")
    expect(feedback.locator("blockquote").first).to_be_visible()
    expect(page.locator("#question input, #question select").first).to_be_disabled()
    assert_accessible(page)
    screenshot(page, "due-feedback")

    with live_app.app_context():
        cards = db.session.scalars(db.select(FactCard).where(FactCard.user_id == trainee.id)).all()
        assert cards, "checking an answer did not update the fact's card"
