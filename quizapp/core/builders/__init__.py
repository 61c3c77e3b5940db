"""Builders turn a template and one agreement's facts into a question draft.

Each builder knows which fact kinds it can ask about, which question types it makes,
and which placeholders its templates may use. A builder returns None when the data
cannot support a fair question (a fact unknown, the answer given away by the title,
too few options that are verifiably false).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from quizapp.core.builders import multi, single
from quizapp.core.builders.context import Context, Draft, FactRef, Slot

BuildFunction = Callable[[Context, Slot, tuple[str, ...], Random], Draft | None]

_COMMON = frozenset(
    {"subject", "Subject", "title", "Title", "verb", "was", "Was", "title_was", "kind", "kinds"}
)


@dataclass(frozen=True)
class Builder:
    build: BuildFunction
    kinds: tuple[str, ...]
    types: tuple[str, ...]
    placeholders: frozenset[str]
    per_item: bool = False  # one question per item of a list fact (a topic, an event)


def _spec(build: BuildFunction, kinds: str, types: str, extra: str = "", **flags: bool) -> Builder:
    return Builder(
        build, tuple(kinds.split()), tuple(types.split()), _COMMON | set(extra.split()), **flags
    )


_CHOICE = "single_choice multiple_choice"
_REVERSE = "answer Answer were answer_verb"
BUILDERS: dict[str, Builder] = {
    "place": _spec(single.build_place, "place", "single_choice short_answer", "answer Answer"),
    "date": _spec(single.build_date, "date", "date single_choice", "answer precision"),
    "entities": _spec(
        single.build_entities, "parties signatories", f"{_CHOICE} short_answer", "answer"
    ),
    "topic": _spec(single.build_topic, "topics", _CHOICE, "answer", per_item=True),
    "preceded": _spec(
        single.build_preceded,
        "preceded_by",
        "date single_choice",
        "event answer precision",
        per_item=True,
    ),
    "statement": _spec(
        single.build_statement,
        " ".join(single.STATEMENT_KINDS),
        "true_false",
        "value Value answer",
        per_item=True,
    ),
    "place_reverse": _spec(multi.build_place_reverse, "place", _CHOICE, f"place {_REVERSE}"),
    "period_reverse": _spec(multi.build_period_reverse, "date", _CHOICE, f"period {_REVERSE}"),
    "topic_reverse": _spec(
        multi.build_topic_reverse, "topics", _CHOICE, f"topic {_REVERSE}", per_item=True
    ),
    "first": _spec(multi.build_first, "date", "single_choice", "Answer order were answer_verb"),
    "chronology": _spec(multi.build_chronology, "date", "ordering", "order"),
    "match": _spec(multi.build_match, "place date parties topics", "matching", "answer"),
}

__all__ = ["BUILDERS", "Builder", "Context", "Draft", "FactRef", "Slot"]
