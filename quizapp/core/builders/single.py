"""Builders for questions about one agreement: where, when, who, what, what preceded it,
and true/false statements made from a real or an altered fact."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from random import Random
from typing import Any

from quizapp.core import distractors
from quizapp.core.builders.context import (
    Context,
    Draft,
    FactRef,
    Ref,
    Slot,
    choices,
    words,
    wrong_count,
)
from quizapp.core.dataset import Agreement, Entity, Fact, PartialDate, Precision
from quizapp.core.present import join_names
from quizapp.core.questions import QType
from quizapp.core.wording import PRECISION_WORDS, capital, date_phrase, entity_phrase, gives_away


def _draft(
    ctx: Context, slot: Slot, qtype: str, ref: Ref, facts: list[FactRef], **values: str
) -> Draft:
    """A draft with the template's prompt and explanation filled in."""
    filled = {**words(ctx, slot.agreement, ref), **values}
    return Draft(
        type=qtype,
        prompt=slot.template.prompt(qtype).format_map(filled),
        explain=slot.template.explain.format_map(filled),
        facts=facts,
        agreements=[slot.agreement],
        reveals=ref.reveals,
    )


def _date_settings(slot: Slot, date: PartialDate) -> dict[str, Any]:
    tolerance = int(slot.template.settings.get("tolerance", 0))
    return {"precision": date.precision.name.lower(), "tolerance": tolerance}


def build_place(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """Where was the agreement signed?"""
    agreement = slot.agreement
    place = ctx.entity(agreement.place.value)
    ref = ctx.reference(agreement, "place", names=place.names())
    if ref is None:
        return None
    qtype = rng.choice(types)
    facts = [FactRef(agreement, "place", agreement.place)]
    draft = _draft(ctx, slot, qtype, ref, facts, answer=place.name, Answer=place.name)
    if qtype == QType.SHORT_ANSWER:
        draft.accepted = (place.names(),)
        return draft
    count = wrong_count(slot.template, 1)
    wrong = distractors.entities(ctx.candidates("place"), [place], count, rng, ctx.difficulty)
    return choices(draft, [place.name], [e.name for e in wrong])


def build_date(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """When was the agreement signed? Answered at the precision the source gives."""
    agreement = slot.agreement
    date = agreement.date.value
    ref = ctx.reference(agreement, "date", year=_year_only(date))
    if ref is None:
        return None
    qtype = rng.choice(types)
    facts = [FactRef(agreement, "date", agreement.date)]
    values = {"answer": date_phrase(date), "precision": PRECISION_WORDS[date.precision]}
    draft = _draft(ctx, slot, qtype, ref, facts, **values)
    return _date_question(ctx, slot, draft, agreement.date, rng)


def _date_question(
    ctx: Context,
    slot: Slot,
    draft: Draft,
    fact: Fact[Any],
    rng: Random,
    date: PartialDate | None = None,
    avoid: tuple[distractors.Span, ...] = (),
) -> Draft | None:
    """Make ``draft`` a date question, or a choice between this date and wrong ones from
    the years the source covers."""
    date = date or fact.value
    if draft.type == QType.DATE:
        draft.date = date
        draft.settings = _date_settings(slot, date)
        return draft
    count = wrong_count(slot.template, 1)
    bounds = ctx.span(fact.source)
    wrong = distractors.dates(date, count, rng, ctx.difficulty, avoid, bounds)
    return choices(draft, [date.label()], [d.label() for d in wrong])


def build_entities(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """Who signed it, or which parties concluded it (persons, organisations, countries)."""
    agreement, kind = slot.agreement, slot.template.kind
    fact = getattr(agreement, kind)
    named = [ctx.entity(key) for key in fact.value]
    ref = ctx.reference(agreement, kind, names=tuple(n for e in named for n in e.names()))
    if ref is None:
        return None
    qtype = rng.choice(types)
    answer = join_names([entity_phrase(e) for e in named])
    draft = _draft(ctx, slot, qtype, ref, [FactRef(agreement, kind, fact)], answer=answer)
    if qtype == QType.SHORT_ANSWER:
        draft.accepted = tuple(e.names() for e in named)
        return draft
    right = [rng.choice(named)] if qtype == QType.SINGLE_CHOICE else named
    pool = ctx.candidates(*(e.kind for e in named))
    count = wrong_count(slot.template, len(right))
    wrong = distractors.entities(pool, named, count, rng, ctx.difficulty)
    return choices(draft, [e.name for e in right], [e.name for e in wrong])


def build_topic(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """What did the agreement cover? One topic, or several for multiple choice."""
    agreement = slot.agreement
    fact = agreement.topics[slot.item]
    ref = ctx.reference(agreement, "topics", phrase=fact.value)
    if ref is None:
        return None
    qtype = rng.choice(types)
    right = [fact]
    if qtype == QType.MULTIPLE_CHOICE:
        others = [
            t for t in agreement.topics if t is not fact and not gives_away(agreement, (), t.value)
        ]
        right += rng.sample(others, rng.randint(0, min(2, len(others))))
    facts = [FactRef(agreement, "topics", t) for t in right]
    draft = _draft(ctx, slot, qtype, ref, facts, answer=join_names([f"“{t.value}”" for t in right]))
    truth = [t.value for t in agreement.topics]
    count = wrong_count(slot.template, len(right))
    pool = partial(topic_pool, ctx, agreement, rng)
    wrong = ctx.home_first(agreement, pool, truth, count, rng)
    return choices(draft, [t.value for t in right], wrong)


def topic_pool(ctx: Context, agreement: Agreement, rng: Random, home: bool) -> Iterator[str]:
    """Topics the source attaches to other agreements (of the same dataset file, or with
    ``home`` False of the others), in a random order: candidates for wrong options. Topics
    are an open list (the source is silent on the rest), so none comes from an agreement of
    the same occasion or described in the same paragraph."""
    for other in ctx.shuffled(rng):
        if ctx.same_file(agreement, other) != home or other.key == agreement.key:
            continue
        if other.topics and ctx.apart(agreement, other):
            yield from (topic.value for topic in other.topics)


def build_preceded(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """When did the event that preceded the agreement take place?"""
    agreement = slot.agreement
    fact = agreement.preceded_by[slot.item]
    event = fact.value
    if event.date is None or event.end is not None:
        return None  # undated, or it lasted a while: no single date to ask
    ref = ctx.reference(agreement, "preceded_by")  # the date is asked, not the event
    qtype = rng.choice(types)
    values = {
        "event": event.description,
        "answer": date_phrase(event.date),
        "precision": PRECISION_WORDS[event.date.precision],
    }
    draft = _draft(ctx, slot, qtype, ref, [FactRef(agreement, "preceded_by", fact)], **values)
    # A wrong date must not fall in any other event before the agreement either
    # ("talks held for several months" make every month of them true).
    avoid = tuple(
        (distractors.span(e.value.date)[0], distractors.span(e.value.end or e.value.date)[1])
        for e in agreement.preceded_by
        if e.value.date
    )
    return _date_question(ctx, slot, draft, fact, rng, event.date, avoid)


# --- true or false ------------------------------------------------------------------------


def build_statement(ctx: Context, slot: Slot, types: tuple[str, ...], rng: Random) -> Draft | None:
    """A true statement from a fact, or (by the seed) one altered to be verifiably false."""
    agreement, kind = slot.agreement, slot.template.kind
    fact = getattr(agreement, kind) if slot.item is None else getattr(agreement, kind)[slot.item]
    claim = _CLAIMS[kind](ctx, agreement, fact, rng)
    if claim.altered is None:
        return None  # a statement that can only be true teaches a pattern, not a fact
    ref = ctx.reference(agreement, kind, names=claim.names, phrase=claim.phrase, year=claim.year)
    if ref is None:
        return None
    truth = rng.random() < 0.5
    value, key = (claim.value, claim.key) if truth else claim.altered
    values = {"value": value, "Value": capital(value), "answer": claim.answer}
    draft = _draft(ctx, slot, QType.TRUE_FALSE, ref, [FactRef(agreement, kind, fact)], **values)
    draft.explain = ("True. " if truth else "False. ") + draft.explain
    draft.truth = truth
    draft.params = {"value": key}
    if not truth and kind == "occasion":
        draft.evidence = [FactRef(agreement, kind, fact)]
    return draft


@dataclass(frozen=True)
class Claim:
    """What a statement says when true, and an altered value (text, key) that the source
    rules out. ``names``, ``phrase`` and ``year`` are what the title must not give away:
    the true value and the altered one alike."""

    value: str
    key: str
    answer: str
    altered: tuple[str, str] | None
    names: tuple[str, ...] = ()
    phrase: str = ""
    year: int | None = None


def _claim_place(ctx: Context, agreement: Agreement, fact: Fact[str], rng: Random) -> Claim:
    place = ctx.entity(fact.value)
    wrong = distractors.entities(ctx.candidates("place"), [place], 1, rng, ctx.difficulty)
    altered = (wrong[0].name, wrong[0].key) if wrong else None
    names = place.names() + (wrong[0].names() if wrong else ())
    return Claim(place.name, place.key, place.name, altered, names=names)


def _claim_date(ctx: Context, agreement: Agreement, fact: Fact[PartialDate], rng: Random) -> Claim:
    date = fact.value
    wrong = distractors.dates(date, 1, rng, ctx.difficulty, bounds=ctx.span(fact.source))
    altered = (date_phrase(wrong[0]), wrong[0].iso()) if wrong else None
    year = _year_only(date)
    return Claim(date_phrase(date), date.iso(), date_phrase(date), altered, year=year)


def _year_only(date: PartialDate) -> int | None:
    """The year when it is the whole answer: a title holding it would give it away."""
    return date.year if date.precision == Precision.YEAR else None


def _claim_entities(ctx: Context, agreement: Agreement, fact: Fact[Any], rng: Random) -> Claim:
    named: list[Entity] = [ctx.entity(key) for key in fact.value]
    one = rng.choice(named)
    pool = ctx.candidates(*(e.kind for e in named))
    wrong = distractors.entities(pool, named, 1, rng, ctx.difficulty)
    altered = (entity_phrase(wrong[0]), wrong[0].key) if wrong else None
    answer = join_names([entity_phrase(e) for e in named])
    names = tuple(n for e in [*named, *wrong] for n in e.names())
    return Claim(entity_phrase(one), one.key, answer, altered, names=names)


def _claim_occasion(ctx: Context, agreement: Agreement, fact: Fact[str], rng: Random) -> Claim:
    """Another occasion of the same dataset file makes the false statement: one from
    another text (the College of 2021 for a treaty of 1996) would be false at a glance."""
    pool = (
        a.occasion.value
        for a in ctx.shuffled(rng)
        if a.occasion
        and a is not agreement
        and ctx.same_file(agreement, a)
        and ctx.apart(agreement, a)
    )
    wrong = distractors.phrases(pool, [fact.value], 1, rng, ctx.difficulty, (agreement.title,))
    altered = (wrong[0], wrong[0]) if wrong else None
    return Claim(fact.value, fact.value, fact.value, altered, phrase=fact.value)


# Statements only about facts the source gives whole: one date, one place, one occasion,
# the parties, the signatories. Topics and preceding events are open lists: the source
# names some and is silent on the rest, so no statement about them could be keyed False.
_CLAIMS = {
    "place": _claim_place,
    "date": _claim_date,
    "parties": _claim_entities,
    "signatories": _claim_entities,
    "occasion": _claim_occasion,
}
STATEMENT_KINDS = tuple(_CLAIMS)
