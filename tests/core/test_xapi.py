"""xAPI statements for answered questions: verb, actor, result, context, ids and timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from quizapp.core import xapi

SITE = xapi.Settings("https://quiz.example.org/")
QUESTION = {
    "id": "q-1a2b",
    "type": "single_choice",
    "prompt": "Where was the agreement signed?",
    "fact_ids": ["svr-kgb-2021:place"],
    "source": "belarus-article",
}


def answered(**changes) -> xapi.Answered:
    fields = {
        "attempt_id": 7,
        "slot": 2,
        "user_id": 42,
        "email": "ana@example.org",
        "name": "Ana",
        "question": QUESTION,
        "fraction": 0.5,
        "mark": 2.0,
        "answered_at": datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC),
        "dataset_version": "abc123",
        "attempt_title": "Practice",
        "kind": "practice",
    }
    return xapi.Answered(**{**fields, **changes})


def test_statement_says_who_answered_what_with_which_result():
    made = xapi.statement(answered(), SITE)
    assert made["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert made["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "https://quiz.example.org/", "name": "42"},
    }
    assert made["object"]["id"] == "https://quiz.example.org/xapi/questions/q-1a2b"
    assert made["object"]["definition"]["interactionType"] == "choice"
    assert made["result"] == {
        "success": False,
        "score": {"scaled": 0.5, "raw": 1.0, "min": 0, "max": 2.0},
    }
    extensions = made["context"]["extensions"]
    assert extensions["https://quiz.example.org/xapi/extensions/fact-ids"] == ["svr-kgb-2021:place"]
    assert extensions["https://quiz.example.org/xapi/extensions/source"] == "belarus-article"
    assert extensions["https://quiz.example.org/xapi/extensions/dataset-version"] == "abc123"
    assert made["timestamp"] == "2026-03-02T09:00:05.000Z"
    assert "ana@example.org" not in json.dumps(made)  # not named by email unless configured


def test_actor_by_email_when_configured():
    made = xapi.statement(answered(), xapi.Settings("https://quiz.example.org", True))
    assert made["actor"] == {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.org"}


def test_a_fully_right_answer_succeeds_and_scores_are_clamped():
    assert xapi.statement(answered(fraction=1.0), SITE)["result"]["success"] is True
    assert xapi.statement(answered(fraction=1.2), SITE)["result"]["score"]["scaled"] == 1.0


def test_ids_are_stable_and_change_with_the_score():
    first = xapi.statement(answered(), SITE)
    assert first["id"] == xapi.statement(answered(), SITE)["id"]
    assert first["id"] != xapi.statement(answered(fraction=1.0), SITE)["id"]  # a regrade
    assert first["id"] != xapi.statement(answered(slot=3), SITE)["id"]
    other = xapi.statement(answered(slot=3), SITE)
    assert first["context"]["registration"] == other["context"]["registration"]  # one attempt


def test_timestamps_are_utc_with_a_z():
    plus_three = timezone(timedelta(hours=3))
    moment = datetime(2026, 3, 2, 12, 0, tzinfo=plus_three)
    assert xapi.timestamp(moment) == "2026-03-02T09:00:00.000Z"
    assert xapi.timestamp(datetime(2026, 3, 2, 9, 0)) == "2026-03-02T09:00:00.000Z"


def test_json_line_is_one_compact_line_keeping_text():
    line = xapi.json_line({"name": {"en": "Где подписано?\nМинск"}})
    assert line.endswith("\n") and line.count("\n") == 1
    assert "Где" in line and json.loads(line)["name"]["en"] == "Где подписано?\nМинск"
