"""Each question result stores its identity for item statistics (core.stats.item_key):
set when the result is saved, and computed by migration 0012 for results saved before it."""

from __future__ import annotations

import dataclasses

import flask_migrate

from quizapp.core import stats
from quizapp.core.generate import generate_bank
from quizapp.extensions import db
from quizapp.models import QuestionResult, Role
from quizapp.services import datasets
from tests.web.factories import finished_attempt


def _mixed_questions():
    """Generated single-choice questions on one fact and on several, and a bank version."""
    chosen = [q for q in generate_bank(datasets.current(), seed=1) if q.type == "single_choice"]
    one_fact = next(q for q in chosen if len(q.fact_ids) == 1)
    several = next(q for q in chosen if len(q.fact_ids) > 1)
    banked = dataclasses.replace(chosen[-1], id="bank:41:2")
    return [one_fact, several, banked]


def _stored_keys() -> dict[int, str]:
    rows = db.session.execute(db.select(QuestionResult.id, QuestionResult.item_key))
    return dict(rows.all())


def _expected_keys() -> dict[int, str]:
    results = db.session.scalars(db.select(QuestionResult))
    return {r.id: stats.item_key(r.question_id, r.question_type, r.fact_ids) for r in results}


def test_a_saved_result_stores_its_identity(loaded_app, make_user):
    trainee = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        questions = _mixed_questions()
        finished_attempt(trainee.id, [True, False, None], questions=questions)
        stored = _stored_keys()
        assert sorted(stored.values()) == sorted(
            stats.item_key(q.id, q.type, q.fact_ids) for q in questions
        )
        assert "bank:41:2" in stored.values()
        assert f'single_choice ["{questions[0].fact_ids[0]}"]' in stored.values()


def test_the_migration_gives_results_saved_before_it_the_same_identity(loaded_app, make_user):
    trainee = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        finished_attempt(trainee.id, [True, False, True], questions=_mixed_questions())
        expected = _expected_keys()
        db.session.remove()
        flask_migrate.downgrade(revision="0011")
        flask_migrate.upgrade()
        assert _stored_keys() == expected
