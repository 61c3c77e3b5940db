"""Regrading replays the stored responses against corrected questions."""

from __future__ import annotations

from dataclasses import replace

from quizapp.core import qtypes
from quizapp.core.attempt import State
from quizapp.core.questions import Option, Question
from quizapp.core.regrade import SlotChange, regrade, slots_holding


def question(qid: str, answer: str) -> Question:
    options = (Option("a", "Minsk"), Option("b", "Moscow"))
    return Question(id=qid, type="single_choice", prompt=f"{qid}?", answer=answer, options=options)


def test_a_corrected_key_changes_only_the_slots_that_held_the_question():
    asked = [question("q1", "a"), question("q2", "a"), question("q1", "a")]
    state = State(sequence=4, responses={1: "b", 2: "a", 3: "a"}, finished=True)
    assert slots_holding(asked, "q1") == [1, 3]
    fixed = replace(asked[0], answer="b")
    done = regrade(
        asked, {1: fixed, 3: fixed}, state, qtypes.grade, 10.0, [1.0, 1.0, 2.0], {1: 0.0, 3: 1.0}
    )
    assert done.changes == (SlotChange(1, 0.0, 1.0), SlotChange(3, 1.0, 0.0))
    assert done.grade.score == 5.0  # slot 1 (1 mark) and slot 2 (1 mark) of 4 marks
    assert [g.fraction for g in done.grade.slots] == [1.0, 1.0, 0.0]


def test_an_unanswered_slot_stays_at_zero():
    asked = [question("q1", "a")]
    done = regrade(
        asked, {1: replace(asked[0], answer="b")}, State(), qtypes.grade, 10.0, [1.0], {1: 0.0}
    )
    assert done.changes == (SlotChange(1, 0.0, 0.0),) and done.grade.score == 0.0
