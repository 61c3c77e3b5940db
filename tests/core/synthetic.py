"""Synthetic agreements datasets of any size, built directly as Dataset objects.

Seeded and deterministic. Every fact is quoted from a generated source sentence, some
facts are unknown, dates come at all three precisions, topics overlap in wording (so the
similarity rules are exercised), and with several sources some facts are quoted from a
source other than their agreement's.
"""

from __future__ import annotations

import itertools
from random import Random

from quizapp.core.dataset import Agreement, Dataset, Entity, Event, Fact, PartialDate, Source
from quizapp.core.wording import date_phrase

_SYLLABLES = ("vel", "kor", "mir", "dor", "zar", "bel", "tor", "lin", "sav", "nor", "pol", "ust")
_ENDINGS = ("grad", "ovo", "insk", "burg", "ava", "opol", "era", "ach")
_COUNTRIES = ("Avalia", "Borduria", "Carpania", "Dalmoria", "Estovia", "Fennia", "Galdor")
_BODIES = (
    "Ministry of Transport",
    "Border Guard",
    "Customs Service",
    "Coast Guard",
    "Space Agency",
    "Health Service",
    "Rail Authority",
    "Water Board",
)
_FIRST = ("Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas")
_LAST = ("Adler", "Brandt", "Cerny", "Dahl", "Egorov", "Falk", "Gorski", "Holm", "Ivanic")
_ACTIONS = (
    "protection",
    "exchange",
    "coordination",
    "training",
    "monitoring",
    "financing",
    "inspection",
    "modernisation",
)
_OBJECTS = (
    "river ports",
    "rail freight",
    "customs data",
    "air defence",
    "border posts",
    "fisheries",
    "grain reserves",
    "pipelines",
    "satellite links",
    "archives",
    "vaccines",
    "tunnels",
)
_OCCASIONS = (
    "the spring summit",
    "the autumn council",
    "the winter forum",
    "the annual congress",
    "the jubilee session",
)


def synthetic_dataset(
    size: int, seed: int = 0, unknown: float = 0.25, sources: int | None = None
) -> Dataset:
    """A dataset of ``size`` agreements; ``unknown`` is the share of facts left unknown."""
    rng = Random(seed)
    entities, pools = _entities(rng)
    source_count = sources if sources is not None else 1 + size // 200
    keys = [f"source-{n}" for n in range(source_count)]
    sentences: dict[str, list[str]] = {key: [] for key in keys}
    builder = _AgreementBuilder(rng, entities, keys, sentences, unknown)
    agreements = tuple(builder.build(n) for n in range(size))
    texts = {
        key: f"Synthetic source {key}\n\n" + "\n".join(lines) for key, lines in sentences.items()
    }
    return Dataset(
        sources={key: Source(key, f"Synthetic source {key}", texts[key]) for key in keys},
        entities={e.key: e for e in entities},
        agreements=agreements,
        pools=pools,
    )


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _entities(rng: Random) -> tuple[list[Entity], dict[str, tuple[Entity, ...]]]:
    names = [s.capitalize() + e for s, e in itertools.product(_SYLLABLES, _ENDINGS)]
    rng.shuffle(names)
    places = [_place(rng, name) for name in names[:50]]
    countries = [Entity(_slug(c), "country", c, (f"Republic of {c}",)) for c in _COUNTRIES]
    bodies = [
        Entity(_slug(f"{c} {b}"), "organisation", f"{c} {b}", (f"{b} of {c}",), _slug(c))
        for c, b in itertools.product(_COUNTRIES, _BODIES)
    ]
    people = [
        Entity(_slug(f"{f} {last}"), "person", f"{f} {last}", (last,) if n % 3 else ())
        for n, (f, last) in enumerate(itertools.product(_FIRST, _LAST))
    ]
    rng.shuffle(people)
    people = _unique_aliases(people)
    entities = places[:40] + countries[:5] + bodies[:40] + people[:30]
    pools = {
        "place": tuple(places[40:]),
        "country": tuple(countries[5:]),
        "organisation": tuple(bodies[40:48]),
        "person": tuple(people[30:36]),
    }
    return entities, pools


def _place(rng: Random, name: str) -> Entity:
    coordinates = (round(rng.uniform(35, 65), 3), round(rng.uniform(10, 140), 3))
    return Entity(_slug(name), "place", name, (f"{name} City",), coordinates=coordinates)


def _unique_aliases(people: list[Entity]) -> list[Entity]:
    """Drop a surname alias that two people would share (an alias must name one entity)."""
    seen: set[str] = set()
    kept = []
    for person in people:
        aliases = tuple(a for a in person.aliases if a not in seen)
        seen.update(aliases)
        kept.append(Entity(person.key, person.kind, person.name, aliases, person.country))
    return kept


class _AgreementBuilder:
    """Makes one agreement at a time, writing each fact's sentence into a source."""

    def __init__(
        self,
        rng: Random,
        entities: list[Entity],
        sources: list[str],
        sentences: dict[str, list[str]],
        unknown: float,
    ) -> None:
        self.rng, self.sources, self.sentences, self.unknown = rng, sources, sentences, unknown
        self.by_kind: dict[str, list[Entity]] = {}
        for entity in entities:
            self.by_kind.setdefault(entity.kind, []).append(entity)

    def build(self, n: int) -> Agreement:
        rng = self.rng
        kind = "doctrine" if rng.random() < 0.1 else "agreement"
        title = f"{kind.capitalize()} No. {n + 1:05d}"
        self.source = self.sources[n % len(self.sources)]
        verb = "approved" if kind == "doctrine" else "signed"
        date = self._date()
        place = rng.choice(self.by_kind["place"])
        parties = self._some("organisation" if rng.random() < 0.7 else "country", 2, 3)
        people = self._some("person", 1, 3)
        topics = rng.sample([f"{a} of {o}" for a in _ACTIONS for o in _OBJECTS], rng.randint(1, 4))
        return Agreement(
            key=f"agreement-{n + 1:05d}",
            title=title,
            kind=kind,
            source=self.source,
            date=self._fact(date, f"{title} was {verb} {date_phrase(date)}."),
            place=self._fact(place.key, f"{title} was {verb} in {place.name}."),
            parties=self._fact(
                tuple(e.key for e in parties), f"{title} was concluded by {_join(parties)}."
            ),
            signatories=self._fact(
                tuple(e.key for e in people), f"{title} was {verb} by {_join(people)}."
            ),
            topics=self._facts([(t, f"{title} covered {t}.") for t in topics]),
            occasion=self._fact(o := rng.choice(_OCCASIONS), f"{title} was {verb} during {o}."),
            preceded_by=self._facts(self._events(title, date)),
        )

    def _date(self) -> PartialDate:
        rng = self.rng
        year, month, day = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        precision = rng.random()
        if precision < 0.2:
            return PartialDate(year)
        return PartialDate(year, month) if precision < 0.7 else PartialDate(year, month, day)

    def _some(self, kind: str, least: int, most: int) -> list[Entity]:
        return self.rng.sample(self.by_kind[kind], self.rng.randint(least, most))

    def _events(self, title: str, date: PartialDate) -> list[tuple[Event, str]]:
        events = []
        for action in self.rng.sample(_ACTIONS, self.rng.randint(0, 2)):
            when = PartialDate(date.year - 1, self.rng.randint(1, 12)) if date.year > 1990 else None
            event = Event(f"talks on the {action} of shared assets", when)
            said = f" {date_phrase(when)}" if when else ""
            events.append((event, f"Before {title}, there were {event.description}{said}."))
        return events

    def _where(self) -> str:
        """The source a fact is quoted from: usually its agreement's, sometimes another."""
        if len(self.sources) > 1 and self.rng.random() < 0.1:
            return self.rng.choice(self.sources)
        return self.source

    def _fact(self, value: object, sentence: str) -> Fact | None:
        if self.rng.random() < self.unknown:
            return None
        source = self._where()
        self.sentences[source].append(sentence)
        return Fact(value, (sentence,), source)

    def _facts(self, items: list[tuple[object, str]]) -> tuple[Fact, ...]:
        if self.rng.random() < self.unknown:
            return ()
        return tuple(f for f in (self._fact(v, s) for v, s in items) if f is not None)


def _join(entities: list[Entity]) -> str:
    names = [e.name for e in entities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
