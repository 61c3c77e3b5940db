"""The agreements dataset as plain, immutable Python objects.

A fact the source does not give is ``None`` (written ``unknown`` in YAML) or an
empty tuple, so no code can ask about it by accident. Every known fact carries
the sentence(s) it was quoted from and the key of its source.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import cached_property
from typing import Any, Generic, TypeVar

T = TypeVar("T")

UNKNOWN = "unknown"

ENTITY_KINDS = ("country", "organisation", "person", "place")

# The fact kinds an agreement can have, in the order a study page shows them.
FACT_KINDS = (
    "date",
    "place",
    "parties",
    "signatories",
    "topics",
    "occasion",
    "preceded_by",
    "significance",
)
LIST_FACT_KINDS = ("topics", "preceded_by", "significance")

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Precision(IntEnum):
    """How much of a date the source gives."""

    YEAR = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a year, a month or a day; never more precise than its source."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError if not a real date."""
        match = _DATE_RE.match(str(text).strip())
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{text!r} has no day {day} in {calendar.month_name[month]} {year}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """``2021``, ``2021-09`` or ``2021-11-04``."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def label(self) -> str:
        """``2021``, ``September 2021`` or ``4 November 2021``."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    def months(self) -> int:
        """Months since year 0, for distances between dates of month precision or finer."""
        return self.year * 12 + (self.month or 1) - 1

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True)
class Fact(Generic[T]):
    """One fact with the sentence(s) of the source it rests on."""

    value: T
    quotes: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Event:
    """Something that led to an agreement, such as talks that preceded it.

    An event the source says lasted a while ("talks held for several months") has an
    ``end``: it took place from ``date`` to ``end``, so no date in between is wrong.
    """

    description: str
    date: PartialDate | None = None
    end: PartialDate | None = None

    def __str__(self) -> str:
        return self.description

    def when(self) -> str:
        """``March 2021``, or ``March 2021 to September 2021`` for an event that lasted."""
        if self.date is None:
            return ""
        return self.date.label() + (f" to {self.end.label()}" if self.end else "")

    def iso(self) -> str | None:
        """``2021-03`` or ``2021-03/2021-09`` (ISO 8601 interval), None when undated."""
        if self.date is None:
            return None
        return self.date.iso() + (f"/{self.end.iso()}" if self.end else "")


@dataclass(frozen=True)
class Entity:
    """A country, organisation, person or place, referenced by key."""

    key: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    # (latitude, longitude) of a place: lets distractors be near or far.
    coordinates: tuple[float, float] | None = None

    def names(self) -> tuple[str, ...]:
        """Every form a trainee may type for this entity, the full name first."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    text: str
    file: str = ""
    author: str | None = None
    published: str | None = None
    # The dataset file it was loaded from, by name ("union-state" for union-state.yaml).
    dataset: str = ""


@dataclass(frozen=True)
class Agreement:
    key: str
    title: str
    kind: str
    source: str
    date: Fact[PartialDate] | None = None
    place: Fact[str] | None = None
    parties: Fact[tuple[str, ...]] | None = None
    signatories: Fact[tuple[str, ...]] | None = None
    topics: tuple[Fact[str], ...] = ()
    occasion: Fact[str] | None = None
    preceded_by: tuple[Fact[Event], ...] = ()
    significance: tuple[Fact[str], ...] = ()
    # How the source says the document came about: signed, agreed, approved, adopted.
    verb: str = "signed"

    def known(self, kind: str) -> bool:
        """True when the source gives this kind of fact for this agreement."""
        return bool(getattr(self, kind))

    def facts(self) -> Iterator[tuple[str, Fact[Any]]]:
        """Every known fact as ``(kind, fact)``, list kinds one item at a time."""
        for kind in FACT_KINDS:
            value = getattr(self, kind)
            if kind in LIST_FACT_KINDS:
                for fact in value:
                    yield kind, fact
            elif value is not None:
                yield kind, value


@dataclass(frozen=True)
class Dataset:
    sources: Mapping[str, Source]
    entities: Mapping[str, Entity]
    agreements: tuple[Agreement, ...]
    pools: Mapping[str, tuple[Entity, ...]] = field(default_factory=dict)

    def agreement(self, key: str) -> Agreement:
        for agreement in self.agreements:
            if agreement.key == key:
                return agreement
        raise KeyError(key)

    def entity(self, key: str) -> Entity:
        return self.entities[key]

    def name(self, key: str) -> str:
        return self.entities[key].name

    def facts(self) -> Iterator[tuple[Agreement, str, Fact[Any]]]:
        for agreement in self.agreements:
            for kind, fact in agreement.facts():
                yield agreement, kind, fact

    def counts(self) -> dict[str, int]:
        return {
            "agreements": len(self.agreements),
            "facts": sum(1 for _ in self.facts()),
            "sources": len(self.sources),
        }

    @cached_property
    def entity_names(self) -> frozenset[str]:
        """Every name and alias of every entity, whole: the names a title may contain."""
        entities = [*self.entities.values(), *(e for pool in self.pools.values() for e in pool)]
        return frozenset(name for e in entities for name in e.names())

    @cached_property
    def name_words(self) -> frozenset[str]:
        """Every word of every entity name: a title's capitals that are only names."""
        entities = [*self.entities.values(), *(e for pool in self.pools.values() for e in pool)]
        return frozenset(word for e in entities for name in e.names() for word in name.split())

    def dataset_names(self) -> tuple[str, ...]:
        """The named dataset files the agreements come from, in the order loaded."""
        names = (self.sources[a.source].dataset for a in self.agreements)
        return tuple(dict.fromkeys(name for name in names if name))

    def dataset_title(self, name: str) -> str:
        """How a dataset file reads to a person: the title of its first source."""
        return next(s.title for s in self.sources.values() if s.dataset == name)

    @cached_property
    def version(self) -> str:
        """A content hash: the same data always gives the same version (computed once)."""
        return content_hash(to_dict(self))


def content_hash(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


# --- building from plain data (already validated) -------------------------------------


def _quotes(raw: Any) -> tuple[str, ...]:
    return (raw,) if isinstance(raw, str) else tuple(raw)


def _fact(raw: Any, source: str, convert=lambda v: v) -> Fact[Any] | None:
    if raw is None or raw == UNKNOWN:
        return None
    return Fact(convert(raw["value"]), _quotes(raw["quote"]), raw.get("source", source))


def _facts(raw: Any, source: str, convert=lambda item: item["value"]) -> tuple[Fact[Any], ...]:
    if raw is None or raw == UNKNOWN:
        return ()
    return tuple(
        Fact(convert(item), _quotes(item["quote"]), item.get("source", source)) for item in raw
    )


def parse_period(text: str) -> tuple[PartialDate, PartialDate | None]:
    """``2021-03`` or the interval ``2021-03/2021-09``: the start and the end (or None)."""
    start, _, end = str(text).partition("/")
    return PartialDate.parse(start), PartialDate.parse(end) if end else None


def _event(item: Mapping[str, Any]) -> Event:
    date = item.get("date")
    if date in (None, UNKNOWN):
        return Event(item["value"])
    return Event(item["value"], *parse_period(str(date)))


# The verb a kind of document takes when the dataset gives none.
DEFAULT_VERBS = {"doctrine": "approved", "strategy": "approved", "concept": "approved"}


def default_verb(kind: str) -> str:
    return DEFAULT_VERBS.get(kind, "signed")


def _optional(value: Any) -> str | None:
    return None if value in (None, UNKNOWN) else str(value)


def agreement_from_dict(raw: Mapping[str, Any]) -> Agreement:
    source = raw["source"]
    return Agreement(
        key=raw["key"],
        title=raw["title"],
        kind=raw.get("kind", "agreement"),
        source=source,
        date=_fact(raw.get("date"), source, lambda v: PartialDate.parse(str(v))),
        place=_fact(raw.get("place"), source),
        parties=_fact(raw.get("parties"), source, tuple),
        signatories=_fact(raw.get("signatories"), source, tuple),
        topics=_facts(raw.get("topics"), source),
        occasion=_fact(raw.get("occasion"), source),
        preceded_by=_facts(raw.get("preceded_by"), source, _event),
        significance=_facts(raw.get("significance"), source),
        verb=raw.get("verb") or default_verb(raw.get("kind", "agreement")),
    )


SECTIONS = {
    "countries": "country",
    "organisations": "organisation",
    "persons": "person",
    "places": "place",
}


def _entity(item: Mapping[str, Any], kind: str) -> Entity:
    return Entity(
        key=item["key"],
        kind=kind,
        name=item["name"],
        aliases=tuple(item.get("aliases") or ()),
        country=_optional(item.get("country")),
        coordinates=(float(item["lat"]), float(item["lon"])) if "lat" in item else None,
    )


def from_dict(raw: Mapping[str, Any], source_texts: Mapping[str, str]) -> Dataset:
    """Build a Dataset from parsed YAML that has already passed validation.

    ``source_texts`` maps each source key to the text of its file.
    """
    sources = {
        item["key"]: Source(
            key=item["key"],
            title=item["title"],
            text=source_texts[item["key"]],
            file=item.get("file", ""),
            author=_optional(item.get("author")),
            published=_optional(item.get("published")),
            dataset=item.get("dataset", ""),
        )
        for item in raw.get("sources") or ()
    }
    entities = {
        item["key"]: _entity(item, kind)
        for section, kind in SECTIONS.items()
        for item in raw.get(section) or ()
    }
    pools = {
        kind: tuple(
            _entity(item, kind) for item in (raw.get("distractors") or {}).get(section) or ()
        )
        for section, kind in SECTIONS.items()
    }
    agreements = tuple(agreement_from_dict(item) for item in raw.get("agreements") or ())
    return Dataset(sources=sources, entities=entities, agreements=agreements, pools=pools)


class UnknownDataset(KeyError):
    """No loaded dataset file has this name."""


def only(dataset: Dataset, name: str) -> Dataset:
    """The agreements of one dataset file; every source, entity and wrong answer is kept,
    so what another file defines still resolves. Raise UnknownDataset for a name not loaded."""
    if name not in dataset.dataset_names():
        raise UnknownDataset(name)
    agreements = tuple(a for a in dataset.agreements if dataset.sources[a.source].dataset == name)
    return replace(dataset, agreements=agreements)


def fact_to_plain(f: Fact[Any] | None) -> Any:
    """A JSON-ready form of one fact (``unknown`` when absent)."""
    if f is None:
        return UNKNOWN
    value = f.value
    if isinstance(value, PartialDate):
        value = value.iso()
    elif isinstance(value, Event):
        value = {"description": value.description, "date": value.iso()}
    elif isinstance(value, tuple):
        value = list(value)
    return {"value": value, "quotes": list(f.quotes), "source": f.source}


def to_dict(dataset: Dataset) -> dict[str, Any]:
    """A JSON-ready form of the dataset; its hash is the dataset version."""
    fact = fact_to_plain
    return {
        "sources": {
            k: {
                "title": s.title,
                "author": s.author,
                "published": s.published,
                "text": s.text,
                "dataset": s.dataset,
            }
            for k, s in sorted(dataset.sources.items())
        },
        "entities": {
            k: {"kind": e.kind, "name": e.name, "aliases": list(e.aliases), "country": e.country}
            for k, e in sorted(dataset.entities.items())
        },
        "agreements": [
            {
                "key": a.key,
                "title": a.title,
                "kind": a.kind,
                "verb": a.verb,
                "source": a.source,
                **{
                    kind: [fact(f) for f in getattr(a, kind)]
                    if kind in LIST_FACT_KINDS
                    else fact(getattr(a, kind))
                    for kind in FACT_KINDS
                },
            }
            for a in dataset.agreements
        ],
    }


def fact_id(agreement_key: str, kind: str, fact: Fact[Any]) -> str:
    """A stable id for one fact: agreement, kind and (for list kinds) the item's value."""
    value = fact.value
    if kind in LIST_FACT_KINDS:
        return f"{agreement_key}:{kind}:{content_hash(str(value))[:8]}"
    return f"{agreement_key}:{kind}"


def to_raw(dataset: Dataset) -> dict[str, Any]:
    """The inverse of from_dict: plain data in the YAML file's shape (texts kept apart)."""

    def entity(e: Entity) -> dict[str, Any]:
        out: dict[str, Any] = {"key": e.key, "name": e.name, "aliases": list(e.aliases)}
        if e.country:
            out["country"] = e.country
        if e.coordinates:
            out["lat"], out["lon"] = e.coordinates
        return out

    def fact(f: Fact[Any] | None, value: Any = None) -> Any:
        if f is None:
            return UNKNOWN
        return {
            "value": f.value if value is None else value,
            "quote": list(f.quotes),
            "source": f.source,
        }

    def facts(items: tuple[Fact[Any], ...]) -> Any:
        if not items:
            return UNKNOWN
        return [{"value": f.value, "quote": list(f.quotes), "source": f.source} for f in items]

    def event(f: Fact[Event]) -> dict[str, Any]:
        return {
            "value": f.value.description,
            "date": f.value.iso() or UNKNOWN,
        }

    sections = {kind: section for section, kind in SECTIONS.items()}
    raw: dict[str, Any] = {
        "format": 1,
        "sources": [
            {
                "key": s.key,
                "file": s.file,
                "title": s.title,
                "author": s.author or UNKNOWN,
                "published": s.published or UNKNOWN,
                "dataset": s.dataset,
            }
            for s in dataset.sources.values()
        ],
        **{section: [] for section in SECTIONS},
        "distractors": {
            sections[kind]: [entity(e) for e in pool] for kind, pool in dataset.pools.items()
        },
        "agreements": [],
    }
    for e in dataset.entities.values():
        raw[sections[e.kind]].append(entity(e))
    for a in dataset.agreements:
        raw["agreements"].append(
            {
                "key": a.key,
                "title": a.title,
                "kind": a.kind,
                "verb": a.verb,
                "source": a.source,
                "date": fact(a.date, a.date.value.iso() if a.date else None),
                "place": fact(a.place),
                "parties": fact(a.parties, list(a.parties.value) if a.parties else None),
                "signatories": fact(
                    a.signatories, list(a.signatories.value) if a.signatories else None
                ),
                "topics": facts(a.topics),
                "occasion": fact(a.occasion),
                "preceded_by": [
                    {**event(f), "quote": list(f.quotes), "source": f.source} for f in a.preceded_by
                ]
                or UNKNOWN,
                "significance": facts(a.significance),
            }
        )
    return raw
