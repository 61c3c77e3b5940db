"""Choosing practice questions: by agreement or topic, and one per due fact.

Plain Python over the dataset and the generator; the seed fixes every choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quizapp.core.dataset import Dataset
from quizapp.core.generate import asked_ids, generate_bank, generate_quiz
from quizapp.core.present import join_names
from quizapp.core.questions import Question
from quizapp.core.scheduling import choose_question, shuffled


def agreement_of(fact_id: str) -> str:
    """The agreement key a fact id starts with (``key:kind[:item]``)."""
    return fact_id.split(":", 1)[0]


def chosen_agreements(
    dataset: Dataset, agreements: Sequence[str], topics: Sequence[str]
) -> tuple[str, ...]:
    """The agreement keys chosen directly or through a topic they cover, in dataset order."""
    wanted_topics = set(topics)
    return tuple(
        a.key
        for a in dataset.agreements
        if a.key in agreements or any(t.value in wanted_topics for t in a.topics)
    )


TITLE_MAX = 200
# More chosen agreements or topics than this are counted instead of named in a title.
NAMED_MAX = 2


def practice_title(
    dataset: Dataset,
    count: int,
    agreements: Sequence[str] = (),
    topics: Sequence[str] = (),
    type_labels: Sequence[str] = (),
    difficulty: str | None = None,
    everything: str = "all agreements",
) -> str:
    """What a practice attempt asked for, in words: "Practice: 10 hard date questions on
    the Charter of the Union" (``everything`` when none was chosen: all agreements, or the
    dataset chosen)."""
    titles = [a.title for a in dataset.agreements if a.key in agreements]
    scope = _named(titles, "agreements") + _named([f"“{t}”" for t in topics], "topics")
    kinds = join_names([label.lower() for label in type_labels])
    asked = " ".join(w for w in (str(count), difficulty or "", kinds) if w)
    noun = "question" if count == 1 else "questions"
    title = f"Practice: {asked} {noun} on {', '.join(scope) or everything}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def _named(names: Sequence[str], plural: str) -> list[str]:
    """The names themselves, or how many there are when there are too many to name."""
    if len(names) > NAMED_MAX:
        return [f"{len(names)} {plural}"]
    return list(names)


def quiz_questions(
    dataset: Dataset,
    count: int,
    seed: int,
    keys: Sequence[str],
    difficulty: str | None = None,
    types: Sequence[str] = (),
) -> list[Question]:
    """A quiz over all agreements, or the chosen agreements' own quizzes taken in turn;
    of the chosen question ``types`` only (all when none is chosen)."""
    chosen = tuple(types) or None
    if not keys:
        return list(generate_quiz(dataset, count, seed, chosen, None, difficulty).questions)
    per_key = [
        list(generate_quiz(dataset, count, seed, chosen, key, difficulty).questions) for key in keys
    ]
    return interleave(per_key, count)


def interleave(quizzes: Sequence[Sequence[Question]], count: int) -> list[Question]:
    """Take one question from each quiz in turn, never asking or giving away a fact twice."""
    taken: list[Question] = []
    tested: set[str] = set()
    revealed: set[str] = set()
    longest = max((len(q) for q in quizzes), default=0)
    for index in range(longest):
        for quiz in quizzes:
            if len(taken) >= count or index >= len(quiz):
                continue
            question = quiz[index]
            asked, shown = set(asked_ids(question)), set(question.reveals)
            if asked & (tested | revealed) or shown & tested:
                continue
            taken.append(question)
            tested |= asked
            revealed |= shown
    return taken


def due_questions(
    dataset: Dataset,
    wanted: Sequence[str],
    last: Mapping[str, str | None],
    seed: int,
    length: int,
) -> list[Question]:
    """Up to ``length`` questions, one per wanted fact in turn, each of another type than
    the fact's ``last`` one where the data allows; facts no question can ask are passed over."""
    banks: dict[str, list[Question]] = {}
    chosen: list[Question] = []
    asked: set[str] = set()
    for key in wanted:
        if len(chosen) >= length:
            break
        if key in asked:
            continue
        agreement = agreement_of(key)
        if agreement not in banks:
            bank = generate_bank(dataset, seed=seed, about=agreement)
            banks[agreement] = shuffled(bank, f"{seed}|{agreement}")
        question = choose_question(
            _asking(banks[agreement], key, asked, set(wanted)), last.get(key)
        )
        if question is not None:
            chosen.append(question)
            asked |= set(question.fact_ids)
    return chosen


def _asking(bank: list[Question], key: str, asked: set[str], wanted: set[str]) -> list[Question]:
    """Questions asking ``key`` and no fact asked already, none giving away another fact of
    the session; questions about ``key`` alone come first."""
    found = [
        q
        for q in bank
        if key in q.fact_ids and not set(q.fact_ids) & asked and not set(q.reveals) & wanted
    ]
    return sorted(found, key=lambda q: len(q.fact_ids) != 1)
