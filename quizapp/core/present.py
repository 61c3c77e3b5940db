"""Human wording of facts, shared by study pages and question explanations."""

from __future__ import annotations

from typing import Any

from quizapp.core.dataset import Dataset, Event, Fact, PartialDate

KIND_LABELS = {
    "date": "Date",
    "place": "Place",
    "parties": "Parties",
    "signatories": "Signed or accepted by",
    "topics": "Covers",
    "occasion": "Occasion",
    "preceded_by": "Preceded by",
    "significance": "Significance",
}


def join_names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def fact_text(dataset: Dataset, kind: str, fact: Fact[Any]) -> str:
    """The fact's value as a reader would say it."""
    value = fact.value
    if isinstance(value, PartialDate):
        return value.label()
    if isinstance(value, Event):
        return f"{value.description} ({value.when()})" if value.date else value.description
    if kind == "place":
        return dataset.name(value)
    if kind in ("parties", "signatories"):
        return join_names([_with_country(dataset, key) for key in value])
    return str(value)


def _with_country(dataset: Dataset, key: str) -> str:
    entity = dataset.entity(key)
    if entity.kind == "organisation" and entity.country in dataset.entities:
        return f"{entity.name} ({dataset.name(entity.country)})"
    return entity.name
