"""Question statistics per quiz version (and for practice), summed by GROUP BY in the database.

The database sums each question's marks against the attempts' totals (and, with window
functions, the sorted pairs discriminative efficiency needs); ``quizapp.core.stats``
turns the sums into Moodle's figures. A report is cached until a finished attempt is
added or regraded in its scope.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Numeric, Select, Text, case, cast, func

from quizapp.core import qtypes
from quizapp.core import stats as core
from quizapp.core.attempt import AttemptState, Kind
from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.models import Attempt, QuestionResult, QuizVersion

OPTION_TYPES = {"single_choice", "multiple_choice", "true_false"}
_CACHE: dict[tuple, tuple[tuple, Report]] = {}
_CACHE_SIZE = 64


@dataclass(frozen=True)
class OptionShare:
    """One option (or answer given) with how many chose it and their share of the answers."""

    text: str
    count: int
    share: float  # 0..1 of the attempts that had the question
    correct: bool

    @property
    def unchosen(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class Item:
    """One question of the report: what it asked, its figures, options and weaknesses."""

    number: int
    key: str
    prompt: str
    qtype: str
    mark: float
    stats: core.ItemStats
    options: list[OptionShare]
    weak: list[str]


@dataclass(frozen=True)
class Report:
    """Moodle's quiz statistics: whole-test figures (None for practice) and each question."""

    title: str
    total_max: float
    quiz: core.QuizStats | None
    items: list[Item]
    distribution: list[tuple[float, int]]  # (total mark, attempts), lowest first; quizzes only
    attempts: int  # finished attempts counted


# --- scope and identity ----------------------------------------------------------------


def _scope(version_id: int | None, user_ids: Select | None) -> Select:
    """A SELECT of the finished attempts counted: one quiz version's, or every practice one."""
    query = db.select(Attempt.id).where(Attempt.state == AttemptState.FINISHED.value)
    if version_id is None:
        query = query.where(Attempt.kind == Kind.PRACTICE.value)
    else:
        query = query.where(Attempt.quiz_version_id == version_id)
    return query.where(Attempt.user_id.in_(user_ids)) if user_ids is not None else query


def _key(practice: bool):
    """A question's identity: its bank version; for generated practice, its type and facts."""
    return QuestionResult.item_key if practice else QuestionResult.question_id


def _stamp(scope: Select) -> tuple:
    """What changes when an attempt in scope finishes or is regraded (one aggregate)."""
    query = scope.with_only_columns(
        func.count(), func.max(Attempt.id), func.sum(Attempt.fraction), maintain_column_froms=True
    )
    return tuple(db.session.execute(query).one())


# --- samples: one stored copy of each question, with its mark --------------------------


def _samples(scope: Select, key) -> dict[str, tuple[Question, float]]:
    """For each item key, one stored copy of the question and its max mark."""
    first = (
        db.select(key.label("key"), func.min(QuestionResult.id).label("rid"))
        .where(QuestionResult.attempt_id.in_(scope))
        .group_by(key)
        .subquery()
    )
    rows = db.session.execute(
        db.select(first.c.key, QuestionResult.slot, Attempt.questions, Attempt.settings)
        .join(QuestionResult, QuestionResult.id == first.c.rid)
        .join(Attempt, Attempt.id == QuestionResult.attempt_id)
    )
    found = {}
    for item_key, slot, frozen, settings in rows:
        marks = (settings or {}).get("marks") or []
        mark = float(marks[slot - 1]) if slot <= len(marks) else 1.0
        found[item_key] = (Question.from_dict(frozen[slot - 1]), mark)
    return found


def _mark_expression(marks: dict[str, float]):
    """Each result's mark in the database: fraction times its question's max mark."""
    if all(mark == 1.0 for mark in marks.values()):
        return cast(QuestionResult.fraction, Float)
    by_question = case(marks, value=QuestionResult.question_id, else_=1.0)
    return QuestionResult.fraction * by_question


# --- the sums --------------------------------------------------------------------------


def _marked(scope: Select, key, mark):
    """Per result: its item key, mark x and its attempt's total t (a CTE)."""
    totals = (
        db.select(QuestionResult.attempt_id.label("aid"), func.sum(mark).label("t"))
        .where(QuestionResult.attempt_id.in_(scope))
        .group_by(QuestionResult.attempt_id)
        .subquery()
    )
    return (
        db.select(key.label("key"), mark.label("x"), totals.c.t.label("t"))
        .join(totals, totals.c.aid == QuestionResult.attempt_id)
        .cte("marked")
    ), totals


def _pairs(marked) -> dict[str, list[tuple[float, float, int]]]:
    """Per item key, how many results have each (mark, rest-of-test) pair, by GROUP BY."""
    x = func.round(cast(marked.c.x, Numeric), 6)
    rest = func.round(cast(marked.c.t - marked.c.x, Numeric), 6)
    found: dict[str, list[tuple[float, float, int]]] = {}
    query = db.select(marked.c.key, x, rest, func.count()).group_by(marked.c.key, x, rest)
    for key, mark, other, count in db.session.execute(query):
        found.setdefault(key, []).append((float(mark), float(other), count))
    return found


def _distribution(totals) -> list[tuple[float, int]]:
    """How many attempts reached each total mark, by GROUP BY."""
    total = func.round(cast(totals.c.t, Numeric), 4)
    rows = db.session.execute(db.select(total, func.count()).group_by(total).order_by(total))
    return [(float(value), count) for value, count in rows]


def _responses(scope: Select, key) -> Iterable[tuple[str, str, Any, int]]:
    """(item key, question id, response, how many) for option shares, by GROUP BY."""
    response = cast(QuestionResult.response, Text)
    query = (
        db.select(key, QuestionResult.question_id, response, func.count())
        .where(QuestionResult.attempt_id.in_(scope))
        .group_by(key, QuestionResult.question_id, response)
    )
    for item_key, question_id, text, count in db.session.execute(query):
        yield item_key, question_id, (json.loads(text) if text is not None else None), count


# --- option shares -----------------------------------------------------------------------


def _chosen_ids(raw: Any) -> list[str]:
    if isinstance(raw, list):
        return [str(value) for value in raw]
    return [] if raw is None else [str(raw)]


def _option_shares(question: Question, given: dict[str, int], n: int) -> list[OptionShare]:
    """Every option with how many chose it, unchosen ones included."""
    if question.type == "true_false":
        words = {qtypes.of(question).describe(question, v): v for v in (True, False)}
        return [
            OptionShare(w, given.get(w, 0), given.get(w, 0) / n, v == question.answer)
            for w, v in words.items()
        ]
    right = {question.option_text(i) for i in _chosen_ids(question.answer)}
    # Generated practice variants share an identity, not their options: match by text.
    texts = [o.text for o in question.options]
    texts += sorted(t for t in given if t not in texts)
    return [OptionShare(t, given.get(t, 0), given.get(t, 0) / n, t in right) for t in texts]


def _shares(scope, key, samples, answered: dict[str, int]) -> dict[str, list[OptionShare]]:
    """Per item key: each option's share (option types) or the answers most given (others)."""
    counted: dict[str, dict[str, int]] = {}
    for item_key, _question_id, raw, count in _responses(scope, key):
        question = samples[item_key][0]
        by_text = counted.setdefault(item_key, {})
        if question.type in OPTION_TYPES and question.type != "true_false":
            words = [question.option_text(i) or i for i in _chosen_ids(raw)]
        else:
            words = [qtypes.of(question).describe(question, raw)]
        for word in words:
            by_text[word] = by_text.get(word, 0) + count
    shares = {}
    for item_key, (question, _) in samples.items():
        n = answered.get(item_key, 0) or 1
        given = counted.get(item_key, {})
        if question.type in OPTION_TYPES:
            shares[item_key] = _option_shares(question, given, n)
        else:
            top = sorted(given.items(), key=lambda pair: (-pair[1], pair[0]))[:5]
            shares[item_key] = [OptionShare(w, c, c / n, False) for w, c in top]
    return shares


# --- the report ----------------------------------------------------------------------------


def _build(title: str, scope: Select, practice: bool) -> Report:
    key = _key(practice)
    samples = _samples(scope, key)
    marks = {} if practice else {s[0].id: s[1] for s in samples.values()}
    marked, totals = _marked(scope, key, _mark_expression(marks))
    pairs = _pairs(marked)
    keys = sorted(samples, key=lambda k: (samples[k][0].prompt, k))
    item_sums = [
        core.item_sums(pairs.get(k, []), samples[k][1], core.random_guess_score(samples[k][0]))
        for k in keys
    ]
    figures = core.item_statistics_from_sums(item_sums)
    shares = _shares(scope, key, samples, {k: s.n for k, s in zip(keys, item_sums, strict=True)})
    items = [
        Item(
            number,
            k,
            samples[k][0].prompt,
            samples[k][0].type,
            samples[k][1],
            f,
            shares[k],
            core.weaknesses(f),
        )
        for number, (k, f) in enumerate(zip(keys, figures, strict=True), start=1)
    ]
    if practice:  # attempts of different lengths: no whole-test figures, no distribution
        count = db.session.scalar(scope.with_only_columns(func.count()))
        return Report(title, 0.0, None, items, [], count or 0)
    distribution = _distribution(totals)
    variances = [core.item_variance(s) for s in item_sums]
    quiz = core.quiz_statistics_from_counts(dict(distribution), variances)
    total_max = sum(samples[k][1] for k in keys)
    attempts = sum(count for _, count in distribution)
    return Report(title, total_max, quiz, items, distribution, attempts)


def _cached(scope_key: tuple | None, scope: Select, build) -> Report:
    """The cached report while no attempt in scope finished or changed; else a fresh one."""
    if scope_key is None:
        return build()
    stamp = _stamp(scope)
    hit = _CACHE.get(scope_key)
    if hit and hit[0] == stamp:
        return hit[1]
    report = build()
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[scope_key] = (stamp, report)
    return report


def _cache_key(kind: str, user_ids: Select | None, scope_key: object) -> tuple | None:
    """Reports narrowed to some trainees are cached only under a name for that narrowing."""
    if user_ids is not None and scope_key is None:
        return None
    return (str(db.engine.url), kind, scope_key if user_ids is not None else None)


def for_quiz_version(
    version_id: int, user_ids: Select | None = None, scope_key: object = None
) -> Report:
    """Question statistics of one published quiz version.

    `user_ids` (a SELECT of user ids) narrows the attempts to those trainees; `scope_key`
    names that narrowing (e.g. ("cohort", 3)) so the report can be cached.
    """
    version = db.session.get(QuizVersion, version_id)
    title = f"{version.title}, version {version.number}" if version else "Quiz"
    scope = _scope(version_id, user_ids)
    key = _cache_key(f"quiz-{version_id}", user_ids, scope_key)
    return _cached(key, scope, lambda: _build(title, scope, practice=False))


def for_practice(user_ids: Select | None = None, scope_key: object = None) -> Report:
    """Question statistics over every finished practice attempt, by question identity."""
    scope = _scope(None, user_ids)
    key = _cache_key("practice", user_ids, scope_key)
    return _cached(key, scope, lambda: _build("Practice", scope, practice=True))


# --- what there is to report on ------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    """A quiz version with how many finished attempts it has in scope."""

    version_id: int
    title: str
    number: int
    attempts: int


def versions(user_ids: Select | None = None) -> list[VersionRow]:
    """Quiz versions with finished attempts (by those trainees), newest first, by GROUP BY."""
    joined = (Attempt.quiz_version_id == QuizVersion.id) & (
        Attempt.state == AttemptState.FINISHED.value
    )
    if user_ids is not None:
        joined &= Attempt.user_id.in_(user_ids)
    query = (
        db.select(QuizVersion.id, QuizVersion.title, QuizVersion.number, func.count(Attempt.id))
        .join(Attempt, joined)
        .group_by(QuizVersion.id, QuizVersion.title, QuizVersion.number)
        .order_by(QuizVersion.id.desc())
    )
    return [VersionRow(*row) for row in db.session.execute(query)]


def score_bands(report: Report, bands: int = 10) -> list[tuple[str, int]]:
    """Attempts per band of the total as a percent of the max ("0–10", …, "90–100")."""
    width = 100 / bands
    counts = [0] * bands
    for total, count in report.distribution:
        percent = 100 * total / report.total_max if report.total_max else 0.0
        counts[min(int(percent // width), bands - 1)] += count
    return [(f"{i * width:.0f}–{(i + 1) * width:.0f}", n) for i, n in enumerate(counts)]
