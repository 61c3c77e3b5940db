"""The attempt engine without a database: replaying the log, refusing steps, grading."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.core import attempt as engine
from quizapp.core.attempt import (
    AttemptFinished,
    DeadlinePassed,
    StaleSequence,
    State,
    Step,
    check_step,
    grade_attempt,
    overview,
    replay,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class FakeGrade:
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class FakeQuestion:
    answer: str
    type: str = "short_answer"


def exact(question: FakeQuestion, response: object) -> FakeGrade:
    return FakeGrade(1.0 if response == question.answer else 0.0)


def test_an_empty_log_is_a_fresh_attempt():
    state = replay([])
    assert state.sequence == 0
    assert not state.responses and not state.flagged and not state.finished


def test_the_latest_answer_per_slot_wins_whatever_order_the_steps_arrive_in():
    steps = [
        Step(3, engine.ANSWER, 1, "c"),
        Step(1, engine.ANSWER, 1, "a"),
        Step(2, engine.ANSWER, 2, "b"),
    ]
    state = replay(steps)
    assert state.sequence == 3
    assert state.response(1) == "c" and state.response(2) == "b"
    assert state.response(3) is None


def test_an_answer_cleared_to_none_counts_as_unanswered():
    state = replay([Step(1, engine.ANSWER, 1, "a"), Step(2, engine.ANSWER, 1, None)])
    assert not state.answered(1)


def test_flags_toggle_and_submit_finishes():
    steps = [
        Step(1, engine.FLAG, 2),
        Step(2, engine.FLAG, 3),
        Step(3, engine.UNFLAG, 2),
        Step(4, engine.SUBMIT),
    ]
    state = replay(steps)
    assert state.flagged == frozenset({3})
    assert state.finished and state.sequence == 4


def test_folding_one_step_at_a_time_through_the_stored_record_gives_the_whole_replay():
    """What each step keeps with its attempt, read back as JSON, then the next step."""
    steps = [
        Step(1, engine.ANSWER, 1, ["b", "a"]),
        Step(2, engine.FLAG, 2),
        Step(3, engine.ANSWER, 10, {"x": "1"}),
        Step(4, engine.CHECK, 1, ["a"]),
        Step(5, engine.ANSWER, 10, None),
        Step(6, engine.UNFLAG, 2),
        Step(7, engine.FLAG, 3),
        Step(8, engine.SUBMIT),
    ]
    kept: dict = {}
    for step in steps:
        before = State.from_record(json.loads(json.dumps(kept)), step.seq - 1)
        kept = replay([step], before).to_record()
        assert State.from_record(kept, step.seq) == replay(steps[: step.seq])
    assert State.from_record(None, 0) == replay([])


def test_check_records_the_answer_and_marks_the_slot_checked():
    state = replay([Step(1, engine.CHECK, 2, "x")])
    assert state.response(2) == "x" and state.checked == frozenset({2})


def test_check_step_accepts_the_current_sequence_before_the_deadline():
    check_step(4, 4, engine.IN_PROGRESS, NOW + timedelta(minutes=1), GRACE, NOW)
    check_step(0, 0, engine.IN_PROGRESS, None, GRACE, NOW)


@pytest.mark.parametrize("seen", [3, 5, None])
def test_check_step_refuses_a_stale_or_missing_sequence(seen):
    with pytest.raises(StaleSequence) as raised:
        check_step(seen, 4, engine.IN_PROGRESS, None, GRACE, NOW)
    assert "Reload the page" in raised.value.message


def test_check_step_refuses_a_finished_attempt_even_from_a_stale_page():
    with pytest.raises(AttemptFinished):
        check_step(1, 4, engine.FINISHED, None, GRACE, NOW)


def test_the_grace_period_accepts_a_late_save_and_then_ends():
    deadline = NOW - timedelta(seconds=29)
    check_step(1, 1, engine.IN_PROGRESS, deadline, GRACE, NOW)
    with pytest.raises(DeadlinePassed):
        check_step(1, 1, engine.IN_PROGRESS, deadline - timedelta(seconds=2), GRACE, NOW)


def test_naive_datetimes_are_taken_as_utc():
    naive = datetime(2024, 5, 1, 11, 59)
    assert engine.as_utc(naive) == NOW - timedelta(minutes=1)
    assert engine.overdue(naive, GRACE, NOW)
    assert engine.seconds_left(naive.replace(minute=0, hour=13), NOW) == 3600


def test_seconds_left_never_goes_negative_and_is_none_without_a_limit():
    assert engine.seconds_left(NOW - timedelta(hours=1), NOW) == 0
    assert engine.seconds_left(None, NOW) is None


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), (" 0 ", 0), (3, 3), ("-1", None), ("x", None), (None, None)]
)
def test_parse_sequence(raw, expected):
    assert engine.parse_sequence(raw) == expected


def test_overview_lists_answered_unanswered_and_flagged_slots():
    state = replay(
        [Step(1, engine.ANSWER, 1, "a"), Step(2, engine.FLAG, 3), Step(3, engine.ANSWER, 3, "")]
    )
    view = overview(4, state)
    assert view.answered == [1, 3]
    assert view.unanswered == [2, 4]
    assert view.flagged == [3]
    assert view.slots[2].label == "answered, flagged"
    assert view.slots[1].label == "not answered"


def test_grading_sums_fractions_times_marks_and_scales_to_the_grade():
    questions = [FakeQuestion("a"), FakeQuestion("b"), FakeQuestion("c"), FakeQuestion("d")]
    state = replay([Step(1, engine.ANSWER, 1, "a"), Step(2, engine.ANSWER, 2, "wrong")])
    result = grade_attempt(questions, state, exact, grade_max=10.0, marks=[2, 1, 1, 1])
    assert [g.fraction for g in result.slots] == [1.0, 0.0, 0.0, 0.0]
    assert [g.answered for g in result.slots] == [True, True, False, False]
    assert result.fraction == pytest.approx(2 / 5)
    assert result.score == 4.0
    assert result.slots[0].outcome == "correct" and result.slots[3].outcome == "incorrect"


def test_a_grader_out_of_range_is_clamped_and_partial_credit_is_partial():
    def generous(question, response):
        return FakeGrade({"a": 1.5, "b": 0.5}.get(response, -1.0))

    state = replay(
        [
            Step(1, engine.ANSWER, 1, "a"),
            Step(2, engine.ANSWER, 2, "b"),
            Step(3, engine.ANSWER, 3, "z"),
        ]
    )
    result = grade_attempt([FakeQuestion("")] * 3, state, generous, grade_max=100.0)
    assert [g.fraction for g in result.slots] == [1.0, 0.5, 0.0]
    assert result.slots[1].outcome == "partial"
    assert result.score == 50.0


def test_regrading_is_replaying_the_same_steps_against_a_corrected_key():
    state = replay([Step(1, engine.ANSWER, 1, "b")])
    before = grade_attempt([FakeQuestion("a")], state, exact, grade_max=1.0)
    after = grade_attempt([FakeQuestion("b")], state, exact, grade_max=1.0)
    assert (before.score, after.score) == (0.0, 1.0)


def test_an_empty_attempt_scores_zero():
    result = grade_attempt([], replay([]), exact, grade_max=10.0)
    assert (result.fraction, result.score) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("raw", "blank"),
    [
        (None, True),
        ("  ", True),
        ([], True),
        (["", " "], True),
        ({"year": "", "month": ""}, True),
        ("x", False),
        (["", "a"], False),
        ({"year": "", "month": "3"}, False),
        (False, False),
    ],
)
def test_is_blank_tells_a_cleared_answer_from_an_incomplete_one(raw, blank):
    assert engine.is_blank(raw) is blank
