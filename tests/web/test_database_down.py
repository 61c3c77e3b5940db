"""With the database gone every page answers a plain 503 that needs no database."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import make_test_app


@pytest.fixture
def down_app():
    """An app whose PostgreSQL server refuses connections (a closed port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return make_test_app(f"postgresql+psycopg://postgres@127.0.0.1:{port}/none")


@pytest.mark.parametrize("path", ["/", "/timeline", "/agreements/kazan"])
def test_every_page_answers_a_plain_503(down_app, path):
    response = down_app.test_client().get(path)
    assert response.status_code == 503
    assert "database is not answering" in response.text and "<h1>" in response.text
    assert "Traceback" not in response.text


def test_json_clients_get_json_503_and_healthz_stays_503(down_app):
    client = down_app.test_client()
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert "database" in response.get_json()["message"]
    assert client.get("/healthz").status_code == 503


def test_a_signed_in_user_gets_the_plain_503_too(loaded_app, signed_in):
    client, _ = signed_in("trainee")
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the closed port stands in for PostgreSQL")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = make_test_app(f"postgresql+psycopg://postgres@127.0.0.1:{port}/none")
    with client.session_transaction() as session:
        cookie = dict(session)
    other = down.test_client()
    with other.session_transaction() as session:
        session.update(cookie)
    response = other.get("/dashboard")
    assert response.status_code == 503 and "Temporarily unavailable" in response.text
