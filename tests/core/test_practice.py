"""Choosing practice questions from the bundled dataset: by topic, in turn, per due fact."""

from __future__ import annotations

import pytest

from quizapp.config import DEFAULT_DATA
from quizapp.core import practice
from quizapp.core.dataset import fact_id
from quizapp.core.loader import load_dataset
from quizapp.core.questions import Question


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(DEFAULT_DATA)


def q(qid: str, facts: tuple[str, ...], reveals: tuple[str, ...] = (), type_: str = "x"):
    return Question(id=qid, type=type_, prompt=qid, answer=None, fact_ids=facts, reveals=reveals)


def test_a_topic_chooses_the_agreements_that_cover_it(dataset):
    topic = dataset.agreements[0].topics[0].value
    keys = practice.chosen_agreements(dataset, [dataset.agreements[-1].key], [topic])
    assert keys[0] == dataset.agreements[0].key and keys[-1] == dataset.agreements[-1].key
    assert practice.chosen_agreements(dataset, [], []) == ()


def test_interleave_takes_turns_and_never_repeats_or_reveals_a_fact():
    one = [q("a1", ("a:date",)), q("a2", ("a:place",), reveals=("b:date",))]
    two = [q("b1", ("b:date",)), q("b2", ("a:date",)), q("b3", ("b:place",))]
    taken = practice.interleave([one, two], count=10)
    assert [x.id for x in taken] == ["a1", "b1", "b3"]
    assert [x.id for x in practice.interleave([one, two], count=1)] == ["a1"]


def test_quiz_questions_on_chosen_agreements_stay_on_them(dataset):
    keys = (dataset.agreements[0].key, dataset.agreements[2].key)
    made = practice.quiz_questions(dataset, 8, seed=3, keys=keys)
    assert made and all(set(x.agreements) & set(keys) for x in made)
    assert made == practice.quiz_questions(dataset, 8, seed=3, keys=keys)


def _fact_ids(dataset):
    return [fact_id(a.key, kind, fact) for a, kind, fact in dataset.facts()]


def test_due_questions_ask_each_fact_once_in_order_and_stop_at_the_length(dataset):
    wanted = _fact_ids(dataset)
    made = practice.due_questions(dataset, wanted, {}, seed=5, length=6)
    assert len(made) == 6
    asked = [f for x in made for f in x.fact_ids]
    assert len(asked) == len(set(asked))
    assert wanted[0] in made[0].fact_ids  # the first fact wanted is asked first


def test_due_questions_change_the_question_type_from_last_time(dataset):
    wanted = _fact_ids(dataset)[:12]
    first = practice.due_questions(dataset, wanted, {}, seed=5, length=12)
    last = {f: x.type for x in first for f in x.fact_ids}
    second = practice.due_questions(dataset, list(last), last, seed=5, length=12)
    changed = [x for x in second if all(last.get(f) != x.type for f in x.fact_ids)]
    assert len(changed) >= len(second) - 2  # a fact with one possible form keeps it
    assert changed


def test_agreement_of_reads_the_key_from_a_fact_id():
    assert practice.agreement_of("svr-kgb-2021:topics:abcd1234") == "svr-kgb-2021"


def test_a_practice_title_says_what_was_chosen(bundled_dataset):
    first, second, third = bundled_dataset.agreements[1:4]
    title = practice.practice_title(
        bundled_dataset, 10, [first.key], ["border"], ["Date", "True or false"], "hard"
    )
    assert title == f"Practice: 10 hard date and true or false questions on {first.title}, “border”"
    many = practice.practice_title(bundled_dataset, 1, [first.key, second.key, third.key])
    assert many == "Practice: 1 question on 3 agreements"
    assert practice.practice_title(bundled_dataset, 6) == "Practice: 6 questions on all agreements"
    long = practice.practice_title(bundled_dataset, 6, topics=["x" * 300])
    assert len(long) == practice.TITLE_MAX and long.endswith("…")
