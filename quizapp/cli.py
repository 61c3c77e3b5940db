"""The `quizapp` command: database, data, generation and user management.

`generate` and `data check` need no app: they start without importing Flask or
SQLAlchemy (a test holds them to it). Every other command is Flask's command group,
built on first use.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from quizapp.cli_context import with_appcontext
from quizapp.cli_questions import (
    SETS_OPTION,
    check_set_files,
    describe,
    load_with_sets,
    sets_folder,
)
from quizapp.config import DATA_DIR
from quizapp.core.problems import Problem, Severity

HELP = "quizapp: quizzes generated from a dataset of agreements."


def _data_paths(files: tuple[Path, ...]) -> list[Path]:
    """The files given, else those QUIZAPP_DATA names (a file, a folder, or a list), else
    every bundled dataset file in questions/ (as the app)."""
    from quizapp.core.loader import dataset_files

    return [p for f in files for p in dataset_files(f)] or dataset_files(
        os.environ.get("QUIZAPP_DATA") or str(DATA_DIR)
    )


@click.group("data")
def data_group() -> None:
    """Check and load the agreements dataset."""


@data_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@SETS_OPTION
def data_check(files: tuple[Path, ...], sets_dir: Path | None) -> None:
    """Validate dataset FILES (default: QUIZAPP_DATA, else questions/*.yaml) and the
    question sets (questions/sets/*.yaml).

    Prints every problem as path:line:column and exits 1, or a one-line summary.
    """
    from quizapp.core.loader import check

    paths = _data_paths(files)
    result = check(paths)
    set_files, set_problems = check_set_files(result.dataset, sets_dir or sets_folder(paths))
    _exit_on_problems(result.problems + set_problems)
    counts = result.dataset.counts()
    click.echo(
        f"ok: {counts['agreements']} agreements, {counts['facts']} facts, "
        f"{counts['sources']} sources (version {result.dataset.version}); {describe(set_files)}"
    )


@data_group.command("load")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@SETS_OPTION
@with_appcontext
@click.option(
    "--replace",
    is_flag=True,
    help="Load exactly FILES, dropping the facts of files loaded before and not named.",
)
def data_load(files: tuple[Path, ...], sets_dir: Path | None, replace: bool) -> None:
    """Validate and load dataset FILES (default: QUIZAPP_DATA) and the question sets into
    the database, all or nothing.

    The files are loaded beside those loaded before, which are read again from disk: a
    file loaded again replaces its own facts, never another file's. --replace loads
    exactly FILES.
    """
    from quizapp.core.loader import check
    from quizapp.services import datasets

    given = _data_paths(files)
    before = [] if replace else [Path(p) for p in datasets.loaded_files()]
    paths, missing = _together(before, given)
    result = check(paths)
    set_files, set_problems = check_set_files(result.dataset, sets_dir or sets_folder(given))
    _exit_on_problems(missing + result.problems + set_problems)
    report, set_lines = load_with_sets(result.dataset, set_files)
    datasets.record_files(report.version, [str(p.resolve()) for p in paths])
    counts = report.counts
    summary = (
        f"{counts['agreements']} agreements, {counts['facts']} facts, {counts['sources']} "
        f"sources from {len(paths)} file(s): {', '.join(p.name for p in paths)}"
    )
    if not report.created:
        click.echo(f"unchanged: dataset version {report.version} is already loaded ({summary})")
        _echo_lines(set_lines)
        return
    click.echo(f"loaded dataset version {report.version} ({summary})")
    for label, keys in (
        ("added", report.added),
        ("removed", report.removed),
        ("changed", report.changed),
    ):
        for key in keys:
            click.echo(f"  fact {label}: {key}")
    _echo_lines(set_lines)


def _together(before: list[Path], given: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files loaded before (still on disk) and the given ones, each once."""
    paths: dict[Path, Path] = {}
    missing = []
    for path in before:
        if path.exists():
            paths.setdefault(path.resolve(), path)
        else:
            message = "this dataset file was loaded before and no longer exists"
            fix = "restore it, or run 'quizapp data load --replace FILES' to drop its facts"
            missing.append(Problem(str(path), 1, 1, message, fix))
    for path in given:
        paths.setdefault(path.resolve(), path)
    return list(paths.values()), missing


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


def _exit_on_problems(problems: list) -> None:
    """Print every problem (warnings too); exit 1 when any is an error."""
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if p.severity == Severity.ERROR]
    if errors:
        click.echo(f"{len(errors)} problem(s) found; nothing was changed.", err=True)
        raise SystemExit(1)


class QuizappGroup(click.Group):
    """The light commands, plus Flask's group (users, import, export, db, run, shell...)
    loaded only when one of those is asked for."""

    LIGHT = ("data", "generate")

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.LIGHT) | set(self._flask(ctx).list_commands(ctx)))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "data":
            return data_group
        if name == "generate":
            from quizapp.cli_generate import generate_command

            return generate_command
        return self._flask(ctx).get_command(ctx, name)

    def _flask(self, ctx: click.Context) -> Any:
        from flask.cli import FlaskGroup, ScriptInfo

        from quizapp.app import create_app
        from quizapp.cli_exports import export_scores_command, export_xapi_command
        from quizapp.cli_questions import export_command, import_command
        from quizapp.cli_users import users_group

        if not isinstance(ctx.obj, ScriptInfo):
            ctx.obj = ScriptInfo(create_app=create_app, load_dotenv_defaults=False)
        group = FlaskGroup(create_app=create_app, add_version_option=False, load_dotenv=False)
        for command in (
            users_group,
            import_command,
            export_command,
            export_xapi_command,
            export_scores_command,
        ):
            group.add_command(command)
        return group


main = QuizappGroup(help=HELP)
