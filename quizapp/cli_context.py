"""Running a command inside the app without importing Flask until the command runs.

`quizapp generate` and `quizapp data check` need no app, so the command line must not
load Flask and SQLAlchemy just to offer the commands that do (see quizapp.cli).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def with_appcontext(command: Callable[..., Any]) -> Callable[..., Any]:
    """Like ``flask.cli.with_appcontext``, but Flask is imported when the command runs:
    the app comes from the command line's ScriptInfo when there is one (tests), else
    from ``create_app()``."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        import click
        from flask import current_app
        from flask.cli import ScriptInfo

        if current_app:
            return command(*args, **kwargs)
        info = click.get_current_context().find_object(ScriptInfo)
        if info is None:
            from quizapp.app import create_app

            app = create_app()
        else:
            app = info.load_app()
        with app.app_context():
            return command(*args, **kwargs)

    return run
