"""Plain-data helpers for the instructor's edit forms (``QuestionType.form_data`` and
``question_from_form``): rows of options, items and pairs with stable ids.

Edit forms post rows as lists of mappings (WTForms ``FieldList`` data). Blank rows are
skipped, so a form can offer spare rows without JavaScript. A row keeps the id it was
shown with, so responses stored against the old version still name the same option
when a typo is corrected; a new row gets an id from its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quizapp.core.questions import Option, short_hash

_ID = re.compile(r"[\w-]{1,40}")
DIFFICULTIES = ("easy", "medium", "hard")


def clean(value: Any) -> str:
    """A form value as tidy text ('' for anything that is not text)."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def rows(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    """The non-blank rows of a row field (any of the row's text fields filled in)."""
    found = data.get(name)
    if not isinstance(found, list):
        return []
    return [
        row
        for row in found
        if isinstance(row, Mapping) and any(clean(v) for k, v in row.items() if k != "id")
    ]


class Ids:
    """Hands out ids: the posted one while it is well formed and unused, else a new one."""

    def __init__(self, salt: str) -> None:
        self.salt = salt
        self.used: set[str] = set()

    def take(self, posted: Any, text: str) -> str:
        wanted = clean(posted)
        if not (_ID.fullmatch(wanted) and wanted not in self.used):
            wanted = short_hash(self.salt, text, length=8)
            n = 1
            while wanted in self.used:
                wanted, n = short_hash(self.salt, text, n, length=8), n + 1
        self.used.add(wanted)
        return wanted


def keep_order(options: Sequence[Option], before: Iterable[Option]) -> tuple[Option, ...]:
    """``options`` in the order ``before`` showed them, new ones last (stable edits)."""
    rank = {option.id: n for n, option in enumerate(before)}
    return tuple(sorted(options, key=lambda o: rank.get(o.id, len(rank))))


def option_rows(options: Iterable[Option], correct: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Form rows for options: id, text and whether it is correct."""
    right = set(correct)
    return [{"id": o.id, "text": o.text, "correct": o.id in right} for o in options]


def tags(value: Any) -> tuple[str, ...]:
    """Tags from text separated by commas, each once."""
    return tuple(dict.fromkeys(t for t in (clean(p) for p in str(value or "").split(",")) if t))


def choice_rows(data: Mapping[str, Any]) -> tuple[tuple[Option, ...], list[str]]:
    """The options of a choice question's rows, and the ids of those ticked correct."""
    ids = Ids("option")
    options, correct = [], []
    for row in rows(data, "options"):
        text = clean(row.get("text"))
        option = Option(ids.take(row.get("id"), text), text)
        options.append(option)
        if row.get("correct") is True:
            correct.append(option.id)
    return tuple(options), correct
