"""Where a request's time goes: run `python benchmarks/profile_pages.py`.

Builds the app on a migrated and loaded SQLite database in a temporary directory, signs a
trainee in through the test client, and runs each request many times under cProfile,
counting SQL statements with an SQLAlchemy event listener. Prints, per request, the mean
time, the statements, and the time spent in each part of the stack: templates, the session
cookie, Flask-Login's user load, Flask-Limiter, the security headers, the request bounds
(limits.py) and reading the dataset. An anonymous public page asked for a second time is
answered in front of Flask; `/?via=flask` shows what the same page costs through Flask.
`--top N` also prints the N functions with the most own time for each request.

Not a test: the numbers depend on the machine. Profiling slows everything by a similar
factor, so compare the parts with each other rather than with the benchmark's latencies.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import PASSWORD, SECRET_KEY, make_trainees, prepare_database  # noqa: E402

# Parts of the stack, each the cumulative time of functions whose "file:function" ends so.
PARTS = {
    "templates": ("flask/templating.py:_render",),
    "session": (
        "quizapp/extensions.py:open_session",
        "quizapp/extensions.py:save_session",
    ),
    "user load": ("flask_login/utils.py:_get_user",),
    "limiter": (
        "flask_limiter/_extension.py:_check_request_limit",
        "flask_limiter/_extension.py:__inject_headers",
        "flask_limiter/_extension.py:__release_context",
    ),
    "headers": ("quizapp/security.py:_add_headers",),
    "bounds": ("quizapp/limits.py:check_request",),
    "dataset": ("quizapp/services/datasets.py:current",),
    "sql": ("sqlalchemy/engine/base.py:_execute_context",),
}


def part_times(stats: pstats.Stats, calls: int) -> dict[str, float]:
    """Milliseconds per request spent under each part (cumulative, so parts may overlap)."""
    totals = dict.fromkeys(PARTS, 0.0)
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():
        where = f"{filename}:{function}"
        for part, endings in PARTS.items():
            if any(where.endswith(ending) for ending in endings):
                totals[part] += cumulative
    return {part: seconds * 1e3 / calls for part, seconds in totals.items()}


def count_statements(app):
    from sqlalchemy import event

    from quizapp.extensions import db

    counter = {"n": 0}
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args) -> None:
        counter["n"] += 1

    return counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests per page (200)")
    parser.add_argument("--top", type=int, default=0, help="also print the N top functions")
    args = parser.parse_args()

    from quizapp.app import create_app

    with tempfile.TemporaryDirectory(prefix="quizapp-profile-") as tmp:
        url = f"sqlite:///{tmp}/quizapp.sqlite3"
        prepare_database({**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
        (trainee,) = make_trainees(url, 1)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
        statements = count_statements(app)
        anonymous, client = app.test_client(), app.test_client()
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post(
            "/login", data={"email": trainee.email, "password": PASSWORD, "csrf_token": token}
        )
        question = f"/attempts/{trainee.attempt_id}/q/{trainee.slot}"
        page = client.get(question).text
        csrf = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
        seq = [int(page.split('name="seq" id="seq" value="', 1)[1].split('"', 1)[0])]
        agreement = "/agreements/" + anonymous.get("/").text.split('href="/agreements/')[1]
        agreement = agreement.split('"', 1)[0]

        def save():
            turn = seq[0] % 2
            reply = client.post(
                f"/attempts/{trainee.attempt_id}/answer",
                data=json.dumps(
                    {"slot": trainee.slot, "seq": seq[0], "response": trainee.answers[turn]}
                ),
                headers={"X-CSRFToken": csrf, "Accept": "application/json"},
                content_type="application/json",
            )
            seq[0] = reply.json["sequence"]
            return reply

        requests = {
            "/ (anonymous)": lambda: anonymous.get("/"),
            # A query string sends the same page through Flask and its hooks, with no SQL
            # while the site state is trusted.
            "/?via=flask (anonymous)": lambda: anonymous.get("/?via=flask"),
            "/timeline (anonymous)": lambda: anonymous.get("/timeline"),
            "agreement (anonymous)": lambda: anonymous.get(agreement),
            "/healthz": lambda: anonymous.get("/healthz"),
            "dashboard (trainee)": lambda: client.get("/dashboard"),
            "question page (trainee)": lambda: client.get(question),
            "answer save (trainee)": save,
        }
        print(
            f"{'request':<24} {'ms':>6} {'SQL':>4}  "
            + "  ".join(f"{part:>9}" for part in PARTS)
            + "   (ms per request under cProfile)"
        )
        for name, request in requests.items():
            reply = request()  # warm caches; the status must be right
            assert reply.status_code == 200, (name, reply.status_code)
            statements["n"] = 0
            request()
            queries = statements["n"]
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            for _ in range(args.repeat):
                request()
            profile.disable()
            elapsed = (time.perf_counter() - started) * 1e3 / args.repeat
            stats = pstats.Stats(profile)
            parts = part_times(stats, args.repeat)
            print(
                f"{name:<24} {elapsed:>6.2f} {queries:>4}  "
                + "  ".join(f"{parts[part]:>9.2f}" for part in PARTS)
            )
            if args.top:
                stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
