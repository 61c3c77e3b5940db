"""docs/dataset-format.md documents every field the schema knows."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from quizapp.core import schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "dataset-format.md"


def _fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def test_every_schema_field_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    models = [
        schema.DatasetModel,
        schema.SourceModel,
        schema.CountryModel,
        schema.LocatedModel,
        schema.PlaceModel,
        schema.FactModel,
        schema.EventFact,
        schema.AgreementModel,
        schema.DistractorsModel,
    ]
    missing = sorted(f for m in models for f in _fields(m) if f"`{f}`" not in text)
    assert not missing, f"document these fields in {DOC.name}: {missing}"
