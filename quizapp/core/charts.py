"""Server-rendered SVG charts: bars, scatter and line, each an accessible image.

Every chart is one ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming what it
shows; the page puts the same numbers in a table beside it. Nothing is loaded from
outside, no script runs, and every text is escaped. Output is a plain string of SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56  # margins around the plot area
INK, MUTED, LINE, ACCENT = "#1d2430", "#4a5363", "#d4d9e1", "#1c4fa0"


@dataclass(frozen=True)
class Axis:
    """One axis: its label and the range of values it spans."""

    label: str
    low: float = 0.0
    high: float = 100.0
    steps: int = 5  # grid lines between low and high

    def place(self, value: float, start: float, end: float) -> float:
        """Where `value` falls between the pixel positions `start` and `end`."""
        span = self.high - self.low or 1.0
        share = (min(max(value, self.low), self.high) - self.low) / span
        return round(start + share * (end - start), 1)

    def ticks(self) -> list[float]:
        """`steps` + 1 evenly spaced values from low to high."""
        step = (self.high - self.low) / self.steps
        return [self.low + i * step for i in range(self.steps + 1)]


def count_axis(label: str, largest: float) -> Axis:
    """An axis from 0 for counts, its top rounded up so every grid line is a whole number."""
    steps = 5 if largest > 5 else max(int(largest), 1)
    top = steps * max(-(-int(largest) // steps), 1)
    return Axis(label, 0, top, steps)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _text(x: float, y: float, words: str, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="13" fill="{INK}"{extra}>'
        f"{escape(words)}</text>"
    )


def _frame(key: str, title: str, description: str, body: list[str]) -> str:
    """The outer SVG element with its accessible name and description."""
    ids = f"{escape(key)}-title {escape(key)}-desc"
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'class="chart" role="img" aria-labelledby="{ids}">',
            f'<title id="{escape(key)}-title">{escape(title)}</title>',
            f'<desc id="{escape(key)}-desc">{escape(description)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _value_axis(axis: Axis) -> list[str]:
    """Horizontal grid lines with their values, and the axis label turned upright."""
    parts = []
    for value in axis.ticks():
        y = axis.place(value, HEIGHT - BOTTOM, TOP)
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="{LINE}"/>')
        parts.append(_text(LEFT - 6, y + 4, _number(value), "end"))
    middle = (TOP + HEIGHT - BOTTOM) / 2
    turn = f' transform="rotate(-90 14 {middle})"'
    parts.append(_text(14, middle, axis.label, extra=turn))
    return parts


def _x_label(label: str) -> str:
    return _text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, label)


def bar_chart(
    key: str, title: str, description: str, bars: Sequence[tuple[str, float]], x: str, y: Axis
) -> str:
    """Vertical bars, one per (label, value), e.g. how many attempts scored in each band."""
    body = _value_axis(y)
    width = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    base = HEIGHT - BOTTOM
    for i, (label, value) in enumerate(bars):
        left = round(LEFT + i * width + width * 0.1, 1)
        top = y.place(value, base, TOP)
        body.append(
            f'<rect x="{left}" y="{top}" width="{round(width * 0.8, 1)}" '
            f'height="{round(base - top, 1)}" fill="{ACCENT}"/>'
        )
        body.append(_text(round(left + width * 0.4, 1), base + 18, label))
    body.append(_x_label(x))
    return _frame(key, title, description, body)


def scatter_chart(
    key: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, float, float]],
    x: Axis,
    y: Axis,
) -> str:
    """Labelled points (label, x, y), e.g. each question's facility against discrimination."""
    body = _value_axis(y)
    for value in x.ticks():
        px = x.place(value, LEFT, WIDTH - RIGHT)
        body.append(_text(px, HEIGHT - BOTTOM + 18, _number(value)))
    for label, px_value, py_value in points:
        px, py = x.place(px_value, LEFT, WIDTH - RIGHT), y.place(py_value, HEIGHT - BOTTOM, TOP)
        body.append(f'<circle cx="{px}" cy="{py}" r="5" fill="{ACCENT}"/>')
        body.append(_text(px + 8, py - 6, label, "start"))
    body.append(_x_label(x.label))
    return _frame(key, title, description, body)


def line_chart(
    key: str, title: str, description: str, points: Sequence[tuple[str, float]], x: str, y: Axis
) -> str:
    """Values joined in order (label, value), e.g. the average score week by week."""
    body = _value_axis(y)
    step = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    placed = []
    for i, (label, value) in enumerate(points):
        px, py = round(LEFT + (i + 0.5) * step, 1), y.place(value, HEIGHT - BOTTOM, TOP)
        placed.append(f"{px},{py}")
        body.append(f'<circle cx="{px}" cy="{py}" r="4" fill="{ACCENT}"/>')
        body.append(_text(px, HEIGHT - BOTTOM + 18, label))
    if len(placed) > 1:
        body.append(
            f'<polyline points="{" ".join(placed)}" fill="none" '
            f'stroke="{ACCENT}" stroke-width="2"/>'
        )
    body.append(_x_label(x))
    return _frame(key, title, description, body)
