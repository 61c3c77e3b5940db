"""The `quizapp` command: database, data, generation and user management."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup

from quizapp.app import create_app
from quizapp.cli_generate import generate_command
from quizapp.cli_questions import (
    SETS_OPTION,
    check_set_files,
    describe,
    export_command,
    import_command,
    load_with_sets,
    sets_folder,
)
from quizapp.cli_users import users_group
from quizapp.core.problems import Severity


def _data_paths(files: tuple[Path, ...]) -> list[Path]:
    return list(files) or [Path(current_app.config["QUIZAPP_DATA"])]


@click.group("data", cls=AppGroup)
def data_group() -> None:
    """Check and load the agreements dataset."""


@data_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@SETS_OPTION
def data_check(files: tuple[Path, ...], sets_dir: Path | None) -> None:
    """Validate dataset FILES (default: the bundled questions/agreements.yaml) and the
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
def data_load(files: tuple[Path, ...], sets_dir: Path | None) -> None:
    """Validate and load dataset FILES and the question sets into the database, all or
    nothing."""
    from quizapp.core.loader import check

    paths = _data_paths(files)
    result = check(paths)
    set_files, set_problems = check_set_files(result.dataset, sets_dir or sets_folder(paths))
    _exit_on_problems(result.problems + set_problems)
    report, set_lines = load_with_sets(result.dataset, set_files)
    counts = report.counts
    summary = (
        f"{counts['agreements']} agreements, {counts['facts']} facts, {counts['sources']} sources"
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


main = FlaskGroup(
    create_app=lambda: create_app(),
    add_version_option=False,
    load_dotenv=False,
    help="quizapp: quizzes generated from a dataset of agreements.",
)
main.add_command(data_group)
main.add_command(users_group)
main.add_command(generate_command)
main.add_command(import_command)
main.add_command(export_command)
