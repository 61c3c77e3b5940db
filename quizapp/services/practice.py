"""Spaced practice per fact: what is due, a practice session of due facts, mastery.

A session is an attempt of kind ``review`` with immediate feedback: each answer is
graded when the trainee checks it, and the grade updates that fact's FSRS card at once.
Each due fact is asked in a different question type from the last time it was asked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func

from quizapp.core import attempt as engine
from quizapp.core import practice as core_practice
from quizapp.core import scheduling
from quizapp.core.dataset import Agreement, Dataset, fact_id
from quizapp.core.present import KIND_LABELS
from quizapp.extensions import db
from quizapp.models import Attempt, FactCard, FactReview, utcnow
from quizapp.services import attempts, datasets

SESSION_LENGTH = 10
REVIEW = engine.Kind.REVIEW


@dataclass(frozen=True)
class FactInfo:
    """A fact of the current dataset, named for the trainee."""

    fact_id: str
    agreement: Agreement
    kind: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class DueFact:
    info: FactInfo
    due: datetime


@dataclass(frozen=True)
class DueSummary:
    """What the dashboard and the practice page say about spaced practice."""

    due: list[DueFact]
    due_count: int
    new_count: int
    next_due: datetime | None

    @property
    def ready(self) -> int:
        """How many facts a session could ask now (due ones, then new ones)."""
        return self.due_count + self.new_count


@dataclass(frozen=True)
class AgreementMastery:
    agreement: Agreement
    mastery: scheduling.Mastery


def facts_of(dataset: Dataset | None) -> dict[str, FactInfo]:
    """Every fact of the dataset by id, in dataset order (built once per version)."""
    if dataset is None:
        return {}
    return datasets.derived(dataset, "practice:facts", _facts)


def _facts(dataset: Dataset) -> dict[str, FactInfo]:
    found: dict[str, FactInfo] = {}
    for agreement, kind, fact in dataset.facts():
        key = fact_id(agreement.key, kind, fact)
        found[key] = FactInfo(key, agreement, kind)
    return found


def _fact_ids_by_agreement(dataset: Dataset) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, info in facts_of(dataset).items():
        grouped[info.agreement.key].append(key)
    return grouped


_CARDS = db.select(FactCard).where(FactCard.user_id == bindparam("user"))


def cards(user_id: int) -> list[FactCard]:
    return list(db.session.scalars(_CARDS, {"user": user_id}))


def recent_fractions(user_id: int) -> dict[str, list[float]]:
    """Each fact's latest ``scheduling.RECENT`` answer fractions, oldest first (one query)."""
    rank = (
        func.row_number()
        .over(
            partition_by=FactReview.fact_id,
            order_by=(FactReview.reviewed_at.desc(), FactReview.id.desc()),
        )
        .label("rank")
    )
    latest = (
        db.select(FactReview.fact_id, FactReview.fraction, rank)
        .where(FactReview.user_id == user_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(latest.c.fact_id, latest.c.fraction)
        .where(latest.c.rank <= scheduling.RECENT)
        .order_by(latest.c.fact_id, latest.c.rank.desc())
    )
    found: dict[str, list[float]] = defaultdict(list)
    for fact, fraction in rows:
        found[fact].append(float(fraction))
    return found


def topics(dataset: Dataset | None) -> list[str]:
    """Every topic some agreement covers, sorted, for choosing a practice quiz."""
    if dataset is None:
        return []
    return sorted({t.value for a in dataset.agreements for t in a.topics}, key=str.casefold)


def summary(user_id: int, dataset: Dataset | None, now: datetime, limit: int = 5) -> DueSummary:
    """Facts due now (most overdue first, up to ``limit`` listed), new facts, the next due."""
    return _summary(cards(user_id), dataset, now, limit)


def _summary(mine: list[FactCard], dataset: Dataset | None, now: datetime, limit: int):
    known = facts_of(dataset)
    mine = [c for c in mine if c.fact_id in known]
    ready = scheduling.due(mine, now)
    waiting = [c.due for c in mine if c not in ready]
    return DueSummary(
        due=[DueFact(known[c.fact_id], c.due) for c in ready[:limit]],
        due_count=len(ready),
        new_count=len(set(known) - {c.fact_id for c in mine}),
        next_due=min(waiting, default=None),
    )


def dashboard(
    user_id: int, dataset: Dataset | None, now: datetime
) -> tuple[DueSummary, list[AgreementMastery]]:
    """What is due and the mastery per agreement, from one read of the trainee's cards."""
    mine = cards(user_id)
    return _summary(mine, dataset, now, 5), _mastery(user_id, mine, dataset, now)


def _mastery(
    user_id: int, mine: list[FactCard], dataset: Dataset | None, now: datetime
) -> list[AgreementMastery]:
    """Each agreement's mastery: fact mastery (see ``scheduling.fact_mastery``) averaged
    over its facts, unstudied ones counting 0."""
    if dataset is None:
        return []
    stored = {c.fact_id: c.card for c in mine}
    history = recent_fractions(user_id) if stored else {}
    by_agreement = datasets.derived(dataset, "practice:by-agreement", _fact_ids_by_agreement)
    rows = []
    for agreement in dataset.agreements:
        ids = by_agreement.get(agreement.key, [])
        found = [(stored[key], history.get(key, [])) for key in ids if key in stored]
        rows.append(AgreementMastery(agreement, scheduling.mastery(found, len(ids), now)))
    return rows


def open_session(user_id: int) -> Attempt | None:
    """The trainee's unfinished practice session of due facts, if any."""
    return db.session.scalars(
        db.select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.kind == REVIEW,
            Attempt.state == engine.IN_PROGRESS,
        )
        .order_by(Attempt.id.desc())
        .limit(1)
    ).first()


def start_due(
    user_id: int, now: datetime | None = None, length: int = SESSION_LENGTH, seed: int | None = None
) -> Attempt:
    """A session of the facts due now (then new ones), each asked in a fresh question type."""
    moment = now or utcnow()
    dataset = datasets.current()
    if dataset is None:
        raise attempts.NoQuestions("No agreements are loaded yet, so there is nothing to practise.")
    known = facts_of(dataset)
    mine = {c.fact_id: c for c in cards(user_id) if c.fact_id in known}
    seed = attempts.new_seed() if seed is None else seed
    new = scheduling.shuffled([key for key in known if key not in mine], seed)
    due_ids = [c.fact_id for c in scheduling.due(mine.values(), moment)]
    wanted = scheduling.queue(due_ids, new, len(due_ids) + len(new))
    last = {key: card.last_question_type for key, card in mine.items()}
    questions = core_practice.due_questions(dataset, wanted, last, seed, length)
    if not questions:
        raise attempts.NoQuestions("Nothing is due for practice now. Come back later.")
    settings = {"feedback": engine.IMMEDIATE}
    title = f"Practice of due facts ({len(questions)})"
    return attempts.create(user_id, REVIEW, title, questions, seed, settings, moment)
