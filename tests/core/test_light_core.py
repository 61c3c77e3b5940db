"""The core is plain Python: importing it must not pull in the web stack."""

from __future__ import annotations

import subprocess
import sys

WEB_MODULES = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "wtforms")


def test_importing_the_core_loads_no_web_framework():
    # A fresh interpreter: this test process has Flask loaded already.
    probe = (
        "import pkgutil, sys, importlib, quizapp.core\n"
        "for m in pkgutil.walk_packages(quizapp.core.__path__, 'quizapp.core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(','.join(m for m in {WEB_MODULES!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "", f"quizapp.core loaded {result.stdout.strip()}"
