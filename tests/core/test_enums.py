"""The names of types, states, kinds, behaviours and actions are StrEnums whose values are
the strings stored in the database and in attempts' JSON, so no data changes."""

from __future__ import annotations

import json

import pytest

from quizapp.core import attempt as engine
from quizapp.core.attempt import Action, AttemptState, Behaviour, Kind
from quizapp.core.questions import QType, Question

STORED = {
    QType: "single_choice multiple_choice true_false short_answer date ordering matching",
    AttemptState: "in_progress finished abandoned",
    Kind: "practice quiz review",
    Behaviour: "deferred immediate",
    Action: "answer flag unflag check submit timeout abandon resume",
}


@pytest.mark.parametrize("enum", list(STORED), ids=lambda e: e.__name__)
def test_values_are_the_stored_strings(enum) -> None:
    assert [m.value for m in enum] == STORED[enum].split()
    for member in enum:
        assert member == member.value and str(member) == member.value
        assert json.dumps(member) == json.dumps(member.value)


def test_short_names_are_the_members() -> None:
    assert engine.FINISHED is AttemptState.FINISHED and engine.DEFERRED is Behaviour.DEFERRED
    assert engine.FINISHING == (Action.SUBMIT, Action.TIMEOUT)


def test_a_question_typed_by_member_serializes_as_plain_text() -> None:
    question = Question(id="q", type=QType.TRUE_FALSE, prompt="?", answer=True)
    data = question.to_dict()
    assert type(question.type) is str and type(data["type"]) is str
    assert Question.from_dict(data) == question
