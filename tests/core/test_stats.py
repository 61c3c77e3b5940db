"""Moodle's quiz statistics against values computed by hand on a small fixture.

Five attempts, three questions of 1 mark:
    Q1 [1,1,1,1,1] everyone right    Q2 [1,1,1,0,0]    Q3 [1,1,0,1,0]
    totals T = [3,3,2,2,1], mean 2.2, median 2
"""

from __future__ import annotations

import math

import pytest

from quizapp.core.questions import Option, Question
from quizapp.core.stats import (
    ItemStats,
    ItemSums,
    QuizStats,
    item_statistics,
    item_statistics_from_sums,
    item_sums,
    item_variance,
    quiz_statistics,
    quiz_statistics_from_counts,
    random_guess_score,
    sorted_products,
    weaknesses,
)

SCORES = [[1, 1, 1], [1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0]]
MARKS = [1.0, 1.0, 1.0]
approx = pytest.approx


def test_item_statistics_by_hand():
    q1, q2, q3 = item_statistics(SCORES, MARKS, [0.25, 0.5, 0.0])
    assert (q1.facility_index, q2.facility_index, q3.facility_index) == approx((100, 60, 60))
    # Var(Q2) = (3 * 0.4^2 + 2 * 0.6^2) / 4 = 0.3
    assert q2.standard_deviation == approx(100 * math.sqrt(0.3))
    assert q1.standard_deviation == 0
    assert q1.random_guess_score == 25 and q2.random_guess_score == 50
    assert q1.intended_weight == approx(100 / 3)
    # Cov(Q1, T) = 0; Cov(Q2, T) = Cov(Q3, T) = 1.4 / 4 = 0.35: equal roots, half each.
    assert (q1.effective_weight, q2.effective_weight, q3.effective_weight) == approx((0, 50, 50))
    # Q2 against the rest [2,2,1,2,1]: Cov 0.2/4 = 0.05, Var 0.3 and 0.3, r = 1/6.
    assert q2.discrimination_index == approx(100 / 6)
    # Sorted pairs [0,0,1,1,1] x [1,1,2,2,2] give the best covariance 1.2/4 = 0.3.
    assert q2.discriminative_efficiency == approx(100 * 0.05 / 0.3)
    assert q3.discrimination_index == approx(100 / 6)


def test_a_question_everyone_gets_right_has_no_discrimination():
    q1 = item_statistics(SCORES, MARKS, [0, 0, 0])[0]
    assert q1.discrimination_index is None and q1.discriminative_efficiency is None


def test_test_statistics_by_hand():
    stats = quiz_statistics(SCORES, 3)
    assert (stats.attempts, stats.mean, stats.median) == (5, approx(2.2), 2)
    # Var(T) = (0.64 + 0.64 + 0.04 + 0.04 + 1.44) / 4 = 0.7
    assert stats.standard_deviation == approx(math.sqrt(0.7))
    # m3 = -0.72/5, k3 = 25 m3 / 12 = -0.3, k2 = 0.7: skewness = -0.3 / 0.7^1.5
    assert stats.skewness == approx(-0.3 / 0.7**1.5)
    # m4 = 2.896/5, k4 = 25 (6 m4 - 12 m2^2) / 24 = -0.3: kurtosis = -0.3 / 0.49
    assert stats.kurtosis == approx(-0.3 / 0.49)
    # alpha = 3/2 (1 - (0 + 0.3 + 0.3) / 0.7) = 0.2142857
    assert stats.coefficient_of_internal_consistency == approx(100 * 1.5 * (1 - 0.6 / 0.7))
    assert stats.error_ratio == approx(100 * math.sqrt(1 - 1.5 * (1 - 0.6 / 0.7)))
    assert stats.standard_error == approx(stats.error_ratio / 100 * math.sqrt(0.7))


def test_too_few_attempts_give_none_not_a_guess():
    one = quiz_statistics([[1, 0]], 2)
    assert one.standard_deviation is None and one.skewness is None and one.kurtosis is None
    assert quiz_statistics([], 2).attempts == 0
    [item, _] = item_statistics([[1, 0]], [1.0, 1.0], [0, 0])
    assert item.standard_deviation is None and item.discrimination_index is None


def test_random_guess_score_by_type():
    options = tuple(Option(str(n), str(n)) for n in range(4))
    single = Question(id="a", type="single_choice", prompt="?", answer="1", options=options)
    truth = Question(id="b", type="true_false", prompt="?", answer=True)
    typed = Question(id="c", type="short_answer", prompt="?", answer="x")
    assert [random_guess_score(q) for q in (single, truth, typed)] == [0.25, 0.5, 0.0]


def _sums(scores, marks, guesses):
    """ItemSums for each column of a score matrix, as the database would sum them."""
    totals = [sum(row) for row in scores]
    found = []
    for i, mark in enumerate(marks):
        xs = [row[i] for row in scores]
        rest = [t - x for t, x in zip(totals, xs, strict=True)]
        found.append(
            ItemSums(
                n=len(xs),
                sx=sum(xs),
                sxx=sum(x * x for x in xs),
                sxt=sum(x * t for x, t in zip(xs, totals, strict=True)),
                st=sum(totals),
                stt=sum(t * t for t in totals),
                sorted_products=sum(a * b for a, b in zip(sorted(xs), sorted(rest), strict=True)),
                max_mark=mark,
                guess=guesses[i],
            )
        )
    return found


def test_statistics_from_database_sums_equal_those_from_the_matrix():
    guesses = [0.25, 0.5, 0.0]
    from_sums = item_statistics_from_sums(_sums(SCORES, MARKS, guesses))
    assert from_sums == [
        ItemStats(**{k: approx(v) if v is not None else None for k, v in vars(s).items()})
        for s in item_statistics(SCORES, MARKS, guesses)
    ]
    assert from_sums[0].discrimination_index is None  # everyone right: undefined
    variances = [item_variance(item) for item in _sums(SCORES, MARKS, guesses)]
    counted = quiz_statistics_from_counts({3: 2, 2: 2, 1: 1}, variances)
    expected = quiz_statistics(SCORES, 3)
    assert counted == QuizStats(
        **{k: approx(v) if v is not None else None for k, v in vars(expected).items()}
    )
    assert quiz_statistics_from_counts({4: 1, 1: 3}, [0.1, 0.1]).median == 1
    assert quiz_statistics_from_counts({1: 1, 3: 1}, [0.1, 0.1]).median == 2
    assert quiz_statistics_from_counts({}, []).attempts == 0


def test_weak_questions_are_named_by_the_thresholds():
    [everyone, q2, _] = item_statistics(SCORES, MARKS, [0, 0, 0])
    assert weaknesses(everyone) == ["very easy"]
    assert weaknesses(q2) == ["weak discrimination", "low efficiency"]  # 16.7 < 20, 16.7 < 30
    backwards = item_statistics([[0, 1], [1, 0], [1, 0], [0, 1]], [1, 1], [0, 0])[0]
    assert backwards.discrimination_index < 0 and "works backwards" in weaknesses(backwards)


def test_sorted_products_pair_runs_of_equal_values():
    # [0,0,1,1,1] with [1,1,2,2,2] (Q2 of the fixture against its rest): 0+0+2+2+2
    assert sorted_products([(1, 3), (0, 2)], [(2, 3), (1, 2)]) == 6
    xs, ys = [3, 1, 2, 2, 5], [0.5, 4, 4, 1, 2]
    expected = sum(a * b for a, b in zip(sorted(xs), sorted(ys), strict=True))
    runs = lambda values: [(v, values.count(v)) for v in set(values)]  # noqa: E731
    assert sorted_products(runs(xs), runs(ys)) == approx(expected)
    assert sorted_products([], []) == 0


def test_item_sums_from_counted_pairs_equal_those_from_the_matrix():
    totals = [sum(row) for row in SCORES]
    for i, expected in enumerate(_sums(SCORES, MARKS, [0.25, 0.5, 0.0])):
        counted: dict[tuple[float, float], int] = {}
        for row, total in zip(SCORES, totals, strict=True):
            pair = (row[i], total - row[i])
            counted[pair] = counted.get(pair, 0) + 1
        pairs = [(x, rest, n) for (x, rest), n in counted.items()]
        assert item_sums(pairs, 1.0, expected.guess) == expected
