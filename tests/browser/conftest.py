"""Browser fixtures: Debian's chromium through Playwright, against a live server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from werkzeug.serving import make_server

from quizapp.core.questions import Option, Question
from quizapp.extensions import db
from quizapp.models import Status
from quizapp.services import accounts, bank, cohorts, datasets
from tests.conftest import make_test_app

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's chromium, headless, never calling out to the (closed) network."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def live_app(tmp_path: Path, sqlite_template: Path, bundled_dataset):
    """The app on a fresh SQLite file holding the bundled dataset."""
    path = tmp_path / "quizapp.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_test_app(f"sqlite:///{path}", TESTING=False)
    with app.app_context():
        datasets.load(bundled_dataset)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    """Serve live_app on a free port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def assert_accessible(page) -> None:
    """axe-core finds no violation on the page as it stands."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


PASSWORD = "correct horse battery"


def log_in(page: Page, base: str, email: str) -> None:
    """Log in through the real form as the account with this e-mail and PASSWORD."""
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def capitals_school(app, questions: int) -> dict[str, str]:
    """An instructor teaching cohort "Minsk spring" with one trainee, and a set "Capitals" of
    published single-choice questions "Capital question N?" (right option "Right N")."""
    with app.app_context():
        teacher = accounts.create_user("ian@example.org", PASSWORD, "instructor", "Ian Instructor")
        trainee = accounts.create_user("tia@example.org", PASSWORD, "trainee", "Tia Trainee")
        cohort = cohorts.create("Minsk spring", created_by=teacher)
        cohorts.add_member(cohort, trainee)
        capitals = bank.create_set("Capitals")
        for number in range(questions):
            question = Question(
                id="",
                type="single_choice",
                prompt=f"Capital question {number}?",
                answer="a",
                options=(Option("a", f"Right {number}"), Option("b", f"Wrong {number}")),
            )
            bank.add(capitals, question, status=Status.PUBLISHED)
        db.session.commit()
        return {"instructor": teacher.email, "trainee": trainee.email, "cohort": cohort.name}
