"""A default quiz mixes question types fairly, labels difficulty per question, and says
when the data cannot give a type its share."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from quizapp.core.dataset import Dataset
from quizapp.core.generate import generate_bank, generate_quiz
from quizapp.core.loader import check, load_dataset
from quizapp.core.qtypes import TYPES
from quizapp.core.templates import BUNDLED, load_templates
from tests.core.synthetic import synthetic_dataset
from tests.core.test_faithful import second

ROOT = Path(__file__).resolve().parents[2]


def _shares(dataset: Dataset, quizzes: int = 30) -> tuple[Counter, list]:
    results = [generate_quiz(dataset, 20, seed) for seed in range(1, quizzes + 1)]
    return Counter(q.type for r in results for q in r.questions), results


DATASETS = {
    "agreements": ("agreements.yaml",),
    "union-state": ("union-state.yaml",),
    "both": ("agreements.yaml", "union-state.yaml"),
}


@cache
def dataset(name: str) -> Dataset:
    files = [ROOT / "questions" / f for f in DATASETS[name]]
    return check(files).dataset if len(files) > 1 else load_dataset(files[0])


def bundled() -> Dataset:
    return dataset("agreements")


@cache
def default_mix(name: str) -> tuple[Counter, tuple]:
    types, results = _shares(dataset(name))
    return types, tuple(results)


def supported(name: str) -> set[str]:
    """Every type some template makes from this data."""
    return {q.type for q in generate_bank(dataset(name), seed=0)}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_thirty_default_quizzes_give_every_supported_type_and_none_above_thirty_percent(
    name: str,
) -> None:
    types, results = default_mix(name)
    total = sum(types.values())
    assert total == 600 and all(r.shortfall_reason is None for r in results)
    assert set(types) == supported(name) == set(TYPES)
    assert max(types.values()) / total <= 0.30, types


def test_ordering_and_matching_appear_in_most_bundled_quizzes() -> None:
    _, results = default_mix("agreements")
    for result in results:
        made = {q.type for q in result.questions}
        assert {"ordering", "matching"} <= made or result.mix_note
    assert (
        sum(1 for r in results if {"ordering", "matching"} <= {q.type for q in r.questions}) >= 25
    )


def test_a_larger_dataset_keeps_every_type_at_or_below_thirty_percent() -> None:
    dataset = synthetic_dataset(60, seed=3, unknown=0.2, sources=1)
    types, _ = _shares(dataset, 10)
    total = sum(types.values())
    assert set(types) == set(TYPES)
    assert max(types.values()) / total <= 0.30, types


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_difficulty_is_worked_out_per_question(name: str) -> None:
    labels = Counter(q.difficulty for r in default_mix(name)[1] for q in r.questions)
    assert set(labels) == {"easy", "medium", "hard"}
    assert labels["medium"] < 0.7 * sum(labels.values())


def test_asked_for_hard_distractors_rate_harder_than_easy_ones() -> None:
    def mean(difficulty: str) -> float:
        rank = {"easy": 0, "medium": 1, "hard": 2}
        questions = [
            q
            for seed in range(10)
            for q in generate_quiz(bundled(), 20, seed, difficulty=difficulty).questions
        ]
        return sum(rank[q.difficulty] for q in questions) / len(questions)

    assert mean("hard") > mean("easy")


def test_shares_can_be_set_per_quiz() -> None:
    only = generate_quiz(bundled(), 8, 1, shares={"true_false": 1})
    assert {q.type for q in only.questions} == {"true_false"}
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        generate_quiz(bundled(), 8, 1, shares={"essay": 1})


def test_the_quiz_says_when_the_data_cannot_give_a_type_its_share() -> None:
    result = generate_quiz(bundled(), 20, 1, shares={"ordering": 1, "true_false": 1})
    assert result.mix_note and "ordering" in result.mix_note


def test_which_first_and_true_false_occasion_can_appear() -> None:
    firsts = [
        q.template
        for seed in range(10)
        for q in generate_quiz(bundled(), 10, seed, types=["single_choice"]).questions
    ]
    assert "which-first" in firsts
    dataset = synthetic_dataset(40, seed=2, unknown=0.1, sources=1)
    templates = {
        q.template for seed in range(10) for q in generate_quiz(dataset, 20, seed).questions
    }
    assert "true-false-occasion" in templates


def test_a_template_may_keep_to_one_kind(tmp_path: Path) -> None:
    text = (BUNDLED / "chronological-order.yaml").read_text(encoding="utf-8")
    (tmp_path / "same-kind.yaml").write_text(
        text.replace("id: chronological-order", "id: same-kind").replace(
            "settings: {options: 3}", "settings: {options: 3, same_kind: 1}"
        )
    )
    mixed = load_templates(BUNDLED / "chronological-order.yaml")
    same = load_templates(tmp_path / "same-kind.yaml")
    assert generate_quiz(second(), 1, 1, templates=mixed).questions
    assert not generate_quiz(second(), 1, 1, templates=same).questions
