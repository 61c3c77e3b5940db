"""xAPI (Experience API 1.0.3) statements for answered questions, as plain dicts.

One statement per answered question: the actor (an account on this site, or an email
when configured), the verb "answered" with its ADL IRI, the question as a cmi.interaction
activity, the result (success, scaled and raw score) and, in the context, the facts the
question tests, their source and the dataset version. Pure: no Flask, no database.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

VERSION = "1.0.3"
VERB_ANSWERED = {
    "id": "http://adlnet.gov/expapi/verbs/answered",
    "display": {"en-US": "answered"},
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
# xAPI's interaction types for each question type; the rest are "other".
INTERACTION_TYPES = {
    "single_choice": "choice",
    "multiple_choice": "choice",
    "true_false": "true-false",
    "short_answer": "fill-in",
    "date": "fill-in",
    "ordering": "sequencing",
    "matching": "matching",
}
# Statement ids are UUIDs derived from what they say: the same answer gives the same id.
_NAMESPACE = uuid.UUID("6f1b8a52-8d0e-4d8e-9a43-1f0e0c6b7d21")


@dataclass(frozen=True)
class Settings:
    """Where IRIs point (the site's address) and whether actors are named by email."""

    base_url: str
    actor_by_email: bool = False

    def iri(self, *parts: object) -> str:
        return "/".join([self.base_url.rstrip("/"), "xapi", *(str(p) for p in parts)])

    @cached_property
    def extensions(self) -> dict[str, str]:
        """The IRI of each context extension, by short name (made once per export)."""
        names = ("fact-ids", "source", "dataset-version", "attempt-kind")
        return {name: self.iri("extensions", name) for name in names}


@dataclass(frozen=True)
class Answered:
    """One answered question of a finished attempt, with what its statement needs."""

    attempt_id: int
    slot: int
    user_id: int
    email: str
    name: str
    question: dict[str, Any]  # the frozen Question.to_dict() of the slot
    fraction: float  # 0..1
    mark: float  # the slot's max mark
    answered_at: datetime
    dataset_version: str
    attempt_title: str
    kind: str


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the millisecond (naive times are taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def actor(answered: Answered, settings: Settings) -> dict[str, Any]:
    """The agent: an account on this site by user id, or a mailbox when so configured."""
    if settings.actor_by_email:
        return {"objectType": "Agent", "name": answered.name, "mbox": f"mailto:{answered.email}"}
    home = settings.base_url.rstrip("/") + "/"
    return {"objectType": "Agent", "account": {"homePage": home, "name": str(answered.user_id)}}


def _activity(answered: Answered, settings: Settings) -> dict[str, Any]:
    question = answered.question
    return {
        "objectType": "Activity",
        "id": settings.iri("questions", question["id"]),
        "definition": {
            "type": INTERACTION,
            "interactionType": INTERACTION_TYPES.get(question["type"], "other"),
            "name": {"en": question.get("prompt", "")},
        },
    }


def _result(answered: Answered) -> dict[str, Any]:
    scaled = min(max(float(answered.fraction), 0.0), 1.0)
    return {
        "success": scaled >= 1.0,
        "score": {
            "scaled": round(scaled, 6),
            "raw": round(scaled * answered.mark, 6),
            "min": 0,
            "max": answered.mark,
        },
    }


def _context(answered: Answered, settings: Settings) -> dict[str, Any]:
    question, iris = answered.question, settings.extensions
    return {
        "registration": str(uuid.uuid5(_NAMESPACE, settings.iri("attempts", answered.attempt_id))),
        "platform": "quizapp",
        "contextActivities": {
            "parent": [
                {
                    "objectType": "Activity",
                    "id": settings.iri("attempts", answered.attempt_id),
                    "definition": {
                        "type": ASSESSMENT,
                        "name": {"en": answered.attempt_title},
                    },
                }
            ]
        },
        "extensions": {
            iris["fact-ids"]: list(question.get("fact_ids", [])),
            iris["source"]: question.get("source", ""),
            iris["dataset-version"]: answered.dataset_version,
            iris["attempt-kind"]: answered.kind,
        },
    }


def statement(answered: Answered, settings: Settings) -> dict[str, Any]:
    """The xAPI statement saying that the actor answered this question with this result.

    Its id is derived from the attempt, the slot and the score, so exporting again gives
    the same ids (a learning record store keeps one copy) and a regraded answer a new one.
    """
    key = f"{settings.iri('attempts', answered.attempt_id)}#{answered.slot}:{answered.fraction!r}"
    return {
        "id": str(uuid.uuid5(_NAMESPACE, key)),
        "version": VERSION,
        "actor": actor(answered, settings),
        "verb": VERB_ANSWERED,
        "object": _activity(answered, settings),
        "result": _result(answered),
        "context": _context(answered, settings),
        "timestamp": timestamp(answered.answered_at),
    }


def json_line(data: dict[str, Any]) -> str:
    """One JSON Lines record: compact, UTF-8 text kept as is, ending in a newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
