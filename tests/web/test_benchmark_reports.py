"""benchmarks/reports.py runs end to end with small numbers on both databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import POSTGRES_ADMIN_URL

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "reports.py"


def test_the_reports_benchmark_fills_times_and_prints_its_table():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--trainees", "12", "--attempts", "30", "--answers", "300"]
        + ["--postgres", POSTGRES_ADMIN_URL],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for backend in ("sqlite", "postgresql"):
        assert f"{backend}: 300 answers, filled in" in done.stdout
    assert done.stdout.count("  gradebook, every trainee ") == 2
    assert done.stdout.count("confusion per fact") == 2
    assert done.stdout.count("scores CSV") == 4  # timed, and its peak memory
    assert "100%  answers" in done.stderr  # the progress bar
