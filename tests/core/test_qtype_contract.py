"""The plugin contract: every registered question type has every part, and the parts agree.

A new type fails here until it implements each method, ships its partial, grades its
own example's key as correct and survives anything a browser could send.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import qtypes
from quizapp.core.qtypes.base import QuestionType
from quizapp.core.questions import QType, Question

TEMPLATES = Path(qtypes.__file__).resolve().parents[2] / "templates"
ALL = qtypes.all()
ids = [t.name for t in ALL]


class FakeForm(dict):
    """The two MultiDict methods a type may use, over lists of values."""

    def get(self, key, default=None):
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key):
        return list(super().get(key, []))


def test_every_qtype_name_is_registered_once_in_order() -> None:
    assert tuple(QType) == qtypes.TYPES
    assert all(type(name) is str for name in qtypes.TYPES)
    assert len({t.label for t in ALL}) == len(ALL)


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_every_part_is_implemented(qtype: QuestionType) -> None:
    cls = type(qtype)
    assert issubclass(cls, QuestionType) and not inspect.isabstract(cls)
    assert isinstance(qtype.name, QType) and qtype.label.strip()
    for name in QuestionType.__abstractmethods__:
        assert getattr(cls, name) is not getattr(QuestionType, name), f"{cls.__name__}.{name}"
    assert qtypes.get(qtype.name) is qtype


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_partial_ships_with_the_type(qtype: QuestionType) -> None:
    assert qtype.partial == f"qtypes/{qtype.name}.html"
    assert (TEMPLATES / qtype.partial).is_file()


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_example_is_valid_and_its_key_is_correct(qtype: QuestionType) -> None:
    question = qtype.example()
    assert question.type == qtype.name
    assert qtype.check(question) == []
    assert qtype.grade(question, question.answer).correct
    assert qtype.normalize(question, question.answer) == question.answer
    assert qtype.describe(question, question.answer) not in ("", "no answer")
    assert qtype.hint(question).strip()
    assert qtype.text_lines(question) is not None
    assert qtype.to_text(question, question.answer).strip()


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_responses_round_trip_through_json(qtype: QuestionType) -> None:
    question = qtype.example()
    stored = json.loads(json.dumps(qtype.to_json(question, question.answer)))
    assert qtype.from_json(question, stored) == question.answer
    assert qtype.normalize(question, qtype.read_json(question, stored)) == question.answer
    assert Question.from_dict(json.loads(json.dumps(question.to_dict()))) == question


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_an_empty_form_is_no_answer(qtype: QuestionType) -> None:
    question = qtype.example()
    raw = qtype.read_form(question, FakeForm())
    assert qtype.normalize(question, raw) is None
    assert qtype.describe(question, raw) == "no answer"
    assert qtype.grade(question, raw).fraction == 0.0


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_check_finds_a_broken_question(qtype: QuestionType) -> None:
    question = qtype.example()
    broken = Question(id=question.id, type=question.type, prompt=" ", answer=None)
    problems = qtype.check(broken)
    assert problems and all(p.field and p.message.endswith(".") for p in problems)
    assert "prompt" in {p.field for p in problems}


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)
FORMS = st.dictionaries(
    st.sampled_from(["response", "response-year", "response-month", "response-day"])
    | st.text(max_size=12).map(lambda s: "response-" + s),
    st.lists(st.text(max_size=12), max_size=3),
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(ALL) - 1), raw=JUNK, form=FORMS)
def test_junk_never_raises(index: int, raw: object, form: dict) -> None:
    qtype = ALL[index]
    question = qtype.example()
    for value in (raw, qtype.read_form(question, FakeForm(form)), qtype.read_json(question, raw)):
        result = qtype.grade(question, value)
        assert 0.0 <= result.fraction <= 1.0 and result.feedback
        assert isinstance(qtype.describe(question, value), str)
        assert isinstance(qtype.to_text(question, value), str)
        assert isinstance(qtype.shown(question, value), dict)
        canonical = qtype.normalize(question, value)
        if canonical is not None:
            assert qtype.normalize(question, canonical) == canonical
            assert json.loads(json.dumps(qtype.to_json(question, value))) == canonical


@pytest.mark.parametrize("qtype", ALL, ids=ids)
def test_edit_data_round_trips_the_example(qtype: QuestionType) -> None:
    example = qtype.example()
    assert qtype.question_from_form(qtype.form_data(example), base=example) == example


ROW = st.dictionaries(
    st.sampled_from(["id", "text", "item", "match", "correct"]),
    st.none() | st.booleans() | st.text(max_size=8),
)
EDIT_DATA = st.dictionaries(
    st.sampled_from(["prompt", "answer", "accepted", "precision", "tolerance", "extras", "tags"])
    | st.sampled_from(["options", "items", "pairs"]),
    st.none() | st.integers() | st.text(max_size=12) | st.lists(ROW | st.text(), max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(ALL) - 1), data=EDIT_DATA)
def test_any_edit_data_gives_a_question_or_named_problems(index: int, data: dict) -> None:
    qtype = ALL[index]
    question = qtype.question_from_form(data)
    assert question.type == qtype.name
    for problem in qtype.check(question):
        assert problem.field in {"prompt", *qtype.form_data(qtype.example())}
