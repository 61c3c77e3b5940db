"""Exports for other systems: xAPI statements and every attempt's score, from the admin
pages and the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.models import AuditEvent, Role
from quizapp.services import attempts
from tests.web.conftest import run_quizapp
from tests.web.factories import START, finished_attempt, single_choice_questions

VERB = "http://adlnet.gov/expapi/verbs/answered"


def _seed(app, make_user) -> dict:
    """Ana: one attempt, 2 right and one blank; Boris: one wrong a week later, one unfinished."""
    ana = make_user(Role.TRAINEE, name="Ana")
    boris = make_user(Role.TRAINEE, name="Boris")
    with app.app_context():
        questions = single_choice_questions(3)
        first = finished_attempt(ana.id, [True, True, None], questions=questions)
        later = START + timedelta(days=7)
        second = finished_attempt(boris.id, [False], start=later, questions=questions[:1])
        open_one = attempts.create(boris.id, "practice", "Open", questions, seed=1, settings={})
        facts = {q.id: list(q.fact_ids) for q in questions}
        return {
            "ana": ana,
            "boris": boris,
            "first": first,
            "second": second,
            "open": open_one.id,
            "facts": facts,
            "version": db.session.get(type(open_one), open_one.id).dataset_version,
            "questions": questions,
        }


def _statements(text: str) -> list[dict]:
    lines = text.splitlines()
    assert all(line.startswith("{") for line in lines)
    return [json.loads(line) for line in lines]


def _audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_admin_downloads_one_statement_per_answered_question(loaded_app, signed_in, make_user):
    seeded = _seed(loaded_app, make_user)
    client, admin = signed_in(Role.ADMIN)
    assert "Download xAPI statements" in client.get("/admin/exports").text
    response = client.get("/admin/exports/xapi.jsonl")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/jsonl"
    assert "xapi-statements.jsonl" in response.headers["Content-Disposition"]
    statements = _statements(response.get_data(as_text=True))
    # Ana's two answers (her blank slot is not a statement), Boris's one; none unfinished.
    assert len(statements) == 3
    assert {s["verb"]["id"] for s in statements} == {VERB}
    by_actor = [s["actor"]["account"]["name"] for s in statements]
    assert by_actor == [str(seeded["ana"].id)] * 2 + [str(seeded["boris"].id)]
    assert seeded["ana"].email not in response.get_data(as_text=True)
    ana_first, _, boris = statements
    question: Question = seeded["questions"][0]
    assert ana_first["object"]["id"] == f"http://localhost/xapi/questions/{question.id}"
    assert ana_first["result"]["success"] is True and boris["result"]["success"] is False
    assert boris["result"]["score"] == {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 1.0}
    extensions = ana_first["context"]["extensions"]
    assert extensions["http://localhost/xapi/extensions/fact-ids"] == seeded["facts"][question.id]
    assert extensions["http://localhost/xapi/extensions/source"] == question.source != ""
    assert extensions["http://localhost/xapi/extensions/dataset-version"] == seeded["version"]
    assert ana_first["timestamp"] == START.isoformat(timespec="milliseconds") + "Z"
    assert _audit_actions(loaded_app)[-1] == "export.xapi"


def test_since_narrows_the_statements_and_a_bad_date_changes_nothing(
    loaded_app, signed_in, make_user
):
    seeded = _seed(loaded_app, make_user)
    client, _ = signed_in(Role.ADMIN)
    since = (START + timedelta(days=1)).date().isoformat()
    text = client.get("/admin/exports/xapi.jsonl", query_string={"since": since}).text
    assert [s["actor"]["account"]["name"] for s in _statements(text)] == [str(seeded["boris"].id)]
    before = _audit_actions(loaded_app)
    refused = client.get("/admin/exports/xapi.jsonl", query_string={"since": "31/12/2025"})
    assert refused.status_code == 400
    assert "Give a date as YYYY-MM-DD" in refused.text and 'aria-invalid="true"' in refused.text
    assert _audit_actions(loaded_app) == before


def test_actors_are_named_by_email_when_configured(loaded_app, signed_in, make_user):
    seeded = _seed(loaded_app, make_user)
    loaded_app.config["QUIZAPP_XAPI_ACTOR"] = "email"
    client, _ = signed_in(Role.ADMIN)
    statements = _statements(client.get("/admin/exports/xapi.jsonl").text)
    assert statements[0]["actor"]["mbox"] == f"mailto:{seeded['ana'].email}"


def test_scores_csv_has_every_attempt_in_any_state(loaded_app, signed_in, make_user):
    seeded = _seed(loaded_app, make_user)
    client, _ = signed_in(Role.ADMIN)
    response = client.get("/admin/exports/scores.csv")
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["attempt_id"], r["name"], r["state"]) for r in rows] == [
        (str(seeded["first"]), "Ana", "finished"),
        (str(seeded["second"]), "Boris", "finished"),
        (str(seeded["open"]), "Boris", "in_progress"),
    ]
    assert (rows[0]["percent"], rows[0]["minutes"], rows[0]["kind"]) == ("66.7", "5.0", "practice")
    assert rows[2]["percent"] == rows[2]["finished_at"] == ""
    assert _audit_actions(loaded_app)[-1] == "export.scores"


def test_the_command_line_writes_the_same_statements(loaded_app, signed_in, make_user, tmp_path):
    _seed(loaded_app, make_user)
    client, _ = signed_in(Role.ADMIN)
    downloaded = _statements(client.get("/admin/exports/xapi.jsonl").text)
    target = tmp_path / "statements.jsonl"
    done = run_quizapp(
        loaded_app, "export-xapi", "--output", str(target), "--base-url", "http://localhost"
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote 3 xAPI statements to {target}" in done.stderr
    assert _statements(target.read_text(encoding="utf-8")) == downloaded
    since = run_quizapp(loaded_app, "export-xapi", "--since", "2026-03-05")
    assert len(_statements(since.stdout)) == 1
    assert _audit_actions(loaded_app)[-2:] == ["export.xapi", "export.xapi"]
    bad = run_quizapp(loaded_app, "export-xapi", "--since", "yesterday")
    assert bad.returncode == 2 and "'yesterday' does not match the format" in bad.stderr
    scores = run_quizapp(loaded_app, "export-scores")
    assert scores.returncode == 0 and "wrote 3 attempts" in scores.stderr
    assert scores.stdout.lstrip("\ufeff").startswith("attempt_id,user_id,email,")


_ADMINS: dict[int, object] = {}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(since=st.one_of(st.text(max_size=20), st.dates().map(str), st.just("2026-02-30")))
def test_any_since_is_answered_and_a_refusal_records_nothing(loaded_app, signed_in, since):
    if id(loaded_app) not in _ADMINS:
        _ADMINS.clear()
        _ADMINS[id(loaded_app)] = signed_in(Role.ADMIN)[0]
    client = _ADMINS[id(loaded_app)]
    before = len(_audit_actions(loaded_app))
    for path in ("/admin/exports/xapi.jsonl", "/admin/exports/scores.csv"):
        response = client.get(path, query_string={"since": since})
        assert response.status_code in (200, 400), (path, since, response.status_code)
        recorded = len(_audit_actions(loaded_app)) - before
        assert recorded == (1 if response.status_code == 200 else 0)
        before += recorded
