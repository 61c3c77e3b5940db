"""What builders share: the dataset with lazy lookups, the draft they return, references.

Lookups over all agreements (by place, by month, by topic) are built only when a
builder first needs them, so a short quiz from a large dataset touches little of it.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from random import Random
from typing import TYPE_CHECKING, Any, TypeVar

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
from quizapp.core.wording import capital, date_phrase, fold, gives_away, plural, subject, verb

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
    def by_topic(self) -> dict[str, list[Agreement]]:
        index: dict[str, list[Agreement]] = defaultdict(list)
        for agreement in self.dataset.agreements:
            for topic in agreement.topics:
                index[fold(topic.value)].append(agreement)
        return index


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

    def peers(
        self, agreement: Agreement, rng: Random, limit: int | None = SCAN
    ) -> Iterator[Agreement]:
        """Agreements from the same source as this one, in a random order."""
        return lazy_shuffle(self.index.by_source[agreement.source], rng, limit)

    def candidates(self, *kinds: str) -> list[Entity]:
        """Entities of these kinds from the dataset and its distractor pools."""
        return [
            entity for kind in sorted(set(kinds)) for entity in self.index.entities.get(kind, [])
        ]

    def reference(
        self, agreement: Agreement, asked: str, names: tuple[str, ...] = (), phrase: str = ""
    ) -> Ref | None:
        """The agreement's title, or, when the title gives the answer away, a description
        by its other known facts ("the agreement signed in Moscow in November 2020").

        None when the title gives the answer away and no description is unique.
        """
        if not gives_away(agreement, names, phrase):
            return Ref(subject(agreement))
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
        """A description such as "the agreement signed in Moscow in November 2020", if no
        other agreement may fit it."""
        if not place and not date:
            return None
        if any(other is not agreement for other in self._fitting(agreement, place, date)):
            return None
        where = f" in {self.entity(place.value).name}" if place else ""
        when = f" {date_phrase(date.value)}" if date else ""
        text = f"the {agreement.kind} {verb(agreement)}{where}{when}"
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


def words(agreement: Agreement, ref: Ref | None = None) -> dict[str, str]:
    """The placeholders every template may use."""
    named = ref.text if ref else subject(agreement)
    return {
        "subject": named,
        "Subject": capital(named),
        "title": subject(agreement),
        "Title": capital(subject(agreement)),
        "verb": verb(agreement),
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
