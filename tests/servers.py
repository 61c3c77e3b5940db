"""Real app servers for tests: gunicorn masters in processes of their own, and a client."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.web.conftest import csrf_from

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = REPO / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """One gunicorn master serving the app on 127.0.0.1."""

    process: subprocess.Popen
    url: str
    log: Path

    def worker_pids(self) -> list[int]:
        """The master's live worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def _wait_ready(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{server.log.read_text()}")


@contextmanager
def gunicorn_servers(
    count: int, env: dict[str, str], log_dir: Path, workers: int = 2
) -> Iterator[list[Server]]:
    """Start `count` gunicorn masters with the app's gunicorn.conf.py; stop them afterwards."""
    servers = []
    try:
        for number in range(count):
            port = free_port()
            log = log_dir / f"gunicorn-{number}.log"
            with log.open("w") as output:  # the child keeps its own copy of the file
                process = subprocess.Popen(
                    [str(GUNICORN), "--config", str(CONFIG), "quizapp.app:create_app()"],
                    env={
                        **os.environ,
                        "PORT": str(port),
                        "HOST": "127.0.0.1",
                        "WEB_CONCURRENCY": str(workers),
                        **env,
                    },
                    cwd=REPO,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            servers.append(Server(process, f"http://127.0.0.1:{port}", log))
        for server in servers:
            _wait_ready(server)
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


class Browser:
    """Cookies and CSRF tokens like a browser's, against any of several servers."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self, url: str, data: dict | None = None, headers: dict | None = None, timeout: float = 30
    ) -> tuple[int, str]:
        """(status, body) of a GET, or of a form POST when `data` is given."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, base: str, email: str, password: str) -> int:
        """Post the login form read from `base`; the status (302 when logged in)."""
        _, page = self.request(f"{base}/login")
        form = {"csrf_token": csrf_from(page), "email": email, "password": password}
        return self.request(f"{base}/login", form)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back as they are, as a test client does."""

    def redirect_request(self, *args, **kwargs):
        return None
