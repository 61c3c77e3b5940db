"""Properties of generated questions on the bundled data and on synthetic datasets.

The checks here re-derive every answer from the dataset by brute force, independently
of the builders: each correct option is true, each wrong option is false (the dataset
knows the fact and it differs), and grading agrees.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core import qtypes
from quizapp.core.dataset import Agreement, Dataset, PartialDate, fact_id
from quizapp.core.distractors import disjoint, span, within
from quizapp.core.generate import asked_ids, generate_bank, generate_quiz
from quizapp.core.loader import load_dataset
from quizapp.core.qtypes import TYPES
from quizapp.core.questions import PUBLIC_FIELDS, Question
from quizapp.core.wording import fold
from tests.core.synthetic import synthetic_dataset

ROOT = Path(__file__).resolve().parents[2]
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def bundled() -> Dataset:
    return load_dataset(ROOT / "questions" / "agreements.yaml")


@cache
def synthetic(size: int, seed: int, unknown: float) -> Dataset:
    return synthetic_dataset(size, seed=seed, unknown=unknown, sources=2)


datasets = st.one_of(
    st.just(None),
    st.tuples(st.integers(3, 40), st.integers(0, 50), st.sampled_from([0.0, 0.25, 0.6])),
)


def dataset_of(choice: tuple[int, int, float] | None) -> Dataset:
    return bundled() if choice is None else synthetic(*choice)


# --- an independent oracle ----------------------------------------------------------------


def names(dataset: Dataset, key: str) -> set[str]:
    return {fold(n) for n in dataset.entities[key].names()}


def key_of(dataset: Dataset, name: str) -> str:
    pools = [e for pool in dataset.pools.values() for e in pool]
    return next(e.key for e in [*dataset.entities.values(), *pools] if e.name == name)


def by_title(dataset: Dataset, text: str) -> Agreement:
    return next(a for a in dataset.agreements if a.title == text)


def value_truth(dataset: Dataset, agreement: Agreement, kind: str, text: str) -> bool | None:
    """True/False when the dataset says whether ``agreement``'s ``kind`` is ``text``;
    None when it cannot tell (the fact is unknown)."""
    fact = getattr(agreement, kind)
    if not fact:
        return None
    if kind == "place":
        return fold(text) in names(dataset, fact.value)
    if kind == "date":
        return (
            fact.value.label() == text or None if not _label_disjoint(fact.value, text) else False
        )
    if kind in ("parties", "signatories"):
        # One name: is it among them? Several ("A, B and C"): are they exactly the set?
        said = {key_of(dataset, n) for n in text.replace(" and ", ", ").split(", ")}
        return said <= set(fact.value) if len(said) == 1 else said == set(fact.value)
    if kind == "topics":
        return fold(text) in {fold(t.value) for t in fact}
    raise AssertionError(kind)


def _label_disjoint(date: PartialDate, label: str) -> bool:
    return disjoint(date, _parse_label(label))


def _parse_label(label: str) -> PartialDate:
    import calendar

    parts = label.split()
    if len(parts) == 1:
        return PartialDate(int(parts[0]))
    month = list(calendar.month_name).index(parts[-2])
    return PartialDate(int(parts[-1]), month, int(parts[0]) if len(parts) == 3 else None)


def check_truth(dataset: Dataset, q: Question) -> None:
    """Every right answer is true and every wrong one is verifiably false."""
    subject = dataset.agreement(q.agreements[0])
    right = set(q.answer) if isinstance(q.answer, list) else {str(q.answer)}
    right = right if q.type in ("single_choice", "multiple_choice") else set()
    texts = {o.id: o.text for o in q.options}
    if q.template in ("where-signed", "when-signed", "which-parties", "who-signed", "what-covered"):
        if q.type in ("short_answer", "date"):
            return check_free_answer(dataset, q, subject)
        for option_id, text in texts.items():
            truth = value_truth(dataset, subject, q.fact, text)
            assert truth is (option_id in right), (q.prompt, text)
    elif q.template == "what-preceded":
        event = known_facts(dataset)[q.fact_ids[0]].value
        assert event.description in q.prompt
        if q.type == "date":
            assert q.answer == event.date.iso()
        for option_id, text in texts.items():
            assert (text == event.date.label()) is (option_id in right)
            assert text == event.date.label() or disjoint(_parse_label(text), event.date)
    elif q.template.startswith("true-false-"):
        check_statement(dataset, q, subject)
    elif q.template in ("signed-in-place", "signed-in-month", "which-covered-topic"):
        check_reverse(dataset, q, texts, right)
    elif q.template in ("which-first", "chronological-order"):
        order = [by_title(dataset, texts[i]) for i in (q.answer if q.type == "ordering" else [])]
        dated = [by_title(dataset, t) for t in texts.values()]
        first = min(dated, key=lambda a: span(a.date.value)[0])
        assert all(a is first or span(first.date.value)[1] < span(a.date.value)[0] for a in dated)
        if q.type == "single_choice":
            assert texts[q.answer] == first.title
        for earlier, later in zip(order, order[1:], strict=False):
            assert span(earlier.date.value)[1] < span(later.date.value)[0]
    elif q.type == "matching":
        items = {i.id: by_title(dataset, i.text) for i in q.items}
        for item_id, agreement in items.items():
            for option_id, text in texts.items():
                truth = value_truth(dataset, agreement, q.fact, text)
                assert truth is (q.answer[item_id] == option_id), (agreement.key, text)
    else:
        raise AssertionError(f"no oracle for {q.template}")


def check_free_answer(dataset: Dataset, q: Question, subject: Agreement) -> None:
    if q.type == "date":
        assert q.answer == subject.date.value.iso()
        assert q.settings["precision"] == subject.date.value.precision.name.lower()
        return
    fact = getattr(subject, q.fact)
    keys = (fact.value,) if isinstance(fact.value, str) else fact.value
    assert q.accepted == tuple(dataset.entities[k].names() for k in keys)


def check_statement(dataset: Dataset, q: Question, subject: Agreement) -> None:
    value, kind = q.params["value"], q.fact
    fact = getattr(subject, kind)
    if kind == "place":
        assert q.answer is (value == fact.value)
    elif kind == "date":
        said = PartialDate.parse(value)
        assert q.answer is (said == fact.value)
        assert q.answer or disjoint(said, fact.value)
    elif kind in ("parties", "signatories"):
        assert q.answer is (value in fact.value)
    elif kind in ("topics", "occasion"):
        known = [f.value for f in fact] if kind == "topics" else [fact.value]
        assert q.answer is (fold(value) in {fold(k) for k in known})
    elif kind == "preceded_by":
        assert q.answer is True and value in {f.value.description for f in fact}
    else:
        raise AssertionError(kind)


def check_reverse(dataset: Dataset, q: Question, texts: dict, right: set) -> None:
    for option_id, text in texts.items():
        agreement = by_title(dataset, text)
        if "place" in q.params:
            truth = agreement.place and agreement.place.value == q.params["place"]
            false = agreement.place and not truth
        elif "period" in q.params:
            period = PartialDate.parse(q.params["period"])
            truth = agreement.date and within(agreement.date.value, period)
            false = agreement.date and disjoint(agreement.date.value, period)
        else:
            topics = {fold(t.value) for t in agreement.topics}
            truth = fold(q.params["topic"]) in topics
            false = bool(topics) and not truth
        if option_id in right:
            assert truth, (q.prompt, text)
        else:
            assert false, (q.prompt, text)


# --- every question -----------------------------------------------------------------------


def known_facts(dataset: Dataset) -> dict[str, Any]:
    return {fact_id(a.key, kind, f): f for a, kind, f in dataset.facts()}


def check_question(dataset: Dataset, q: Question) -> None:
    facts = known_facts(dataset)
    assert q.type in TYPES
    assert set(q.fact_ids) <= facts.keys(), "a question about a fact the dataset lacks"
    assert set(q.reveals) <= facts.keys()
    assert all(quote in dataset.sources[q.source].text for quote in q.quotes)
    assert q.quotes and dataset.sources[q.source].title in q.explanation
    for options in (q.options, q.items):
        assert len({fold(o.text) for o in options}) == len(options), "duplicate options"
        assert len({o.id for o in options}) == len(options)
    assert not any("correct" in o.id or "right" in o.id for o in q.options)
    check_truth(dataset, q)
    check_grading(q)
    assert Question.from_dict(json.loads(json.dumps(q.to_dict()))) == q
    check_public(q)


def check_grading(q: Question) -> None:
    """Exactly the answer grades 1; each wrong choice alone grades 0."""
    module = qtypes.get(q.type)
    assert module.grade(q, q.answer).fraction == 1.0
    if q.type == "single_choice":
        assert [o.id for o in q.options if module.grade(q, o.id).fraction == 1.0] == [q.answer]
    elif q.type == "multiple_choice":
        for option in q.options:
            alone = module.grade(q, [option.id]).fraction
            assert alone == (1 / len(q.answer) if option.id in q.answer else 0.0)
    elif q.type == "true_false":
        assert module.grade(q, not q.answer).fraction == 0.0
    elif q.type == "ordering":
        assert module.grade(q, q.answer[::-1]).fraction == 0.0
    elif q.type == "matching":
        shifted = {
            i: o for i, o in zip(q.answer, list(q.answer.values())[1:] + [None], strict=True)
        }
        assert module.grade(q, shifted).fraction < 1.0 or len(set(q.answer.values())) == 1


def check_public(q: Question) -> None:
    public = q.public_dict()
    assert set(public) == set(PUBLIC_FIELDS)
    blob = json.dumps(public, ensure_ascii=False)
    if q.type == "short_answer":
        assert fold(q.answer) not in fold(blob)
    if q.type == "date":
        assert q.answer not in blob and PartialDate.parse(q.answer).label() not in blob


# --- the properties -----------------------------------------------------------------------


@PROPERTY
@given(
    choice=datasets,
    seed=st.integers(0, 10**6),
    count=st.integers(1, 25),
    difficulty=st.sampled_from([None, "easy", "hard"]),
    types=st.none() | st.sets(st.sampled_from(TYPES), min_size=1),
)
def test_every_quiz_question_is_true_to_the_data(choice, seed, count, difficulty, types) -> None:
    dataset = dataset_of(choice)
    result = generate_quiz(dataset, count, seed, types=types, difficulty=difficulty)
    assert len(result.questions) <= count
    assert (result.shortfall_reason is None) == (len(result.questions) == count)
    tested = [f for q in result.questions for f in asked_ids(q)]
    assert len(tested) == len(set(tested))
    assert not {f for q in result.questions for f in q.reveals} & set(tested)
    for q in result.questions:
        assert types is None or q.type in types
        check_question(dataset, q)
    again = generate_quiz(dataset, count, seed, types=types, difficulty=difficulty)
    assert again == result


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), difficulty=st.sampled_from([None, "easy", "hard"]))
def test_every_bank_question_on_the_bundled_data(seed: int, difficulty: str | None) -> None:
    dataset = bundled()
    bank = generate_bank(dataset, seed=seed, difficulty=difficulty)
    assert len(bank) > 40
    assert len({q.id for q in bank}) == len(bank)
    for q in bank:
        check_question(dataset, q)


@settings(max_examples=8, deadline=None)
@given(choice=datasets, seed=st.integers(0, 1000))
def test_question_ids_are_stable(choice, seed: int) -> None:
    dataset = dataset_of(choice)
    first = {q.id: q for q in generate_bank(dataset, seed=seed, count=60)}
    again = {q.id: q for q in generate_bank(dataset, seed=seed, count=60)}
    assert first == again


def test_a_large_dataset_gives_a_full_quiz_quickly() -> None:
    dataset = synthetic(2000, 1, 0.25)
    result = generate_quiz(dataset, 20, 5)
    assert len(result.questions) == 20 and result.shortfall_reason is None
    assert len({q.agreements[0] for q in result.questions}) == 20
    for q in result.questions:
        check_question(dataset, q)
