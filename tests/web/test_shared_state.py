"""Several app processes share what must be shared: login limits (through Redis)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from quizapp.extensions import db
from quizapp.services import accounts
from tests.conftest import make_test_app
from tests.servers import Browser, gunicorn_servers

REDIS_URL = "redis://127.0.0.1:6379/0"
EMAIL = "slow@example.org"


@pytest.fixture
def shared_sqlite(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite file holding one trainee, for servers in other processes."""
    path = tmp_path / "quizapp.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = make_test_app(url)
    with app.app_context():
        accounts.create_user(EMAIL, "a-long-password", "trainee")
        db.engine.dispose()
    return url


def _failed_logins(browser: Browser, base: str, count: int) -> list[int]:
    return [browser.login(base, EMAIL, "wrong-guess-1") for _ in range(count)]


def test_two_servers_count_failed_logins_together_in_redis(shared_sqlite, tmp_path):
    env = {
        "DATABASE_URL": shared_sqlite,
        "SECRET_KEY": "shared-test-secret",
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"quizapp-test-{uuid.uuid4().hex}",
    }
    with gunicorn_servers(2, env, tmp_path, workers=1) as (first, second):
        browser = Browser()
        assert _failed_logins(browser, first.url, 5) == [200] * 5
        assert _failed_logins(browser, second.url, 5) == [200] * 5
        # The 11th try, whichever server takes it, is refused: the limit is 10, not 10 each.
        assert browser.login(first.url, EMAIL, "a-long-password") == 429
        assert browser.login(second.url, EMAIL, "a-long-password") == 429
