"""Faults under load: two app instances on one PostgreSQL database, workers killed mid-flight.

Two gunicorn masters (two workers each, gunicorn.conf.py) serve the test session's
PostgreSQL database. Simulated trainees autosave answers through both, alternating, while
workers are sent SIGKILL, until enough answers were acknowledged and enough workers killed.
A save the server acknowledged must be in the step log exactly once, at the sequence it was
acknowledged with; every attempt can be continued afterwards; no answer is a server error
(a dropped connection is what a killed worker looks like, and is retried).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.client import HTTPException

import pytest
import sqlalchemy as sa

from quizapp.config import DEFAULT_DATA
from quizapp.core.loader import load_dataset
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import accounts, attempts, datasets
from tests.conftest import _empty_postgres, make_test_app
from tests.servers import Browser, Server, gunicorn_servers

TRAINEES = 12
# The run goes on until both have happened: a quiet machine is done in about ten seconds, a
# busy one takes longer instead of failing; MAX_SECONDS bounds it.
ACKNOWLEDGED = 10 * TRAINEES  # answers acknowledged, more than this
KILLS = 8  # workers killed, at least
MAX_SECONDS = 120
KILL_EVERY = (0.8, 1.6)  # seconds between two SIGKILLs, drawn at random
# ... and as many answers acknowledged since the last one: a busy machine restarts workers
# slowly, and killing them faster than they start would only measure the machine.
SAVES_PER_KILL = 10
PASSWORD = "fault test password 1"
SECRET_KEY = "fault-test-secret"
_SEQ = re.compile(r'name="seq"[^>]*value="(\d+)"')
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]*)"')


@dataclass
class Trainee:
    """One simulated trainee: an attempt, a question, two answers to alternate."""

    email: str
    attempt_id: int
    slot: int
    answers: tuple[object, object]
    browser: Browser = field(default_factory=Browser)
    csrf: str = ""
    seq: int = 0


@dataclass
class Tally:
    """What the trainees saw, shared by their threads."""

    acknowledged: list[tuple[int, int, int, object]] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    resets: int = 0
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def postgres(postgres_url: str) -> str:
    """The session's PostgreSQL database, emptied (the servers' connections end with them)."""
    _empty_postgres(postgres_url)
    return postgres_url


def two_answers(question) -> tuple[object, object] | None:
    """Two different answers a trainee may give (true/false or single choice)."""
    if question.type == "true_false":
        return True, False
    if question.type == "single_choice" and len(question.options) >= 2:
        return question.options[0].id, question.options[1].id
    return None


def make_trainees(url: str, count: int) -> list[Trainee]:
    """Accounts and practice attempts, made through the services as the app makes them."""
    app = make_test_app(url)
    made = []
    with app.app_context():
        datasets.load(load_dataset(DEFAULT_DATA))
        for number in range(count):
            email = f"trainee{number}@faults.example"
            user = accounts.create_user(email, PASSWORD, Role.TRAINEE)
            for seed in range(number * 50, number * 50 + 50):
                found = attempts.start_practice(user.id, attempts.PracticeOptions(), seed=seed)
                slots = [
                    (slot, pair)
                    for slot in range(1, len(found.questions) + 1)
                    if (pair := two_answers(attempts.question_at(found, slot)))
                ]
                if slots:
                    made.append(Trainee(email, found.id, *slots[0]))
                    break
        db.session.remove()
        db.engine.dispose()
    assert len(made) == count, "some practice attempts had no true/false or choice question"
    return made


# --- a trainee at work -------------------------------------------------------------------


def question_url(base: str, trainee: Trainee) -> str:
    return f"{base}/attempts/{trainee.attempt_id}/q/{trainee.slot}"


def resync(trainee: Trainee, servers: list[Server], tally: Tally) -> None:
    """Read the question page again (any server that answers) for its sequence and token."""
    for attempt in range(200):
        base = servers[attempt % len(servers)].url
        try:
            status, page = trainee.browser.request(question_url(base, trainee), timeout=10)
        except (OSError, HTTPException):
            with tally.lock:
                tally.resets += 1
            time.sleep(0.05)
            continue
        record(tally, status, f"GET question page of attempt {trainee.attempt_id}")
        if status == 200:
            trainee.seq = int(_SEQ.search(page).group(1))
            trainee.csrf = _CSRF.search(page).group(1)
            return
        time.sleep(0.05)
    raise AssertionError(f"the question page of attempt {trainee.attempt_id} never came back")


def record(tally: Tally, status: int, what: str) -> None:
    with tally.lock:
        tally.statuses[status] += 1
        if status >= 500:
            tally.server_errors.append(f"{what}: {status}")


def save(trainee: Trainee, base: str, answer: object) -> tuple[int, dict]:
    """Autosave as the page's script does: JSON, the CSRF header, the sequence seen."""
    body = json.dumps({"slot": trainee.slot, "seq": trainee.seq, "response": answer})
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": trainee.csrf,
    }
    url = f"{base}/attempts/{trainee.attempt_id}/answer"
    request = urllib.request.Request(url, data=body.encode(), headers=headers)
    try:
        with trainee.browser.opener.open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if error.headers.get_content_type().endswith(
            "json"
        ) else {"text": text}


def work(trainee: Trainee, servers: list[Server], tally: Tally, stop: threading.Event) -> None:
    """Alternate two answers through alternating servers until told to stop."""
    resync(trainee, servers, tally)
    turn = 0
    while not stop.is_set():
        turn += 1
        answer = trainee.answers[turn % 2]
        try:
            status, reply = save(trainee, servers[turn % 2].url, answer)
        except (OSError, HTTPException):  # the worker died with the request: not acknowledged
            with tally.lock:
                tally.resets += 1
            resync(trainee, servers, tally)
            continue
        record(tally, status, f"save to attempt {trainee.attempt_id}")
        if status == 200 and reply.get("saved"):
            if reply["changed"]:
                with tally.lock:
                    tally.acknowledged.append(
                        (trainee.attempt_id, reply["sequence"], trainee.slot, answer)
                    )
            trainee.seq = reply["sequence"]
        else:
            resync(trainee, servers, tally)


def kill_workers(
    servers: list[Server], tally: Tally, stop: threading.Event, killed: list[int]
) -> None:
    """SIGKILL a random worker of a random master now and then; the master starts another."""
    chooser = random.Random(7)
    while not stop.wait(chooser.uniform(*KILL_EVERY)):
        if len(tally.acknowledged) < SAVES_PER_KILL * (len(killed) + 1):
            continue
        server = chooser.choice(servers)
        pids = server.worker_pids()
        if pids:
            victim = chooser.choice(pids)
            try:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            except ProcessLookupError:
                pass


def stop_when_enough(tally: Tally, killed: list[int], stop: threading.Event) -> None:
    """Let trainees save and workers die until enough of both happened, or MAX_SECONDS."""
    deadline = time.monotonic() + MAX_SECONDS
    while time.monotonic() < deadline:
        if len(tally.acknowledged) > ACKNOWLEDGED and len(killed) >= KILLS:
            break
        time.sleep(0.1)
    stop.set()


# --- the test ----------------------------------------------------------------------------


def stored_answers(url: str) -> dict[tuple[int, int], tuple[str, int, object]]:
    """(attempt, seq) -> (action, slot, response) of every step in the database."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT attempt_id, seq, action, slot, response FROM attempt_steps")
        )
        found = {(r.attempt_id, r.seq): (r.action, r.slot, r.response) for r in rows}
    engine.dispose()
    return found


def test_acknowledged_answers_survive_killed_workers_on_two_servers(postgres, tmp_path):
    trainees = make_trainees(postgres, TRAINEES)
    env = {"DATABASE_URL": postgres, "SECRET_KEY": SECRET_KEY, "GUNICORN_TIMEOUT": "20"}
    tally, killed = Tally(), []
    with gunicorn_servers(2, env, tmp_path, workers=2) as servers:
        for number, trainee in enumerate(trainees):
            assert trainee.browser.login(servers[number % 2].url, trainee.email, PASSWORD) == 302
        stop = threading.Event()
        threads = [threading.Thread(target=work, args=(t, servers, tally, stop)) for t in trainees]
        threads.append(threading.Thread(target=kill_workers, args=(servers, tally, stop, killed)))
        for thread in threads:
            thread.start()
        stop_when_enough(tally, killed, stop)
        for thread in threads:
            thread.join(timeout=60)
        continued = [continue_attempt(trainee, servers, tally) for trainee in trainees]
    steps = stored_answers(postgres)
    answer_steps = sum(1 for action, _, _ in steps.values() if action == "answer")
    print(
        f"\nfaults: {len(killed)} workers killed, {len(tally.acknowledged)} answers acknowledged, "
        f"{answer_steps} answer steps stored ({answer_steps - len(tally.acknowledged)} of them "
        f"saved but not acknowledged: their connection died), {tally.resets} connection resets, "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert len(killed) >= KILLS and len(tally.acknowledged) > ACKNOWLEDGED
    assert tally.server_errors == []
    lost = [a for a in tally.acknowledged if steps.get((a[0], a[1])) != ("answer", a[2], a[3])]
    assert lost == [], f"acknowledged but not stored as acknowledged: {lost[:10]}"
    assert len({(a[0], a[1]) for a in tally.acknowledged}) == len(tally.acknowledged)
    assert answer_steps - len(tally.acknowledged) <= tally.resets
    assert all(continued)


def continue_attempt(trainee: Trainee, servers: list[Server], tally: Tally) -> bool:
    """After the faults: the attempt opens on either server and takes both answers in turn."""
    for server in servers:
        status, _ = trainee.browser.request(f"{server.url}/attempts/{trainee.attempt_id}")
        assert status == 302, f"attempt {trainee.attempt_id} on {server.url}: {status}"
    resync(trainee, servers, tally)
    changed = []
    for server, answer in zip(servers, trainee.answers, strict=True):
        status, reply = save(trainee, server.url, answer)
        assert status == 200 and reply["saved"], (status, reply)
        trainee.seq = reply["sequence"]
        if reply["changed"]:
            tally.acknowledged.append((trainee.attempt_id, reply["sequence"], trainee.slot, answer))
        changed.append(reply["changed"])
    return any(changed)
