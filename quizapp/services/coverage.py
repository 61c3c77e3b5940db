"""Coverage map: how well each cohort knows each fact, from answers and FSRS cards.

Two GROUP BY queries over (cohort, fact): the answers given about the fact by the
cohort's trainees (how many, the average share right, by how many trainees), and their
FSRS cards (how many are not yet due, i.e. expected to be remembered now).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, case, cast, func

from quizapp.core.dataset import LIST_FACT_KINDS, Dataset, fact_id
from quizapp.core.present import KIND_LABELS
from quizapp.extensions import db
from quizapp.models import Cohort, CohortMember, CohortRole, FactCard, FactReview, utcnow
from quizapp.services import cohorts as cohort_service
from quizapp.services import datasets

LEVELS = (20.0, 40.0, 60.0, 80.0)  # share right (%) that starts levels 1..4 of the colour scale


@dataclass(frozen=True)
class Cell:
    """One cohort's knowledge of one fact."""

    answers: int
    right: float | None  # average share right of the answers, %, None without answers
    answered_by: int  # trainees who answered
    remembered: int  # trainees whose FSRS card is not due yet
    trainees: int  # trainees in the cohort

    @property
    def level(self) -> str:
        """The colour band: "none" without answers, else 0 (weak) .. 4 (strong)."""
        if self.right is None:
            return "none"
        return str(sum(self.right >= start for start in LEVELS))


@dataclass(frozen=True)
class FactRow:
    fact_id: str
    agreement: str
    label: str
    cells: list[Cell]  # one per cohort, in the map's cohort order


@dataclass(frozen=True)
class CoverageMap:
    cohorts: list[Cohort]
    rows: list[FactRow]


def _facts(dataset: Dataset | None) -> list[tuple[str, str, str]]:
    """(fact id, agreement title, what the fact is) for every fact, in dataset order."""
    found = []
    for agreement, kind, fact in dataset.facts() if dataset else ():
        label = KIND_LABELS.get(kind, kind)
        if kind in LIST_FACT_KINDS:
            label = f"{label}: {getattr(fact.value, 'description', fact.value)}"
        found.append((fact_id(agreement.key, kind, fact), agreement.title, label))
    return found


def _members(cohort_ids: Sequence[int]):
    return (CohortMember.cohort_id.in_(cohort_ids)) & (
        CohortMember.role == CohortRole.TRAINEE.value
    )


def _answers(cohort_ids: Sequence[int]) -> dict[tuple[int, str], tuple[int, float, int]]:
    """(cohort, fact) -> (answers, average fraction right, trainees who answered).

    Summed per trainee and fact first, so the join with the cohorts carries one row per
    trainee and fact, not one per answer.
    """
    per_trainee = (
        db.select(
            FactReview.user_id,
            FactReview.fact_id,
            func.count().label("answers"),
            func.sum(cast(FactReview.fraction, Float)).label("right"),
        )
        .group_by(FactReview.user_id, FactReview.fact_id)
        .subquery()
    )
    query = (
        db.select(
            CohortMember.cohort_id,
            per_trainee.c.fact_id,
            func.sum(per_trainee.c.answers),
            func.sum(per_trainee.c.right),
            func.count(),
        )
        .join(CohortMember, CohortMember.user_id == per_trainee.c.user_id)
        .where(_members(cohort_ids))
        .group_by(CohortMember.cohort_id, per_trainee.c.fact_id)
    )
    return {
        (c, f): (int(n), float(right) / int(n), who)
        for c, f, n, right, who in db.session.execute(query)
    }


def _remembered(cohort_ids: Sequence[int], now: datetime) -> dict[tuple[int, str], int]:
    """(cohort, fact) -> trainees whose FSRS card for the fact is not due yet."""
    query = (
        db.select(
            CohortMember.cohort_id,
            FactCard.fact_id,
            func.sum(case((FactCard.due > now, 1), else_=0)),
        )
        .join(CohortMember, CohortMember.user_id == FactCard.user_id)
        .where(_members(cohort_ids))
        .group_by(CohortMember.cohort_id, FactCard.fact_id)
    )
    return {(c, f): int(n or 0) for c, f, n in db.session.execute(query)}


def map(cohort_ids: Sequence[int], now: datetime | None = None) -> CoverageMap:  # noqa: A001
    """The coverage map of these cohorts over every fact of the current dataset."""
    chosen = list(
        db.session.scalars(db.select(Cohort).where(Cohort.id.in_(cohort_ids)).order_by(Cohort.name))
    )
    ids = [cohort.id for cohort in chosen]
    sizes = {row.cohort.id: row.trainees for row in cohort_service.rows(chosen)}
    answers, remembered = _answers(ids), _remembered(ids, now or utcnow())
    rows = []
    for key, agreement, label in _facts(datasets.current()):
        cells = []
        for cohort_id in ids:
            count, right, who = answers.get((cohort_id, key), (0, None, 0))
            cells.append(
                Cell(
                    count,
                    None if right is None else 100 * right,
                    who,
                    remembered.get((cohort_id, key), 0),
                    sizes.get(cohort_id, 0),
                )
            )
        rows.append(FactRow(key, agreement, label, cells))
    return CoverageMap(chosen, rows)


def sorted_rows(found: CoverageMap, column: int | None, descending: bool) -> list[FactRow]:
    """Rows in dataset order, or by one cohort's share right (facts without answers last)."""
    if column is None or not 0 <= column < len(found.cohorts):
        return list(reversed(found.rows)) if descending else list(found.rows)
    answered = [row for row in found.rows if row.cells[column].right is not None]
    unanswered = [row for row in found.rows if row.cells[column].right is None]
    answered.sort(key=lambda row: row.cells[column].right, reverse=descending)
    return answered + unanswered
