"""What builders share: the dataset with lazy lookups, the draft they return, references.

Lookups over all agreements (by place, by month, by topic) are built only when a
builder first needs them, so a short quiz from a large dataset touches little of it.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from random import Random
from typing import TYPE_CHECKING, Any, TypeVar

from quizapp.core import distractors
from quizapp.core.dataset import (
    ENTITY_KINDS,
    Agreement,
    Dataset,
    Entity,
    Fact,
    PartialDate,
    fact_id,
)
from quizapp.core.distractors import disjoint
from quizapp.core.wording import capital, fold, gives_away, plural, subject, verb, was

if TYPE_CHECKING:
    from quizapp.core.templates import Template

T = TypeVar("T")

# How many agreements a builder looks at when it samples options from a large dataset.
SCAN = 300


@dataclass(frozen=True)
class FactRef:
    """One fact of one agreement."""

    agreement: Agreement
    kind: str
    fact: Fact[Any]

    @property
    def id(self) -> str:
        return fact_id(self.agreement.key, self.kind, self.fact)


@dataclass(frozen=True)
class Slot:
    """Where a question starts: a template, the agreement it asks about, a list item."""

    template: Template
    agreement: Agreement
    item: int | None = None


@dataclass
class Draft:
    """A question before ids, option order and explanation quotes are settled.

    Choice questions list option texts in ``options`` and the right ones in ``correct``;
    ordering questions list ``correct`` in order; matching pairs item text -> option text.
    ``facts`` are the facts asked; ``evidence``, when set, the facts whose quotes explain
    the answer instead (all topics, to show a claimed one is not among them).
    """

    type: str
    prompt: str
    explain: str
    facts: list[FactRef]
    agreements: list[Agreement]
    options: list[str] = field(default_factory=list)
    correct: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    pairs: dict[str, str] = field(default_factory=dict)
    truth: bool | None = None
    accepted: tuple[tuple[str, ...], ...] = ()
    date: PartialDate | None = None
    reveals: tuple[FactRef, ...] = ()
    evidence: list[FactRef] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ref:
    """How a prompt names an agreement, and the facts that naming reveals."""

    text: str
    reveals: tuple[FactRef, ...] = ()


def lazy_shuffle(items: Sequence[T], rng: Random, limit: int | None = None) -> Iterator[T]:
    """The items in a random order, drawn one at a time (Fisher-Yates on demand), so
    taking k of n costs O(k), not O(n)."""
    n = len(items)
    swaps: dict[int, int] = {}
    for i in range(n if limit is None else min(n, limit)):
        j = rng.randrange(i, n)
        yield items[swaps.get(j, j)]
        swaps[j] = swaps.get(i, i)


class Index:
    """Lookups over one dataset, each built on first use and kept with the dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._paragraphs: dict[str, frozenset[tuple[str, int]]] = {}

    @cached_property
    def entities(self) -> dict[str, list[Entity]]:
        """Entities by kind, from the dataset and its distractor pools."""
        found: dict[str, dict[str, Entity]] = {kind: {} for kind in ENTITY_KINDS}
        for entity in self.dataset.entities.values():
            found.setdefault(entity.kind, {})[entity.key] = entity
        for kind, pool in self.dataset.pools.items():
            for entity in pool:
                found.setdefault(kind, {}).setdefault(entity.key, entity)
        return {kind: list(entities.values()) for kind, entities in found.items()}

    @cached_property
    def by_source(self) -> dict[str, list[Agreement]]:
        index: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self.dataset.agreements:
            index[agreement.source].append(agreement)
        return index

    @cached_property
    def by_place(self) -> dict[str, list[Agreement]]:
        index: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self.dataset.agreements:
            if agreement.place:
                index[agreement.place.value].append(agreement)
        return index

    @cached_property
    def by_period(self) -> dict[str, list[Agreement]]:
        """Dated agreements by year ("2021") and, when the month is known, by month."""
        index: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self.dataset.agreements:
            if agreement.date:
                date = agreement.date.value
                index[f"{date.year:04d}"].append(agreement)
                if date.month:
                    index[PartialDate(date.year, date.month).iso()].append(agreement)
        return index

    @cached_property
    def spans(self) -> dict[str, tuple[dt.date, dt.date]]:
        """For each source, the whole years from its first date to its last."""
        years: dict[str, list[int]] = defaultdict(list)
        for agreement in self.dataset.agreements:
            for kind, fact in agreement.facts():
                if kind == "date":
                    years[fact.source].append(fact.value.year)
                elif kind == "preceded_by" and fact.value.date:
                    event = fact.value
                    years[fact.source] += [event.date.year, (event.end or event.date).year]
        for key, source in self.dataset.sources.items():
            if source.published and source.published[:4].isdigit():
                years[key].append(int(source.published[:4]))
        return {
            key: (dt.date(min(found), 1, 1), dt.date(max(found), 12, 31))
            for key, found in years.items()
        }

    @cached_property
    def by_paragraph(self) -> dict[str, dict[str, int]]:
        """For each source, the paragraph (non-empty line) each sentence-quote starts in."""
        return {key: _paragraphs(source.text) for key, source in self.dataset.sources.items()}

    def paragraphs(self, agreement: Agreement) -> frozenset[tuple[str, int]]:
        """The (source, paragraph) pairs any quote of the agreement lies in."""
        found = self._paragraphs.get(agreement.key)
        if found is None:
            found = frozenset(
                (fact.source, n)
                for _kind, fact in agreement.facts()
                for quote in fact.quotes
                for n in _locate(self.by_paragraph.get(fact.source, {}), quote)
            )
            self._paragraphs[agreement.key] = found
        return found

    @cached_property
    def file_of(self) -> dict[str, str]:
        """Each agreement's dataset file, by agreement key."""
        return {a.key: self.dataset.sources[a.source].dataset for a in self.dataset.agreements}

    @cached_property
    def several_files(self) -> bool:
        return len(set(self.file_of.values())) > 1

    @cached_property
    def by_topic(self) -> dict[str, list[Agreement]]:
        index: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self.dataset.agreements:
            for topic in agreement.topics:
                index[fold(topic.value)].append(agreement)
        return index


def _paragraphs(text: str) -> dict[str, int]:
    """Each non-empty line of a source (its paragraphs), numbered."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {line: n for n, line in enumerate(lines)}


def _locate(lines: dict[str, int], quote: str) -> list[int]:
    """The paragraphs a quote lies in (none when it is not found word for word)."""
    quote = quote.strip()
    if quote in lines:
        return [lines[quote]]
    return [n for line, n in lines.items() if quote in line]


_INDEXES: dict[int, tuple[weakref.ref[Dataset], Index]] = {}


def index_for(dataset: Dataset) -> Index:
    """The index of this dataset object, made once and dropped when the dataset is."""
    key = id(dataset)
    entry = _INDEXES.get(key)
    if entry and entry[0]() is dataset:
        return entry[1]
    index = Index(dataset)
    forget = partial(_INDEXES.pop, key, None)
    _INDEXES[key] = (weakref.ref(dataset, lambda _ref: forget()), index)
    return index


class Context:
    """One generation run: the dataset's index and the difficulty asked for."""

    def __init__(self, dataset: Dataset, difficulty: str | None = None) -> None:
        self.index = index_for(dataset)
        self.dataset = dataset
        self.difficulty = difficulty

    @property
    def version(self) -> str:
        return self.dataset.version

    def entity(self, key: str) -> Entity:
        return self.dataset.entities[key]

    def shuffled(self, rng: Random, limit: int | None = SCAN) -> Iterator[Agreement]:
        """Agreements in a random order, at most ``limit`` of them."""
        return lazy_shuffle(self.dataset.agreements, rng, limit)

    def same_file(self, agreement: Agreement, other: Agreement) -> bool:
        """True when both come from one dataset file."""
        return self.index.file_of[agreement.key] == self.index.file_of[other.key]

    def home_first(
        self,
        agreement: Agreement,
        pool: Callable[[bool], Iterable[str]],
        truth: Sequence[str],
        count: int,
        rng: Random,
    ) -> list[str]:
        """Up to ``count`` wrong phrases from ``pool(True)`` (the agreement's own dataset
        file), topped up from ``pool(False)`` only when that has too few: a phrase from
        another text, often of another decade, is too easily ruled out."""
        unlike = (agreement.title,)
        wrong = distractors.phrases(pool(True), truth, count, rng, self.difficulty, unlike)
        if len(wrong) < count and self.index.several_files:
            wrong += distractors.phrases(
                pool(False), truth, count - len(wrong), rng, self.difficulty, (*unlike, *wrong)
            )
        return wrong

    def peers(
        self, agreement: Agreement, rng: Random, limit: int | None = SCAN
    ) -> Iterator[Agreement]:
        """Agreements from the same source as this one, in a random order."""
        return lazy_shuffle(self.index.by_source[agreement.source], rng, limit)

    def apart(self, agreement: Agreement, other: Agreement) -> bool:
        """True when the source tells the two apart: not the same occasion, and no quote of
        one in a paragraph that describes the other. What the source says of one may then
        serve as a wrong option for the other."""
        same_occasion = (
            agreement.occasion is not None
            and other.occasion is not None
            and fold(agreement.occasion.value) == fold(other.occasion.value)
        )
        return not same_occasion and not self.index.paragraphs(agreement) & self.index.paragraphs(
            other
        )

    def candidates(self, *kinds: str) -> list[Entity]:
        """Entities of these kinds from the dataset and its distractor pools."""
        return [
            entity for kind in sorted(set(kinds)) for entity in self.index.entities.get(kind, [])
        ]

    def subject(self, agreement: Agreement) -> str:
        """The agreement's title as it reads mid-sentence."""
        return subject(agreement, self.dataset.entity_names)

    def span(self, source: str) -> tuple[dt.date, dt.date] | None:
        """The whole years the source's own dates cover: wrong dates stay inside them."""
        return self.index.spans.get(source)

    def reference(
        self,
        agreement: Agreement,
        asked: str,
        names: tuple[str, ...] = (),
        phrase: str = "",
        year: int | None = None,
    ) -> Ref | None:
        """The agreement's title, or, when the title gives the answer away (a name, most
        of a phrase, or the ``year`` asked), a description by its other known facts
        ("the Moscow agreement of November 2020").

        None when the title gives the answer away and no description is unique.
        """
        if not gives_away(agreement, names, phrase) and not _names_year(agreement, year):
            return Ref(self.subject(agreement))
        place = agreement.place if asked != "place" else None
        date = agreement.date if asked != "date" else None
        # The shortest description that fits this agreement alone: it reveals the least.
        for by_place, by_date in ((None, date), (place, None), (place, date)):
            ref = self._describe(agreement, by_place, by_date)
            if ref:
                return ref
        return None

    def _describe(
        self, agreement: Agreement, place: Fact[str] | None, date: Fact[PartialDate] | None
    ) -> Ref | None:
        """A description such as "the Moscow agreement of November 2020", if no other
        agreement may fit it. It names no verb, so "When was ... signed?" never repeats it."""
        if not place and not date:
            return None
        if any(other is not agreement for other in self._fitting(agreement, place, date)):
            return None
        where = f"{self.entity(place.value).name} " if place else ""
        when = f" of {date.value.label()}" if date else ""
        text = f"the {where}{agreement.kind}{when}"
        reveals = [FactRef(agreement, k, f) for k, f in (("place", place), ("date", date)) if f]
        return Ref(text, tuple(reveals))

    def _fitting(
        self, agreement: Agreement, place: Fact[str] | None, date: Fact[PartialDate] | None
    ) -> Iterator[Agreement]:
        """Agreements of the same kind that the description could also be read as."""
        if date:
            found = self.index.by_period[f"{date.value.year:04d}"]
        else:
            found = self.index.by_place[place.value]
        for other in found:
            if other.kind != agreement.kind:
                continue
            if place and (not other.place or other.place.value != place.value):
                continue
            if date and (not other.date or disjoint(other.date.value, date.value)):
                continue
            yield other


def _names_year(agreement: Agreement, year: int | None) -> bool:
    """True when the title holds the year asked ("Agenda ... for 2021-2023" for 2021)."""
    return year is not None and str(year) in agreement.title


def words(ctx: Context, agreement: Agreement, ref: Ref | None = None) -> dict[str, str]:
    """The placeholders every template may use."""
    title = ctx.subject(agreement)
    named = ref.text if ref else title
    number = "was" if ref and ref.reveals else was(agreement)
    return {
        "subject": named,
        "Subject": capital(named),
        "title": title,
        "Title": capital(title),
        "verb": verb(agreement),
        "was": number,
        "Was": capital(number),
        "title_was": was(agreement),
        "kind": agreement.kind,
        "kinds": plural(agreement.kind),
    }


def choices(draft: Draft, correct: list[str], wrong: list[str], least: int = 2) -> Draft | None:
    """The draft with these options, or None when fewer than ``least`` wrong ones exist."""
    if len(wrong) < least:
        return None
    draft.options = [*correct, *wrong]
    draft.correct = list(correct)
    return draft


def wrong_count(template: Template, correct: int) -> int:
    """How many wrong options to look for so the question has the template's option count."""
    return max(2, template.options() - correct)
