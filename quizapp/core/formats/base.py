"""What every question file format shares: the result of reading, refusals to write, and the
building blocks of a question read from a file (ids, options, structural checks).

A reader never raises on bad input: it returns every question it could read and every
problem it found, each with its line and a fix. A writer raises ``ExportError`` listing
every question the format cannot express, so nothing is dropped on the way out either.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from quizapp.core import qtypes
from quizapp.core.problems import Problem, Severity
from quizapp.core.questions import Option, Question, short_hash

# Longest question id a bank can store (bank_questions.key).
MAX_ID = 100


@dataclass
class ReadResult:
    """The questions read from one file, the line each starts on, and every problem found."""

    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when nothing stops an import (warnings allowed)."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        """How many questions of each type were read, in the order first seen."""
        return dict(Counter(q.type for q in self.questions))


class ExportError(ValueError):
    """A format cannot express some questions; ``reasons`` names each one and why."""

    def __init__(self, format_name: str, reasons: Sequence[str]) -> None:
        self.format_name = format_name
        self.reasons = list(reasons)
        listed = "; ".join(self.reasons)
        super().__init__(f"{format_name} cannot express {len(self.reasons)} question(s): {listed}")


class Reporter:
    """Collects the problems of one file and the questions read from it."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.result = ReadResult()
        self._seen: dict[str, int] = {}  # question id -> line, to report repeats

    def error(self, line: int, column: int, what: str, fix: str) -> None:
        self.result.problems.append(Problem(self.file, line, column, what, fix))

    def warning(self, line: int, column: int, what: str, fix: str) -> None:
        self.result.problems.append(
            Problem(self.file, line, column, what, fix, severity=Severity.WARNING)
        )

    def add(self, question: Question, line: int, column: int = 1) -> None:
        """Keep ``question`` if it is sound and its id is new in the file; report it otherwise."""
        faults = invalid(question)
        for what, fix in faults:
            self.error(line, column, what, fix)
        if question.id in self._seen:
            self.error(
                line,
                column,
                f"the question id '{question.id}' is already used by the question on line "
                f"{self._seen[question.id]}",
                "give each question its own id (or title)",
            )
            return
        if not faults:
            self._seen[question.id] = line
            self.result.questions.append(question)
            self.result.lines.append(line)

    def finish(self) -> ReadResult:
        self.result.problems.sort(key=lambda p: (p.line, p.column))
        return self.result


def question_id(title: str, *content: object) -> str:
    """The id of a question read from a file: its title when it has one, else a hash of
    what it shows, so the same file always gives the same ids."""
    title = " ".join(title.split())
    if not title:
        return short_hash(*content)
    if len(title) <= MAX_ID:
        return title
    return f"{title[: MAX_ID - 13]}-{short_hash(title)}"


def options(qid: str, texts: Iterable[str]) -> tuple[Option, ...]:
    """Options with the ids the generator gives: a hash of the question id and the text."""
    return tuple(Option(short_hash(qid, text, length=8), text) for text in texts)


def items(qid: str, texts: Iterable[str]) -> tuple[Option, ...]:
    """Left-hand items of a matching question, with the generator's ids."""
    return tuple(Option(short_hash(qid, "item", text, length=8), text) for text in texts)


def rekey(question: Question, new_id: str) -> Question:
    """``question`` under another id, its option and item ids made from the new id as a
    reader would make them (so writing it out and reading it back gives it again)."""
    if new_id == question.id:
        return question
    new = {o.id: short_hash(new_id, o.text, length=8) for o in question.options}
    new |= {i.id: short_hash(new_id, "item", i.text, length=8) for i in question.items}
    answer: Any = question.answer
    if question.type == "single_choice":
        answer = new.get(answer, answer)
    elif question.type in ("multiple_choice", "ordering"):
        answer = [new.get(a, a) for a in answer]
        answer = sorted(answer) if question.type == "multiple_choice" else answer
    elif question.type == "matching":
        answer = {new.get(k, k): new.get(v, v) for k, v in answer.items()}
    return replace(
        question,
        id=new_id,
        answer=answer,
        options=tuple(Option(new[o.id], o.text) for o in question.options),
        items=tuple(Option(new[i.id], i.text) for i in question.items),
    )


def mixed(choices: tuple[Option, ...], solved: Sequence[str] = ()) -> tuple[Option, ...]:
    """Options in an order that depends only on their ids (so reading a file twice, or
    reading back what was written, gives the same order) and says nothing about the key.
    For formats whose questions are shuffled when shown (Moodle's). An ordering question
    never starts out solved."""
    order = tuple(sorted(choices, key=lambda o: o.id))
    if solved and [o.id for o in order] == list(solved) and len(order) > 1:
        order = order[1:] + order[:1]
    return order


def tidy(text: str) -> str:
    """Text with each line's spacing collapsed and empty lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def weight_text(percent: float) -> str:
    """A GIFT or Moodle XML weight: ``50``, ``33.33333``, ``-25``."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")


def invalid(question: Question) -> list[tuple[str, str]]:
    """What makes ``question`` unusable, as (what, fix) pairs, from its type's own check."""
    try:
        kind = qtypes.get(question.type)
    except KeyError:
        return [
            (f"unknown question type '{question.type}'", f"use one of {', '.join(qtypes.TYPES)}")
        ]
    first = {p.field: p for p in reversed(kind.check(question))}  # one per field
    label = kind.label.lower()
    return [(f"the {p.field} of this {label} question", p.message) for p in first.values()]


class _Text(HTMLParser):
    """HTML to plain text: paragraphs and line breaks become new lines, tags go."""

    KEPT = frozenset({"p", "br", "div", "span"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag not in self.KEPT:
            self.dropped.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "div"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """Plain text of an HTML fragment, and the formatting tags that had to be dropped."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts)), sorted(parser.dropped)


_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def plain_text(raw: str, html: bool | None) -> tuple[str, tuple[str, str] | None]:
    """The plain text of ``raw`` (HTML when ``html``; None: when it looks like HTML), and a
    (what, fix) warning when formatting had to be dropped."""
    if html is False or (html is None and not _HTML_TAG.search(raw)):
        return tidy(raw), None
    text, dropped = html_to_text(raw)
    if not dropped:
        return text, None
    what = f"HTML formatting was removed ({', '.join(dropped)}): questions are plain text"
    return text, (what, "check the imported text reads well without it")


def matching(qid: str, prompt: str, pairs: list[tuple[str, str]], extra: list[str]) -> Question:
    """A matching question from (item, answer) pairs and unmatched answers, options mixed."""
    shown = items(qid, [left for left, _ in pairs])
    rights = options(qid, dict.fromkeys([right for _, right in pairs] + extra))
    by_text = {o.text: o.id for o in rights}
    key = {item.id: by_text[right] for item, (_, right) in zip(shown, pairs, strict=True)}
    return Question(qid, "matching", prompt, key, options=mixed(rights), items=shown)
