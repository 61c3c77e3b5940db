"""`quizapp generate`: print a quiz made from a dataset file (no app, no database needed)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
import yaml

from quizapp.core import qtypes
from quizapp.core.dataset import Dataset, UnknownDataset, only
from quizapp.core.generate import DIFFICULTIES, QuizResult, UnknownAgreement, generate_quiz
from quizapp.core.loader import check, dataset_files
from quizapp.core.questions import Question
from quizapp.core.templates import TemplateError
from quizapp.core.wording import capital

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "questions"


@click.command("generate")
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many questions to make.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="The same seed, data and options always give the same quiz.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(qtypes.TYPES),
    help="Only questions of this type (repeat for several).",
)
@click.option("--about", metavar="KEY", help="Only questions about the agreement with this key.")
@click.option(
    "--dataset",
    "only_dataset",
    metavar="NAME",
    help="Only questions from this dataset file, by name (union-state for union-state.yaml).",
)
@click.option(
    "--difficulty",
    type=click.Choice(DIFFICULTIES),
    help="hard: wrong options near the answer; easy: far from it. Default: mixed.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
    help="text: a quiz with the answer key at the end.",
)
@click.option(
    "--data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A dataset file or folder (repeat for several); default: QUIZAPP_DATA, else "
    "every file in questions/, as for `quizapp data load`.",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, path_type=Path),
    help="A template file or directory (default: questions/templates).",
)
def generate_command(
    count: int,
    seed: int,
    types: tuple[str, ...],
    about: str | None,
    only_dataset: str | None,
    difficulty: str | None,
    fmt: str,
    data: tuple[Path, ...],
    templates: Path | None,
) -> None:
    """Generate a quiz from the agreements dataset and print it."""
    dataset = _load(data or (Path(os.environ.get("QUIZAPP_DATA") or DEFAULT_DATA),))
    if only_dataset:
        dataset = _only(dataset, only_dataset)
    try:
        result = generate_quiz(dataset, count, seed, types or None, about, difficulty, templates)
    except UnknownAgreement:
        keys = ", ".join(a.key for a in dataset.agreements)
        raise click.BadParameter(
            f"no agreement has the key {about!r}; known keys: {keys}", param_hint="'--about'"
        ) from None
    except TemplateError as err:
        raise click.ClickException(f"bad template file:\n{err}") from None
    click.echo(_render(fmt, result, dataset, seed))
    for note in (result.shortfall_reason, result.mix_note):
        if note:
            click.echo(f"note: {note}", err=True)


def _load(specs: tuple[Path, ...]) -> Dataset:
    paths = [path for spec in specs for path in dataset_files(spec)]
    if not paths:
        raise click.ClickException(f"no dataset file in {', '.join(map(str, specs))}")
    result = check(paths)
    if result.dataset is None:
        named = ", ".join(map(str, paths))
        problems = "\n".join(map(str, result.problems))
        raise click.ClickException(f"cannot use the dataset {named}:\n{problems}") from None
    return result.dataset


def _only(dataset: Dataset, name: str) -> Dataset:
    """The agreements of one dataset file, or a usage error naming those loaded."""
    try:
        return only(dataset, name)
    except UnknownDataset:
        names = ", ".join(dataset.dataset_names())
        raise click.BadParameter(
            f"no dataset file is called {name!r}; loaded: {names}", param_hint="'--dataset'"
        ) from None


def _render(fmt: str, result: QuizResult, dataset: Dataset, seed: int) -> str:
    if fmt == "text":
        return render_text(result, dataset, seed)
    records = [record(q, dataset) for q in result.questions]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2)
    return yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=100).rstrip()


def record(question: Question, dataset: Dataset) -> dict[str, Any]:
    """One question for JSON or YAML: every field, ``source`` being the quoted text."""
    data = question.to_dict()
    data["answer_text"] = qtypes.of(question).describe_key(question)
    data["source"] = " ".join(question.quotes)
    data["source_key"] = question.source
    data["source_title"] = dataset.sources[question.source].title
    return data


# --- text ---------------------------------------------------------------------------------


def render_text(result: QuizResult, dataset: Dataset, seed: int) -> str:
    """A numbered quiz a trainee can take, then the answer key with explanations."""
    questions = result.questions
    lines = [
        f"Quiz: {len(questions)} questions (seed {seed}, dataset version {dataset.version})",
        "",
    ]
    for n, question in enumerate(questions, 1):
        lines += [f"{n}. {question.prompt}", *_body(question), ""]
    lines += ["Answer key", ""]
    for n, question in enumerate(questions, 1):
        lines += [f"{n}. {_key(question)}", f"   {question.explanation}", ""]
    return "\n".join(lines).rstrip()


def _body(question: Question) -> list[str]:
    """The lines under a prompt: options, items, or where to write the answer."""
    return qtypes.of(question).text_lines(question)


def _key(question: Question) -> str:
    """The right response in the letters and numbers the quiz shows."""
    return capital(qtypes.of(question).to_text(question, question.answer))
