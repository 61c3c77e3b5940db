"""How the admin reports scale: run `python benchmarks/reports.py`.

Fills a fresh SQLite file and a scratch database on the PostgreSQL server (both in the
same run) with 1,000 trainees in 10 cohorts, 10,000 finished attempts (quizzes and
practice) and 200,000 answers, by bulk inserts; then times each report that exists, as
the best of 3 runs and as a ratio to a bare `SELECT count(*)` over the answers in the
same database. Targets: each under 1 s and at most 20x the count. Then the peak memory
(tracemalloc) of the streamed exports at two sizes, which should be about the same.
Not a test: timings depend on the machine (`tests/web/test_benchmark_reports.py` runs
it with small numbers).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from quizapp.app import create_app  # noqa: E402
from quizapp.config import DEFAULT_DATA  # noqa: E402
from quizapp.core import qtypes  # noqa: E402
from quizapp.core.generate import generate_bank  # noqa: E402
from quizapp.core.loader import load_dataset  # noqa: E402
from quizapp.core.questions import Question  # noqa: E402
from quizapp.extensions import db  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "QUIZAPP_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CHOICE_TYPES = ("single_choice", "true_false", "multiple_choice")
COHORTS, QUIZZES, QUIZ_SHARE = 10, 10, 0.8  # 80% of attempts are quiz attempts
CHUNK = 2_000  # rows per INSERT batch
FILLED = (
    "users",
    "cohorts",
    "cohort_members",
    "quizzes",
    "quiz_versions",
    "attempts",
    "question_results",
    "attempt_steps",
    "fact_reviews",
    "fact_cards",
)
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
TARGET_SECONDS, TARGET_RATIO = 1.0, 20.0
SLOW = 3.0  # seconds


# --- progress ----------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr: `[#####.....]  50%  what`."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.done, self.label, self.shown = max(total, 1), 0, label, -1

    def add(self, count: int) -> None:
        self.done += count
        percent = min(100, 100 * self.done // self.total)
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 5) + "." * (20 - percent // 5)
            print(f"\r  [{bar}] {percent:3d}%  {self.label}", end="", file=sys.stderr)
            if percent == 100:
                print(file=sys.stderr)


# --- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    trainees: int
    attempts: int
    answers: int

    @property
    def per_attempt(self) -> int:
        return max(1, self.answers // self.attempts)


@dataclass(frozen=True)
class Answerable:
    """A question, its frozen data, and the responses a trainee may give with their grades."""

    question: Question
    frozen: dict[str, Any]
    responses: list[tuple[Any, float]]  # the right one first


def _wrong_responses(question: Question) -> list[Any]:
    if question.type == "true_false":
        return [not question.answer]
    wrong = [o.id for o in question.options if o.id not in _as_list(question.answer)]
    if question.type == "multiple_choice":
        return [[w] for w in wrong[:2]]
    return wrong[:2]


def _as_list(answer: Any) -> list[Any]:
    return answer if isinstance(answer, list) else [answer]


def answerable_bank() -> list[Answerable]:
    """The choice questions generated from the bundled data, each with graded responses."""
    bank = generate_bank(load_dataset(DEFAULT_DATA), seed=1)
    found = []
    for question in bank:
        if question.type not in CHOICE_TYPES:
            continue
        given = [question.answer, *_wrong_responses(question)]
        graded = [(r, qtypes.grade(question, r).fraction) for r in given]
        found.append(Answerable(question, question.to_dict(), graded))
    return found


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Bulk INSERT in batches, then commit."""
    target = db.metadata.tables[table]
    connection = db.session.connection()
    for batch in _chunks(rows):
        connection.execute(target.insert(), batch)
    db.session.commit()


def _people(sizes: Sizes) -> list[dict[str, Any]]:
    password = generate_password_hash("benchmark password", method="pbkdf2:sha256:1000")
    people = [
        {"id": 1, "email": "admin@bench.example", "name": "Admin", "role": "admin"},
        {"id": 2, "email": "teacher@bench.example", "name": "Teacher", "role": "instructor"},
    ]
    people += [
        {"id": 3 + n, "email": f"t{n}@bench.example", "name": f"Trainee {n:05d}", "role": "trainee"}
        for n in range(sizes.trainees)
    ]
    for person in people:
        person.update(password_hash=password, active=True, created_at=START)
    return people


def _cohort_rows(sizes: Sizes) -> tuple[list[dict], list[dict]]:
    """COHORTS cohorts splitting the trainees, one holding them all; the teacher in each."""
    cohorts = [{"id": c + 1, "name": f"Cohort {c + 1}", "description": ""} for c in range(COHORTS)]
    cohorts.append({"id": COHORTS + 1, "name": "Everyone", "description": ""})
    members, number = [], 0
    for cohort in cohorts:
        cohort.update(created_at=START)
        number += 1
        members.append(
            {"id": number, "cohort_id": cohort["id"], "user_id": 2, "role": "instructor"}
        )
    for n in range(sizes.trainees):
        for cohort_id in (n % COHORTS + 1, COHORTS + 1):
            number += 1
            members.append(
                {"id": number, "cohort_id": cohort_id, "user_id": 3 + n, "role": "trainee"}
            )
    for member in members:
        member["added_at"] = START
    return cohorts, members


def _quiz_rows(bank: list[Answerable], per_attempt: int, rng: random.Random):
    """QUIZZES quizzes, each one published version asking a fixed draw from the bank."""
    quizzes, versions, asked = [], [], {}
    for q in range(1, QUIZZES + 1):
        chosen = rng.sample(range(len(bank)), min(per_attempt, len(bank)))
        asked[q] = chosen
        quizzes.append(
            {
                "id": q,
                "title": f"Quiz {q}",
                "description": "",
                "settings": {},
                "slots": [],
                "published": 1,
                "draft_changed": False,
                "created_at": START,
                "updated_at": START,
            }
        )
        versions.append(
            {
                "id": q,
                "quiz_id": q,
                "number": 1,
                "title": f"Quiz {q}",
                "settings": {},
                "slots": [],
                "published_at": START,
            }
        )
    return quizzes, versions, asked


def _attempts(sizes: Sizes, bank: list[Answerable], asked: dict, rng: random.Random):
    """Attempt rows, each carrying its answers as `_answers` (slot, bank index, response)."""
    ability = [rng.uniform(0.35, 0.95) for _ in range(sizes.trainees)]
    for number in range(1, sizes.attempts + 1):
        trainee = (number - 1) % sizes.trainees
        quiz = rng.randint(1, QUIZZES) if rng.random() < QUIZ_SHARE else None
        picked = asked[quiz] if quiz else rng.sample(range(len(bank)), len(asked[1]))
        answers = []
        for slot, index in enumerate(picked, start=1):
            responses = bank[index].responses
            right = rng.random() < ability[trainee]
            answers.append((slot, index, responses[0] if right else rng.choice(responses[1:])))
        fraction = sum(r[1] for _, _, r in answers) / len(answers)
        started = START + timedelta(minutes=7 * number)
        yield {
            "id": number,
            "user_id": 3 + trainee,
            "kind": "quiz" if quiz else "practice",
            "title": f"Quiz {quiz}" if quiz else "Practice",
            "dataset_version": "bench",
            "seed": number,
            "questions": [bank[i].frozen for i in picked],
            "settings": {},
            "grade_max": 10.0,
            "state": "finished",
            "sequence": len(answers) + 1,
            "started_at": started,
            "finished_at": started + timedelta(minutes=rng.randint(3, 30)),
            "fraction": fraction,
            "score": 10.0 * fraction,
            "quiz_version_id": quiz,
            "_answers": answers,
        }


def _answer_rows(attempts: list[dict], bank: list[Answerable], ids: dict[str, int], cards: dict):
    """The results, the step log (answers, then submit) and the per-fact answer history
    of a batch of attempts; `cards` keeps each trainee's latest answer per fact."""
    results, steps, reviews = [], [], []
    for attempt in attempts:
        for slot, index, (response, fraction) in attempt.pop("_answers"):
            question = bank[index].question
            step = _step(ids, attempt, slot, "answer", response)
            for fact in question.fact_ids:
                ids["review"] += 1
                reviews.append(_review(ids["review"], attempt, question, fact, fraction, step))
                cards[(attempt["user_id"], fact)] = (fraction, step["created_at"])
            ids["result"] += 1
            results.append(
                {
                    "id": ids["result"],
                    "attempt_id": attempt["id"],
                    "slot": slot,
                    "question_id": question.id,
                    "question_type": question.type,
                    "fact": question.fact[:40],
                    "fact_ids": list(question.fact_ids),
                    "agreements": list(question.agreements),
                    "response": response,
                    "fraction": fraction,
                }
            )
            steps.append(step)
        steps.append(_step(ids, attempt, None, "submit", None))
    return results, steps, reviews


def _review(number: int, attempt: dict, question: Question, fact: str, fraction: float, step):
    return {
        "id": number,
        "user_id": attempt["user_id"],
        "fact_id": fact,
        "attempt_id": attempt["id"],
        "question_type": question.type,
        "fraction": fraction,
        "rating": 3 if fraction >= 1.0 else 1,
        "reviewed_at": step["created_at"],
    }


def _card_rows(cards: dict) -> Iterator[dict[str, Any]]:
    """An FSRS card per trainee and fact answered: due later when the last answer was right."""
    for number, ((user_id, fact), (fraction, at)) in enumerate(sorted(cards.items()), start=1):
        due = at + timedelta(days=10 if fraction >= 1.0 else 1)
        yield {
            "id": number,
            "user_id": user_id,
            "fact_id": fact,
            "agreement_key": fact.split(":", 1)[0],
            "card": {"card_id": number, "state": 2, "due": due.isoformat()},
            "due": due,
            "last_question_type": None,
            "updated_at": at,
        }


def _step(ids: dict[str, int], attempt: dict, slot: int | None, action: str, response: Any):
    ids["step"] += 1
    seq = slot if slot is not None else attempt["sequence"]
    at = attempt["started_at"] + timedelta(seconds=20 * seq)
    return {
        "id": ids["step"],
        "attempt_id": attempt["id"],
        "seq": seq,
        "action": action,
        "slot": slot,
        "response": response,
        "created_at": min(at, attempt["finished_at"]),
    }


def fill(sizes: Sizes) -> None:
    """Load the dataset and bulk-insert the people, cohorts, quizzes, attempts and answers."""
    from quizapp.services import datasets

    datasets.load(load_dataset(DEFAULT_DATA))
    rng = random.Random(7)
    bank = answerable_bank()
    insert("users", _people(sizes))
    cohorts, members = _cohort_rows(sizes)
    insert("cohorts", cohorts)
    insert("cohort_members", members)
    quizzes, versions, asked = _quiz_rows(bank, sizes.per_attempt, rng)
    insert("quizzes", quizzes)
    insert("quiz_versions", versions)
    progress = Progress(sizes.attempts * len(asked[1]), "answers")
    ids, cards = {"result": 0, "step": 0, "review": 0}, {}
    for batch in _chunks(_attempts(sizes, bank, asked, rng), 500):
        answers = sum(len(a["_answers"]) for a in batch)
        results, steps, reviews = _answer_rows(batch, bank, ids, cards)
        insert("attempts", batch)
        insert("question_results", results)
        insert("attempt_steps", steps)
        insert("fact_reviews", reviews)
        progress.add(answers)
    insert("fact_cards", _card_rows(cards))
    _reset_sequences()


def _reset_sequences() -> None:
    """PostgreSQL: move each id sequence past the ids inserted by hand."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in FILLED:
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        )
    db.session.commit()


# --- timing --------------------------------------------------------------------------------


def best_of(run: Callable[[], Any], repeat: int = 3) -> float:
    """The best wall time of `repeat` runs after one warm-up, in seconds; a run slower
    than SLOW is timed once (its warm-up), as repeats would not change the verdict."""
    start = time.perf_counter()
    run()
    first = time.perf_counter() - start
    if first > SLOW:
        return first
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def drain(lines: Iterable[Any]) -> int:
    """Consume a streamed export as a response would; the number of lines."""
    return sum(1 for _ in lines)


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def reports() -> list[tuple[str, Callable[[], Any]]]:
    """The reports on main now, each a function of no arguments reading the whole data."""
    from quizapp.admin.export import csv_lines
    from quizapp.models import Cohort
    from quizapp.services import exports
    from quizapp.services import reports as report_service

    everyone = db.session.scalar(db.select(Cohort.id).where(Cohort.name == "Everyone"))
    found = [
        ("gradebook, cohort of 1/10", lambda: list(report_service.gradebook(1))),
        ("gradebook, every trainee", lambda: list(report_service.gradebook(everyone))),
        ("confusion per fact", lambda: report_service.confusion_per_fact()),
        (
            "gradebook CSV, every trainee",
            lambda: drain(
                csv_lines(
                    report_service.GRADEBOOK_HEADER, report_service.gradebook_csv_rows(everyone)
                )
            ),
        ),
        (
            "scores CSV, every attempt",
            lambda: drain(
                csv_lines(exports.SCORES_HEADER, exports.scores_csv_rows(exports.Scope()))
            ),
        ),
    ]
    found += _quiz_gradebook(everyone)
    found += _item_stats()
    found += _coverage()
    return found


def _quiz_gradebook(everyone: int) -> list[tuple[str, Callable[[], Any]]]:
    if not has("quizapp.services.quiz_grades"):
        return []
    from quizapp.admin.export import csv_lines
    from quizapp.models import Quiz
    from quizapp.services import quiz_grades

    quiz = db.session.get(Quiz, 1)
    return [
        ("quiz gradebook, every trainee", lambda: list(quiz_grades.rows(everyone, quiz))),
        (
            "quiz gradebook CSV, every trainee",
            lambda: drain(csv_lines(quiz_grades.CSV_HEADER, quiz_grades.csv_rows(everyone, quiz))),
        ),
    ]


def _item_stats() -> list[tuple[str, Callable[[], Any]]]:
    if not has("quizapp.services.item_stats"):
        return []
    from quizapp.services import item_stats

    def cold_quiz() -> Any:
        item_stats._CACHE.clear()
        return item_stats.for_quiz_version(1)

    def cold_practice() -> Any:
        item_stats._CACHE.clear()
        return item_stats.for_practice()

    return [
        ("question statistics, one quiz version", cold_quiz),
        ("question statistics, cached", lambda: item_stats.for_quiz_version(1)),
        ("question statistics, all practice", cold_practice),
        ("question statistics, all practice, cached", item_stats.for_practice),
    ]


def _coverage() -> list[tuple[str, Callable[[], Any]]]:
    if not has("quizapp.services.coverage"):
        return []
    from quizapp.models import Cohort
    from quizapp.services import coverage

    every = list(db.session.scalars(db.select(Cohort.id).where(Cohort.name != "Everyone")))
    return [("coverage map, every cohort", lambda: coverage.map(every))]


def count_answers() -> int:
    return db.session.execute(sa.text("SELECT count(*) FROM question_results")).scalar_one()


def peak_memory(make_lines: Callable[[], Iterable[Any]]) -> tuple[int, float]:
    """(lines, peak KiB allocated) while draining an export."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    lines = drain(make_lines())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return lines, peak / 1024


def memory_rows(sizes: Sizes) -> list[tuple[str, int, float, int, float]]:
    """Peak memory of each streamed export over a tenth of the trainees and over all."""
    from quizapp.admin.export import csv_lines
    from quizapp.core import xapi
    from quizapp.models import User
    from quizapp.services import exports

    tenth = db.select(User.id).where(User.id < 3 + max(1, sizes.trainees // 10))
    settings = xapi.Settings("http://127.0.0.1:5000")

    def scores(user_ids):
        return lambda: csv_lines(
            exports.SCORES_HEADER, exports.scores_csv_rows(exports.Scope(user_ids=user_ids))
        )

    def statements(user_ids):
        return lambda: exports.xapi_lines(exports.Scope(user_ids=user_ids), settings)

    rows = []
    for name, make in (("scores CSV", scores), ("xAPI statements", statements)):
        small, big = peak_memory(make(tenth)), peak_memory(make(None))
        db.session.expire_all()
        rows.append((name, *small, *big))
    return rows


# --- one backend -----------------------------------------------------------------------


@dataclass
class Outcome:
    backend: str
    fill_seconds: float
    answers: int
    count_seconds: float
    timings: list[tuple[str, float]]
    memory: list[tuple[str, int, float, int, float]]
    xapi_seconds: float


def run_backend(backend: str, url: str, sizes: Sizes) -> Outcome:
    print(f"{backend}: migrating and filling...", file=sys.stderr)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})
    with app.app_context():
        flask_migrate.upgrade()
        start = time.perf_counter()
        fill(sizes)
        filled = time.perf_counter() - start
        if backend == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        answers = count_answers()
        counted = best_of(count_answers, repeat=5)
        timings = []
        for name, report in reports():
            print(f"  timing {name}...", file=sys.stderr)
            timings.append((name, best_of(report)))
            db.session.expire_all()
        xapi_seconds = _time_xapi()
        memory = memory_rows(sizes)
        db.session.remove()
        db.engine.dispose()
    return Outcome(backend, filled, answers, counted, timings, memory, xapi_seconds)


def _time_xapi() -> float:
    """One full xAPI export (informative: it writes a JSON document per answer)."""
    from quizapp.core import xapi
    from quizapp.services import exports

    start = time.perf_counter()
    drain(exports.xapi_lines(exports.Scope(), xapi.Settings("http://127.0.0.1:5000")))
    return time.perf_counter() - start


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'bench.sqlite3'}"


class ScratchPostgres:
    """A database made on the PostgreSQL server for this run, dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.name = f"quizapp_bench_{uuid.uuid4().hex[:10]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(False)

    def __enter__(self) -> str:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *_: object) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


# --- output --------------------------------------------------------------------------------


def verdict(seconds: float, ratio: float) -> str:
    return "ok" if seconds < TARGET_SECONDS and ratio <= TARGET_RATIO else "MISSED"


def print_outcome(outcome: Outcome) -> None:
    print(
        f"\n{outcome.backend}: {outcome.answers:,} answers, filled in {outcome.fill_seconds:.1f} s;"
        f" SELECT count(*) {outcome.count_seconds * 1000:.1f} ms"
    )
    print(f"  {'report':<40} {'seconds':>9} {'x count':>8}  target (<1 s, <=20x)")
    for name, seconds in outcome.timings:
        ratio = seconds / outcome.count_seconds if outcome.count_seconds else float("inf")
        print(f"  {name:<40} {seconds:>9.3f} {ratio:>8.1f}  {verdict(seconds, ratio)}")
    ratio = outcome.xapi_seconds / outcome.count_seconds if outcome.count_seconds else 0
    name = "xAPI export, every answer (no target)"
    print(f"  {name:<40} {outcome.xapi_seconds:>9.3f} {ratio:>8.1f}")
    print(f"  {'peak memory of the export':<40} {'1/10 of trainees':>22} {'all trainees':>22}")
    for name, small_lines, small_kib, big_lines, big_kib in outcome.memory:
        print(
            f"  {name:<40} {small_kib:>10,.0f} KiB {small_lines:>7,} lines"
            f" {big_kib:>10,.0f} KiB {big_lines:>7,} lines"
        )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=1_000)
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--postgres", default=POSTGRES_ADMIN_URL, help="a PostgreSQL server's database URL"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    sizes = Sizes(args.trainees, args.attempts, args.answers)
    outcomes = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                outcomes.append(run_backend(backend, sqlite_url(Path(folder)), sizes))
        elif backend == "postgresql":
            with ScratchPostgres(args.postgres) as url:
                outcomes.append(run_backend(backend, url, sizes))
        else:
            sys.exit(f"unknown backend {backend!r}: use sqlite, postgresql or both")
    for outcome in outcomes:
        print_outcome(outcome)


if __name__ == "__main__":
    main()
