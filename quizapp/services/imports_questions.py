"""Importing question files into a bank set and exporting a set, for the CLI and the
browser upload alike.

An import is all or nothing: a file with any error changes nothing. Questions are
matched to the set's questions by key (the slug of their id or title), so importing a
file again, or importing back what was exported, changes nothing; a changed question
gets a new version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from quizapp.core import formats
from quizapp.core.formats.base import rekey
from quizapp.core.problems import Problem
from quizapp.core.questions import Question
from quizapp.core.sets import cite_facts
from quizapp.extensions import db
from quizapp.models import BankQuestion, QuestionSet, Status
from quizapp.services import bank, datasets

_SLUG = re.compile(r"[^a-z0-9]+")


class ImportFailed(ValueError):
    """The file has errors (or cannot be read as the format named); nothing was changed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    set_name: str
    counts: dict[str, int]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    warnings: list[Problem] = field(default_factory=list)
    # Keys of the set's questions the file no longer has (kept: attempts may use them).
    not_in_file: list[str] = field(default_factory=list)


def key_of(question: Question) -> str:
    """The bank key a question is stored under: the slug of its id."""
    return _SLUG.sub("-", question.id.lower()).strip("-")[:80] or "question"


def import_file(
    data: bytes,
    filename: str,
    set_name: str,
    format: str | None = None,
    dry_run: bool = False,
    user_id: int | None = None,
) -> ImportReport:
    """Read ``data`` (named ``filename``) and store its questions in the set ``set_name``
    (made when missing). Raises ImportFailed listing every error; a dry run writes nothing."""
    try:
        result = formats.read_bytes(data, filename, format)
    except ValueError as err:
        raise ImportFailed([Problem(filename, 1, 1, str(err), "name the format")]) from None
    questions, fact_problems = _cite(filename, result.questions, result.lines)
    if result.errors or fact_problems:
        raise ImportFailed(sorted(result.problems + fact_problems, key=lambda p: p.line))
    questions = [rekey(q, key_of(q)) for q in questions]
    report = ImportReport(set_name, result.counts(), dry_run=dry_run, warnings=result.warnings)
    if dry_run:
        return report
    try:
        question_set = bank.ensure_set(set_name, user_id)
        store(question_set, questions, report, user_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _cite(
    filename: str, questions: list[Question], lines: list[int]
) -> tuple[list[Question], list[Problem]]:
    """Questions that name dataset facts must name loaded ones; they get their quotes."""
    if not any(q.fact_ids for q in questions):
        return questions, []
    dataset = datasets.current()
    if dataset is None:
        problem = Problem(
            filename,
            lines[0],
            1,
            "questions name facts but no dataset is loaded",
            "run 'quizapp data load' first",
        )
        return questions, [problem]
    return cite_facts(filename, questions, lines, dataset)


def store(
    question_set: QuestionSet,
    questions: Sequence[Question],
    report: ImportReport,
    user_id: int | None = None,
    note: str = "imported",
    status: str = Status.DRAFT,
) -> None:
    """Add new questions and new versions of changed ones (not committed)."""
    existing = {
        q.key: q
        for q in db.session.scalars(
            sa.select(BankQuestion).where(BankQuestion.set_id == question_set.id)
        )
    }
    report.not_in_file = sorted(set(existing) - {key_of(q) for q in questions})
    for question in questions:
        found = existing.get(key_of(question))
        if found is None:
            bank.add(question_set, question, user_id, status, key=key_of(question))
            report.created += 1
        elif bank.revise(found, question, user_id, note) is None:
            report.unchanged += 1
        else:
            report.updated += 1


def set_questions(set_name: str) -> tuple[QuestionSet, list[Question]]:
    """The latest version of every question of a set, each under its key."""
    question_set = bank.find_set(set_name)
    if question_set is None:
        names = ", ".join(s.name for s in bank.sets()) or "none yet"
        raise LookupError(f"no question set named {set_name!r} (sets: {names})")
    questions = [rekey(bank.question_of(bank.latest(q)), q.key) for q in question_set.questions]
    return question_set, questions


def export_set(set_name: str, format: str) -> str:
    """The set in ``format``; ExportError when the format cannot express some questions."""
    question_set, questions = set_questions(set_name)
    if format == "yaml":
        header = {"name": question_set.name, "description": question_set.description}
        header["tags"] = list(question_set.tags)
        return formats.get("yaml").write(questions, {k: v for k, v in header.items() if v})
    return formats.write(questions, format)
