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
