"""`quizapp generate`, run as a user types it."""

from __future__ import annotations

import json

from tests.conftest import quizapp_command

FIELDS = {
    "id",
    "type",
    "prompt",
    "options",
    "answer",
    "agreements",
    "fact",
    "source",
    "explanation",
}


def test_same_seed_prints_the_same_quiz_with_its_key():
    first = quizapp_command("generate", "--count", "20", "--seed", "1")
    second = quizapp_command("generate", "--count", "20", "--seed", "1")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.startswith("Quiz: 20 questions (seed 1")
    assert "\n20. " in first.stdout and "Answer key" in first.stdout


def test_json_has_one_object_per_question_with_its_source_sentence():
    result = quizapp_command("generate", "--count", "20", "--seed", "7", "--format", "json")
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)
    assert len(questions) == 20
    assert len({q["id"] for q in questions}) == 20
    for question in questions:
        assert question.keys() >= FIELDS
        assert question["source"], question["id"]


def test_asking_too_much_prints_what_it_could_and_why_it_stopped():
    result = quizapp_command("generate", "--count", "500", "--seed", "1", "--format", "json")
    assert result.returncode == 0
    made = len(json.loads(result.stdout))
    assert 0 < made < 500
    assert f"made {made} of 500 questions" in result.stderr
    assert "Traceback" not in result.stderr


def test_questions_about_one_agreement_never_ask_what_the_source_lacks():
    result = quizapp_command(
        "generate", "--count", "10", "--seed", "3", "--about", "svr-kgb-2021", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)
    assert questions
    about = [q for q in questions if q["agreements"][0] == "svr-kgb-2021"]
    assert about and all(q["fact"] not in {"place", "signatories"} for q in about)


def test_an_unknown_agreement_key_is_a_usage_error():
    result = quizapp_command("generate", "--about", "no-such-agreement")
    assert result.returncode == 2
    assert "no agreement has the key 'no-such-agreement'" in result.stderr
