"""The question bank: sets, versioned questions, search, and the pools quizzes draw from.

Editing never changes a stored version: it adds the next one, so every attempt and
published quiz keeps the exact question it used. A question taken out of the bank
for an attempt carries the id ``bank:<question id>:<version>``, which is how
statistics and regrades find it again.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import sqlalchemy as sa

from quizapp.core.dataset import Dataset
from quizapp.core.generate import generate_bank
from quizapp.core.questions import Question
from quizapp.core.templates import Template, load_templates
from quizapp.extensions import db
from quizapp.models import BankQuestion, QuestionSet, QuestionVersion, Status, utcnow

BANK_PREFIX = "bank:"
MAX_ID = 2**31 - 1  # the largest id a database column holds; larger ones name nothing
_SLUG = re.compile(r"[^a-z0-9]+")


class BankError(ValueError):
    """A bank change that cannot be made, with a message for the person who asked."""


# --- identities -------------------------------------------------------------------------


def ref(version: QuestionVersion) -> str:
    """The question id an attempt stores for this version."""
    return f"{BANK_PREFIX}{version.question_id}:{version.number}"


def parse_ref(question_id: str) -> tuple[int, int] | None:
    """(bank question id, version number) from an attempt's question id, or None."""
    if not question_id.startswith(BANK_PREFIX):
        return None
    parts = question_id[len(BANK_PREFIX) :].split(":")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[1])


def question_of(version: QuestionVersion) -> Question:
    """The stored question of a version, with its bank id."""
    return replace(Question.from_dict(version.data), id=ref(version))


# --- sets -------------------------------------------------------------------------------


def sets() -> list[QuestionSet]:
    return list(db.session.scalars(sa.select(QuestionSet).order_by(QuestionSet.name)))


def get_set(set_id: int) -> QuestionSet | None:
    return db.session.get(QuestionSet, set_id) if 0 < set_id <= MAX_ID else None


def find_set(name: str) -> QuestionSet | None:
    return db.session.scalars(sa.select(QuestionSet).where(QuestionSet.name == name)).first()


def create_set(
    name: str, description: str = "", tags: Sequence[str] = (), user_id: int | None = None
) -> QuestionSet:
    """A new, empty set (not committed); the name must be new."""
    name = " ".join(name.split())
    if not name:
        raise BankError("A set needs a name.")
    if find_set(name) is not None:
        raise BankError(f"A set named {name!r} already exists: choose another name.")
    question_set = QuestionSet(
        name=name, description=description, tags=list(tags), created_by_id=user_id
    )
    db.session.add(question_set)
    db.session.flush()
    return question_set


def ensure_set(name: str, user_id: int | None = None) -> QuestionSet:
    """The set with this name, made if missing (not committed)."""
    return find_set(" ".join(name.split())) or create_set(name, user_id=user_id)


def set_counts() -> dict[int, int]:
    """Number of questions in each set, by set id."""
    rows = db.session.execute(
        sa.select(BankQuestion.set_id, sa.func.count()).group_by(BankQuestion.set_id)
    )
    return {set_id: count for set_id, count in rows}


# --- questions --------------------------------------------------------------------------


def _spaced(values: Iterable[str]) -> str:
    return " " + " ".join(dict.fromkeys(v for v in values if v)) + " "


def _version(
    bank_question: BankQuestion, number: int, question: Question, user_id: int | None, note: str
) -> QuestionVersion:
    return QuestionVersion(
        bank_question=bank_question,
        number=number,
        data=question.to_dict(),
        type=question.type,
        prompt=question.prompt,
        search_tags=_spaced(question.tags),
        search_agreements=_spaced(question.asked_agreements() if question.fact_ids else ()),
        fact_ids=list(question.fact_ids),
        note=note,
        created_by_id=user_id,
    )


def _free_key(question_set: QuestionSet, wanted: str) -> str:
    base = _SLUG.sub("-", wanted.lower()).strip("-")[:80] or "question"
    taken = set(
        db.session.scalars(
            sa.select(BankQuestion.key).where(
                BankQuestion.set_id == question_set.id, BankQuestion.key.like(f"{base}%")
            )
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def add(
    question_set: QuestionSet,
    question: Question,
    user_id: int | None = None,
    status: str = Status.DRAFT,
    key: str | None = None,
) -> BankQuestion:
    """Store a new question with its first version (not committed)."""
    bank_question = BankQuestion(
        question_set=question_set,
        key=_free_key(question_set, key or question.id or question.prompt),
        status=Status(status),
        latest=1,
    )
    db.session.add(bank_question)
    db.session.add(_version(bank_question, 1, question, user_id, "created"))
    db.session.flush()
    return bank_question


def add_all(
    question_set: QuestionSet,
    questions: Sequence[Question],
    user_id: int | None = None,
    status: str = Status.DRAFT,
) -> list[BankQuestion]:
    """Store several questions in one transaction: all of them, or none on any error."""
    try:
        added = [add(question_set, q, user_id, status) for q in questions]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added


def latest(bank_question: BankQuestion) -> QuestionVersion:
    return version(bank_question, bank_question.latest)


def version(bank_question: BankQuestion, number: int) -> QuestionVersion:
    found = db.session.scalars(
        sa.select(QuestionVersion).where(
            QuestionVersion.question_id == bank_question.id, QuestionVersion.number == number
        )
    ).first()
    if found is None:
        raise BankError(f"Question {bank_question.key!r} has no version {number}.")
    return found


def get(question_id: int) -> BankQuestion | None:
    return db.session.get(BankQuestion, question_id) if 0 < question_id <= MAX_ID else None


def edit(
    bank_question: BankQuestion, question: Question, user_id: int | None = None, note: str = ""
) -> QuestionVersion | None:
    """Add the next version when ``question`` differs from the latest; None when it does not."""
    new = revise(bank_question, question, user_id, note)
    if new is not None:
        db.session.commit()
    return new


def revise(
    bank_question: BankQuestion, question: Question, user_id: int | None = None, note: str = ""
) -> QuestionVersion | None:
    """``edit`` without the commit, for changes made together (imports, set loads)."""
    current = latest(bank_question)
    data = question.to_dict()
    if {**data, "id": ""} == {**current.data, "id": ""}:
        return None
    number = bank_question.latest + 1
    new = _version(bank_question, number, question, user_id, note or "edited")
    bank_question.latest = number
    bank_question.updated_at = utcnow()
    bank_question.needs_review = False
    bank_question.review_note = ""
    db.session.add(new)
    db.session.flush()
    return new


def set_status(bank_question: BankQuestion, status: str) -> None:
    bank_question.status = Status(status)
    bank_question.updated_at = utcnow()
    db.session.commit()


def duplicate(bank_question: BankQuestion, user_id: int | None = None) -> BankQuestion:
    """A draft copy of the latest version, in the same set, with a history of its own."""
    source = question_of(latest(bank_question))
    copy = add(
        bank_question.question_set,
        replace(source, id=""),
        user_id,
        Status.DRAFT,
        key=f"{bank_question.key}-copy",
    )
    db.session.commit()
    return copy


def flag_changed_facts(fact_ids: Iterable[str], note: str) -> int:
    """Mark questions whose latest version names a changed fact; returns how many."""
    changed = set(fact_ids)
    if not changed:
        return 0
    rows = db.session.execute(
        sa.select(BankQuestion, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.question_id == BankQuestion.id)
        .where(QuestionVersion.number == BankQuestion.latest)
    )
    flagged = 0
    for bank_question, current in rows:
        if changed.intersection(current.fact_ids):
            bank_question.needs_review = True
            bank_question.review_note = note
            flagged += 1
    return flagged


# --- search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the bank list is narrowed to; empty values do not filter."""

    text: str = ""
    set_id: int | None = None
    agreement: str = ""
    fact: str = ""  # a fact id, e.g. "svr-kgb-2021:date"
    type: str = ""
    tag: str = ""
    status: str = ""
    edited: bool | None = None  # True: more than one version; False: never edited
    needs_review: bool = False


@dataclass(frozen=True)
class Page:
    rows: list[tuple[BankQuestion, QuestionVersion]]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    # The names templates/_pagination.html reads (as Flask-SQLAlchemy's Pagination has).
    @property
    def page(self) -> int:
        return self.number

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def prev_num(self) -> int:
        return self.number - 1

    @property
    def next_num(self) -> int:
        return self.number + 1


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    wanted: list[sa.ColumnElement[bool]] = [QuestionVersion.number == BankQuestion.latest]
    if filters.text:
        pattern = f"%{_escaped(filters.text.lower())}%"
        wanted.append(
            sa.or_(
                sa.func.lower(QuestionVersion.prompt).like(pattern, escape="\\"),
                sa.func.lower(BankQuestion.key).like(pattern, escape="\\"),
            )
        )
    if filters.set_id is not None:
        wanted.append(BankQuestion.set_id == filters.set_id)
    if filters.agreement:
        wanted.append(
            QuestionVersion.search_agreements.like(
                f"% {_escaped(filters.agreement)} %", escape="\\"
            )
        )
    if filters.fact:
        facts_text = sa.cast(QuestionVersion.fact_ids, sa.Text)
        wanted.append(facts_text.like(f'%"{_escaped(filters.fact)}"%', escape="\\"))
    if filters.tag:
        wanted.append(QuestionVersion.search_tags.like(f"% {_escaped(filters.tag)} %", escape="\\"))
    if filters.type:
        wanted.append(QuestionVersion.type == filters.type)
    if filters.status:
        wanted.append(BankQuestion.status == filters.status)
    if filters.edited is not None:
        wanted.append(BankQuestion.latest > 1 if filters.edited else BankQuestion.latest == 1)
    if filters.needs_review:
        wanted.append(BankQuestion.needs_review.is_(True))
    return wanted


def search(filters: Filters, page: int = 1, size: int = 25) -> Page:
    """One page of questions (with their latest version) matching ``filters``, newest first."""
    joined = sa.select(BankQuestion, QuestionVersion).join(
        QuestionVersion, QuestionVersion.question_id == BankQuestion.id
    )
    where = _conditions(filters)
    total = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(BankQuestion)
        .join(QuestionVersion, QuestionVersion.question_id == BankQuestion.id)
        .where(*where)
    )
    page = max(1, min(page, max(1, math.ceil((total or 0) / size))))
    rows = db.session.execute(
        joined.where(*where)
        .order_by(BankQuestion.updated_at.desc(), BankQuestion.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    return Page([(bq, v) for bq, v in rows], total or 0, page, size)


def tags_in_use() -> list[str]:
    """Every tag on a latest version, sorted, for filter menus."""
    found: set[str] = set()
    for spaced in db.session.scalars(
        sa.select(QuestionVersion.search_tags)
        .join(BankQuestion, QuestionVersion.question_id == BankQuestion.id)
        .where(QuestionVersion.number == BankQuestion.latest)
        .distinct()
    ):
        found.update(spaced.split())
    return sorted(found)


def pool(
    set_id: int, type: str = "", tag: str = "", published_only: bool = True
) -> list[QuestionVersion]:
    """The latest versions a random draw picks from, in a stable order."""
    filters = Filters(
        set_id=set_id, type=type, tag=tag, status=Status.PUBLISHED if published_only else ""
    )
    rows = db.session.execute(
        sa.select(QuestionVersion)
        .join(BankQuestion, QuestionVersion.question_id == BankQuestion.id)
        .where(*_conditions(filters))
        .order_by(BankQuestion.id)
    )
    return [row[0] for row in rows]


# --- pages of the bank ------------------------------------------------------------------


def history(bank_question: BankQuestion) -> list[QuestionVersion]:
    """Every version of a question, newest first."""
    return sorted(bank_question.versions, key=lambda v: v.number, reverse=True)


def create(
    question_set: QuestionSet, question: Question, user_id: int | None = None
) -> BankQuestion:
    """Store a question written in the browser as a draft, and commit."""
    made = add(question_set, question, user_id, Status.DRAFT, key=question.prompt)
    db.session.commit()
    return made


def new_set(name: str, description: str = "", user_id: int | None = None) -> QuestionSet:
    """Create an empty set from the browser and commit; BankError when the name is taken."""
    made = create_set(name, description.strip(), (), user_id)
    db.session.commit()
    return made


def mark_reviewed(bank_question: BankQuestion) -> None:
    """Clear a changed-fact flag without editing the question."""
    bank_question.needs_review = False
    bank_question.review_note = ""
    db.session.commit()


def keys_in(question_set: QuestionSet) -> set[str]:
    """The keys of a set's questions (to tell which generated questions it has already)."""
    return set(
        db.session.scalars(
            sa.select(BankQuestion.key).where(BankQuestion.set_id == question_set.id)
        )
    )


def add_chosen(
    question_set: QuestionSet, questions: Sequence[Question], user_id: int | None = None
) -> list[BankQuestion]:
    """Add generated questions as drafts under their own ids, skipping those the set has."""
    have = keys_in(question_set)
    fresh = [q for q in questions if _SLUG.sub("-", q.id.lower()).strip("-") not in have]
    try:
        added = [add(question_set, q, user_id, Status.DRAFT, key=q.id) for q in fresh]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return added


@functools.cache
def generator_templates() -> tuple[Template, ...]:
    """The bundled question templates, for "generate into this set"."""
    return load_templates()


def generated(
    dataset: Dataset, question_set: QuestionSet, template_id: str, agreement: str, count: int
) -> tuple[Question, ...]:
    """Up to ``count`` questions from one template (about one agreement, or any), the same
    every time for the same choices, so a reviewed list can be confirmed by re-making it."""
    template = next(t for t in generator_templates() if t.id == template_id)
    return generate_bank(
        dataset, (template,), seed=question_set.name, count=count, about=agreement or None
    )
