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

# Without a span to keep to, how far (in units of the date's precision) a wrong date may lie.
_REACH = {Precision.YEAR: 12, Precision.MONTH: 48, Precision.DAY: 1100}
# Day offsets tried for a date known to the day: a few near ones, a few far ones.
_DAY_OFFSETS = (3, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365, 400, 500, 730)

Span = tuple[dt.date, dt.date]


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
    avoid: Sequence[PartialDate | Span] = (),
    bounds: Span | None = None,
) -> list[PartialDate]:
    """Up to ``count`` dates at the answer's precision, each disjoint from it and from
    ``avoid`` (dates, or spans such as talks held for several months), and inside
    ``bounds`` (the source's own span) when given. "hard" picks near dates, "easy" far."""
    true = [span(answer), *(span(a) if isinstance(a, PartialDate) else a for a in avoid)]
    false = [
        moved
        for moved in _candidates(answer, bounds)
        if all(_apart(span(moved), t) for t in true)
        and (bounds is None or bounds[0] <= span(moved)[0] and span(moved)[1] <= bounds[1])
    ]
    gap = span(answer)[0]
    return choose(false, count, rng, difficulty, lambda d: abs((span(d)[0] - gap).days))


def _apart(a: Span, b: Span) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def _candidates(answer: PartialDate, bounds: Span | None) -> list[PartialDate]:
    """Dates at the answer's precision around it: every year or month of the bounds (or
    of a few years either side), or days a few days to two years away."""
    if answer.precision == Precision.DAY:
        amounts = [sign * n for n in _DAY_OFFSETS for sign in (-1, 1)]
    elif bounds is not None and answer.precision == Precision.YEAR:
        amounts = [year - answer.year for year in range(bounds[0].year, bounds[1].year + 1)]
    elif bounds is not None:
        first = PartialDate(bounds[0].year, bounds[0].month).months()
        last = PartialDate(bounds[1].year, bounds[1].month).months()
        amounts = [m - answer.months() for m in range(first, last + 1)]
    else:
        reach = _REACH[answer.precision]
        amounts = list(range(-reach, reach + 1))
    moved = (shift(answer, amount) for amount in amounts if amount)
    return [date for date in dict.fromkeys(moved) if date is not None]


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
