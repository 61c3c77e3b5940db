"""Quizzes without a database: settings, slots, the draw, availability and grades."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.core.questions import Option, Question
from quizapp.core.quizzes import (
    Availability,
    DrawSlot,
    Feedback,
    FixedSlot,
    GradingMethod,
    QuizError,
    QuizSettings,
    ReviewOptions,
    ReviewWhen,
    assign_draws,
    attempts_left,
    availability,
    deadline,
    draw,
    move,
    overall,
    passed,
    publish_problems,
    question_count,
    review_open,
    review_opens,
    settings_problems,
    slot_from_dict,
    slots_from_dicts,
    slots_to_dicts,
    start_refusal,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def question(qid: int, type: str = "single_choice") -> Question:
    options = tuple(Option(f"o{n}", f"Option {n}") for n in range(5))
    return Question(id=f"bank:{qid}:1", type=type, prompt=f"Q{qid}?", answer="o0", options=options)


# --- settings ----------------------------------------------------------------------------


def test_settings_round_trip_through_json_data():
    settings = QuizSettings(
        time_limit_minutes=20,
        grace_seconds=15,
        attempts_allowed=3,
        grading=GradingMethod.AVERAGE,
        pass_percent=60,
        shuffle_questions=True,
        shuffle_options=True,
        feedback=Feedback.IMMEDIATE,
        review=ReviewOptions(answer=False, when=ReviewWhen.AFTER_CLOSE),
        opens_at=NOW,
        closes_at=NOW + timedelta(days=7),
    )
    data = settings.to_dict()
    assert data["grading"] == "average" and data["review"]["when"] == "after_close"
    assert data["closes_at"] == "2026-03-08T09:00:00+00:00"
    assert QuizSettings.from_dict(data) == settings
    assert QuizSettings.from_dict(None) == QuizSettings()
    assert QuizSettings.from_dict({"unknown": 1, "attempts_allowed": 2}).attempts_allowed == 2


def test_valid_settings_have_no_problems():
    assert settings_problems(QuizSettings()) == {}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"time_limit_minutes": 0}, "time_limit_minutes", "between 1 and 1440 minutes"),
        ({"grace_seconds": -1}, "grace_seconds", "between 0 and 3600 seconds"),
        ({"attempts_allowed": 101}, "attempts_allowed", "0 for unlimited"),
        ({"pass_percent": 120}, "pass_percent", "between 0 and 100 percent"),
        ({"grade_max": 0}, "grade_max", "above 0"),
        ({"opens_at": NOW, "closes_at": NOW}, "closes_at", "after the open date"),
        ({"review": ReviewOptions(when=ReviewWhen.AFTER_CLOSE)}, "review_when", "needs a close"),
    ],
)
def test_each_invalid_setting_names_its_field_and_the_fix(changes, field, words):
    problems = settings_problems(QuizSettings(**changes))
    assert list(problems) == [field]
    assert words in problems[field]


# --- slots -------------------------------------------------------------------------------


def test_slots_round_trip_and_unknown_kinds_are_refused():
    slots = [FixedSlot(4, version=2, mark=2.0), DrawSlot(1, count=3, type="date", tag="t")]
    assert slots_from_dicts(slots_to_dicts(slots)) == slots
    with pytest.raises(ValueError, match="unknown slot kind"):
        slot_from_dict({"kind": "other"})
    assert question_count(slots) == 4


def test_move_keeps_the_slot_within_bounds():
    a, b, c = FixedSlot(1), FixedSlot(2), FixedSlot(3)
    assert move([a, b, c], 2, -1) == [a, c, b]
    assert move([a, b, c], 0, -1) == [a, b, c]
    assert move([a, b, c], 0, 5) == [b, c, a]
    assert move([a, b, c], 7, 1) == [a, b, c]


# --- publishing --------------------------------------------------------------------------


def test_a_complete_draft_can_be_published():
    slots = [FixedSlot(1), DrawSlot(10, count=2)]
    assert publish_problems(QuizSettings(), slots, {1: True}, {1: [1, 2, 3]}) == []


def test_publishing_lists_every_problem():
    slots = [FixedSlot(1), FixedSlot(2), DrawSlot(10, count=3), DrawSlot(10, count=1, mark=0)]
    problems = publish_problems(
        QuizSettings(time_limit_minutes=0), slots, {1: False}, {2: [1, 5, 6], 3: [7]}
    )
    text = "\n".join(problems)
    assert "Settings: Give a time limit" in text
    assert "Slot 1: the question is a draft" in text
    assert "Slot 2: the question is no longer in the bank" in text
    # question 1 is fixed, so slot 3's pool holds only 5 and 6
    assert "Slot 3: it draws 3 but its pool holds only 2 published questions" in text
    assert "Slot 4: Give a mark above 0" in text


def test_an_empty_draft_cannot_be_published():
    assert publish_problems(QuizSettings(), [], {}, {}) == [
        "The quiz has no questions: add a fixed question or a random draw."
    ]


def test_overlapping_draws_that_together_ask_too_much_are_refused():
    slots = [DrawSlot(10, count=2), DrawSlot(10, count=2)]
    problems = publish_problems(QuizSettings(), slots, {}, {0: [1, 2, 3], 1: [1, 2, 3]})
    assert problems and "together ask for more" in problems[0]


# --- the draw ------------------------------------------------------------------------------


def test_assign_draws_serves_the_narrow_pool_even_when_the_wide_one_comes_first():
    # The whole set (1..4) then its two dates (3, 4): a greedy draw could take 3 and 4 first.
    for seed in range(50):
        picked = assign_draws([(2, [1, 2, 3, 4]), (2, [3, 4])], random.Random(seed))
        assert picked is not None
        assert sorted(picked[1]) == [3, 4] and sorted(picked[0]) == [1, 2]
    assert assign_draws([(3, [1, 2]), (0, [])], random.Random(0)) is None


def test_draw_is_seeded_distinct_and_never_draws_a_fixed_question():
    slots = [FixedSlot(1, version=1, mark=2.0), DrawSlot(10, count=3)]
    pool = [(qid, question(qid)) for qid in range(1, 9)]
    picks = {}
    for seed in range(30):
        drawn = draw(slots, {1: question(1)}, {1: pool}, seed)
        ids = [d.question_id for d in drawn]
        assert ids[0] == 1 and drawn[0].mark == 2.0
        assert len(set(ids)) == 4 and 1 not in ids[1:]
        assert [d.mark for d in drawn[1:]] == [1.0, 1.0, 1.0]
        assert draw(slots, {1: question(1)}, {1: pool}, seed) == drawn  # replayable
        picks[seed] = tuple(ids)
    assert len(set(picks.values())) > 5  # different seeds, different quizzes


def test_draw_refuses_when_the_pool_shrank_below_what_is_asked():
    with pytest.raises(QuizError, match="Not enough published questions"):
        draw([DrawSlot(10, count=3)], {}, {0: [(1, question(1))]}, seed=1)


def test_shuffles_keep_ids_and_keys_but_change_the_order():
    slots = [FixedSlot(n) for n in range(1, 7)]
    fixed = {n: question(n) for n in range(1, 7)}
    plain = draw(slots, fixed, {}, seed=3)
    assert [d.question_id for d in plain] == [1, 2, 3, 4, 5, 6]
    mixed = draw(slots, fixed, {}, seed=3, shuffle_questions=True, shuffle_options=True)
    assert sorted(d.question_id for d in mixed) == [1, 2, 3, 4, 5, 6]
    assert [d.question_id for d in mixed] != [1, 2, 3, 4, 5, 6]
    for item in mixed:
        original = fixed[item.question_id]
        assert item.question.answer == original.answer
        assert set(item.question.options) == set(original.options)
    assert any(d.question.options != fixed[d.question_id].options for d in mixed)


def test_true_false_options_are_never_shuffled():
    tf = question(1, type="true_false")
    drawn = draw([FixedSlot(1)], {1: tf}, {}, seed=5, shuffle_options=True)
    assert drawn[0].question == tf


# --- taking a quiz -------------------------------------------------------------------------


def test_availability_follows_open_and_close_dates():
    settings = QuizSettings(opens_at=NOW, closes_at=NOW + timedelta(hours=1))
    assert availability(settings, NOW - timedelta(seconds=1)) == Availability.NOT_YET_OPEN
    assert availability(settings, NOW) == Availability.OPEN
    assert availability(settings, NOW + timedelta(hours=1)) == Availability.CLOSED
    assert availability(QuizSettings(), NOW) == Availability.OPEN
    assert start_refusal(settings, 0, NOW + timedelta(hours=2)) == "This quiz is closed."


def test_attempts_left_and_refusal_when_used_up():
    assert attempts_left(QuizSettings(), 40) is None
    assert attempts_left(QuizSettings(attempts_allowed=2), 1) == 1
    assert attempts_left(QuizSettings(attempts_allowed=2), 3) == 0
    assert start_refusal(QuizSettings(attempts_allowed=2), 1, NOW) is None
    assert "every attempt" in start_refusal(QuizSettings(attempts_allowed=2), 2, NOW)


def test_the_deadline_is_the_time_limit_but_never_after_the_close():
    settings = QuizSettings(time_limit_minutes=30, closes_at=NOW + timedelta(minutes=10))
    assert deadline(settings, NOW) == NOW + timedelta(minutes=10)
    assert deadline(QuizSettings(time_limit_minutes=30), NOW) == NOW + timedelta(minutes=30)
    assert deadline(QuizSettings(), NOW) is None


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (GradingMethod.HIGHEST, 0.9),
        (GradingMethod.AVERAGE, 0.6),
        (GradingMethod.FIRST, 0.5),
        (GradingMethod.LAST, 0.4),
    ],
)
def test_overall_grade_by_method(method, expected):
    assert overall([0.5, 0.9, 0.4], method) == pytest.approx(expected)
    assert overall([], method) is None


def test_passed_against_the_pass_mark():
    settings = QuizSettings(pass_percent=60)
    assert passed(settings, 0.6) is True
    assert passed(settings, 0.59) is False
    assert passed(settings, None) is None
    assert passed(QuizSettings(), 1.0) is None


def test_review_opens_immediately_after_close_or_never():
    done = NOW + timedelta(minutes=5)
    closes = NOW + timedelta(days=1)
    now_ = QuizSettings()
    later = QuizSettings(closes_at=closes, review=ReviewOptions(when=ReviewWhen.AFTER_CLOSE))
    never = QuizSettings(review=ReviewOptions(when=ReviewWhen.NEVER))
    assert review_opens(now_, done) == done and review_open(now_, done, done)
    assert review_opens(later, done) == closes
    assert not review_open(later, done, closes - timedelta(seconds=1))
    assert review_open(later, done, closes)
    assert review_opens(never, done) is None and not review_open(never, done, closes)
    assert not review_open(now_, None, done)  # not finished yet
