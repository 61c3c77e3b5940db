"""Placing agreements on a timeline by date."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.core.dataset import Agreement, Dataset, PartialDate


@dataclass(frozen=True)
class Mark:
    agreement: Agreement
    date: PartialDate
    position: float  # 0..1 along the axis


@dataclass(frozen=True)
class Point:
    """One dot on the axis: every agreement of the same date."""

    date: PartialDate
    position: float
    count: int


@dataclass(frozen=True)
class Timeline:
    marks: tuple[Mark, ...]
    undated: tuple[Agreement, ...]
    start: PartialDate | None
    end: PartialDate | None

    @property
    def points(self) -> tuple[Point, ...]:
        points: list[Point] = []
        for mark in self.marks:
            if points and points[-1].date == mark.date:
                points[-1] = Point(mark.date, mark.position, points[-1].count + 1)
            else:
                points.append(Point(mark.date, mark.position, 1))
        return tuple(points)

    @property
    def layout(self) -> tuple[Placed, ...]:
        return layout(self.points)


# The timeline figure's axis in its SVG's units, and its labels' size (a 22-unit font).
AXIS_START, AXIS_END = 40.0, 960.0
VIEW_WIDTH = 1000.0
CHAR_WIDTH = 12.5  # a little over an average character of the labels' font
LABEL_GAP = 16.0  # the least space between two labels on one row
ABOVE, BELOW = 0, 1


@dataclass(frozen=True)
class Placed:
    """A point as the figure draws it. ``row`` is ABOVE or BELOW the axis, or None when
    its label would overlap another one (the list under the figure names every date)."""

    point: Point
    x: float
    anchor: str  # SVG text-anchor: "start", "middle" or "end"
    row: int | None
    text: str

    @property
    def label_x(self) -> float:
        """Where the label is anchored: the end dates' labels reach out past their dots."""
        return self.x + {"start": -12.0, "end": 12.0}.get(self.anchor, 0.0)

    def span(self) -> tuple[float, float]:
        """The label's left and right ends, as far as its length tells."""
        width = len(self.text) * CHAR_WIDTH
        start = {"start": 0.0, "end": width}.get(self.anchor, width / 2)
        return self.label_x - start, self.label_x - start + width


def layout(points: tuple[Point, ...]) -> tuple[Placed, ...]:
    """Where each point goes, its label above or below the axis, alternating, and dropped
    where it would run into another: the first and last dates are placed first."""
    count = len(points)
    order = sorted(range(count), key=lambda i: (i not in (0, count - 1), i))
    taken: dict[int, list[tuple[float, float]]] = {ABOVE: [], BELOW: []}
    placed: dict[int, Placed] = {}
    for index in order:
        point = points[index]
        x = AXIS_START + point.position * (AXIS_END - AXIS_START)
        anchor = "middle"
        if count > 1 and index in (0, count - 1):
            anchor = "start" if index == 0 else "end"
        text = point.date.label() + (f" ({point.count})" if point.count > 1 else "")
        left, right = Placed(point, x, anchor, None, text).span()
        if left < 0 or right > VIEW_WIDTH:  # near an end: the label reaches inwards instead
            anchor = "start" if left < 0 else "end"
            left, right = Placed(point, x, anchor, None, text).span()
        preferred = (ABOVE, BELOW) if index % 2 == 0 else (BELOW, ABOVE)
        row = next(
            (
                r
                for r in preferred
                if all(right + LABEL_GAP <= a or b + LABEL_GAP <= left for a, b in taken[r])
            ),
            None,
        )
        if row is not None:
            taken[row].append((left, right))
        placed[index] = Placed(point, x, anchor, row, text)
    return tuple(placed[i] for i in range(count))


def timeline(dataset: Dataset | None) -> Timeline:
    """Dated agreements in order with their place on the axis; undated ones apart."""
    if dataset is None:
        return Timeline((), (), None, None)
    dated = sorted(
        (a for a in dataset.agreements if a.date),
        key=lambda a: (a.date.value.months(), a.date.value.day or 0, a.key),
    )
    undated = tuple(a for a in dataset.agreements if not a.date)
    if not dated:
        return Timeline((), undated, None, None)
    first, last = dated[0].date.value.months(), dated[-1].date.value.months()
    span = max(last - first, 1)
    marks = tuple(Mark(a, a.date.value, (a.date.value.months() - first) / span) for a in dated)
    return Timeline(marks, undated, dated[0].date.value, dated[-1].date.value)
