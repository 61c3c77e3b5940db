"""The timeline figure's labels: never drawn over one another, the first and last always."""

from __future__ import annotations

import itertools

from quizapp.core.dataset import PartialDate
from quizapp.core.timeline import Point, layout


def _points(*spec: tuple[int, int, float]) -> tuple[Point, ...]:
    return tuple(
        Point(PartialDate(year, month, None), position, 1) for year, month, position in spec
    )


def _overlapping(placed) -> list[tuple[str, str]]:
    clashes = []
    for row in (0, 1):
        shown = sorted((p.span(), p.text) for p in placed if p.row == row)
        for (first, text), (second, other) in itertools.pairwise(shown):
            if first[1] > second[0]:
                clashes.append((text, other))
    return clashes


def test_dates_crowded_at_both_ends_get_labels_that_do_not_overlap():
    """Two clusters, as with a 1990s charter and the 2020-2021 agreements loaded together."""
    crowded = _points(
        (1995, 2, 0.0),
        (1996, 4, 0.02),
        (1996, 5, 0.025),
        (1997, 4, 0.05),
        (1997, 6, 0.055),
        (1998, 12, 0.08),
        (1999, 12, 0.12),
        (2020, 11, 0.9),
        (2021, 6, 0.95),
        (2021, 9, 0.97),
        (2021, 11, 1.0),
    )
    placed = layout(crowded)
    assert [p.point for p in placed] == list(crowded)  # every date keeps its dot
    assert _overlapping(placed) == []
    assert placed[0].row is not None and placed[-1].row is not None
    assert placed[0].anchor == "start" and placed[-1].anchor == "end"
    assert all(p.span()[0] >= 0 and p.span()[1] <= 1000 for p in placed if p.row is not None)
    assert 4 <= sum(p.row is not None for p in placed) < len(crowded)


def test_dates_far_apart_are_all_labelled_alternating_above_and_below():
    spread = _points((2020, 11, 0.0), (2021, 3, 0.35), (2021, 7, 0.7), (2021, 11, 1.0))
    placed = layout(spread)
    assert [p.row for p in placed] == [0, 1, 0, 1]
    assert [p.text for p in placed][0] == "November 2020"
