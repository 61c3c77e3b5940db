"""Shared fixtures: an app per test on a real SQLite file and on the real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.engine import make_url

from quizapp.app import create_app
from quizapp.config import DEFAULT_DATA
from quizapp.core.loader import load_dataset
from quizapp.extensions import db

# CI draws the same examples on every run, so a red build is reproducible and never the
# luck of one draw; developers' runs keep drawing new ones (`CI=true pytest` replays CI's).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The server every machine here runs; each test session makes its own database on it.
POSTGRES_ADMIN_URL = os.environ.get(
    "QUIZAPP_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


def make_test_app(database_url: str, **config: object):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUIZAPP_DATA": str(DEFAULT_DATA),
    }
    settings.update(config)
    return create_app(settings)


def migrate(database_url: str) -> None:
    app = make_test_app(database_url)
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is much faster)."""
    path = tmp_path_factory.mktemp("template") / "quizapp.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A scratch database on the PostgreSQL server, migrated once and dropped at the end."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"quizapp_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({error.orig}). "
            "The suite runs on SQLite and PostgreSQL: start the server, or point "
            "QUIZAPP_TEST_POSTGRES at one.",
            pytrace=False,
        )
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
        if tables:
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database: a fresh SQLite file, or the emptied PostgreSQL one."""
    if request.param == "sqlite":
        path = tmp_path / "quizapp.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def app(database_url: str):
    app = make_test_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def bundled_dataset():
    return load_dataset(DEFAULT_DATA)


@pytest.fixture
def loaded_app(app, bundled_dataset):
    """An app whose database holds the bundled dataset."""
    from quizapp.services import datasets

    with app.app_context():
        datasets.load(bundled_dataset)
    return app


@pytest.fixture
def client(loaded_app):
    return loaded_app.test_client()


def quizapp_command(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin: str | None = None
):
    """Run the installed `quizapp` console script as a user would."""
    script = Path(sys.executable).parent / "quizapp"
    return subprocess.run(
        [str(script), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def quizapp_in_process(app, *args: str, stdin: str | None = None):
    """Run a `quizapp` command in this process against `app` (its database), with the
    command line's parsing, output and exit status: a second quicker than quizapp_command,
    for tests of what a command does rather than of the installed script starting."""
    from quizapp.cli import main

    result = app.test_cli_runner().invoke(main, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)
