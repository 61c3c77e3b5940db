"""How generation time grows with the dataset: run `python benchmarks/generate.py`.

Builds synthetic datasets of 10, 100, 1,000 and 10,000 agreements and times a 20-question
quiz and a 200-question bank on each: "first" is the first call on a dataset (it computes
the dataset version and the lookups it needs), "best" the best of several later calls.
Ratios are to the 100-agreement case. Target: a 20-question quiz from 1,000 agreements in
under 10 ms. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.core.generate import generate_bank, generate_quiz  # noqa: E402
from tests.core.synthetic import synthetic_dataset  # noqa: E402

SIZES = (10, 100, 1_000, 10_000)
REPEAT, NUMBER = 5, 3


def first_call(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def best(function) -> float:
    """The best of REPEAT runs, each the mean of NUMBER calls, in seconds."""
    return min(timeit.repeat(function, number=NUMBER, repeat=REPEAT)) / NUMBER


def main() -> None:
    rows = []
    for size in SIZES:
        dataset = synthetic_dataset(size, seed=1)
        quiz = lambda d=dataset: generate_quiz(d, 20, seed=7)  # noqa: E731
        bank = lambda d=dataset: generate_bank(d, seed=7, count=200)  # noqa: E731
        cold = first_call(quiz)
        made = len(quiz().questions), len(bank())
        rows.append((size, cold, best(quiz), best(bank), made))
    base = {name: value for name, value in zip(("quiz", "bank"), rows[1][2:4], strict=True)}
    print(
        f"{'agreements':>10}  {'quiz first':>10}  {'quiz best':>9}  {'ratio':>6}"
        f"  {'bank best':>9}  {'ratio':>6}  made"
    )
    for size, cold, quiz_time, bank_time, made in rows:
        print(
            f"{size:>10,}  {cold * 1000:>8.1f}ms  {quiz_time * 1000:>7.2f}ms"
            f"  {quiz_time / base['quiz']:>6.2f}  {bank_time * 1000:>7.1f}ms"
            f"  {bank_time / base['bank']:>6.2f}  {made[0]} + {made[1]}"
        )
    quiz_1000 = rows[SIZES.index(1_000)][2] * 1000
    verdict = "met" if quiz_1000 < 10 else "MISSED"
    print(
        f"target (20-question quiz from 1,000 agreements < 10 ms): {verdict} ({quiz_1000:.2f} ms)"
    )


if __name__ == "__main__":
    main()
