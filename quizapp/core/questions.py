"""A generated question: what a trainee sees, its key, and the facts the key rests on.

Questions are plain, frozen records that round-trip through JSON, so an attempt can
freeze the exact version it was started with. ``public_dict`` is the part a trainee's
browser may see: nothing in it reveals or is derived from the answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Fields a browser may receive. Everything else (answer, accepted forms, explanation,
# quotes, the agreements and facts behind the answer, prompt parameters) stays server-side.
PUBLIC_FIELDS = ("id", "type", "prompt", "options", "items", "settings", "difficulty", "tags")


class QType(StrEnum):
    """The name of a question type, as stored in questions and attempts."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    DATE = "date"
    ORDERING = "ordering"
    MATCHING = "matching"


def short_hash(*parts: object, length: int = 12) -> str:
    """A stable hex digest of ``parts``: the same parts always give the same id."""
    blob = "\x1f".join(str(part) for part in parts).encode()
    return hashlib.sha256(blob).hexdigest()[:length]


@dataclass(frozen=True)
class Option:
    """One choice (or one left-hand item); the id says nothing about correctness."""

    id: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Option:
        return cls(str(data["id"]), str(data["text"]))


@dataclass(frozen=True)
class Question:
    """One generated question with its key and its evidence.

    ``answer`` is the correct response in the canonical form of the question's type
    (see ``quizapp.core.qtypes``); ``accepted`` lists, for short answers, every form
    of each accepted entity (full name first).
    """

    id: str
    type: str
    prompt: str
    answer: Any
    options: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()
    accepted: tuple[tuple[str, ...], ...] = ()
    explanation: str = ""
    quotes: tuple[str, ...] = ()
    source: str = ""
    agreements: tuple[str, ...] = ()
    fact: str = ""
    fact_ids: tuple[str, ...] = ()
    reveals: tuple[str, ...] = ()
    template: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    difficulty: str = "medium"
    tags: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Stored as plain text even when built with a QType member (YAML, JSON, SQL).
        object.__setattr__(self, "type", str(self.type))

    def asked_agreements(self) -> tuple[str, ...]:
        """The agreements whose facts the question asks about (not those of wrong options)."""
        keys = dict.fromkeys(fact_id.split(":", 1)[0] for fact_id in self.fact_ids)
        return tuple(keys) or self.agreements[:1]

    def option_text(self, option_id: object) -> str | None:
        """The text of an option (or item) by id, or None when there is no such id."""
        for option in (*self.options, *self.items):
            if option.id == option_id:
                return option.text
        return None

    def to_dict(self) -> dict[str, Any]:
        """Everything, as JSON-safe data."""
        return {
            "id": self.id,
            "type": self.type,
            "prompt": self.prompt,
            "options": [o.to_dict() for o in self.options],
            "items": [o.to_dict() for o in self.items],
            "answer": self.answer,
            "accepted": [list(group) for group in self.accepted],
            "explanation": self.explanation,
            "quotes": list(self.quotes),
            "source": self.source,
            "agreements": list(self.agreements),
            "fact": self.fact,
            "fact_ids": list(self.fact_ids),
            "reveals": list(self.reveals),
            "template": self.template,
            "params": dict(self.params),
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "settings": dict(self.settings),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        """Rebuild a question from ``to_dict`` output."""
        answer = data["answer"]
        return cls(
            id=data["id"],
            type=data["type"],
            prompt=data["prompt"],
            answer=list(answer) if isinstance(answer, (list, tuple)) else answer,
            options=tuple(Option.from_dict(o) for o in data.get("options", ())),
            items=tuple(Option.from_dict(o) for o in data.get("items", ())),
            accepted=tuple(tuple(group) for group in data.get("accepted", ())),
            explanation=data.get("explanation", ""),
            quotes=tuple(data.get("quotes", ())),
            source=data.get("source", ""),
            agreements=tuple(data.get("agreements", ())),
            fact=data.get("fact", ""),
            fact_ids=tuple(data.get("fact_ids", ())),
            reveals=tuple(data.get("reveals", ())),
            template=data.get("template", ""),
            params=dict(data.get("params", {})),
            difficulty=data.get("difficulty", "medium"),
            tags=tuple(data.get("tags", ())),
            settings=dict(data.get("settings", {})),
        )

    def public_dict(self) -> dict[str, Any]:
        """What a trainee's browser may see: no answer, nothing derived from it."""
        full = self.to_dict()
        return {name: full[name] for name in PUBLIC_FIELDS}
