"""The shape of a dataset file as a pydantic schema, with errors told as file:line:column.

The schema checks shape only: fields, types, `unknown` for facts the source does not give.
Checks across the file (dates, keys, references, quotes) live in ``validate``.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal, Union, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from quizapp.core.dataset import UNKNOWN
from quizapp.core.problems import Problem
from quizapp.core.yamlpos import Document, NodePath

# The union tag of a fact that is given; it shows up in error locations.
KNOWN = "known fact"
_TAGS = (KNOWN, UNKNOWN)


def _not_blank(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError("blank", "empty text")
    return text


def _key(text: str) -> str:
    if any(char.isspace() for char in _not_blank(text)):
        raise PydanticCustomError("key_format", "a key contains whitespace")
    return text


def _format_one(number: int) -> int:
    if number != 1:
        raise PydanticCustomError("format_version", "unsupported format")
    return number


def _year_as_text(value: Any) -> Any:
    """A bare year such as ``2021`` reads as a YAML integer; dates are checked as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _text_as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _which(value: Any) -> str:
    return UNKNOWN if value == UNKNOWN else KNOWN


def _unknown_or(known: Any) -> Any:
    """A fact field: the word ``unknown`` or the fact itself."""
    return Annotated[
        Union[Annotated[Literal["unknown"], Tag(UNKNOWN)], Annotated[known, Tag(KNOWN)]],  # noqa: UP007
        Discriminator(_which),
    ]


Text = Annotated[StrictStr, AfterValidator(_not_blank)]
Key = Annotated[StrictStr, AfterValidator(_key)]
DateText = Annotated[Text, BeforeValidator(_year_as_text)]
Quote = Annotated[list[Text], Field(min_length=1), BeforeValidator(_text_as_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SourceModel(_Strict):
    key: Key
    file: Text
    title: Text
    author: Text = UNKNOWN
    published: DateText = UNKNOWN


class CountryModel(_Strict):
    key: Key
    name: Text
    aliases: list[Text] = []


class LocatedModel(CountryModel):
    """An organisation or a person: belongs to a country."""

    country: Key | None = None


class PlaceModel(LocatedModel):
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None

    @model_validator(mode="after")
    def _both_coordinates(self) -> PlaceModel:
        if (self.lat is None) != (self.lon is None):
            raise PydanticCustomError("coordinates", "lat without lon or lon without lat")
        return self


class FactModel(_Strict):
    value: Text
    quote: Quote
    source: Key | None = None


class DateFact(FactModel):
    value: DateText


class KeyFact(FactModel):
    value: Key


class KeysFact(FactModel):
    value: Annotated[list[Key], Field(min_length=1)]


class EventFact(FactModel):
    date: DateText = UNKNOWN


def _items(model: type[FactModel]) -> Any:
    return Annotated[list[model], Field(min_length=1)]


class AgreementModel(_Strict):
    key: Key
    title: Text
    kind: Text = "agreement"
    verb: Text | None = None
    source: Key
    date: _unknown_or(DateFact) = UNKNOWN
    place: _unknown_or(KeyFact) = UNKNOWN
    parties: _unknown_or(KeysFact) = UNKNOWN
    signatories: _unknown_or(KeysFact) = UNKNOWN
    topics: _unknown_or(_items(FactModel)) = UNKNOWN
    occasion: _unknown_or(FactModel) = UNKNOWN
    preceded_by: _unknown_or(_items(EventFact)) = UNKNOWN
    significance: _unknown_or(_items(FactModel)) = UNKNOWN


class DistractorsModel(_Strict):
    countries: list[CountryModel] = []
    organisations: list[LocatedModel] = []
    persons: list[LocatedModel] = []
    places: list[PlaceModel] = []


class DatasetModel(_Strict):
    format: Annotated[StrictInt, AfterValidator(_format_one)]
    sources: list[SourceModel] = []
    countries: list[CountryModel] = []
    organisations: list[LocatedModel] = []
    persons: list[LocatedModel] = []
    places: list[PlaceModel] = []
    distractors: DistractorsModel = DistractorsModel()
    agreements: list[AgreementModel] = []


def schema_problems(document: Document, file: str) -> list[Problem]:
    """Every way the file departs from the schema, each at the line it concerns."""
    if document.data is None:
        return [Problem(file, 1, 1, "the file is empty", _START)]
    try:
        DatasetModel.model_validate(document.data)
    except ValidationError as err:
        return [_problem(document, file, error) for error in err.errors(include_url=False)]
    return []


# --- from pydantic errors to messages a writer can act on -----------------------------

_START = "start it with 'format: 1', then sources:, the entities and agreements:"
_MAPPING = ("a mapping of 'field: value' lines", "indent 'field: value' lines under it")
_EXPECTED = {
    "string_type": ("text", "write the text"),
    "int_type": ("a whole number", "write a whole number without quotes"),
    "float_type": ("a number", "write a number without quotes, such as 55.75"),
    "list_type": ("a list", "write [a, b] or one '- item' per line"),
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
}
_MISSING_FIXES = {
    "format": "add 'format: 1' at the top of the file",
    "quote": "add the sentence of the source under 'quote:'",
    "key": "add a key that no other item uses, such as 'key: saint-petersburg'",
}
_CUSTOM = {
    "blank": ("{field} is empty", "write the text, or remove the line if the field is optional"),
    "key_format": ("key {input!r} contains spaces", "write keys with hyphens: saint-petersburg"),
    "format_version": ("format {input!r} is not supported", "write 'format: 1'"),
    "coordinates": ("a place needs both lat and lon, or neither", "add the missing one"),
}
_RANGES = {
    "lat": "a latitude lies between -90 and 90",
    "lon": "a longitude lies between -180 and 180",
}
_SINGULAR = {
    "sources": "source",
    "countries": "country",
    "organisations": "organisation",
    "persons": "person",
    "places": "place",
    "agreements": "agreement",
}


def _problem(document: Document, file: str, error: dict[str, Any]) -> Problem:
    loc = error["loc"]
    path = _data_path(document.data, loc)
    if error["type"] == "extra_forbidden":
        line, column = document.key_position(path)
    else:
        line, column = document.position(path)
    message, fix = _explain(error, path)
    return Problem(file, line, column, message, fix)


def _data_path(data: Any, loc: tuple[Any, ...]) -> NodePath:
    """The steps of ``loc`` that exist in the data: drops union tags and missing fields."""
    path: list[str | int] = []
    for step in loc:
        if _has(data, step):
            data = data[step]
            path.append(step)
    return tuple(path)


def _has(data: Any, step: Any) -> bool:
    if isinstance(data, dict):
        return step in data
    return isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)


def _field(loc: tuple[Any, ...]) -> str:
    """``aliases`` or ``aliases item``: the name a writer sees in the file."""
    names = [(i, step) for i, step in enumerate(loc) if isinstance(step, str) and step not in _TAGS]
    if not names:
        return "the file"
    index, name = names[-1]
    return f"{name} item" if any(isinstance(step, int) for step in loc[index:]) else name


def _explain(error: dict[str, Any], path: NodePath) -> tuple[str, str]:
    kind, loc, value = error["type"], error["loc"], error.get("input")
    field = _field(loc)
    if kind == "missing":
        return f"{_container(path)} has no '{field}'", _MISSING_FIXES.get(field, f"add '{field}:'")
    if kind == "extra_forbidden":
        return f"unknown field '{loc[-1]}'", _extra_fix(loc)
    if kind in _CUSTOM:
        message, fix = _CUSTOM[kind]
        return message.format(field=field, input=value), fix.format(field=field)
    if kind in _EXPECTED:
        return _wrong_type(field, value, *_expected(kind, field, loc))
    if kind == "too_short":
        return f"{field} is empty", "write 'unknown' if the source does not give it"
    if field in _RANGES:
        return f"{field} {value!r} is out of range", _RANGES[field]
    return f"{field}: {error['msg'][:1].lower()}{error['msg'][1:]}", "compare with the bundled file"


def _expected(kind: str, field: str, loc: tuple[Any, ...]) -> tuple[str, str]:
    """What the field should hold and how to write it."""
    if field == "quote":
        return "a sentence or a list of sentences", "copy the sentence(s) from the source"
    if loc and loc[-1] == KNOWN:
        shape = "a list of items with value: and quote:" if kind == "list_type" else None
        expected = f"'unknown' or {shape or 'value: and quote: lines'}"
        return expected, "write 'unknown' if the source does not give it, else value: and quote:"
    if KNOWN in loc and isinstance(loc[-1], int) and _EXPECTED[kind] == _MAPPING:
        return "value: and quote: lines", "give each item its own value: and quote: lines"
    if field == "the file":
        return _MAPPING[0], _START
    return _EXPECTED[kind]


def _wrong_type(field: str, value: Any, expected: str, fix: str) -> tuple[str, str]:
    if value is None:
        return f"{field} is empty", fix
    if expected == "text" and isinstance(value, int | float | bool):
        return f"{field} should be text, not {value!r}", "put the value in quotes"
    return f"{field} should be {expected}, not {_show(value)}", fix


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…'"


def _container(path: NodePath) -> str:
    if not path:
        return "the file"
    if path[0] == "distractors" and len(path) == 3:
        return f"this distractor {_SINGULAR.get(str(path[1]), 'entity')}"
    if len(path) == 2:
        return f"this {_SINGULAR.get(str(path[0]), 'item')}"
    if path[0] == "agreements" and len(path) >= 3:
        return f"this {path[2]} {'item' if len(path) > 3 else 'fact'}"
    return "this entry"


def _extra_fix(loc: tuple[Any, ...]) -> str:
    allowed = list(_model_at(loc[:-1]).model_fields)
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"remove it; the fields here are {', '.join(allowed)}"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    """The schema model that validated the mapping at ``loc``."""
    model: type[BaseModel] = DatasetModel
    for step in loc:
        field = model.model_fields.get(step) if isinstance(step, str) else None
        if field is not None:
            model = _first_model(field.annotation) or model
    return model


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _first_model(argument)
        if found is not None:
            return found
    return None
