"""Shared by the format tests: generated questions of each type, compared as a format keeps them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from quizapp.core.generate import generate_bank
from quizapp.core.loader import load_dataset
from quizapp.core.questions import Question

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "formats"


def generated() -> list[Question]:
    """One generated question of each type from the bundled dataset."""
    dataset = load_dataset(ROOT / "questions" / "agreements.yaml")
    by_type: dict[str, Question] = {}
    for question in generate_bank(dataset, seed=3):
        by_type.setdefault(question.type, question)
    return list(by_type.values())


def as_kept(question: Question, fields: tuple[str, ...]) -> Question:
    """``question`` with only ``fields`` kept and options in id order (formats whose
    questions Moodle shuffles keep the set of options, not their order)."""
    kept = {name: getattr(question, name) for name in fields}
    blank = Question(question.id, question.type, question.prompt, question.answer)
    return replace(blank, **kept, options=tuple(sorted(question.options, key=lambda o: o.id)))
