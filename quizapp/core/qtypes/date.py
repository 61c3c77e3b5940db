"""Date: give a date at the precision the source gives (year; month and year; or day).

Response: an ISO string at the question's precision ("2021", "2021-09", "2021-11-04").
``settings["tolerance"]`` accepts answers that far off, in the unit of the precision.
The form posts the parts as ``response-year``, ``response-month`` and ``response-day``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from quizapp.core.dataset import PartialDate, Precision
from quizapp.core.qtypes.authoring import clean
from quizapp.core.qtypes.base import (
    FIELD,
    NO_ANSWER,
    FormData,
    Grade,
    Problem,
    QuestionType,
    prompt_problems,
    text,
)
from quizapp.core.questions import QType, Question
from quizapp.core.wording import PRECISION_WORDS

PARTS = ("year", "month", "day")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})")
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if n} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if n
}
_UNITS = {Precision.YEAR: "year", Precision.MONTH: "month", Precision.DAY: "day"}
_HINTS = {
    Precision.YEAR: "Type the year.",
    Precision.MONTH: "Choose the month and type the year.",
    Precision.DAY: "Type the day, choose the month and type the year.",
}


def precision(question: Question) -> Precision:
    """The precision the question asks for (from its settings)."""
    try:
        return Precision[str(question.settings.get("precision", "day")).upper()]
    except KeyError:
        return Precision.DAY


class Date(QuestionType):
    name = QType.DATE
    label = "Date"

    def hint(self, question: Question) -> str:
        return _HINTS[precision(question)]

    def shown(self, question: Question, value: Any) -> dict[str, Any]:
        return {"parts": _parts(value), "precision": precision(question).name.lower()}

    def read_form(self, question: Question, form: FormData) -> Any:
        return {part: form.get(f"{FIELD}-{part}", "") for part in PARTS}

    def normalize(self, question: Question, raw: Any) -> str | None:
        """The date as ISO text at the question's precision; None if missing or less precise."""
        found = _read(raw)
        wanted = precision(question)
        if found is None or found.precision < wanted:
            return None
        return _truncate(found, wanted).iso()

    def grade(self, question: Question, raw: Any) -> Grade:
        given = self.normalize(question, raw)
        wanted = precision(question)
        right = PartialDate.parse(question.answer)
        if given is None:
            hint = f"Give the {PRECISION_WORDS[wanted]}."
            return Grade(0.0, f"{NO_ANSWER} {hint} The answer is {right.label()}.")
        date = PartialDate.parse(given)
        off = distance(date, right)
        tolerance = _tolerance(question)
        if off == 0:
            return Grade(1.0, f"Correct: {right.label()}.")
        if off <= tolerance:
            unit = _UNITS[wanted] + ("" if tolerance == 1 else "s")
            return Grade(
                1.0,
                f"Accepted: {date.label()} is within {tolerance} {unit} of {right.label()}.",
            )
        return Grade(0.0, f"You gave {date.label()}; the answer is {right.label()}.")

    def describe(self, question: Question, raw: Any) -> str:
        given = self.normalize(question, raw)
        return "no answer" if given is None else PartialDate.parse(given).label()

    def text_lines(self, question: Question) -> list[str]:
        return [f"   Answer ({PRECISION_WORDS[precision(question)]}): ____"]

    def key_from_draft(self, draft: Any, ids: Mapping[str, str]) -> str:
        return draft.date.iso()

    def example(self) -> Question:
        return Question(
            id="example-date",
            type=self.name,
            prompt="When was the Union State Treaty signed?",
            answer="1999-12",
            settings={"precision": "month", "tolerance": 0},
        )

    def check(self, question: Question) -> list[Problem]:
        problems = prompt_problems(question)
        raw = str(question.settings.get("precision", "day"))
        if raw.upper() not in Precision.__members__:
            problems.append(Problem("precision", "Choose the precision: day, month or year."))
            return problems
        try:
            answer = PartialDate.parse(str(question.answer))
        except ValueError:
            answer = None
        if answer is None or answer.precision != precision(question):
            words = PRECISION_WORDS[precision(question)]
            problems.append(Problem("answer", f"Give a real date with its {words}."))
        tolerance = question.settings.get("tolerance", 0)
        if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance < 0:
            problems.append(
                Problem("tolerance", "Give the tolerance as a whole number, 0 or more.")
            )
        return problems

    def edit_fields(self) -> dict[str, Any]:
        from quizapp.qtype_forms import IntegerField, NumberRange, SelectField, StringField, choice

        choices = [choice(p.name.lower(), PRECISION_WORDS[p].capitalize()) for p in Precision]
        return {
            "answer": StringField(
                "Answer", description="For example 1999-12-08, December 1999 or 1999."
            ),
            "precision": SelectField(
                "The trainee gives the", choices=choices, validate_choice=False
            ),
            "tolerance": IntegerField(
                "Tolerance",
                default=0,
                description="Answers this many days, months or years off are accepted.",
                validators=[NumberRange(0, 100, "Give the tolerance from 0 to 100.")],
            ),
        }

    def edit_data(self, question: Question) -> dict[str, Any]:
        return {
            "answer": question.answer,
            "precision": precision(question).name.lower(),
            "tolerance": _tolerance(question),
        }

    def read_edit_data(self, data: Mapping[str, Any], base: Question | None) -> dict[str, Any]:
        wanted = clean(data.get("precision")).lower()
        tolerance = data.get("tolerance")
        settings = {
            **(base.settings if base else {}),
            "precision": wanted,
            "tolerance": tolerance if isinstance(tolerance, int) else 0,
        }
        typed = clean(data.get("answer"))
        found = _read(typed)
        level = Precision.__members__.get(wanted.upper())
        if found is not None and level is not None and found.precision >= level:
            typed = _truncate(found, level).iso()
        return {"answer": typed, "settings": settings}


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
        raw = str(raw) if 0 < raw < 10_000 else None  # a year, and no str() of a huge int
    value = text(raw)
    if value is None:
        return None
    return _from_text(value)


def _from_fields(raw: Mapping[Any, Any]) -> PartialDate | None:
    parts = [raw.get(name) for name in ("year", "month", "day")]
    parts = [str(p).strip() if isinstance(p, (str, int)) else "" for p in parts]
    while parts and not parts[-1]:
        parts.pop()
    # At most four digits a part: a 5,000-digit year is no date (and no int() to overflow).
    if not parts or not all(p.isdecimal() and len(p) <= 4 for p in parts):
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


def _parts(value: Any) -> dict[str, str]:
    """Year, month and day as the controls show them, from ISO text or posted parts."""
    if isinstance(value, Mapping):
        return {part: str(value.get(part) or "") for part in PARTS}
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value or ""))
    if not match:
        return dict.fromkeys(PARTS, "")
    year, month, day = match.groups()
    return {
        "year": year,
        "month": str(int(month)) if month else "",
        "day": str(int(day)) if day else "",
    }
