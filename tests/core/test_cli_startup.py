"""`quizapp generate` and `quizapp data check` start without the web stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

WEB_MODULES = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "wtforms", "flask_wtf")
PROBE = """
import sys
from quizapp.cli import main
try:
    main(sys.argv[1:], prog_name="quizapp")
except SystemExit as end:
    assert not end.code, end.code
print("loaded:" + ",".join(m for m in {modules!r} if m in sys.modules), file=sys.stderr)
"""


def run(*args: str) -> subprocess.CompletedProcess:
    code = PROBE.format(modules=WEB_MODULES)
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("args", [("data", "check"), ("generate", "--count", "5")])
def test_light_commands_load_no_web_framework(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "loaded:\n" in result.stderr + "\n", result.stderr


def test_app_commands_still_load_the_app() -> None:
    result = run("users", "--help")
    assert result.returncode == 0, result.stderr
    assert "Create and manage accounts" in result.stdout and "flask" in result.stderr
