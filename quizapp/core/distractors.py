"""Wrong options that are verified false, of the same kind as the answer.

Every function here gets the true values of the question and returns only candidates
that contradict them: an entity sharing no name with a true one, a date whose span does
not overlap the true date's, a phrase that shares little wording with a true one.
Difficulty picks near candidates ("hard": neighbouring cities, a month apart, similar
wording) or far ones ("easy": distant cities, years apart); None mixes them at random.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from random import Random
from typing import TypeVar

from quizapp.core.dataset import Entity, PartialDate, Precision
from quizapp.core.wording import fold, overlap

T = TypeVar("T")

# Candidates looked at per option wanted: enough to rank near and far ones, no more.
BAND = 4

# Phrases sharing at least this much wording with a true one are never offered as false.
SIMILAR = 0.5

# How far a wrong date lies from the true one, in units of its precision.
_OFFSETS = {
    (Precision.YEAR, "hard"): (1, 2, 3),
    (Precision.YEAR, "easy"): (5, 6, 7, 8, 10, 12),
    (Precision.MONTH, "hard"): (1, 2, 3),
    (Precision.MONTH, "easy"): (12, 18, 24, 30, 36, 48),
    (Precision.DAY, "hard"): (3, 7, 10, 14, 21, 30),
    (Precision.DAY, "easy"): (365, 400, 500, 730, 800, 1100),
}


# --- dates --------------------------------------------------------------------------------


def span(date: PartialDate) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date may stand for."""
    if date.day is not None:
        day = dt.date(date.year, date.month, date.day)
        return day, day
    if date.month is not None:
        last = calendar.monthrange(date.year, date.month)[1]
        return dt.date(date.year, date.month, 1), dt.date(date.year, date.month, last)
    return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)


def disjoint(a: PartialDate, b: PartialDate) -> bool:
    """True when the two dates cannot be the same day: one certainly ends before the other."""
    (a_start, a_end), (b_start, b_end) = span(a), span(b)
    return a_end < b_start or b_end < a_start


def within(inner: PartialDate, outer: PartialDate) -> bool:
    """True when every day ``inner`` may stand for lies in ``outer`` ("4 Nov 2021" in 2021)."""
    (i_start, i_end), (o_start, o_end) = span(inner), span(outer)
    return o_start <= i_start and i_end <= o_end


def shift(date: PartialDate, amount: int) -> PartialDate | None:
    """The date moved by ``amount`` units of its own precision, or None out of range."""
    try:
        if date.precision == Precision.YEAR:
            return PartialDate(date.year + amount) if 1 <= date.year + amount <= 9999 else None
        if date.precision == Precision.MONTH:
            year, month = divmod(date.months() + amount, 12)
            return PartialDate(year, month + 1) if 1 <= year <= 9999 else None
        moved = dt.date(date.year, date.month, date.day) + dt.timedelta(days=amount)
        return PartialDate(moved.year, moved.month, moved.day)
    except OverflowError:
        return None


def dates(
    answer: PartialDate,
    count: int,
    rng: Random,
    difficulty: str | None,
    avoid: Sequence[PartialDate] = (),
) -> list[PartialDate]:
    """Up to ``count`` dates at the answer's precision, each disjoint from it and ``avoid``."""
    levels = (difficulty,) if difficulty in ("easy", "hard") else ("hard", "easy")
    amounts = [a for level in levels for a in _OFFSETS[(answer.precision, level)]]
    rng.shuffle(amounts)
    true = (answer, *avoid)
    found: list[PartialDate] = []
    for amount in amounts:
        moved = shift(answer, amount * rng.choice((-1, 1)))
        if moved is None or moved in found or not all(disjoint(moved, t) for t in true):
            continue
        found.append(moved)
        if len(found) == count:
            break
    return found


# --- entities -----------------------------------------------------------------------------


def entities(
    candidates: Iterable[Entity],
    truth: Sequence[Entity],
    count: int,
    rng: Random,
    difficulty: str | None,
) -> list[Entity]:
    """Up to ``count`` entities sharing no name with any true one nor with each other."""
    taken = {fold(name) for entity in truth for name in entity.names()}
    true_keys = {entity.key for entity in truth}
    false: list[Entity] = []
    for entity in candidates:
        names = {fold(name) for name in entity.names()}
        if entity.key in true_keys or names & taken:
            continue
        taken |= names
        false.append(entity)
    return choose(false, count, rng, difficulty, _nearness(truth))


def _nearness(truth: Sequence[Entity]) -> Callable[[Entity], float]:
    """A score that is lower for entities nearer the true ones (by map, else by country)."""
    points = [e.coordinates for e in truth if e.coordinates]
    countries = {e.country for e in truth if e.country}

    def score(entity: Entity) -> float:
        if points and entity.coordinates:
            return min(distance_km(entity.coordinates, p) for p in points)
        return 0.0 if entity.country in countries else 1.0

    return score


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# --- phrases (topics, occasions) ----------------------------------------------------------


def phrases(
    candidates: Iterable[str],
    truth: Sequence[str],
    count: int,
    rng: Random,
    difficulty: str | None,
    unlike: Sequence[str] = (),
) -> list[str]:
    """Up to ``count`` phrases unlike every true one (and unlike ``unlike``, e.g. the title)."""
    false: list[str] = []
    seen = {fold(t) for t in truth}
    for phrase in candidates:
        key = fold(phrase)
        if key in seen or not is_unlike(phrase, (*truth, *unlike)):
            continue
        seen.add(key)
        false.append(phrase)
        if len(false) >= count * BAND:
            break

    def nearness(phrase: str) -> float:
        return -max((overlap(phrase, t) for t in truth), default=0.0)

    return choose(false, count, rng, difficulty, nearness)


def is_unlike(phrase: str, others: Iterable[str]) -> bool:
    """True when ``phrase`` shares less than half its wording with each of ``others``."""
    return all(overlap(phrase, other) < SIMILAR for other in others)


# --- choosing -----------------------------------------------------------------------------


def rank(
    candidates: Iterable[T], rng: Random, difficulty: str | None, nearness: Callable[[T], float]
) -> list[T]:
    """Nearest first for "hard", farthest first for "easy", else a random order."""
    ranked = list(candidates)
    if difficulty not in ("easy", "hard"):
        rng.shuffle(ranked)
        return ranked
    ranked.sort(key=lambda c: (nearness(c), rng.random()))
    if difficulty == "easy":
        ranked.reverse()
    return ranked


def choose(
    candidates: Sequence[T],
    count: int,
    rng: Random,
    difficulty: str | None,
    nearness: Callable[[T], float],
) -> list[T]:
    """``count`` candidates ranked by ``rank``; near and far picks come from a band one
    wider than needed, so that different seeds still vary them."""
    ranked = rank(candidates, rng, difficulty, nearness)
    if difficulty not in ("easy", "hard") or len(ranked) <= count:
        return ranked[:count]
    return rng.sample(ranked[: count + 1], count)
