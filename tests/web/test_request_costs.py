"""What each request costs the database: statements counted per request, so regressions fail.

Counts are taken on a warm process (the page or dataset asked for once before), as a
worker serves most requests. They are upper bounds a change must not exceed; lowering one
is welcome (and the bound with it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from quizapp.core.quizzes import FixedSlot
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, AttemptStep, Cohort, Role, User
from quizapp.services import accounts, assignments, attempts, cohorts, quizzes
from tests.conftest import make_test_app
from tests.web.conftest import csrf_from
from tests.web.test_attempts import SEED, form_answer, questions, seq_of, start_practice
from tests.web.test_quizzes import quiz_with, stock, take

AGREEMENT = "/agreements/external-borders-reaction"


@dataclass
class Tally:
    statements: list[str] = field(default_factory=list)
    commits: int = 0


@contextmanager
def counting(app) -> Iterator[Tally]:
    """Every SQL statement and commit the app's engine sees inside the block."""
    tally = Tally()
    with app.app_context():
        engine = db.engine

    def statement(_conn, _cursor, text, *_args) -> None:
        tally.statements.append(text)

    def commit(_conn) -> None:
        tally.commits += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield tally
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def cost(app, request: Callable):
    """The response to `request()` asked twice, and the statements of the second time."""
    request()
    with counting(app) as tally:
        response = request()
    return response, tally


@pytest.mark.parametrize("path", ["/", "/timeline", AGREEMENT])
def test_an_anonymous_public_page_makes_no_query_between_rechecks(loaded_app, path):
    client = loaded_app.test_client()
    response, tally = cost(loaded_app, lambda: client.get(path))
    assert response.status_code == 200
    assert tally.statements == []
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    revalidated, tally = cost(loaded_app, lambda: client.get(path, headers={"If-None-Match": etag}))
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert tally.statements == []


@pytest.mark.parametrize("path", ["/", AGREEMENT])
def test_an_anonymous_public_page_is_one_query_when_rechecked(loaded_app, database_url, path):
    app = make_test_app(database_url, QUIZAPP_RECHECK_SECONDS=0)  # every request rechecks
    client = app.test_client()
    response, tally = cost(app, lambda: client.get(path))
    assert response.status_code == 200
    assert len(tally.statements) == 1, tally.statements
    with app.app_context():
        db.engine.dispose()


def test_healthz_is_one_query(loaded_app):
    client = loaded_app.test_client()
    response, tally = cost(loaded_app, lambda: client.get("/healthz"))
    assert response.json["database"] is True
    assert len(tally.statements) == 1, tally.statements
    assert "Set-Cookie" not in response.headers


@pytest.fixture
def attempt(loaded_app, signed_in, monkeypatch):
    """A trainee's client, a practice attempt of theirs and its first question."""
    monkeypatch.setattr(attempts, "new_seed", lambda: SEED)  # the same questions every run
    client, _ = signed_in("trainee")
    attempt_id = start_practice(client)
    return client, attempt_id, questions(loaded_app, attempt_id)[0]


def test_a_question_page_is_one_query(loaded_app, attempt):
    client, attempt_id, _ = attempt
    response, tally = cost(loaded_app, lambda: client.get(f"/attempts/{attempt_id}/q/1"))
    assert response.status_code == 200
    # the user with the attempt and its state (results only once a slot is checked)
    assert len(tally.statements) == 1, tally.statements
    assert tally.commits == 0


@pytest.mark.parametrize("change", ["deactivated", "made instructor", "sessions ended"])
def test_an_attempt_page_sees_a_changed_account_on_the_next_request(loaded_app, attempt, change):
    """The user row read with the attempt is this request's: the loader still judges it."""
    client, attempt_id, _ = attempt
    page = f"/attempts/{attempt_id}/q/1"
    assert client.get(page).status_code == 200
    with loaded_app.app_context():
        user = db.session.scalars(db.select(Attempt.user_id).where(Attempt.id == attempt_id))
        trainee = db.session.get(User, user.one())
        if change == "deactivated":
            accounts.set_active(trainee, False)
        elif change == "made instructor":
            accounts.set_role(trainee, Role.INSTRUCTOR)
        else:
            trainee.end_sessions()
            db.session.commit()
    response = client.get(page)
    expected = 403 if change == "made instructor" else 302
    assert response.status_code == expected, response.text
    if expected == 302:
        assert response.headers["Location"].startswith("/login")


def test_an_answer_save_is_one_transaction(loaded_app, attempt):
    client, attempt_id, question = attempt
    page = client.get(f"/attempts/{attempt_id}/q/1").text
    fields = {"csrf_token": csrf_from(page), "slot": 1, **form_answer(question)}
    sequence = [seq_of(page)]

    def save(right: bool = True):
        reply = client.post(
            f"/attempts/{attempt_id}/answer",
            data={**fields, **form_answer(question, right), "seq": sequence[0]},
            headers={"Accept": "application/json"},
        )
        sequence[0] = reply.json["sequence"]
        return reply

    save()
    with counting(loaded_app) as tally:
        reply = save(right=False)
    assert reply.json["saved"] is True and reply.json["changed"] is True
    # the user with the attempt and its state; then one UPDATE and one INSERT, one commit
    assert len(tally.statements) == 3, tally.statements
    writes = [s for s in tally.statements if not s.lstrip().upper().startswith("SELECT")]
    assert len(writes) == 2, writes
    assert tally.commits == 1


def test_an_answer_save_does_not_read_the_rest_of_the_log(loaded_app, attempt):
    """Autosave writes a step per change: a save must not cost more as the log grows."""
    client, attempt_id, question = attempt
    page = client.get(f"/attempts/{attempt_id}/q/1").text
    fields = {"csrf_token": csrf_from(page), "slot": 1}
    sequence = seq_of(page)
    for turn in range(30):
        reply = client.post(
            f"/attempts/{attempt_id}/answer",
            data={**fields, **form_answer(question, turn % 2 == 0), "seq": sequence},
            headers={"Accept": "application/json"},
        )
        sequence = reply.json["sequence"]
    rows = []
    listener = lambda target, _context: rows.append(target)  # noqa: E731
    event.listen(AttemptStep, "load", listener)
    try:
        with counting(loaded_app) as tally:
            reply = client.post(
                f"/attempts/{attempt_id}/answer",
                data={**fields, **form_answer(question, True), "seq": sequence},
                headers={"Accept": "application/json"},
            )
    finally:
        event.remove(AttemptStep, "load", listener)
    assert reply.json["changed"] is True and reply.json["sequence"] == sequence + 1
    assert rows == [], f"a save loaded {len(rows)} steps of the log"
    assert tally.commits == 1


def test_the_dashboard_stays_within_its_queries(loaded_app, attempt):
    client, _, _ = attempt
    response, tally = cost(loaded_app, lambda: client.get("/dashboard"))
    assert response.status_code == 200
    assert len(tally.statements) <= 7, tally.statements
    cards = [s for s in tally.statements if "FROM fact_cards" in s]
    assert len(cards) == 1, cards


def test_the_dashboard_reads_no_step_log_for_its_unfinished_attempts(loaded_app, attempt):
    """Each attempt row keeps the state its log folds to: three attempts, no log read."""
    client, _, _ = attempt
    start_practice(client)
    start_practice(client)
    response, tally = cost(loaded_app, lambda: client.get("/dashboard"))
    assert response.status_code == 200
    steps = [s for s in tally.statements if "FROM attempt_steps" in s]
    assert steps == [], steps
    assert len(tally.statements) <= 7, tally.statements


def _assigned_quiz(cohort, questions, admin_id: int, trainee_ids) -> int:
    """A published quiz of the questions assigned to the cohort, each trainee's attempt at it
    finished; returns the assignment's id."""
    quiz = quiz_with([FixedSlot(q.id) for q in questions])
    version = quizzes.publish(quiz)
    assignment = assignments.assign(quiz, cohort, None, db.session.get(User, admin_id))
    for trainee_id in trainee_ids:
        take(trainee_id, version, 1)
    return assignment.id


def _join(cohort, people) -> None:
    for person in people:
        cohorts.add_member(cohort, db.session.get(User, person.id))


def test_the_dashboard_costs_the_same_with_one_or_four_assigned_quizzes(
    loaded_app, make_user, signed_in
):
    admin = make_user(Role.ADMIN)
    client, trainee = signed_in(Role.TRAINEE)
    with loaded_app.app_context():
        _, added = stock(2)
        minsk = cohorts.create("Minsk")
        _join(minsk, [trainee])
        _assigned_quiz(minsk, added, admin.id, [trainee.id])
    one, tally_one = cost(loaded_app, lambda: client.get("/dashboard"))
    with loaded_app.app_context():
        minsk, added = db.session.merge(minsk), [db.session.merge(q) for q in added]
        for _ in range(3):
            _assigned_quiz(minsk, added, admin.id, [trainee.id])
    four, tally_four = cost(loaded_app, lambda: client.get("/dashboard"))
    assert one.status_code == four.status_code == 200
    assert four.text.count("Capitals check") >= 4
    assert len(tally_four.statements) == len(tally_one.statements), tally_four.statements


def test_an_assignments_results_cost_the_same_with_one_or_five_trainees(
    loaded_app, make_user, signed_in
):
    client, admin = signed_in(Role.ADMIN)
    first = make_user(Role.TRAINEE, name="Trainee 0")
    with loaded_app.app_context():
        _, added = stock(2)
        minsk = cohorts.create("Minsk")
        _join(minsk, [first])
        assignment_id = _assigned_quiz(minsk, added, admin.id, [first.id])
        cohort_id = minsk.id
    page = f"/instructor/assignments/{assignment_id}"
    one, tally_one = cost(loaded_app, lambda: client.get(page))
    more = [make_user(Role.TRAINEE, name=f"Trainee {n}") for n in range(1, 5)]
    with loaded_app.app_context():
        _join(db.session.get(Cohort, cohort_id), more)
        version = quizzes.live(db.session.get(Assignment, assignment_id).quiz)
        for person in more:
            take(person.id, version, 1)
    five, tally_five = cost(loaded_app, lambda: client.get(page))
    assert one.status_code == five.status_code == 200
    assert all(f"Trainee {n}" in five.text for n in range(5))
    assert len(tally_five.statements) == len(tally_one.statements), tally_five.statements
