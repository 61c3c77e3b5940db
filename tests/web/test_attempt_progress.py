"""Migration 0014 folds the step log of every attempt begun before it into the state each
step now keeps with its attempt: pages read the same answers, flags and checks as before."""

from __future__ import annotations

import flask_migrate

from quizapp.core import attempt as engine
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStep, Role
from quizapp.services import attempts


def _logged_states() -> dict[int, engine.State]:
    """Each attempt's state as replaying its whole log gives it."""
    logs: dict[int, list[engine.Step]] = {}
    rows = db.session.execute(
        db.select(
            AttemptStep.attempt_id,
            AttemptStep.seq,
            AttemptStep.action,
            AttemptStep.slot,
            AttemptStep.response,
        )
    )
    for attempt_id, *step in rows:
        logs.setdefault(attempt_id, []).append(engine.Step(*step))
    return {key: engine.replay(log) for key, log in logs.items()}


def _kept_states() -> dict[int, engine.State]:
    return {a.id: attempts.state_of(a) for a in db.session.scalars(db.select(Attempt))}


def test_the_migration_folds_each_earlier_log_into_its_attempt(loaded_app, make_user):
    trainee = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        options = attempts.PracticeOptions(count=4, feedback=engine.IMMEDIATE)
        busy = attempts.start_practice(trainee.id, options)
        answer = attempts.questions_of(busy)[0].answer  # the right answer is a valid one
        attempts.save_answer(busy, 1, answer, 0)
        attempts.set_flag(busy, 2, True, 1)
        attempts.set_flag(busy, 3, True, 2)
        attempts.set_flag(busy, 3, False, 3)
        attempts.check(busy, 1, answer, 4)
        untouched = attempts.start_practice(trainee.id, options).id
        submitted = attempts.start_practice(trainee.id, options)
        attempts.submit(submitted, 0)
        before = _logged_states()
        assert before[busy.id].checked == {1} and before[busy.id].flagged == {2}
        assert before[submitted.id].finished and untouched not in before
        db.session.remove()

        flask_migrate.downgrade(revision="0013")
        flask_migrate.upgrade()

        kept = _kept_states()
        assert {key: kept[key] for key in before} == before
        assert kept[untouched] == engine.State()
