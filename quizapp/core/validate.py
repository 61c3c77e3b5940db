"""Checks across a dataset file that no schema can express, all reported at once.

Dates must be real, keys unique, references resolvable, quotes word for word from
their source, and no distractor may be a right answer. Each check reads the parsed
data defensively, so a file that also breaks the schema still gets every report.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from quizapp.core.dataset import (
    FACT_KINDS,
    LIST_FACT_KINDS,
    SECTIONS,
    UNKNOWN,
    PartialDate,
    parse_period,
)
from quizapp.core.problems import Problem
from quizapp.core.yamlpos import Document, NodePath

__all__ = ["Keyed", "Problem", "duplicate_keys", "keyed_items", "semantic_problems"]

# (path, message, fix): a problem before it is given its file and position.
Finding = tuple[NodePath, str, str]

_DATE_FIX = "write the date the source gives as YYYY, YYYY-MM or YYYY-MM-DD"
_PERIOD_FIX = "write START/END (an event that lasted), each as YYYY, YYYY-MM or YYYY-MM-DD"
_QUOTE_FIX = "copy the sentence word for word from the source"
_MARKS = str.maketrans("„“”‟″«»‘’‚‛′", '"""""""\'\'\'\'\'')
_UNIQUE_AMONG = {
    "entity": "entities and distractors",
    "agreement": "agreements",
    "source": "sources",
}


@dataclass(frozen=True)
class Keyed:
    """An item with a key: an entity, a distractor, an agreement or a source."""

    group: str  # keys are unique within a group: "entity", "agreement" or "source"
    kind: str  # "place", "agreement", "source", ...
    key: str
    path: NodePath
    pool: bool = False

    @property
    def label(self) -> str:
        return f"distractor {self.kind}" if self.pool else self.kind


def semantic_problems(
    document: Document, file: str, texts: Mapping[str, str], shared: Sequence[Keyed] = ()
) -> list[Problem]:
    """Every cross-field problem of one file; ``texts`` maps source keys to their text and
    ``shared`` are the entities other dataset files loaded with it define (one registry)."""
    data = document.data if isinstance(document.data, dict) else {}
    items = keyed_items(data)
    findings = [
        *_dates(data),
        *_unknown_values(data),
        *_references(data, items, shared),
        *_quotes(data, texts),
        *_distractor_names(data, items),
    ]
    located = [Problem(file, *document.position(path), msg, fix) for path, msg, fix in findings]
    problems = [*duplicate_keys([(file, document)]), *located]
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def keyed_items(data: Any) -> list[Keyed]:
    """Every item with a text key, in section order."""
    found = [
        Keyed("entity", kind, item["key"], path, pool)
        for pool, prefix in ((False, ()), (True, ("distractors",)))
        for section, kind in SECTIONS.items()
        for path, item in _list(data, (*prefix, section))
        if isinstance(item.get("key"), str)
    ]
    for section, kind in (("agreements", "agreement"), ("sources", "source")):
        found += [
            Keyed(kind, kind, item["key"], path)
            for path, item in _list(data, (section,))
            if isinstance(item.get("key"), str)
        ]
    return found


class _Placed(NamedTuple):
    file: str
    document: Document
    item: Keyed

    def where(self, file: str) -> str:
        """Where the item's key is written, said from the point of view of ``file``."""
        line, column = self.document.position((*self.item.path, "key"))
        if self.file == file:
            return f"at line {line}, column {column}"
        return f"at {self.file}:{line}:{column}"


# What must agree when two dataset files define the same entity: then it is one entity.
_SAME_ENTITY = ("name", "country", "lat", "lon")


def duplicate_keys(
    documents: Sequence[tuple[str, Document]], across_files: bool = False
) -> list[Problem]:
    """A key used twice, reported where it is used again; ``across_files`` skips repeats
    within one file (those are reported when each file is checked). Across files, an
    entity (Russia, Moscow) may be defined again if it is the same: one shared registry."""
    seen: dict[tuple[str, str], _Placed] = {}
    problems = []
    for file, document in documents:
        items = keyed_items(document.data)
        for item in sorted(items, key=lambda item: document.position(item.path)):
            first = seen.setdefault((item.group, item.key), _Placed(file, document, item))
            if first.item is item or (across_files and first.file == file):
                continue
            line, column = document.position((*item.path, "key"))
            if across_files and item.group == "entity":
                differs = _differs(first, document, item)
                if differs:
                    message = (
                        f"entity '{item.key}' differs from the one {first.where(file)}: {differs}"
                    )
                    fix = "write it the same in every file (aliases may differ), or rename one"
                    problems.append(Problem(file, line, column, message, fix))
                continue
            message = f"key '{item.key}' is already used by the {first.item.label} "
            fix = f"give each of the {_UNIQUE_AMONG[item.group]} its own key"
            problems.append(Problem(file, line, column, message + first.where(file), fix))
    return problems


def _differs(first: _Placed, document: Document, item: Keyed) -> str:
    """How an entity defined again in another file differs from the first ('' if not)."""
    if first.item.kind != item.kind:
        return f"it is {_a(item.kind)} here, {_a(first.item.kind)} there"
    there, here = _get(first.document.data, first.item.path), _get(document.data, item.path)
    for field in _SAME_ENTITY:
        if there.get(field) != here.get(field):
            return f"{field} {here.get(field)!r} here, {there.get(field)!r} there"
    return ""


# --- reading the plain data defensively ------------------------------------------------


def _get(data: Any, path: NodePath) -> Any:
    """The value at ``path``, or None where the data has another shape."""
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def _list(data: Any, path: NodePath) -> Iterator[tuple[NodePath, dict[str, Any]]]:
    """The mapping items of the list at ``path``, with their paths; anything else is skipped."""
    items = _get(data, path)
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict):
            yield (*path, index), item


def _facts(data: Any, agreement: NodePath) -> Iterator[tuple[NodePath, dict[str, Any]]]:
    """Each given fact of an agreement, one item at a time for list kinds."""
    for kind in FACT_KINDS:
        path = (*agreement, kind)
        if kind in LIST_FACT_KINDS:
            yield from _list(data, path)
        elif isinstance(_get(data, path), dict):
            yield path, _get(data, path)


# --- dates ----------------------------------------------------------------------------


def _dates(data: Any) -> Iterator[Finding]:
    for path, _ in _list(data, ("agreements",)):
        yield from _date(data, (*path, "date", "value"))
        for event, _ in _list(data, (*path, "preceded_by")):
            yield from _period(data, (*event, "date"))
    for path, _ in _list(data, ("sources",)):
        yield from _date(data, (*path, "published"))


def _date(data: Any, path: NodePath) -> Iterator[Finding]:
    value = _get(data, path)
    if isinstance(value, bool) or not isinstance(value, str | int) or value == UNKNOWN:
        return
    try:
        PartialDate.parse(str(value))
    except ValueError:
        yield path, _date_message(str(value)), _DATE_FIX


def _period(data: Any, path: NodePath) -> Iterator[Finding]:
    """An event's date: one date, or ``start/end`` for an event that lasted a while."""
    value = _get(data, path)
    if not isinstance(value, str) or "/" not in value:
        yield from _date(data, path)
        return
    try:
        start, end = parse_period(value)
    except ValueError as err:
        yield path, f"period {value!r}: {err}", _PERIOD_FIX
        return
    if end is None or end.iso() <= start.iso():
        yield path, f"period {value!r} does not end after it starts", "write START/END, START first"


def _date_message(text: str) -> str:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if not match:
        return f"date {text!r} is not written as YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if not 1 <= month <= 12:
        return f"date {text!r} is not a real date: a year has no month {month}"
    return f"date {text!r} is not a real date: {calendar.month_name[month]} {year} has no day {day}"


def _unknown_values(data: Any) -> Iterator[Finding]:
    """``value: unknown`` would become a fact whose answer is the word "unknown"."""
    for path, _ in _list(data, ("agreements",)):
        for fact, _ in _facts(data, path):
            if _get(data, (*fact, "value")) == UNKNOWN:
                kind = str(fact[2])
                fix = f"write '{kind}: unknown' in place of the value and quote"
                if isinstance(fact[-1], int):
                    fix = f"remove this item, and write '{kind}: unknown' if none is left"
                yield (*fact, "value"), f"{kind} has the value 'unknown'", fix


# --- references -----------------------------------------------------------------------

_REFERENCES = {
    "place": ("place",),
    "parties": ("organisation", "country"),
    "signatories": ("person",),
}


def _references(data: Any, items: list[Keyed], shared: Sequence[Keyed]) -> Iterator[Finding]:
    entities: dict[str, Keyed] = {}
    for item in [*items, *shared]:
        known = entities.get(item.key)
        if item.group == "entity" and (known is None or (known.pool and not item.pool)):
            entities[item.key] = item  # real in any file makes it real
    own = {item.key for item in items if item.group == "entity"}
    sources = sorted({item.key for item in items if item.group == "source"})
    for path, _ in _list(data, ("agreements",)):
        yield from _source_reference(data, (*path, "source"), sources)
        for fact, _ in _facts(data, path):
            yield from _source_reference(data, (*fact, "source"), sources)
        for kind, wanted in _REFERENCES.items():
            for ref_path, ref in _values(data, (*path, kind, "value")):
                if ref != UNKNOWN:  # reported by _unknown_values
                    yield from _entity_reference(ref_path, ref, wanted, entities)
    for item in (e for e in entities.values() if e.key in own):
        country = _get(data, (*item.path, "country"))
        if isinstance(country, str) and country != UNKNOWN:
            yield from _entity_reference((*item.path, "country"), country, ("country",), entities)


def _values(data: Any, path: NodePath) -> Iterator[tuple[NodePath, str]]:
    """The text at ``path``, or each text in the list there."""
    value = _get(data, path)
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        yield from (((*path, i), v) for i, v in enumerate(value) if isinstance(v, str))


def _source_reference(data: Any, path: NodePath, sources: list[str]) -> Iterator[Finding]:
    ref = _get(data, path)
    if isinstance(ref, str) and ref not in sources:
        yield path, f"no source has the key '{ref}'", _choose(ref, sources, "sources")


def _entity_reference(
    path: NodePath, ref: str, wanted: tuple[str, ...], entities: Mapping[str, Keyed]
) -> Iterator[Finding]:
    target = entities.get(ref)
    if target is not None and not target.pool and target.kind in wanted:
        return
    choices = sorted(k for k, e in entities.items() if e.kind in wanted and not e.pool)
    if target is None:
        message = f"no {' or '.join(wanted)} has the key '{ref}'"
        yield path, message, _choose(ref, choices, _section(wanted[0]))
    elif target.pool:
        message = f"'{ref}' is a distractor, and a distractor is never a fact"
        fix = f"move '{ref}' from distractors: to {_section(target.kind)}: if the source names it"
        yield path, message, fix
    else:
        message = f"'{ref}' is {_a(target.kind)}, not {' or '.join(map(_a, wanted))}"
        yield path, message, _choose(ref, choices, _section(wanted[0]))


def _section(kind: str) -> str:
    return next(section for section, each in SECTIONS.items() if each == kind)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _choose(ref: str, choices: list[str], section: str) -> str:
    """How to fix a reference: the nearest key, else the keys there are."""
    close = difflib.get_close_matches(ref, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    if choices:
        more = ", …" if len(choices) > 8 else ""
        return f"use one of: {', '.join(choices[:8])}{more}"
    return f"add an item with key '{ref}' under {section}:"


# --- quotes ---------------------------------------------------------------------------


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _quotes(data: Any, texts: Mapping[str, str]) -> Iterator[Finding]:
    collapsed = {key: _collapse(text) for key, text in texts.items()}
    for path, agreement in _list(data, ("agreements",)):
        for fact_path, fact in _facts(data, path):
            source = fact.get("source", agreement.get("source"))
            if not isinstance(source, str) or source not in collapsed:
                continue  # a missing source is reported on its own
            for quote_path, quote in _values(data, (*fact_path, "quote")):
                if _collapse(quote) not in collapsed[source]:
                    message = f"quote not found in source '{source}': {_short(quote)}"
                    yield quote_path, message, _quote_fix(quote, collapsed[source])


def _quote_fix(quote: str, text: str) -> str:
    quote = _collapse(quote)
    if quote.translate(_MARKS) in text.translate(_MARKS):
        return f"{_QUOTE_FIX}: its quotation marks or apostrophes differ"
    sentences = re.split(r"(?<=[.!?])\s+", text)
    close = difflib.get_close_matches(quote, sentences, n=1, cutoff=0.6)
    if close:
        return f"{_QUOTE_FIX}; the closest sentence is {_short(close[0])}"
    return _QUOTE_FIX


def _short(text: str, width: int = 70) -> str:
    text = _collapse(text)
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# --- distractors ----------------------------------------------------------------------


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _names(data: Any, item: Keyed) -> Iterator[tuple[NodePath, str]]:
    yield from _values(data, (*item.path, "name"))
    yield from _values(data, (*item.path, "aliases"))


def _distractor_names(data: Any, items: list[Keyed]) -> Iterator[Finding]:
    """A distractor called like a real entity could be marked wrong when it is right."""
    real: dict[str, Keyed] = {}
    for item in items:
        if item.group == "entity" and not item.pool:
            for _, name in _names(data, item):
                real.setdefault(_fold(name), item)
    for item in items:
        if item.group != "entity" or not item.pool:
            continue
        for path, name in _names(data, item):
            owner = real.get(_fold(name))
            if owner is not None:
                owned = f"the {owner.kind} '{owner.key}'"
                message = f"distractor '{item.key}' is called '{name}', like {owned}"
                yield path, message, "remove the name, or the distractor: it must never be right"
