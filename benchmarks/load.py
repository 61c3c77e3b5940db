"""Load with many signed-in trainees, on SQLite and PostgreSQL: run `python benchmarks/load.py`.

In one run, for each database: the app with `make run`'s gunicorn settings on a scratch
database (a temporary SQLite file; a database of its own on the PostgreSQL server at
QUIZAPP_TEST_POSTGRES, dropped afterwards), beside the bare Flask hello of pages.py served
with the same settings. Then, for 50, 200 and 500 simulated trainees (each its own connection,
account and attempt, all signed in), it drives over loopback for a fixed time each: the hello
route, the trainee's question page, and saving an answer (the page's autosave POST, the
sequence carried from reply to reply). It prints requests per second, p50/p99 latency and the
ratio of the save to the hello, and checks that every save the server acknowledged is in the
database at the sequence it was acknowledged with (0 answers lost).

Each trainee sends its next request as soon as the last is answered (no think time), so the
figures are the server's capacity; at 500 trainees the latency includes the queue of 500
waiting connections. `--think 2` gives each trainee a pause between requests instead.

Bounded: loopback only, --duration seconds per measurement, --max-requests per measurement.
Not a test: the numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pages  # benchmarks/pages.py: servers, trainees, sign-in and the asyncio client
import sqlalchemy as sa
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "QUIZAPP_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SIZES = (50, 200, 500)


class Enough(Exception):
    """--max-requests were sent: the trainee stops."""


# --- databases -----------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="quizapp-load-") as tmp:
        yield f"sqlite:///{tmp}/quizapp.sqlite3"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"quizapp_load_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


DATABASES: dict[str, Callable] = {"sqlite": sqlite_database, "postgresql": postgres_database}


# --- measuring ----------------------------------------------------------------------------


def bounded(loops: list[tuple[Callable, Callable]], args) -> list[tuple[Callable, Callable]]:
    """The same loops, pausing --think seconds between requests and stopping at --max-requests."""
    sent = [0]

    def wrap(make: Callable, reply: Callable) -> tuple[Callable, Callable]:
        def make_next() -> bytes:
            sent[0] += 1
            if sent[0] > args.max_requests:
                raise Enough
            return make()

        return make_next, reply

    return [wrap(make, reply) for make, reply in loops]


async def thinking_loop(port, make, reply, deadline, tally, think: float) -> None:
    """One trainee: request, read the answer, pause, again (pages.connection_loop plus a pause)."""
    reader, writer = await asyncio.open_connection(pages.HOST, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                writer.write(make())
            except Enough:
                return
            try:
                status, body = await pages.read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                tally.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(pages.HOST, port)
                continue
            tally.latencies.append(time.perf_counter() - started)
            if status >= 400 or not reply(body):
                tally.errors += 1
            if think:
                await asyncio.sleep(think)
    finally:
        writer.close()


def drive(name: str, port: int, loops: list[tuple[Callable, Callable]], args) -> pages.Result:
    """Run every trainee's loop for --duration seconds; the rate and latencies of the answers."""
    tally = pages.Tally()
    loops = bounded(loops, args)

    async def main() -> float:
        started = time.perf_counter()
        deadline = started + args.duration
        await asyncio.gather(
            *(thinking_loop(port, m, r, deadline, tally, args.think) for m, r in loops)
        )
        return time.perf_counter() - started

    seconds = asyncio.run(main())
    ordered = sorted(tally.latencies) or [0.0]
    return pages.Result(
        name,
        "python",
        len(tally.latencies) / seconds,
        ordered[len(ordered) // 2] * 1e3,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3,
        tally.errors,
    )


def acknowledging(trainee: pages.Trainee, acknowledged: list) -> tuple[Callable, Callable]:
    """pages.save_loop, also noting every save acknowledged as a change: (attempt, seq, answer)."""
    make, reply = pages.save_loop(trainee)
    sent: list[object] = []

    def make_noting() -> bytes:
        request = make()
        sent.append(request)
        return request

    def reply_noting(body: bytes) -> bool:
        ok = reply(body)
        if ok:
            answer = json.loads(sent[-1].split(b"\r\n\r\n", 1)[1])["response"]
            acknowledged.append((trainee.attempt_id, trainee.seq, trainee.slot, answer))
        return ok

    return make_noting, reply_noting


def lost_answers(database_url: str, acknowledged: list) -> int:
    """Acknowledged saves not in the step log at their sequence with their answer."""
    query = sa.text("SELECT attempt_id, seq, slot, response FROM attempt_steps").columns(
        response=sa.JSON
    )
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        stored = {(r.attempt_id, r.seq): (r.slot, r.response) for r in conn.execute(query)}
    engine.dispose()
    return sum(1 for a, seq, slot, answer in acknowledged if stored.get((a, seq)) != (slot, answer))


# --- the run -------------------------------------------------------------------------------


def measure_database(kind: str, args) -> list[tuple[int, list[pages.Result], int, int]]:
    """Every size on one database: (trainees, results, answers acknowledged, answers lost)."""
    with DATABASES[kind]() as database_url:
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": pages.SECRET_KEY}
        env.pop("RATELIMIT_STORAGE_URI", None)
        print(f"[{kind}] preparing the database and {max(args.sizes)} trainees...", file=sys.stderr)
        pages.prepare_database(env)
        trainees = pages.make_trainees(database_url, max(args.sizes))
        hello_port, app_port = pages.free_port(), pages.free_port()
        servers = [
            pages.start_server("pages:hello_app()", hello_port, env),
            pages.start_server("quizapp.app:create_app()", app_port, env),
        ]
        try:
            for port, server in zip((hello_port, app_port), servers, strict=True):
                pages.wait_for(port, server)
            print(f"[{kind}] signing in {len(trainees)} trainees...", file=sys.stderr)
            for trainee in trainees:
                pages.sign_in(app_port, trainee)
            rows = []
            for size in args.sizes:
                acknowledged: list = []
                results = measure_size(
                    kind, size, trainees[:size], hello_port, app_port, args, acknowledged
                )
                rows.append(
                    (size, results, len(acknowledged), lost_answers(database_url, acknowledged))
                )
            return rows
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


def measure_size(
    kind, size, trainees, hello_port, app_port, args, acknowledged
) -> list[pages.Result]:
    print(f"[{kind}] {size} trainees: hello, question page, answer save...", file=sys.stderr)
    hello = drive("Flask hello", hello_port, [pages.get_loop("/", "")] * size, args)
    question = drive(
        "question page",
        app_port,
        [pages.get_loop(pages.question_path(t), t.cookie) for t in trainees],
        args,
    )
    save = drive("answer save", app_port, [acknowledging(t, acknowledged) for t in trainees], args)
    for result in (hello, question, save):
        result.ratio = result.rps / hello.rps if hello.rps else 0.0
    return [hello, question, save]


def print_report(reports: dict[str, list], args) -> None:
    think = f"{args.think} s think time" if args.think else "no think time"
    print(
        f"{args.duration} s per row, {think}, gunicorn {' '.join(pages.server_settings())}; "
        f"loopback, client and servers share the machine's {os.cpu_count()} cores"
    )
    print("| database | trainees | request | req/s | p50 ms | p99 ms | × hello | errors |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for kind, rows in reports.items():
        for size, results, _, _ in rows:
            for r in results:
                print(
                    f"| {kind} | {size} | {r.name} | {r.rps:.0f} | {r.p50:.1f} | {r.p99:.1f} "
                    f"| {r.ratio:.2f} | {r.errors} |"
                )
    for kind, rows in reports.items():
        for size, _, saved, lost in rows:
            print(f"{kind}, {size} trainees: {saved} answers acknowledged, {lost} lost")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per row (5)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per row (50000)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="pause between a trainee's requests"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="trainees")
    parser.add_argument(
        "--databases", nargs="+", choices=sorted(DATABASES), default=list(DATABASES)
    )
    args = parser.parse_args()
    started = time.monotonic()
    reports = {kind: measure_database(kind, args) for kind in args.databases}
    print_report(reports, args)
    print(f"({time.monotonic() - started:.0f} s in all)")
    if any(lost for rows in reports.values() for *_, lost in rows):
        sys.exit("answers were lost")


if __name__ == "__main__":
    main()
