"""Quiz statistics with the names and formulas of Moodle's quiz statistics report.

Input is one row per attempt: the marks scored on each question (same order in every
row), and each question's max mark. Variances and covariances are sample ones (n - 1);
skewness and kurtosis use the k-statistics Moodle documents. A figure that cannot be
computed (too few attempts, a question everyone answers alike) is None, never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median

from quizapp.core.questions import Question


@dataclass(frozen=True)
class ItemStats:
    """Moodle's per-question figures, in percent where Moodle shows percent."""

    attempts: int
    facility_index: float  # mean score as % of the max mark
    standard_deviation: float | None  # of the score, as % of the max mark
    random_guess_score: float  # %
    intended_weight: float  # %
    effective_weight: float | None  # %
    discrimination_index: float | None  # correlation with the rest of the test, x100
    discriminative_efficiency: float | None  # % of the best discrimination possible


@dataclass(frozen=True)
class QuizStats:
    """Moodle's whole-test figures (marks, except the percentages named so)."""

    attempts: int
    mean: float
    median: float
    standard_deviation: float | None
    skewness: float | None
    kurtosis: float | None
    coefficient_of_internal_consistency: float | None  # Cronbach's alpha, %
    error_ratio: float | None  # %
    standard_error: float | None  # marks


def random_guess_score(question: Question) -> float:
    """The expected fraction from guessing: 1/options for single choice, 1/2 for true/false."""
    if question.type == "single_choice" and question.options:
        return 1 / len(question.options)
    if question.type == "true_false":
        return 0.5
    return 0.0


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = fmean(xs), fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def _variance(xs: Sequence[float]) -> float | None:
    return _covariance(xs, xs)


def _discrimination(item: Sequence[float], rest: Sequence[float]) -> tuple[float | None, ...]:
    """Discrimination index and discriminative efficiency of an item against the rest."""
    cov, vx, vr = _covariance(item, rest), _variance(item), _variance(rest)
    if cov is None or not vx or not vr:
        return None, None
    index = 100 * cov / math.sqrt(vx * vr)
    best = _covariance(sorted(item), sorted(rest))
    return index, (100 * cov / best if best else None)


def item_statistics(
    scores: Sequence[Sequence[float]], max_marks: Sequence[float], guesses: Sequence[float]
) -> list[ItemStats]:
    """Per-question statistics; `guesses` are random guess scores as fractions."""
    totals = [sum(row) for row in scores]
    columns = [[row[i] for row in scores] for i in range(len(max_marks))]
    root_covs = []
    for column in columns:
        cov = _covariance(column, totals)
        root_covs.append(math.sqrt(cov) if cov is not None and cov >= 0 else None)
    root_sum = sum(c for c in root_covs if c is not None)
    total_max = sum(max_marks)
    items = []
    for i, column in enumerate(columns):
        rest = [t - x for t, x in zip(totals, column, strict=True)]
        index, efficiency = _discrimination(column, rest)
        variance = _variance(column)
        items.append(
            ItemStats(
                attempts=len(column),
                facility_index=100 * fmean(column) / max_marks[i] if column else 0.0,
                standard_deviation=(
                    100 * math.sqrt(variance) / max_marks[i] if variance is not None else None
                ),
                random_guess_score=100 * guesses[i],
                intended_weight=100 * max_marks[i] / total_max,
                effective_weight=(
                    100 * root_covs[i] / root_sum if root_covs[i] is not None and root_sum else None
                ),
                discrimination_index=index,
                discriminative_efficiency=efficiency,
            )
        )
    return items


def _k_statistics(totals: Sequence[float]) -> tuple[float | None, float | None]:
    """Skewness k3/k2^1.5 and kurtosis k4/k2^2, from the central moments m2, m3, m4."""
    n = len(totals)
    if n < 3:
        return None, None
    mean = fmean(totals)
    m2, m3, m4 = (sum((t - mean) ** p for t in totals) / n for p in (2, 3, 4))
    k2 = n * m2 / (n - 1)
    if k2 == 0:
        return None, None
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    skewness = k3 / k2**1.5
    if n < 4:
        return skewness, None
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return skewness, k4 / (k2 * k2)


def quiz_statistics(scores: Sequence[Sequence[float]], questions: int) -> QuizStats:
    """Whole-test statistics over the attempts' total marks."""
    totals = [sum(row) for row in scores]
    if not totals:
        return QuizStats(0, 0.0, 0.0, None, None, None, None, None, None)
    variance = _variance(totals)
    sd = math.sqrt(variance) if variance is not None else None
    skewness, kurtosis = _k_statistics(totals)
    alpha = error_ratio = standard_error = None
    if variance and questions > 1:
        item_variances = sum(_variance([row[i] for row in scores]) or 0 for i in range(questions))
        alpha = 100 * questions / (questions - 1) * (1 - item_variances / variance)
        if alpha <= 100 and alpha >= 0:
            error_ratio = 100 * math.sqrt(1 - alpha / 100)
            standard_error = error_ratio / 100 * sd
    return QuizStats(
        attempts=len(totals),
        mean=fmean(totals),
        median=median(totals),
        standard_deviation=sd,
        skewness=skewness,
        kurtosis=kurtosis,
        coefficient_of_internal_consistency=alpha,
        error_ratio=error_ratio,
        standard_error=standard_error,
    )
