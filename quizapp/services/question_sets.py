"""Loading the question set files (questions/sets/*.yaml) into the bank with the dataset.

``load`` stores the dataset version and every set in one transaction: all of it, or
nothing. A set's questions are matched to the bank by key, so loading the same files
again changes nothing and a changed question gets a new version. Questions from set
files are published: they were reviewed where the files are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.core.dataset import Dataset
from quizapp.core.formats.base import rekey
from quizapp.core.sets import SetFile, expand
from quizapp.core.templates import Template
from quizapp.extensions import db
from quizapp.models import Status
from quizapp.services import bank, datasets
from quizapp.services.imports_questions import ImportReport, key_of, store


@dataclass
class SetsLoaded:
    """What a load did to the dataset and to each set."""

    dataset: datasets.LoadReport
    sets: list[ImportReport]


def load(
    dataset: Dataset, set_files: Sequence[SetFile], templates: Iterable[Template]
) -> SetsLoaded:
    """Store the dataset and every set (hand-written and generated questions) together."""
    templates = tuple(templates)
    expanded = [(s, expand(s, dataset, templates)) for s in set_files]  # before any write
    try:
        report = datasets.load(dataset, commit=False)
        reports = [_load_set(set_file, questions) for set_file, questions in expanded]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return SetsLoaded(report, reports)


def _load_set(set_file: SetFile, questions: list) -> ImportReport:
    question_set = bank.ensure_set(set_file.name)
    question_set.description = set_file.description
    question_set.tags = list(set_file.tags)
    counts: dict[str, int] = {}
    for question in questions:
        counts[question.type] = counts.get(question.type, 0) + 1
    report = ImportReport(set_file.name, counts)
    keyed = [rekey(q, key_of(q)) for q in questions]
    store(question_set, keyed, report, note=f"loaded from {set_file.path}", status=Status.PUBLISHED)
    return report
