"""Quiz statistics with the names and formulas of Moodle's quiz statistics report.

Input is one row per attempt: the marks scored on each question (same order in every
row), and each question's max mark. Variances and covariances are sample ones (n - 1);
skewness and kurtosis use the k-statistics Moodle documents. A figure that cannot be
computed (too few attempts, a question everyone answers alike) is None, never a guess.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, median

from quizapp.core.questions import Question


def item_key(question_id: str, question_type: str, fact_ids: Sequence[str]) -> str:
    """A question's identity across wordings: its bank version, else its type and facts.

    Generated practice questions are drawn afresh each time, so grouping them by the facts
    they ask keeps practice data from spreading one answer per row. The facts are JSON
    text, as stored, so that a database can compute the same key from a stored list.
    """
    if question_id.startswith("bank:"):
        return question_id
    return f"{question_type} {json.dumps(list(fact_ids))}"


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
    return _k_from_moments(n, m2, m3, m4)


def _k_from_moments(n: int, m2: float, m3: float, m4: float) -> tuple[float | None, float | None]:
    if n < 3:
        return None, None
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


# --- the same figures from sums the database computes ------------------------------------

# Moodle's guidance for a question worth a second look; the statistics page shows these.
FACILITY_LOW, FACILITY_HIGH = 10.0, 90.0  # %: nearly nobody, or nearly everybody, gets it
DISCRIMINATION_WEAK = 20.0  # discrimination index below this: weak (below 0: works backwards)
EFFICIENCY_WEAK = 30.0  # discriminative efficiency below this: weak


@dataclass(frozen=True)
class ItemSums:
    """One question's sums over the attempts that had it: x its mark, t the attempt's total.

    `sorted_products` pairs the item's marks and the rest-of-test marks each sorted
    ascending (k-th smallest with k-th smallest) and sums their products.
    """

    n: int
    sx: float
    sxx: float
    sxt: float
    st: float
    stt: float
    sorted_products: float
    max_mark: float
    guess: float  # random guess score as a fraction


def sorted_products(xs: Sequence[tuple[float, int]], ys: Sequence[tuple[float, int]]) -> float:
    """Σ of the k-th smallest x times the k-th smallest y, from (value, how many) counts.

    The database counts each distinct value (GROUP BY); this pairs the two sorted runs,
    so the work grows with the distinct values, not with the attempts.
    """
    total, left, right = 0.0, sorted(xs), sorted(ys)
    i = j = 0
    used_x = used_y = 0
    while i < len(left) and j < len(right):
        take = min(left[i][1] - used_x, right[j][1] - used_y)
        total += left[i][0] * right[j][0] * take
        used_x, used_y = used_x + take, used_y + take
        if used_x == left[i][1]:
            i, used_x = i + 1, 0
        if used_y == right[j][1]:
            j, used_y = j + 1, 0
    return total


def item_sums(pairs: Sequence[tuple[float, float, int]], max_mark: float, guess: float) -> ItemSums:
    """One question's sums from how many attempts had each (mark, rest-of-test) pair."""
    n = sx = sxx = sxt = st = stt = 0.0
    marks: dict[float, int] = {}
    rests: dict[float, int] = {}
    for x, rest, count in pairs:
        t = x + rest
        n += count
        sx, sxx, sxt = sx + count * x, sxx + count * x * x, sxt + count * x * t
        st, stt = st + count * t, stt + count * t * t
        marks[x] = marks.get(x, 0) + count
        rests[rest] = rests.get(rest, 0) + count
    products = sorted_products(list(marks.items()), list(rests.items()))
    return ItemSums(int(n), sx, sxx, sxt, st, stt, products, max_mark, guess)


def _sample_cov(sxy: float, sx: float, sy: float, n: int) -> float | None:
    if n < 2:
        return None
    value = (sxy - sx * sy / n) / (n - 1)
    return 0.0 if abs(value) < 1e-12 else value


def _from_sums(item: ItemSums) -> tuple[float | None, float | None, float | None, float | None]:
    """(variance, covariance with the total, discrimination index, efficiency)."""
    n, sx = item.n, item.sx
    sr, srr = item.st - sx, item.stt - 2 * item.sxt + item.sxx
    vx, vr = _sample_cov(item.sxx, sx, sx, n), _sample_cov(srr, sr, sr, n)
    cov_t = _sample_cov(item.sxt, sx, item.st, n)
    cov_r = _sample_cov(item.sxt - item.sxx, sx, sr, n)
    if cov_r is None or not vx or not vr:
        return vx, cov_t, None, None
    best = _sample_cov(item.sorted_products, sx, sr, n)
    index = 100 * cov_r / math.sqrt(vx * vr)
    return vx, cov_t, index, (100 * cov_r / best if best else None)


def item_statistics_from_sums(items: Sequence[ItemSums]) -> list[ItemStats]:
    """Per-question statistics from database sums; equal to `item_statistics` on a matrix."""
    figures = [_from_sums(item) for item in items]
    roots = [math.sqrt(c) if c is not None and c >= 0 else None for _, c, _, _ in figures]
    root_sum = sum(r for r in roots if r is not None)
    total_max = sum(item.max_mark for item in items) or 1.0
    return [
        ItemStats(
            attempts=item.n,
            facility_index=100 * item.sx / item.n / item.max_mark if item.n else 0.0,
            standard_deviation=(
                100 * math.sqrt(variance) / item.max_mark if variance is not None else None
            ),
            random_guess_score=100 * item.guess,
            intended_weight=100 * item.max_mark / total_max,
            effective_weight=100 * root / root_sum if root is not None and root_sum else None,
            discrimination_index=index,
            discriminative_efficiency=efficiency,
        )
        for item, (variance, _, index, efficiency), root in zip(items, figures, roots, strict=True)
    ]


def _median(counts: Sequence[tuple[float, int]], n: int) -> float:
    """The median of a sorted (value, how many) distribution."""
    wanted, seen, values = ((n - 1) // 2, n // 2), 0, []
    for value, count in counts:
        for position in wanted:
            if seen <= position < seen + count:
                values.append(value)
        seen += count
    return fmean(values)


def quiz_statistics_from_counts(
    counts: Mapping[float, int], item_variances: Sequence[float | None]
) -> QuizStats:
    """Whole-test statistics from how many attempts reached each total (GROUP BY total)."""
    ordered = sorted(counts.items())
    n = sum(count for _, count in ordered)
    if not n:
        return QuizStats(0, 0.0, 0.0, None, None, None, None, None, None)
    mean = sum(value * count for value, count in ordered) / n
    m2, m3, m4 = (
        sum(count * (value - mean) ** p for value, count in ordered) / n for p in (2, 3, 4)
    )
    variance = n * m2 / (n - 1) if n > 1 else None
    variance = 0.0 if variance is not None and abs(variance) < 1e-12 else variance
    sd = math.sqrt(variance) if variance is not None else None
    skewness, kurtosis = _k_from_moments(n, m2, m3, m4)
    alpha = error_ratio = standard_error = None
    questions = len(item_variances)
    if variance and questions > 1:
        alpha = (
            100 * questions / (questions - 1) * (1 - sum(v or 0 for v in item_variances) / variance)
        )
        if 0 <= alpha <= 100:
            error_ratio = 100 * math.sqrt(1 - alpha / 100)
            standard_error = error_ratio / 100 * sd
    return QuizStats(
        n, mean, _median(ordered, n), sd, skewness, kurtosis, alpha, error_ratio, standard_error
    )


def item_variance(item: ItemSums) -> float | None:
    """The sample variance of one question's marks, for Cronbach's alpha."""
    return _sample_cov(item.sxx, item.sx, item.sx, item.n)


def weaknesses(item: ItemStats) -> list[str]:
    """Why a question deserves a second look, by the thresholds above (empty: none)."""
    found = []
    if item.facility_index < FACILITY_LOW:
        found.append("very hard")
    elif item.facility_index > FACILITY_HIGH:
        found.append("very easy")
    if item.discrimination_index is not None and item.discrimination_index < 0:
        found.append("works backwards")
    elif item.discrimination_index is not None and item.discrimination_index < DISCRIMINATION_WEAK:
        found.append("weak discrimination")
    if (
        item.discriminative_efficiency is not None
        and item.discriminative_efficiency < EFFICIENCY_WEAK
        and "works backwards" not in found
    ):
        found.append("low efficiency")
    return found
