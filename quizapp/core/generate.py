"""Quizzes and question banks from a dataset and templates, reproducible from a seed.

Generation is lazy: templates take turns by fact kind, each drawing agreements in a
seeded random order, so a 20-question quiz touches a few dozen agreements however
large the dataset. Each question gets its own random source derived from the seed, the
template and the agreement, so a question reads the same whichever quiz it lands in.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from random import Random

from quizapp.core.builders import BUILDERS, Context, Slot
from quizapp.core.builders.context import lazy_shuffle
from quizapp.core.builders.finish import finish
from quizapp.core.dataset import LIST_FACT_KINDS, Agreement, Dataset
from quizapp.core.qtypes import TYPES
from quizapp.core.questions import Question
from quizapp.core.templates import BUNDLED, Template, load_templates

DIFFICULTIES = ("easy", "hard")
# At most one question in this many may test more than two facts at once, until the
# candidates run out.
_WIDE_SHARE = 5
# Candidates of one type in a row that the quiz cannot take before the type stops
# getting turns (its questions all repeat facts already asked).
_MISSES = 30
# The most of a quiz one type may take while others can fill it.
_MOST = 0.3
# Slots a template may try in one turn before the next template gets its go.
_TRIES_PER_TURN = 25

Templates = Sequence[Template] | str | Path | None


@dataclass(frozen=True)
class QuizResult:
    """The questions made, why there are fewer than asked (None when all were made), and
    which types the data could not give their share (None when every share was met)."""

    questions: tuple[Question, ...]
    shortfall_reason: str | None = None
    mix_note: str | None = None


class UnknownAgreement(ValueError):
    """``about`` names no agreement of the dataset."""


def generate_quiz(
    dataset: Dataset,
    count: int,
    seed: int | str,
    types: Iterable[str] | None = None,
    about: str | None = None,
    difficulty: str | None = None,
    templates: Templates = None,
    shares: Mapping[str, float] | None = None,
) -> QuizResult:
    """A quiz of ``count`` questions: question types in the ``shares`` asked (default: even
    across the types the data supports), spread over agreements and fact kinds, no fact
    asked (or given away by another prompt) twice, the same quiz for the same inputs."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    wanted, anchors = _types(types), _anchors(dataset, about)
    ctx = Context(dataset, _difficulty(difficulty))
    if count == 0:
        return QuizResult(())
    chosen = _templates(templates)
    mix = _Mix(_shares(shares, _offered(chosen, wanted)), seeded(seed, "mix"), count)
    quiz = _Quiz(count, cap=math.ceil(count / max(1, len(anchors))), weights=mix.weights)
    origins: dict[str, Slot] = {}
    streams = {t: _Lookahead(_stream(ctx, chosen, seed, (t,), anchors, origins)) for t in mix.types}
    while not quiz.full and mix.alive:
        qtype = mix.next()
        question = streams[qtype].narrowest(quiz)
        if question is None:
            mix.retire(qtype)
            continue
        taken = len(quiz.questions)
        quiz.offer(question)
        mix.record(qtype, took=len(quiz.questions) > taken)
    if not quiz.full:  # every candidate left joins those the repair may draw on
        for stream in streams.values():
            for question in stream.rest():
                quiz.offer(question)
                if quiz.full:
                    break
            if quiz.full:
                break
    if not quiz.full:
        quiz.settle()
        mixed = quiz.repaired(keep_types=True)
        quiz = mixed if mixed.full else quiz.repaired(keep_types=False)
    quiz = _rebalanced(quiz, mix.most, _remaker(ctx, seed, origins, wanted))
    reason = None if quiz.full else _shortfall(quiz, count, wanted, about)
    return QuizResult(tuple(quiz.questions), reason, mix.note(quiz.questions))


def generate_bank(
    dataset: Dataset,
    templates: Templates = None,
    seed: int | str = 0,
    count: int | None = None,
    types: Iterable[str] | None = None,
    about: str | None = None,
    difficulty: str | None = None,
) -> tuple[Question, ...]:
    """Distinct questions (up to ``count``, else every one the data supports) for
    instructors to pick from; unlike a quiz, several may test the same fact."""
    ctx = Context(dataset, _difficulty(difficulty))
    stream = _stream(ctx, _templates(templates), seed, _types(types), _anchors(dataset, about))
    seen: dict[str, Question] = {}
    for question in stream:
        seen.setdefault(question.id, question)
        if len(seen) == count:
            break
    return tuple(seen.values())


def seeded(*parts: object) -> Random:
    """A random source determined by ``parts`` alone: the seed and what it is for.

    Quizzes must be reproducible, so this is the only randomness generation uses; it is
    not for anything secret.
    """
    return Random("|".join(map(str, parts)))  # noqa: S311


# --- arguments ----------------------------------------------------------------------------


def _types(types: Iterable[str] | None) -> tuple[str, ...] | None:
    if types is None:
        return None
    wanted = tuple(dict.fromkeys(types))
    unknown = [t for t in wanted if t not in TYPES]
    if unknown:
        raise ValueError(f"unknown question type {unknown[0]!r}; known: {', '.join(TYPES)}")
    return wanted or None


def _difficulty(difficulty: str | None) -> str | None:
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}")
    return difficulty


def _anchors(dataset: Dataset, about: str | None) -> tuple[Agreement, ...]:
    if about is None:
        return dataset.agreements
    found = tuple(a for a in dataset.agreements if a.key == about)
    if not found:
        raise UnknownAgreement(f"no agreement has the key {about!r}")
    return found


def _templates(templates: Templates) -> tuple[Template, ...]:
    if templates is None:
        return _bundled()
    if isinstance(templates, (str, Path)):
        return load_templates(templates)
    return tuple(templates)


@cache
def _bundled() -> tuple[Template, ...]:
    return load_templates(BUNDLED)


def _offered(templates: Sequence[Template], types: tuple[str, ...] | None) -> tuple[str, ...]:
    """The question types the templates make (of those asked), in a fixed order."""
    made = {t for template in templates for t in _allowed(template, types)}
    return tuple(t for t in TYPES if t in made)


def _shares(shares: Mapping[str, float] | None, offered: tuple[str, ...]) -> dict[str, float]:
    """The weight of each type: as asked (types not named get none), else even."""
    if shares is None:
        return dict.fromkeys(offered, 1.0)
    unknown = [t for t in shares if t not in TYPES]
    if unknown:
        raise ValueError(f"unknown question type {unknown[0]!r}; known: {', '.join(TYPES)}")
    if any(weight < 0 for weight in shares.values()):
        raise ValueError("a share must be 0 or more")
    weights = {t: float(shares[t]) for t in offered if shares.get(t)}
    if not weights:
        raise ValueError("no question type with a share above 0 can be made")
    return weights


class _Lookahead:
    """A type's candidates, a few at a time: the quiz takes the one that uses the fewest
    facts, so a small dataset has facts left for every type."""

    def __init__(self, stream: Iterator[Question], size: int = 6) -> None:
        self.stream, self.size = stream, size
        self.buffer: list[Question] = []
        self.dropped: list[Question] = []  # repeats now; a repair may free their facts

    def narrowest(self, quiz: _Quiz) -> Question | None:
        """The fitting candidate of least cost among the next few; None when none is left.
        Those that repeat a fact are set aside: they fit only if a repair frees the fact."""
        kept = []
        for question in self.buffer:
            (kept if quiz.fits(question) else self.dropped).append(question)
        self.buffer = kept
        for question in self.stream:
            (self.buffer if quiz.fits(question) else self.dropped).append(question)
            if len(self.buffer) >= self.size:
                break
        if not self.buffer:
            return None
        best = min(self.buffer, key=_cost)
        self.buffer.remove(best)
        return best

    def rest(self) -> Iterator[Question]:
        """The candidates not yet handed out, and those dropped as repeats."""
        yield from self.dropped
        yield from self.buffer
        self.dropped, self.buffer = [], []
        yield from self.stream


class _Mix:
    """Which type gets the next turn: the one furthest below its share, until its
    candidates run out or keep repeating facts already asked."""

    def __init__(self, weights: Mapping[str, float], rng: Random, count: int) -> None:
        self.weights = dict(weights)
        # No type above this many while another can still be had (unless asked for).
        total = sum(self.weights.values())
        self.most = {
            t: max(math.ceil(count * _MOST), math.ceil(count * w / total))
            for t, w in self.weights.items()
        }
        self.types = list(weights)
        rng.shuffle(self.types)  # ties go to a seeded order
        self.alive = list(self.types)
        self.misses: Counter[str] = Counter()
        self.taken: Counter[str] = Counter()

    def next(self) -> str:
        under = [t for t in self.alive if self.taken[t] < self.most[t]] or self.alive
        return min(under, key=lambda t: self.taken[t] / self.weights[t])

    def record(self, qtype: str, took: bool) -> None:
        if took:
            self.taken[qtype] += 1
            self.misses[qtype] = 0
            return
        self.misses[qtype] += 1
        if self.misses[qtype] >= _MISSES:
            self.retire(qtype)

    def retire(self, qtype: str) -> None:
        if qtype in self.alive:
            self.alive.remove(qtype)

    def note(self, questions: Sequence[Question]) -> str | None:
        """Which types fell short of their share, and why, for the instructor."""
        made = Counter(q.type for q in questions)
        total = sum(self.weights.values())
        short = [
            f"{made[t]} {t} (share {round(len(questions) * w / total)})"
            for t, w in self.weights.items()
            if made[t] < math.floor(len(questions) * w / total)
        ]
        if not short:
            return None
        return (
            "the data cannot give every type its share without asking a fact twice: "
            + ", ".join(sorted(short))
        )


# --- the stream of candidate questions ----------------------------------------------------


def _stream(
    ctx: Context,
    templates: tuple[Template, ...],
    seed: int | str,
    types: tuple[str, ...] | None,
    anchors: Sequence[Agreement],
    origins: dict[str, Slot] | None = None,
) -> Iterator[Question]:
    """Questions, with fact kinds taking turns and the templates of a kind taking turns;
    ``origins`` learns the slot each question came from."""
    order = seeded(seed, "order")
    groups: dict[str, deque[tuple[Template, Iterator[Slot]]]] = {}
    for template in templates:
        if _allowed(template, types):
            slots = _slots(template, anchors, seeded(seed, "slots", template.id))
            groups.setdefault(template.kind, deque()).append((template, slots))
    kinds = list(groups)
    order.shuffle(kinds)
    for kind in kinds:
        groups[kind].rotate(order.randrange(len(groups[kind])))
    while kinds:
        for kind in list(kinds):
            queue = groups[kind]
            template, slots = queue[0]
            queue.rotate(-1)
            question, exhausted = _next(ctx, template, slots, seed, types, origins)
            if exhausted:
                queue.remove((template, slots))
                if not queue:
                    kinds.remove(kind)
            if question:
                yield question


def _allowed(template: Template, types: tuple[str, ...] | None) -> tuple[str, ...]:
    return tuple(t for t in template.types if types is None or t in types)


def _slots(template: Template, anchors: Sequence[Agreement], rng: Random) -> Iterator[Slot]:
    """The agreements (and list items) a template can ask about, in a seeded order."""
    spec = BUILDERS[template.builder]
    per_item = spec.per_item and template.kind in LIST_FACT_KINDS
    for agreement in lazy_shuffle(anchors, rng):
        if not all(agreement.known(kind) for kind in template.needs):
            continue
        if not per_item:
            yield Slot(template, agreement)
            continue
        size = len(getattr(agreement, template.kind))
        for item in rng.sample(range(size), size):
            yield Slot(template, agreement, item)


def _next(
    ctx: Context,
    template: Template,
    slots: Iterator[Slot],
    seed: int | str,
    types: tuple[str, ...] | None,
    origins: dict[str, Slot] | None,
) -> tuple[Question | None, bool]:
    """The template's next question, and whether its slots ran out."""
    for _ in range(_TRIES_PER_TURN):
        slot = next(slots, None)
        if slot is None:
            return None, True
        question = build(ctx, slot, seed, _allowed(template, types))
        if question:
            if origins is not None:
                origins[question.id] = slot
            return question, False
    return None, False


def build(ctx: Context, slot: Slot, seed: int | str, types: tuple[str, ...]) -> Question | None:
    """The question a slot makes under this seed, or None when the data cannot support it.

    The types the template allows are tried in a seeded order until one works (a question
    with too few wrong options for a choice may still work as a short answer).
    """
    item = "" if slot.item is None else slot.item
    name = (seed, slot.template.id, slot.agreement.key, item)
    builder = BUILDERS[slot.template.builder].build
    for qtype in seeded(*name).sample(types, len(types)):
        rng = seeded(*name, qtype)
        draft = builder(ctx, slot, (qtype,), rng)
        if draft is not None and draft.type == qtype:
            return finish(ctx, slot.template, draft, rng)
    return None


_Remake = Callable[[Question, Callable[[str], bool]], Iterator[Question]]


def _remaker(
    ctx: Context, seed: int | str, origins: Mapping[str, Slot], types: tuple[str, ...] | None
) -> _Remake:
    """The same slot as a question of each other type its template makes (of those asked
    and accepted), in a fixed order."""

    def remake(question: Question, accept: Callable[[str], bool]) -> Iterator[Question]:
        slot = origins[question.id]
        for qtype in _allowed(slot.template, types):
            if qtype != question.type and accept(qtype):
                made = build(ctx, slot, seed, (qtype,))
                if made is not None:
                    yield made

    return remake


# --- choosing a quiz from the stream ------------------------------------------------------


@dataclass
class _Quiz:
    """Questions taken so far and the facts they test or reveal."""

    count: int
    cap: int  # questions per agreement before others get their turn
    questions: list[Question] = field(default_factory=list)
    tested: set[str] = field(default_factory=set)
    revealed: set[str] = field(default_factory=set)
    per_agreement: Counter[str] = field(default_factory=Counter)
    deferred: list[Question] = field(default_factory=list)
    seen: list[Question] = field(default_factory=list)
    offered: int = 0
    repeats: int = 0
    weights: Mapping[str, float] = field(default_factory=dict)  # the share of each type

    @property
    def full(self) -> bool:
        return len(self.questions) >= self.count

    def fits(self, question: Question) -> bool:
        """No fact of it is asked or given away already, and it gives none away."""
        asked, shown = set(asked_ids(question)), set(question.reveals)
        return not (asked & (self.tested | self.revealed) or shown & self.tested)

    def offer(self, question: Question) -> None:
        """Take the question, hold it back for later, or drop it as a repeat."""
        self.offered += 1
        self.seen.append(question)
        if not self.fits(question):
            self.repeats += 1
        elif self._crowded(question):
            self.deferred.append(question)
        else:
            self.take(question)

    def _crowded(self, question: Question) -> bool:
        """Its agreement has had its share, or it would use many facts at once (a small
        dataset runs out of facts if matching and ordering questions come first)."""
        if self.per_agreement[question.agreements[0]] >= self.cap:
            return True
        wide = sum(1 for q in self.questions if len(q.fact_ids) > 2)
        return len(question.fact_ids) > 2 and wide >= max(1, self.count // _WIDE_SHARE)

    def take(self, question: Question) -> None:
        self.questions.append(question)
        self.tested |= set(asked_ids(question))
        self.revealed |= set(question.reveals)
        self.per_agreement[question.agreements[0]] += 1

    def settle(self) -> None:
        """With every candidate seen, fill up from those held back for spreading."""
        self.fill(self.deferred)

    def fill(self, candidates: Sequence[Question], by_type: bool = True) -> None:
        """Take fitting candidates until full: each time the narrowest of the type
        furthest below its share (or just the narrowest)."""
        taken = {q.id for q in self.questions}
        waiting = [q for q in candidates if q.id not in taken]
        while not self.full:
            waiting = [q for q in waiting if self.fits(q)]
            if not waiting:
                return
            made = Counter(q.type for q in self.questions) if by_type else Counter()
            best = min(
                waiting, key=lambda q: (made[q.type] / self.weights.get(q.type, 1.0), _cost(q))
            )
            waiting.remove(best)
            self.take(best)

    def repaired(self, keep_types: bool) -> _Quiz:
        """When short, trade a question that uses several facts (asked or given away) for
        narrower ones, as long as that makes the quiz longer: small datasets run out. With
        ``keep_types``, the last question of a type stays, so the quiz mixes every type."""
        best = self
        for costly in sorted(self.questions, key=_cost, reverse=True):
            if best.full or _cost(costly) < 2:
                break
            if keep_types and sum(1 for q in best.questions if q.type == costly.type) == 1:
                continue  # the last of its type stays: the mix matters more than one more
            trial = best._without(costly, by_type=keep_types)
            if len(trial.questions) > len(best.questions):
                best = trial
        best.repeats = self.repeats
        return best

    def _without(self, dropped: Question, by_type: bool) -> _Quiz:
        """This quiz without one question, refilled from every candidate seen."""
        trial = _Quiz(
            self.count, self.cap, seen=self.seen, offered=self.offered, weights=self.weights
        )
        for question in self.questions:
            if question is not dropped:
                trial.take(question)
        trial.fill([q for q in self.seen if q.id != dropped.id], by_type)
        return trial


def asked_ids(question: Question) -> tuple[str, ...]:
    """What a question tests, for the rule that a quiz tests nothing twice. A chronology
    question (which came first, put in order) tests the order of dates, not the dates:
    it may sit beside "When was X signed?", never beside another chronology question on
    the same dates."""
    if "chronology" in question.tags:
        return tuple(f"order:{fact}" for fact in question.fact_ids)
    return question.fact_ids


def _rebalanced(quiz: _Quiz, most: Mapping[str, int], remake: _Remake) -> _Quiz:
    """The quiz with questions of a type above its most asked, where they can be, as a
    type their template also makes that is below its most: a topic as multiple choice
    instead of single choice. A short quiz is filled from whatever fits, and on a small
    dataset what fits last is mostly topics, asked as single choice."""
    questions = list(quiz.questions)
    made = Counter(q.type for q in questions)
    for i in reversed(range(len(questions))):
        if made[questions[i].type] <= most.get(questions[i].type, quiz.count):
            continue
        others = _Quiz(quiz.count, quiz.cap)
        for other in questions[:i] + questions[i + 1 :]:
            others.take(other)
        under = lambda t: made[t] < most.get(t, 0)  # noqa: E731
        spare = sorted((q for q in quiz.seen if under(q.type) and q not in questions), key=_cost)
        for swapped in chain(remake(questions[i], under), spare):
            if others.fits(swapped):
                made[questions[i].type] -= 1
                made[swapped.type] += 1
                questions[i] = swapped
                break
    if questions == quiz.questions:
        return quiz
    rebalanced = _Quiz(quiz.count, quiz.cap, seen=quiz.seen, offered=quiz.offered)
    rebalanced.repeats, rebalanced.weights = quiz.repeats, quiz.weights
    for question in questions:
        rebalanced.take(question)
    return rebalanced


def _cost(question: Question) -> int:
    """How many facts a question uses up: those it asks and those its prompt gives away.
    A chronology question asks the order, which no other kind of question uses up."""
    asked = 1 if "chronology" in question.tags else len(question.fact_ids)
    return asked + len(question.reveals)


def _shortfall(quiz: _Quiz, count: int, types: tuple[str, ...] | None, about: str | None) -> str:
    scope = []
    if types:
        scope.append(f"of type {', '.join(types)}")
    if about:
        scope.append(f"about {about}")
    where = (" " + " ".join(scope)) if scope else ""
    return (
        f"made {len(quiz.questions)} of {count} questions: the dataset supports no other "
        f"question{where} that asks a fact not already asked "
        f"({quiz.offered} candidate questions considered, {quiz.repeats} repeated a fact)"
    )
