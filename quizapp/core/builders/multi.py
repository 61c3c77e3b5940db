"""Builders for questions about several agreements: which was signed in a place, in a
month, or covered a topic; which came first; chronological order; matching.

All agreements in one question share the anchor's source, so the explanation quotes one
text and no two sources are compared. An agreement is offered as a wrong option only
when the dataset knows the fact asked and it contradicts the question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, islice
from random import Random
from typing import Any

from quizapp.core import distractors
from quizapp.core.builders.context import Context, Draft, FactRef, Slot, words, wrong_count
from quizapp.core.dataset import Agreement, Fact, PartialDate
from quizapp.core.distractors import disjoint, distance_km, is_unlike
from quizapp.core.present import join_names
from quizapp.core.questions import QType
from quizapp.core.wording import capital, fold, gives_away, plural, verbs, was

Test = Callable[[Agreement], bool]


def _fact(agreement: Agreement, kind: str) -> Fact[Any] | None:
    value = getattr(agreement, kind)
    return value if isinstance(value, Fact) else None


def _peer(slot: Slot, kind: str) -> Test:
    """Documents comparable with the anchor: the fact known, from the same source. Kinds
    are compared (a treaty with a protocol) unless the template sets ``same_kind: 1``."""
    anchor = slot.agreement
    source = _fact(anchor, kind).source if kind != "topics" else anchor.source
    same_kind = bool(slot.template.settings.get("same_kind"))

    def test(other: Agreement) -> bool:
        if same_kind and other.kind != anchor.kind:
            return False
        if kind == "topics":
            return other.source == source
        fact = _fact(other, kind)
        return fact is not None and fact.source == source

    return test


def _draft(
    ctx: Context,
    slot: Slot,
    qtype: str,
    agreements: list[Agreement],
    facts: list[FactRef],
    **values: str,
) -> Draft:
    filled = {**words(ctx, slot.agreement), **_kind_words(agreements), **values}
    filled["verb"] = verbs(agreements)
    return Draft(
        type=qtype,
        prompt=slot.template.prompt(qtype).format_map(filled),
        explain=slot.template.explain.format_map(filled),
        facts=facts,
        agreements=agreements,
    )


def _kind_words(agreements: list[Agreement]) -> dict[str, str]:
    """Name the items by their common kind ("agreement"), or "document" when they differ."""
    kinds = {a.kind for a in agreements}
    kind = kinds.pop() if len(kinds) == 1 else "document"
    return {"kind": kind, "kinds": plural(kind)}


def _titles(agreements: list[Agreement]) -> list[str]:
    return [a.title for a in agreements]


def _distinct(agreements: Iterator[Agreement], taken: list[Agreement]) -> Iterator[Agreement]:
    """Agreements whose titles differ from those taken (so no two options read the same)."""
    seen = {fold(a.title) for a in taken} | {a.key for a in taken}
    for agreement in agreements:
        if agreement.key not in seen and fold(agreement.title) not in seen:
            seen |= {agreement.key, fold(agreement.title)}
            yield agreement


# --- reverse questions: which of these agreements ...? ------------------------------------


def _reverse(
    ctx: Context,
    slot: Slot,
    types: tuple[str, ...],
    rng: Random,
    truths: list[Agreement],
    usable: Test,
    is_false: Test,
    nearness: Callable[[Agreement], float],
    kind: str | None,
    **values: str,
) -> Draft | None:
    """Which of these agreements ...? Single choice when only one agreement in the dataset
    fits, else multiple choice offering up to three that fit."""
    anchor = slot.agreement
    if not usable(anchor):
        return None
    qtype = QType.SINGLE_CHOICE if len(truths) == 1 else QType.MULTIPLE_CHOICE
    if qtype not in types:
        return None
    others = list(_distinct((t for t in truths if usable(t)), [anchor]))
    right = [anchor, *rng.sample(others, min(2, len(others)))]
    truth_keys = {t.key for t in truths}
    count = wrong_count(slot.template, len(right))
    pool = (
        a for a in ctx.peers(anchor, rng) if a.key not in truth_keys and usable(a) and is_false(a)
    )
    pool = islice(_distinct(pool, right), count * distractors.BAND)
    wrong = distractors.rank(pool, rng, ctx.difficulty, nearness)[:count]
    if len(wrong) < 2:
        return None
    answer = join_names([ctx.subject(a) for a in right])
    were = was(right[0]) if len(right) == 1 else "were"
    # The facts asked are those of the right answers; a wrong option only needs its own
    # fact to be known and different, and the explanation quotes the right ones.
    everyone = right + wrong
    facts = [FactRef(a, kind, _fact(a, kind)) for a in right] if kind else []
    draft = _draft(
        ctx,
        slot,
        qtype,
        everyone,
        facts,
        answer=answer,
        Answer=capital(answer),
        were=were,
        answer_verb=verbs(right),
        **values,
    )
    draft.options, draft.correct = _titles(everyone), _titles(right)
    return draft


def build_place_reverse(
    ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random
) -> Draft | None:
    """Which of these agreements was signed in this place?"""
    anchor = slot.agreement
    place = ctx.entity(anchor.place.value)
    names = {fold(n) for n in place.names()}
    peer = _peer(slot, "place")

    def usable(a: Agreement) -> bool:
        return peer(a) and not gives_away(a, place.names())

    def is_false(a: Agreement) -> bool:
        return not names & {fold(n) for n in ctx.entity(a.place.value).names()}

    def nearness(a: Agreement) -> float:
        there = ctx.entity(a.place.value).coordinates
        return distance_km(there, place.coordinates) if there and place.coordinates else 0.0

    truths = ctx.index.by_place[place.key]
    draft = _reverse(
        ctx, slot, types, rng, truths, usable, is_false, nearness, "place", place=place.name
    )
    if draft:
        draft.params = {"place": place.key}
    return draft


def build_period_reverse(
    ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random
) -> Draft | None:
    """Which of these agreements was signed in this month (or year)?"""
    anchor = slot.agreement
    date = anchor.date.value
    period = PartialDate(date.year, date.month)
    peer = _peer(slot, "date")

    def is_false(a: Agreement) -> bool:
        return disjoint(a.date.value, period)

    def nearness(a: Agreement) -> float:
        return abs(a.date.value.months() - period.months())

    truths = ctx.index.by_period[period.iso()]
    draft = _reverse(
        ctx, slot, types, rng, truths, peer, is_false, nearness, "date", period=period.label()
    )
    if draft:
        draft.params = {"period": period.iso()}
    return draft


def build_topic_reverse(
    ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random
) -> Draft | None:
    """Which of these agreements covered this topic?"""
    anchor = slot.agreement
    topic = anchor.topics[slot.item]
    wanted = fold(topic.value)

    peer = _peer(slot, "topics")

    def usable(a: Agreement) -> bool:
        return peer(a) and not gives_away(a, phrase=topic.value)

    def is_false(a: Agreement) -> bool:
        # The source names other topics for it, none like this one, and describes it
        # apart from the anchor (topics are an open list: the source is silent on more).
        texts = [t.value for t in a.topics] + [a.title]
        return bool(a.topics) and is_unlike(topic.value, texts) and ctx.apart(anchor, a)

    truths = list(ctx.index.by_topic[wanted])
    draft = _reverse(
        ctx, slot, types, rng, truths, usable, is_false, lambda a: 0.0, None, topic=topic.value
    )
    if draft is None:
        return None
    right = draft.agreements[: len(draft.correct)]
    draft.facts = [FactRef(a, "topics", _matching_topic(a, wanted)) for a in right]
    if any(f.fact.source != topic.source for f in draft.facts):
        return None
    draft.params = {"topic": topic.value}
    return draft


def _matching_topic(agreement: Agreement, wanted: str) -> Fact[str]:
    return next(t for t in agreement.topics if fold(t.value) == wanted)


# --- chronology: which came first, put in order -------------------------------------------


def _dated_set(ctx: Context, slot: Slot, rng: Random) -> list[Agreement] | None:
    """The anchor and other agreements whose dates certainly differ, in chronological order."""
    anchor = slot.agreement
    peer = _peer(slot, "date")
    picks = [anchor]
    size = slot.template.options()
    pool = (
        a for a in ctx.peers(anchor, rng) if peer(a) and disjoint(a.date.value, anchor.date.value)
    )
    pool = islice(_distinct(pool, picks), size * distractors.BAND)
    gap = anchor.date.value.months()
    ranked = distractors.rank(pool, rng, ctx.difficulty, lambda a: abs(a.date.value.months() - gap))
    for other in _distinct(iter(ranked), picks):
        if len(picks) == size:
            break
        if all(disjoint(other.date.value, p.date.value) for p in picks):
            picks.append(other)
    if len(picks) < 3:
        return None
    return sorted(picks, key=lambda a: distractors.span(a.date.value)[0])


def _order_text(order: list[Agreement]) -> str:
    return "; ".join(f"{a.title} ({a.date.value.label()})" for a in order)


def build_first(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """Which of these agreements was signed first?"""
    order = _dated_set(ctx, slot, rng)
    if order is None:
        return None
    facts = [FactRef(a, "date", a.date) for a in order]
    answer = capital(ctx.subject(order[0]))
    values = {"Answer": answer, "were": was(order[0]), "answer_verb": order[0].verb}
    draft = _draft(ctx, slot, QType.SINGLE_CHOICE, order, facts, order=_order_text(order), **values)
    draft.options, draft.correct = _titles(order), [order[0].title]
    return draft


def build_chronology(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """Put these agreements in the order they were signed."""
    order = _dated_set(ctx, slot, rng)
    if order is None:
        return None
    facts = [FactRef(a, "date", a.date) for a in order]
    draft = _draft(ctx, slot, QType.ORDERING, order, facts, order=_order_text(order))
    draft.options = draft.correct = _titles(order)
    return draft


# --- matching -----------------------------------------------------------------------------


def _value(
    ctx: Context, kind: str, agreement: Agreement, rng: Random
) -> tuple[str, Fact[Any]] | None:
    """The text an agreement is matched with, and the fact behind it."""
    if kind == "place":
        place = ctx.entity(agreement.place.value)
        return None if gives_away(agreement, place.names()) else (place.name, agreement.place)
    if kind == "date":
        return agreement.date.value.label(), agreement.date
    if kind == "parties":
        named = sorted((ctx.entity(k) for k in agreement.parties.value), key=lambda e: e.name)
        names = tuple(n for e in named for n in e.names())
        text = join_names([e.name for e in named])
        return None if gives_away(agreement, names) else (text, agreement.parties)
    topics = [t for t in agreement.topics if not gives_away(agreement, phrase=t.value)]
    if not topics:
        return None
    topic = rng.choice(topics)
    return topic.value, topic


def _fits(kind: str, new: tuple[Agreement, str, Fact[Any]], picks: list) -> bool:
    """True when the new pair leaves every item exactly one true option."""
    agreement, text, fact = new
    for other, other_text, other_fact in picks:
        if kind == "date" and fact.value != other_fact.value:
            if not disjoint(fact.value, other_fact.value):
                return False
        elif kind == "topics":
            if not (
                is_unlike(text, [t.value for t in other.topics])
                and is_unlike(other_text, [t.value for t in agreement.topics])
            ):
                return False
        elif (text == other_text) != (_same(fact.value) == _same(other_fact.value)):
            return False
    return True


def _apart_from(ctx: Context, picks: list, peer: Test) -> Test:
    """``peer``, and told apart from every document picked so far."""

    def test(other: Agreement) -> bool:
        return peer(other) and all(ctx.apart(other, a) for a, _, _ in picks)

    return test


def _same(value: Any) -> Any:
    """What makes two values the same: a place key, or a set of parties in any order."""
    return frozenset(value) if isinstance(value, tuple) else value


def build_match(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """Match agreements to their places, dates, parties or topics."""
    anchor, kind = slot.agreement, slot.template.kind
    peer = _peer(slot, kind)
    picks: list[tuple[Agreement, str, Fact[Any]]] = []
    if kind == "topics":  # open lists: only documents the source describes apart
        peer = _apart_from(ctx, picks, peer)
    others = (
        a for a in ctx.peers(anchor, rng) if a.key != anchor.key and a.known(kind) and peer(a)
    )
    for agreement in _distinct(chain([anchor], others), []):
        found = _value(ctx, kind, agreement, rng)
        if found and _fits(kind, (agreement, *found), picks):
            picks.append((agreement, *found))
        if len(picks) == slot.template.options() or not picks:
            break
    texts = list(dict.fromkeys(text for _, text, _ in picks))
    if len(picks) < 3 or len(texts) < 2:
        return None
    items = [a for a, _, _ in picks]
    facts = [FactRef(a, kind, f) for a, _, f in picks]
    pairs = {a.title: text for a, text, _ in picks}
    answer = "; ".join(f"{title} → {text}" for title, text in pairs.items())
    draft = _draft(ctx, slot, QType.MATCHING, items, facts, answer=answer)
    draft.items, draft.pairs = list(pairs), pairs
    draft.options = texts + _extra(ctx, kind, picks, rng)
    return draft


def _extra(ctx: Context, kind: str, picks: list, rng: Random) -> list[str]:
    """One more option, false for every item, so the last pair is not a given."""
    if kind == "place":
        truth = [ctx.entity(f.value) for _, _, f in picks]
        wrong = distractors.entities(ctx.candidates("place"), truth, 1, rng, ctx.difficulty)
        return [e.name for e in wrong]
    if kind == "date":
        dates = [f.value for _, _, f in picks]
        bounds = ctx.span(picks[0][2].source)
        wrong = distractors.dates(dates[0], 1, rng, ctx.difficulty, dates, bounds)
        return [d.label() for d in wrong]
    return []
