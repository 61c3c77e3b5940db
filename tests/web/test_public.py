"""The pages anyone can read: home, timeline, study pages, health check, 404s."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.exc import OperationalError


def test_home_lists_every_agreement_and_links_the_timeline(client, bundled_dataset):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/timeline"' in page
    for agreement in bundled_dataset.agreements:
        assert f'href="/agreements/{agreement.key}"' in page


def test_timeline_orders_dated_agreements_and_lists_undated_apart(client):
    page = client.get("/timeline").get_data(as_text=True)
    listed = re.findall(r'<time datetime="([\d-]+)">', page.split('class="timeline-list"')[1])
    assert listed == ["2020-11", "2021-06", "2021-09", "2021-09", "2021-11-04"]
    undated = page.split("Agreements the source gives no date for")[1]
    assert "/agreements/external-borders-reaction" in undated
    assert "/agreements/union-state-military-doctrine" in undated
    assert 'role="img"' in page and "<desc" in page


def test_study_page_shows_each_fact_beside_its_sentence(client):
    page = client.get("/agreements/interior-ministry-rosgvardiya-2020").get_data(as_text=True)
    assert "November 2020" in page
    assert "Moscow" in page
    assert "Belarusian Interior Ministry (Belarus)" in page
    assert (
        "<blockquote>In November 2020, the Belarusian Interior Ministry and the Russian "
        "Rosgvardiya signed in Moscow a „cooperation agreement”.</blockquote>" in page
    )
    assert "Not given by the source:</strong> signed or accepted by, occasion, preceded by" in page


def test_study_page_says_what_the_source_does_not_give(client):
    page = client.get("/agreements/svr-kgb-2021").get_data(as_text=True)
    assert "place" in page.split("Not given by the source:")[1]
    assert '<th scope="row">Place</th>' not in page


def test_every_study_page_renders(client, bundled_dataset):
    for agreement in bundled_dataset.agreements:
        response = client.get(f"/agreements/{agreement.key}")
        assert response.status_code == 200, agreement.key
        assert agreement.title in response.get_data(as_text=True)


def test_unknown_agreement_is_a_proper_404_page(client):
    response = client.get("/agreements/no-such-thing")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Not Found</h1>" in page
    assert "no-such-thing" in page and 'lang="en"' in page


def test_healthz_reports_database_and_dataset_version(client, bundled_dataset):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": True,
        "dataset_version": bundled_dataset.version,
    }


def test_healthz_is_503_when_the_database_is_unreachable(loaded_app, monkeypatch):
    from quizapp.extensions import db

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with loaded_app.app_context():
        monkeypatch.setattr(db.engine, "connect", broken)  # every query needs a connection
        response = loaded_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] is False


@pytest.mark.parametrize("path", ["/", "/timeline"])
def test_pages_explain_when_no_data_is_loaded(app, path):
    page = app.test_client().get(path).get_data(as_text=True)
    assert "quizapp data load" in page


def test_pages_forbid_framing_sniffing_and_foreign_scripts(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
