"""FSRS scheduling per fact: the rating rule, reviews, due facts, choosing a question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating, State

from quizapp.core import scheduling

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fraction", "rating"),
    [
        (1.0, Rating.Good),
        (0.99, Rating.Hard),
        (0.5, Rating.Hard),
        (0.49, Rating.Again),
        (0.0, Rating.Again),
    ],
)
def test_rating_rule(fraction, rating):
    assert scheduling.rating_for(fraction) == rating


def test_a_first_right_answer_makes_a_learning_card_due_soon():
    card, due = scheduling.review(None, 1.0, NOW)
    assert card["state"] == State.Learning
    assert card["last_review"] == NOW.isoformat()
    assert NOW < due <= NOW + timedelta(hours=1)
    assert due.tzinfo is not None


def test_right_answers_space_the_card_out_and_a_wrong_one_brings_it_back():
    card, due = scheduling.review(None, 1.0, NOW)
    intervals = []
    for _ in range(3):
        previous = due
        card, due = scheduling.review(card, 1.0, due)
        intervals.append(due - previous)
    assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=3)
    forgotten, soon = scheduling.review(card, 0.0, due)
    assert forgotten["state"] == State.Relearning
    assert soon - due < timedelta(hours=1)


def test_reviews_are_deterministic_and_accept_naive_utc_times():
    first = scheduling.review(None, 0.5, NOW)
    second = scheduling.review(None, 0.5, NOW.replace(tzinfo=None))
    assert first == second


def test_retrievability_is_zero_for_an_unstudied_fact_and_decays():
    assert scheduling.retrievability(None, NOW) == 0.0
    card, due = scheduling.review(None, 1.0, NOW)
    card, due = scheduling.review(card, 1.0, due)
    soon = scheduling.retrievability(card, due)
    later = scheduling.retrievability(card, due + timedelta(days=60))
    assert 0 < later < soon <= 1


@dataclass
class Row:
    fact_id: str
    due: datetime


def test_due_lists_only_cards_due_now_most_overdue_first():
    rows = [
        Row("b", NOW - timedelta(days=1)),
        Row("a", NOW - timedelta(days=1)),
        Row("c", NOW - timedelta(days=3)),
        Row("later", NOW + timedelta(seconds=1)),
        Row("now", NOW.replace(tzinfo=None)),
    ]
    assert [r.fact_id for r in scheduling.due(rows, NOW)] == ["c", "a", "b", "now"]


def test_queue_puts_due_facts_before_new_ones_without_repeats():
    assert scheduling.queue(["x", "y"], ["y", "n1", "n2"], 3) == ["x", "y", "n1"]
    assert scheduling.queue(["x"], [], 0) == []


@dataclass
class Q:
    id: str
    type: str


def test_choose_question_avoids_last_times_type_when_it_can():
    candidates = [Q("1", "single_choice"), Q("2", "short_answer"), Q("3", "date")]
    assert scheduling.choose_question(candidates, "single_choice").id == "2"
    assert scheduling.choose_question(candidates, None).id == "1"
    assert scheduling.choose_question([Q("1", "date")], "date").id == "1"
    assert scheduling.choose_question([], "date") is None


def test_mastery_averages_over_all_facts_counting_unstudied_as_zero():
    card, due = scheduling.review(None, 1.0, NOW)
    card, due = scheduling.review(card, 1.0, due)
    one = scheduling.mastery([(card, [1.0, 1.0]), (None, [])], total=4, now=due)
    alone = scheduling.fact_mastery(card, [1.0, 1.0], due)
    assert one.studied == 1 and one.total == 4
    assert one.recall == pytest.approx(alone / 4) and one.percent == round(alone * 25)
    assert scheduling.mastery([], total=0, now=NOW).recall == 0.0


def test_mastery_just_after_a_right_answer_is_recall_a_week_ahead_not_100_percent():
    card, _ = scheduling.review(None, 1.0, NOW)
    assert scheduling.retrievability(card, NOW) == pytest.approx(1.0)
    week = scheduling.retrievability(card, NOW + scheduling.HORIZON)
    assert 0.5 < week < 0.95
    assert scheduling.fact_mastery(card, [1.0], NOW) == pytest.approx(week)
    assert scheduling.mastery([(card, [1.0])], total=1, now=NOW).percent < 100


def test_a_wrong_answer_lowers_mastery_at_once():
    card, due = scheduling.review(None, 1.0, NOW)
    card, due = scheduling.review(card, 1.0, due)
    before = scheduling.fact_mastery(card, [1.0, 1.0], due)
    later = due + timedelta(minutes=1)
    wrong, _ = scheduling.review(card, 0.0, later)
    after = scheduling.fact_mastery(wrong, [1.0, 1.0, 0.0], later)
    assert after < before * 0.7
    never_right, _ = scheduling.review(None, 0.0, NOW)
    assert scheduling.fact_mastery(never_right, [0.0], NOW) == 0.0


def test_mastery_weighs_only_the_latest_answers():
    card, _ = scheduling.review(None, 1.0, NOW)
    old_mistakes = [0.0] * 5 + [1.0] * scheduling.RECENT
    assert scheduling.fact_mastery(card, old_mistakes, NOW) == pytest.approx(
        scheduling.fact_mastery(card, [1.0], NOW)
    )
