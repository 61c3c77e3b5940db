"""Date: give a date at the precision the source gives (year; month and year; or day).

Response: an ISO string at the question's precision ("2021", "2021-09", "2021-11-04").
``settings["tolerance"]`` accepts answers that far off, in the unit of the precision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from quizapp.core.dataset import PartialDate, Precision
from quizapp.core.qtypes.base import NO_ANSWER, Grade, text
from quizapp.core.questions import Question

NAME = "date"
LABEL = "Date"

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})")
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if n} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if n
}
_UNITS = {Precision.YEAR: "year", Precision.MONTH: "month", Precision.DAY: "day"}


def precision(question: Question) -> Precision:
    """The precision the question asks for (from its settings)."""
    try:
        return Precision[str(question.settings.get("precision", "day")).upper()]
    except KeyError:
        return Precision.DAY


def normalize(question: Question, raw: Any) -> str | None:
    """The date as ISO text at the question's precision; None if missing or less precise."""
    found = _read(raw)
    wanted = precision(question)
    if found is None or found.precision < wanted:
        return None
    return _truncate(found, wanted).iso()


def grade(question: Question, response: Any) -> Grade:
    given = normalize(question, response)
    wanted = precision(question)
    right = PartialDate.parse(question.answer)
    if given is None:
        hint = f"Give the {_hint(wanted)}."
        return Grade(0.0, f"{NO_ANSWER} {hint} The answer is {right.label()}.")
    date = PartialDate.parse(given)
    off = distance(date, right)
    tolerance = _tolerance(question)
    if off == 0:
        return Grade(1.0, f"Correct: {right.label()}.")
    if off <= tolerance:
        unit = _UNITS[wanted]
        return Grade(
            1.0,
            f"Accepted: {date.label()} is within {tolerance} {unit}(s) of {right.label()}.",
        )
    return Grade(0.0, f"Not correct: you gave {date.label()}. The answer is {right.label()}.")


def describe(question: Question, response: Any) -> str:
    given = normalize(question, response)
    return "no answer" if given is None else PartialDate.parse(given).label()


def distance(a: PartialDate, b: PartialDate) -> int:
    """How far apart two dates of the same precision are, in units of that precision."""
    if a.precision == Precision.YEAR:
        return abs(a.year - b.year)
    if a.precision == Precision.MONTH:
        return abs(a.months() - b.months())
    return abs((dt.date(a.year, a.month, a.day) - dt.date(b.year, b.month, b.day)).days)


def _tolerance(question: Question) -> int:
    value = question.settings.get("tolerance", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _hint(wanted: Precision) -> str:
    return {Precision.YEAR: "year", Precision.MONTH: "month and year"}.get(
        wanted, "day, month and year"
    )


def _truncate(date: PartialDate, wanted: Precision) -> PartialDate:
    if wanted == Precision.YEAR:
        return PartialDate(date.year)
    if wanted == Precision.MONTH:
        return PartialDate(date.year, date.month)
    return date


def _read(raw: Any) -> PartialDate | None:
    """A real date from ISO text, "September 2021", "4 Nov 2021", "09/2021", a year or a form."""
    if isinstance(raw, Mapping):
        return _from_fields(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    value = text(raw)
    if value is None:
        return None
    return _from_text(value)


def _from_fields(raw: Mapping[Any, Any]) -> PartialDate | None:
    parts = [raw.get(name) for name in ("year", "month", "day")]
    parts = [str(p).strip() if isinstance(p, (str, int)) else "" for p in parts]
    while parts and not parts[-1]:
        parts.pop()
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return _make(*(int(p) for p in parts))


def _from_text(value: str) -> PartialDate | None:
    if match := _ISO.fullmatch(value):
        return _make(*(int(g) for g in match.groups() if g))
    if match := _MONTH_YEAR.fullmatch(value):
        return _make(int(match.group(2)), int(match.group(1)))
    return _from_words(value)


def _from_words(value: str) -> PartialDate | None:
    """Dates in words: "September 2021", "4 November 2021", "November 4, 2021", "Sept. 2021"."""
    tokens = re.findall(r"[^\W\d_]+|\d+", value)
    years = [t for t in tokens if t.isdigit() and len(t) == 4]
    days = [t for t in tokens if t.isdigit() and len(t) <= 2]
    months = [_month(t) for t in tokens if not t.isdigit()]
    if len(years) != 1 or len(months) != 1 or months[0] is None or len(days) > 1:
        return None
    if len(tokens) != 2 + len(days):
        return None
    return _make(int(years[0]), months[0], *(int(d) for d in days))


def _month(word: str) -> int | None:
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    matches = {n for name, n in _MONTHS.items() if len(word) >= 3 and name.startswith(word)}
    return matches.pop() if len(matches) == 1 else None


def _make(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    iso = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    if month == 0 or day == 0 or year == 0:
        return None
    try:
        return PartialDate.parse(iso)
    except ValueError:
        return None
