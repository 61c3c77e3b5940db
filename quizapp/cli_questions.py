"""Question sets and question files on the command line: checking sets, import and export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizapp.cli_context import with_appcontext

if TYPE_CHECKING:
    from quizapp.core.dataset import Dataset
    from quizapp.core.problems import Problem
    from quizapp.core.sets import SetFile
    from quizapp.services.datasets import LoadReport

SETS_OPTION = click.option(
    "--sets",
    "sets_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of question set files (default: sets/ beside the first dataset file).",
)


def sets_folder(dataset_paths: Sequence[Path]) -> Path:
    """Where the question sets live: ``sets/`` beside the dataset."""
    return Path(dataset_paths[0]).parent / "sets"


def check_set_files(dataset: Dataset | None, folder: Path) -> tuple[list[SetFile], list[Problem]]:
    """Check every set file of ``folder`` against the dataset (without one, only read them)."""
    from quizapp.core.sets import check_sets, read_set, set_paths
    from quizapp.core.templates import load_templates

    if dataset is None:
        return [], [problem for path in set_paths(folder) for problem in read_set(path)[1]]

    return check_sets(set_paths(folder), dataset, load_templates())


def describe(set_files: Sequence[SetFile]) -> str:
    """``2 question sets (9 questions, 3 rules)``."""
    questions = sum(len(s.questions) for s in set_files)
    rules = sum(len(s.rules) for s in set_files)
    return f"{len(set_files)} question set(s) ({questions} questions, {rules} generate rules)"


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--set", "set_name", required=True, help="Name of the set to import into.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gift", "xml", "yaml"]),
    help="File format (default: from the extension: .gift or .txt, .xml, .yaml or .yml).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be created; write nothing.")
@with_appcontext
def import_command(file: Path, set_name: str, fmt: str | None, dry_run: bool) -> None:
    """Import the questions of FILE (GIFT, Moodle XML or YAML) into a question set.

    A file with any error changes nothing: every error is printed as FILE:LINE and the
    command exits 1. Importing the same file again changes nothing.
    """
    from quizapp.services.imports_questions import ImportFailed, import_file

    try:
        report = import_file(file.read_bytes(), str(file), set_name, fmt, dry_run)
    except ImportFailed as failed:
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        errors = [p for p in failed.problems if p.severity == "error"]
        click.echo(f"{len(errors)} error(s) in {file}; nothing was imported.", err=True)
        raise SystemExit(1) from None
    for problem in report.warnings:
        click.echo(str(problem), err=True)
    counts = ", ".join(f"{n} {kind}" for kind, n in report.counts.items()) or "no questions"
    if dry_run:
        click.echo(f"dry run: would import into set '{set_name}': {counts}; nothing was written")
        return
    click.echo(
        f"imported into set '{set_name}': {counts} ({report.created} new, "
        f"{report.updated} changed, {report.unchanged} unchanged)"
    )


@click.command("export")
@click.option("--set", "set_name", required=True, help="Name of the set to export.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "gift", "xml"]), required=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Default: stdout.")
@with_appcontext
def export_command(set_name: str, fmt: str, output: Path | None) -> None:
    """Export a question set as YAML, GIFT or Moodle XML."""
    from quizapp.core.formats import ExportError
    from quizapp.services.imports_questions import export_set

    try:
        text = export_set(set_name, fmt)
    except (LookupError, ExportError) as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(1) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


def load_with_sets(dataset: Dataset, set_files: Sequence[SetFile]) -> tuple[LoadReport, list[str]]:
    """Load the dataset and the sets in one transaction; a line on what each set got."""
    from quizapp.core.templates import load_templates
    from quizapp.services import question_sets

    loaded = question_sets.load(dataset, set_files, load_templates())
    lines = []
    for report in loaded.sets:
        lines.append(
            f"set '{report.set_name}': {sum(report.counts.values())} questions "
            f"({report.created} new, {report.updated} changed, {report.unchanged} unchanged)"
        )
        if report.not_in_file:
            lines.append(
                f"  kept in the bank though no longer in the file: {', '.join(report.not_in_file)}"
            )
    return loaded.dataset, lines
