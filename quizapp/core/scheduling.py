"""Spaced practice per fact, scheduled with FSRS (the ``fsrs`` package).

Each fact a trainee has answered about is one FSRS card. A graded answer becomes a
rating by a fixed rule (see ``rating_for``); the card and its due time are stored as
``Card.to_dict()``. Fuzzing is off so that the same answers at the same times always
give the same schedule. Everything is UTC and ``now`` is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Any, Protocol, TypeVar

from fsrs import Card, Rating, Scheduler

from quizapp.core.clock import as_utc

SCHEDULER = Scheduler(enable_fuzzing=False)

# A fraction at or above this is a hesitant but real recall.
HARD_FROM = 0.5

# Mastery looks this far ahead: recall right after a review is always near 1, which says
# nothing; the chance of recalling a fact a week later does.
HORIZON = timedelta(days=7)
HORIZON_WORDS = "in 7 days"
# How many of the latest answers about a fact weigh on its mastery.
RECENT = 3


def rating_for(fraction: float) -> Rating:
    """The FSRS rating of a graded answer.

    A fully right answer (fraction 1.0) is ``Good``; a partly right one worth at least
    half is ``Hard``; anything less is ``Again``. ``Easy`` is never given: a quiz answer
    cannot tell an effortless recall from a careful one.
    """
    if fraction >= 1.0:
        return Rating.Good
    if fraction >= HARD_FROM:
        return Rating.Hard
    return Rating.Again


def new_card(now: datetime) -> Card:
    """A fresh card due now (its id from ``now``, so no clock is read)."""
    moment = as_utc(now)
    return Card(card_id=int(moment.timestamp() * 1000), due=moment)


def review(card: dict[str, Any] | None, fraction: float, now: datetime) -> tuple[dict, datetime]:
    """Review a stored card (None: a new one) with a graded answer; return it and its due time."""
    moment = as_utc(now)
    current = new_card(moment) if card is None else Card.from_dict(card)
    updated, _log = SCHEDULER.review_card(current, rating_for(fraction), moment)
    return dict(updated.to_dict()), as_utc(updated.due)


def retrievability(card: dict[str, Any] | None, now: datetime) -> float:
    """FSRS's estimate (0..1) that the fact is recalled now; 0 for a fact never studied."""
    if card is None:
        return 0.0
    return float(SCHEDULER.get_card_retrievability(Card.from_dict(card), as_utc(now)))


class Scheduled(Protocol):
    fact_id: str
    due: datetime


S = TypeVar("S", bound=Scheduled)
T = TypeVar("T")


def due(cards: Iterable[S], now: datetime) -> list[S]:
    """The cards due at ``now``, the most overdue first (ties by fact id, to be stable)."""
    moment = as_utc(now)
    ready = [c for c in cards if as_utc(c.due) <= moment]
    return sorted(ready, key=lambda c: (as_utc(c.due), c.fact_id))


def queue(due_ids: Sequence[str], new_ids: Sequence[str], limit: int) -> list[str]:
    """What to practise: due facts first, then facts never studied, at most ``limit``."""
    ordered = list(dict.fromkeys([*due_ids, *new_ids]))
    return ordered[: max(0, limit)]


def shuffled(items: Iterable[T], seed: int | str) -> list[T]:
    """The items in an order fixed by ``seed``, so that a session can be rebuilt."""
    out = list(items)
    Random(seed).shuffle(out)  # noqa: S311  (reproducible order, not a secret)
    return out


class Typed(Protocol):
    type: str


Q = TypeVar("Q", bound=Typed)


def choose_question(candidates: Sequence[Q], last_type: str | None) -> Q | None:
    """The first candidate of a different type from last time; the first one if none differs."""
    for candidate in candidates:
        if candidate.type != last_type:
            return candidate
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class Mastery:
    """How well a trainee knows a group of facts (one agreement's, say)."""

    total: int
    studied: int
    recall: float  # mean fact mastery over all the facts, unstudied ones counting 0

    @property
    def percent(self) -> int:
        return round(self.recall * 100)


MEANING = (
    f"Mastery is the chance, estimated by FSRS from your answers, that you still recall a "
    f"fact {HORIZON_WORDS}, scaled by how much of your last {RECENT} answers about it was "
    "right, so a wrong answer lowers it at once. Facts you have not been asked count as 0."
)


def fact_mastery(card: dict[str, Any] | None, fractions: Sequence[float], now: datetime) -> float:
    """One fact's mastery: FSRS recall ``HORIZON`` from now times the mean of the latest
    ``RECENT`` answers' fractions (oldest first), so a wrong answer lowers it at once."""
    if card is None or not fractions:
        return 0.0
    latest = list(fractions)[-RECENT:]
    return retrievability(card, as_utc(now) + HORIZON) * sum(latest) / len(latest)


def mastery(
    facts: Iterable[tuple[dict[str, Any] | None, Sequence[float]]], total: int, now: datetime
) -> Mastery:
    """Mastery of ``total`` facts given ``(card, answer fractions)`` of those studied."""
    values = [fact_mastery(card, fractions, now) for card, fractions in facts if card is not None]
    recall = sum(values) / total if total else 0.0
    return Mastery(total=total, studied=len(values), recall=min(1.0, recall))
