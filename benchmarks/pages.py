"""Pages side by side with a bare Flask hello: run `python benchmarks/pages.py`.

Starts, in one run and with the same gunicorn settings as `make run` (gunicorn.conf.py when
the repository has one, else the Makefile's `--workers 2 --threads 4`, access log on), the
app on a migrated and loaded SQLite database in a temporary directory, and a bare Flask app
answering "Hello, World!". Then it loads each page over loopback with a bounded number of
connections for a fixed time and prints requests per second, p50/p99 latency and the ratio
to the Flask hello: the public pages, a signed-in trainee's dashboard and question page, and
an answer save (the question page's autosave POST, with its CSRF token). `--pages public`
times only the anonymous pages and /healthz, and makes no trainees.

GET pages are driven by wrk (`apt-get install wrk`, Debian's package). The answer save is
driven by a small asyncio client included here, since every connection needs its own
attempt and the sequence number the previous save returned; its ratio is to the Flask hello
measured by the same client. Without wrk, that client drives every row (`--client python`
forces it). The client shares the machine's cores with the servers, as wrk does.

Not a test: the numbers depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

HOST = "127.0.0.1"
USER_AGENT = "quizapp-bench"  # one agent throughout: sessions are bound to it
PASSWORD = "bench password 1234"
SECRET_KEY = "benchmark-only-secret-key"
GUNICORN_CONF = REPO / "gunicorn.conf.py"

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def hello_app():
    """The yardstick: Flask with one route and nothing else (gunicorn calls this factory)."""
    from flask import Flask

    app = Flask("hello")

    @app.get("/")
    def index() -> str:
        return "Hello, World!"

    return app


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_settings() -> list[str]:
    """The gunicorn options `make run` uses."""
    if GUNICORN_CONF.exists():
        return ["--config", str(GUNICORN_CONF), "--access-logfile", "-"]
    return ["--workers", "2", "--threads", "4", "--access-logfile", "-"]


def start_server(target: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        *server_settings(),
        "--bind",
        f"{HOST}:{port}",
        "--pythonpath",
        str(REPO / "benchmarks"),
        target,
    ]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_for(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server on port {port} exited with status {server.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"no server answered on port {port} within {timeout:.0f} s")


def prepare_database(env: dict[str, str]) -> None:
    quizapp = str(Path(sys.executable).with_name("quizapp"))
    for step in (["db", "upgrade"], ["data", "load"]):
        subprocess.run([quizapp, *step], cwd=REPO, env=env, check=True, capture_output=True)


# --- trainees with an attempt each -----------------------------------------------------------


@dataclass
class Trainee:
    email: str
    attempt_id: int
    slot: int
    answers: tuple[object, object]  # two different valid responses, saved in turn
    cookie: str = ""
    csrf: str = ""
    seq: int = 0


def two_answers(question) -> tuple[object, object] | None:
    """Two different valid responses to a true/false or single choice question."""
    if question.type == "true_false":
        return True, False
    if question.type == "single_choice" and len(question.options) >= 2:
        return question.options[0].id, question.options[1].id
    return None


def make_trainees(database_url: str, count: int) -> list[Trainee]:
    """Accounts and practice attempts made through the services, as the app makes them."""
    from quizapp.app import create_app
    from quizapp.models import Role
    from quizapp.services import accounts, attempts

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    made = []
    with app.app_context():
        for number in range(count):
            email = f"trainee{number}@bench.example"
            user = accounts.create_user(email, PASSWORD, Role.TRAINEE)
            for seed in range(number * 100, number * 100 + 100):
                found = attempts.start_practice(user.id, attempts.PracticeOptions(), seed=seed)
                slots = [
                    (slot, pair)
                    for slot in range(1, len(found.questions) + 1)
                    if (pair := two_answers(attempts.question_at(found, slot)))
                ]
                if slots:
                    made.append(Trainee(email, found.id, *slots[0]))
                    break
            else:
                sys.exit("no practice attempt had a true/false or single choice question")
    return made


class Browser:
    """Just enough of a browser over http.client: one cookie, one user agent."""

    def __init__(self, port: int, cookie: str = "") -> None:
        self.port = port
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; ") if part)

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items() if value)

    def request(self, method: str, path: str, body: str | None = None, **headers: str):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"User-Agent": USER_AGENT, **headers}
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for setter in response.msg.get_all("Set-Cookie") or ():
            name, _, value = setter.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        connection.close()
        return response.status, text


def field_value(page: str, pattern: str) -> str:
    found = re.search(pattern, page)
    if not found:
        sys.exit(f"the page has nothing matching {pattern}")
    return html.unescape(found.group(1))


def sign_in(port: int, trainee: Trainee) -> None:
    """Log in through the form and read the question page's CSRF token and sequence."""
    browser = Browser(port)
    _, page = browser.request("GET", "/login")
    token = field_value(page, r'name="csrf_token"[^>]*value="([^"]*)"')
    form = urlencode({"email": trainee.email, "password": PASSWORD, "csrf_token": token})
    status, _ = browser.request(
        "POST", "/login", form, **{"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status != 302:
        sys.exit(f"logging in as {trainee.email} answered {status}, not a redirect")
    status, page = browser.request("GET", question_path(trainee))
    if status != 200:
        sys.exit(f"the question page answered {status} after logging in")
    trainee.csrf = field_value(page, r'<meta name="csrf-token" content="([^"]*)"')
    trainee.seq = int(field_value(page, r'name="seq"[^>]*value="(\d+)"'))
    trainee.cookie = browser.cookie


def question_path(trainee: Trainee) -> str:
    return f"/attempts/{trainee.attempt_id}/q/{trainee.slot}"


# --- load generators -----------------------------------------------------------------------


@dataclass
class Result:
    name: str
    client: str
    rps: float
    p50: float  # milliseconds
    p99: float
    errors: int
    ratio: float | None = None


def check_get(port: int, path: str, cookie: str) -> None:
    """Refuse to time a page that does not answer 200 (a login redirect is fast, and wrong)."""
    status, _ = Browser(port, cookie).request("GET", path)
    if status != 200:
        sys.exit(f"GET {path} answered {status}, not 200")


def run_wrk(name: str, port: int, path: str, cookie: str, args) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    headers = ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    command += ["-d", f"{args.duration}s", "-s", script.name, *headers]
    output = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(script.name)
    report = json.loads(output.strip().splitlines()[-1])
    return Result(
        name,
        "wrk",
        report["requests"] / report["seconds"],
        report["p50"],
        report["p99"],
        report["errors"] + report["bad_status"],
    )


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length) if length else b""


async def connection_loop(
    port: int, next_request: Callable[[], bytes], on_reply, deadline: float, tally: Tally
) -> None:
    """One keep-alive connection sending its next request as soon as the last is answered."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(next_request())
            try:
                status, body = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                tally.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            tally.latencies.append(time.perf_counter() - started)
            if status >= 400 or not on_reply(body):
                tally.errors += 1
    finally:
        writer.close()


def run_python(name: str, port: int, loops: list[tuple[Callable, Callable]], args) -> Result:
    tally = Tally()

    async def main() -> float:
        started = time.perf_counter()
        deadline = started + args.duration
        await asyncio.gather(
            *(connection_loop(port, make, reply, deadline, tally) for make, reply in loops)
        )
        return time.perf_counter() - started

    seconds = asyncio.run(main())
    ordered = sorted(tally.latencies)
    return Result(
        name,
        "python",
        len(ordered) / seconds,
        ordered[len(ordered) // 2] * 1e3,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3,
        tally.errors,
    )


def get_loop(path: str, cookie: str) -> tuple[Callable, Callable]:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", f"User-Agent: {USER_AGENT}"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    return (lambda: request), (lambda body: True)


def save_loop(trainee: Trainee) -> tuple[Callable, Callable]:
    """Autosave as the page's script does, alternating two answers, carrying the sequence."""
    path = f"/attempts/{trainee.attempt_id}/answer"
    turn = [0]

    def make() -> bytes:
        turn[0] += 1
        response = trainee.answers[turn[0] % 2]
        body = json.dumps({"slot": trainee.slot, "seq": trainee.seq, "response": response})
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: {USER_AGENT}\r\n"
            f"Cookie: {trainee.cookie}\r\nX-CSRFToken: {trainee.csrf}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return (head + body).encode()

    def reply(body: bytes) -> bool:
        answer = json.loads(body)
        trainee.seq = answer.get("sequence", trainee.seq)
        return answer.get("saved") is True and answer.get("changed") is True

    return make, reply


# --- the run -------------------------------------------------------------------------------


def measure(args) -> list[Result]:
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        database_url = f"sqlite:///{tmp}/quizapp.sqlite3"
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY}
        env.pop("RATELIMIT_STORAGE_URI", None)
        print("preparing the database and the trainees...", file=sys.stderr)
        prepare_database(env)
        signed_in = args.pages != "public"
        trainees = make_trainees(database_url, args.connections) if signed_in else []
        hello_port, app_port = free_port(), free_port()
        servers = [
            start_server("pages:hello_app()", hello_port, env),
            start_server("quizapp.app:create_app()", app_port, env),
        ]
        try:
            for port, server in zip((hello_port, app_port), servers, strict=True):
                wait_for(port, server)
            for trainee in trainees:
                sign_in(app_port, trainee)
            return run_all(args, use_wrk, hello_port, app_port, trainees)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


def first_agreement(port: int) -> str:
    _, page = Browser(port).request("GET", "/")
    return field_value(page, r'href="(/agreements/[^"]+)"')


def run_all(args, use_wrk, hello_port, app_port, trainees) -> list[Result]:
    gets = [
        ("/", "", "/"),
        ("/timeline", "", "/timeline"),
        ("agreement page", "", first_agreement(app_port)),
        ("/healthz", "", "/healthz"),
    ]
    if trainees:
        first = trainees[0]
        gets += [
            ("dashboard (signed in)", first.cookie, "/dashboard"),
            ("question page (signed in)", first.cookie, question_path(first)),
        ]

    def get(name: str, port: int, path: str, cookie: str) -> Result:
        check_get(port, path, cookie)
        print(f"measuring {name}...", file=sys.stderr)
        if use_wrk:
            return run_wrk(name, port, path, cookie, args)
        return run_python(name, port, [get_loop(path, cookie)] * args.connections, args)

    results = [get("Flask hello", hello_port, "/", "")]
    results += [get(name, app_port, path, cookie) for name, cookie, path in gets]
    hello = {results[0].client: results[0].rps}
    if use_wrk and trainees:
        print("measuring Flask hello with the python client...", file=sys.stderr)
        python_hello = run_python(
            "Flask hello", hello_port, [get_loop("/", "")] * args.connections, args
        )
        hello["python"] = python_hello.rps
        results.append(python_hello)
    if trainees:
        print("measuring the answer save...", file=sys.stderr)
        saves = [save_loop(trainee) for trainee in trainees]
        results.append(run_python("answer save", app_port, saves, args))
    for result in results:
        result.ratio = result.rps / hello[result.client]
    return results


def print_table(results: list[Result], args) -> None:
    print(
        f"{args.connections} connections, {args.duration} s each, gunicorn "
        + " ".join(server_settings())
    )
    # Other work on the machine takes cores from both sides, and not evenly: say how much.
    print("load average before the run (1, 5, 15 min): " + ", ".join(f"{n:.2f}" for n in args.load))
    print(
        f"| {'page':<26} | {'client':<6} | {'req/s':>7} | {'p50 ms':>6} | {'p99 ms':>6} "
        f"| {'× hello':>7} | {'errors':>6} |"
    )
    print(f"|{'-' * 28}|{'-' * 8}|{'-' * 9}|{'-' * 8}|{'-' * 8}|{'-' * 9}|{'-' * 8}|")
    for r in results:
        print(
            f"| {r.name:<26} | {r.client:<6} | {r.rps:>7.0f} | {r.p50:>6.1f} | {r.p99:>6.1f} "
            f"| {r.ratio:>7.2f} | {r.errors:>6} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per page (8)")
    parser.add_argument("--connections", type=int, default=32, help="open connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--pages",
        choices=("all", "public"),
        default="all",
        help="all pages (default), or only the anonymous ones: no trainees are made",
    )
    args = parser.parse_args()
    args.load = os.getloadavg()
    print_table(measure(args), args)


if __name__ == "__main__":
    main()
