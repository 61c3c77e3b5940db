"""Question sets as files: the shipped example, every problem at path:line:column, expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.loader import load_dataset
from quizapp.core.qtypes import TYPES
from quizapp.core.sets import check_sets, expand, read_set, set_paths
from quizapp.core.templates import load_templates

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "questions" / "sets" / "example.yaml"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(ROOT / "questions" / "agreements.yaml")


@pytest.fixture(scope="module")
def templates():
    return load_templates()


def test_the_example_set_is_clean_and_has_every_type(dataset, templates) -> None:
    found, problems = check_sets(set_paths(EXAMPLE.parent), dataset, templates)
    assert problems == []
    (example,) = found
    assert example.name == "Security agreements 2020-2021" and example.tags == (
        "example",
        "security",
    )
    assert {q.type for q in example.questions} == set(TYPES)
    assert [r.template for r in example.rules] == ["when-signed", "which-covered-topic"]


def test_questions_that_name_facts_quote_the_source_and_general_ones_need_not(
    dataset, templates
) -> None:
    (example,), _ = check_sets([EXAMPLE], dataset, templates)
    source = next(iter(dataset.sources.values())).text
    for question in example.questions:
        if question.fact_ids:
            assert question.quotes and all(quote in source for quote in question.quotes)
            assert question.source == "increasing-russian-domination"
        else:
            assert question.quotes == ()


def test_expand_adds_generated_questions_the_same_every_time(dataset, templates) -> None:
    (example,), _ = check_sets([EXAMPLE], dataset, templates)
    first = expand(example, dataset, templates)
    assert len(first) == len(example.questions) + 3
    assert [q.template for q in first[-3:]] == ["when-signed", "when-signed", "which-covered-topic"]
    assert {q.agreements[0] for q in first[-3:-1]} == {
        "svr-kgb-2021",
        "border-committee-sochi-2021",
    }
    assert expand(example, dataset, templates) == first


BAD = """\
name: Broken
colour: red
questions:
  - type: true_false
    prompt: It was signed in June 2021.
    answer: true
    facts: [svr-kgb-2021:place, svr-kgb-2021:topics]
generate:
  - template: no-such-template
    agreements: [no-such-agreement]
    count: 0
"""


def test_every_problem_is_reported_with_path_line_and_column(
    tmp_path: Path, dataset, templates
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BAD, encoding="utf-8")
    found, problems = check_sets([path], dataset, templates)
    assert found == []
    assert [str(p).split(" (")[0] for p in problems] == [
        f"{path}:2:1: unknown field 'colour'",
        f"{path}:11:12: 'count' must be a whole number 1..100",
    ]
    BAD_FACTS = BAD.replace("colour: red\n", "").replace("count: 0", "count: 1")
    path.write_text(BAD_FACTS, encoding="utf-8")
    found, problems = check_sets([path], dataset, templates)
    assert [str(p).split(" (")[0] for p in problems] == [
        f"{path}:6:13: the dataset has no fact 'svr-kgb-2021:place'",
        f"{path}:6:33: the dataset has no fact 'svr-kgb-2021:topics'",
        f"{path}:8:5: no template 'no-such-template'",
        f"{path}:8:5: no agreement 'no-such-agreement'",
    ]
    assert "use one of: svr-kgb-2021:date, svr-kgb-2021:parties" in problems[0].fix


def test_two_sets_with_one_name_and_an_empty_set(tmp_path: Path, dataset, templates) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "c.yaml").write_text("name: Empty\n")
    _, problems = check_sets(set_paths(tmp_path), dataset, templates)
    assert [p.message for p in problems] == [
        f"the set name 'Security agreements 2020-2021' is also used by {tmp_path / 'a.yaml'}",
        "the set has no questions",
    ]


def test_a_set_file_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: [unclosed\n")
    set_file, problems = read_set(path)
    assert set_file is None and problems[0].path == str(path) and problems[0].line >= 1
