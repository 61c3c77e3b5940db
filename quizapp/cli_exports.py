"""`quizapp export-xapi` and `quizapp export-scores`: the admin downloads, from the shell."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import click

from quizapp.admin.export import csv_lines
from quizapp.cli_context import with_appcontext
from quizapp.services import audit, exports

PROGRESS_EVERY = 10_000

SINCE_OPTION = click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only attempts finished (xAPI) or started (scores) since this UTC date or time.",
)
OUTPUT_OPTION = click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)


def _scope(since: datetime | None) -> exports.Scope:
    return exports.Scope(since=since.replace(tzinfo=UTC) if since else None)


def _write(lines: Iterable[str], output: Path | None, what: str) -> int:
    """Write the lines to OUTPUT (or stdout), counting on stderr; the number of records."""
    if output is None:
        return _copy(lines, sys.stdout, what, progress=False)
    with open(output, "w", encoding="utf-8", newline="") as handle:
        return _copy(lines, handle, what, progress=True)


def _copy(lines: Iterable[str], handle: TextIO, what: str, progress: bool) -> int:
    count = 0
    for line in lines:
        handle.write(line)
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            click.echo(f"{count} {what}...", err=True)
    return count


@click.command("export-xapi")
@SINCE_OPTION
@OUTPUT_OPTION
@click.option(
    "--base-url",
    envvar="QUIZAPP_BASE_URL",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The site's address, which the statements' IRIs start with (or QUIZAPP_BASE_URL).",
)
@with_appcontext
def export_xapi_command(since: datetime | None, output: Path | None, base_url: str) -> None:
    """Write every answered question as an xAPI statement, one JSON line each.

    Trainees are named by their account on this site unless QUIZAPP_XAPI_ACTOR=email.
    """
    settings = exports.xapi_settings(base_url)
    audit.record("export.xapi", "xAPI statements", {"since": str(since or "")}, commit=True)
    count = _write(exports.xapi_lines(_scope(since), settings), output, "statements")
    click.echo(f"wrote {count} xAPI statements{f' to {output}' if output else ''}", err=True)


@click.command("export-scores")
@SINCE_OPTION
@OUTPUT_OPTION
@with_appcontext
def export_scores_command(since: datetime | None, output: Path | None) -> None:
    """Write every attempt's score (practice and quizzes, any state) as CSV."""
    audit.record("export.scores", "scores CSV", {"since": str(since or "")}, commit=True)
    rows = exports.scores_csv_rows(_scope(since))
    count = _write(csv_lines(exports.SCORES_HEADER, rows), output, "lines") - 1
    click.echo(f"wrote {count} attempts{f' to {output}' if output else ''}", err=True)
