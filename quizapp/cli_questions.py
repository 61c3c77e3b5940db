"""Question sets and question files on the command line: checking sets, import and export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from quizapp.core.dataset import Dataset
    from quizapp.core.problems import Problem
    from quizapp.core.sets import SetFile

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
    """Check every set file of ``folder`` against the dataset (not at all without one)."""
    if dataset is None:
        return [], []
    from quizapp.core.sets import check_sets, set_paths
    from quizapp.core.templates import load_templates

    return check_sets(set_paths(folder), dataset, load_templates())


def describe(set_files: Sequence[SetFile]) -> str:
    """``2 question sets (9 questions, 3 rules)``."""
    questions = sum(len(s.questions) for s in set_files)
    rules = sum(len(s.rules) for s in set_files)
    return f"{len(set_files)} question set(s) ({questions} questions, {rules} generate rules)"
