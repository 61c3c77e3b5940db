"""With both bundled datasets loaded, a trainee may practise on one of them only."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.config import DATA_DIR
from quizapp.core.loader import check, dataset_files
from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services import attempts
from tests.web.conftest import csrf_from

HISTORY = "History of Formation and Development of the Union State"


@pytest.fixture
def both():
    return check(dataset_files(DATA_DIR)).dataset


@pytest.fixture
def loaded_app(app, both):
    """An app whose database holds every bundled dataset file (questions/*.yaml)."""
    from quizapp.services import datasets

    with app.app_context():
        datasets.load(both)
    return app


def _post(client, **fields):
    page = client.get("/practice/new").get_data(as_text=True)
    data = {"count": "8", "difficulty": "", "feedback": "deferred", "csrf_token": csrf_from(page)}
    return client.post("/practice/new", data={**data, **fields})


def _attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))


def test_the_form_offers_each_dataset_by_its_source_title(signed_in):
    client, _ = signed_in()
    page = client.get("/practice/new").get_data(as_text=True)
    assert "<legend>Dataset</legend>" in page
    assert "Every dataset" in page and HISTORY in page
    assert "Increasing Russian domination over Belarus" in page


def test_a_quiz_on_one_dataset_asks_only_about_its_agreements(loaded_app, signed_in, both):
    client, _ = signed_in()
    response = _post(client, dataset="union-state")
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
    union = {a.key for a in both.agreements if both.sources[a.source].dataset == "union-state"}
    with loaded_app.app_context():
        found = db.session.get(Attempt, attempt_id)
        asked = {key for q in attempts.questions_of(found) for key in q.agreements}
        assert found.title == f"Practice: 8 questions on {HISTORY}"
    assert asked and asked <= union
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f"Practice: 8 questions on {HISTORY}" in dashboard


def test_the_agreements_are_grouped_under_their_dataset_title(loaded_app, signed_in, both):
    client, _ = signed_in()
    page = client.get("/practice/new").get_data(as_text=True)
    groups = re.findall(r'<fieldset class="checklist agreement-group"(.*?)</fieldset>', page, re.S)
    assert len(groups) == 2
    union = next(g for g in groups if f"<legend>{HISTORY}</legend>" in g)
    for agreement in both.agreements:
        in_union = both.sources[agreement.source].dataset == "union-state"
        assert (f'value="{agreement.key}"' in union) == in_union, agreement.key
    assert 'for="agreements-0"' in page and 'id="agreements-0"' in page


@pytest.mark.parametrize("chosen", [["svr-kgb-2021"], ["svr-kgb-2021", "union-charter-1997"]])
def test_agreements_of_another_dataset_are_refused_at_the_field(loaded_app, signed_in, chosen):
    client, _ = signed_in()
    response = _post(client, dataset="union-state", agreements=chosen)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    error = re.search(r'<p class="field-error" id="agreements-error">(.*?)</p>', text, re.S)
    assert error and HISTORY in error.group(1), text
    assert "Untick them" in error.group(1)
    assert _attempts(loaded_app) == 0


def test_agreements_of_any_dataset_may_be_mixed_for_every_dataset(loaded_app, signed_in):
    client, _ = signed_in()
    response = _post(client, agreements=["svr-kgb-2021", "union-charter-1997"])
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _attempts(loaded_app) == 1


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(
        st.text(max_size=20),
        st.sampled_from(["", "union-state", "agreements", "questions", "../agreements"]),
    )
)
def test_any_dataset_value_is_answered_and_a_refusal_starts_nothing(loaded_app, signed_in, value):
    client, _ = signed_in()
    before = _attempts(loaded_app)
    response = _post(client, dataset=value)
    assert response.status_code in (302, 400, 422), response.status_code
    started = _attempts(loaded_app) - before
    assert started == (1 if response.status_code == 302 else 0)
    if response.status_code == 422:
        assert 'id="dataset-error"' in response.get_data(as_text=True)
