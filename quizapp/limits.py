"""Bounds on what a request may carry: size, characters, JSON depth, ids in addresses.

Checked once, before any view runs, so no route can forget them and nothing out of
bounds reaches the database (PostgreSQL refuses NUL in text and integers past 2**31-1
with an error, not a refusal). Field-specific limits live with the forms and services.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# The largest request body accepted; forms and autosaves are a few kilobytes.
MAX_REQUEST_BYTES = 1024 * 1024
TOO_LARGE = (
    f"The request is too large: at most {MAX_REQUEST_BYTES // 1024} KB are accepted. "
    "Shorten what you typed, or send it in smaller parts."
)
# How deeply a JSON body may nest (an autosave needs 3 levels).
JSON_MAX_DEPTH = 8
# The characters an answer may have in all, across its parts.
ANSWER_MAX_CHARS = 1000
# The largest id in an address: PostgreSQL's integer (ids are never larger).
ID_MAX = 2**31 - 1

# C0 and C1 control characters but tab, newline and carriage return; lone surrogates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: at most 10 digits and at most ID_MAX, else the route is a 404."""

    regex = r"\d{1,10}"

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def in_id_range(value: object) -> bool:
    """Whether a parsed form value can be a row id (a positive int no larger than ID_MAX)."""
    return isinstance(value, int) and 1 <= value <= ID_MAX


def forbidden_character(value: str) -> str | None:
    """The first control character or lone surrogate in ``value``, as U+XXXX; else None."""
    found = _FORBIDDEN.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def json_depth(text: str) -> int:
    """How deeply a JSON text nests (strings ignored), without parsing it recursively."""
    brackets = _BRACKETS.findall(_JSON_STRING.sub("", text))
    steps = (1 if bracket in "[{" else -1 for bracket in brackets)
    return max(accumulate(steps, initial=0))


def text_size(value: Any) -> int:
    """Characters in all the text of a value (strings in lists and mappings too)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(text_size(k) + text_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(text_size(item) for item in value)
    return len(str(value))


def _strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """(field name, text) for every string in a parsed JSON value."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield name, key
            yield from _strings(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)


def _refuse_characters(pairs: Iterator[tuple[str, str]]) -> None:
    for name, value in pairs:
        if code := forbidden_character(value):
            abort(
                400,
                description=(
                    f"The field “{name[:40]}” contains the control character {code}, "
                    "which is not allowed. Remove it and try again."
                ),
            )


def _form_pairs() -> Iterator[tuple[str, str]]:
    # Without a body there is no form to parse (werkzeug reads none either).
    has_body = request.content_length or request.headers.get("Transfer-Encoding")
    for source in (request.args, request.form) if has_body else (request.args,):
        for key, values in source.lists():
            name = key or ""  # a multipart part whose header lost its name parses as None
            yield name, name
            for value in values:
                yield name, value or ""


def _checked_json() -> None:
    """Refuse a JSON body that is not JSON, nests too deeply or holds control characters."""
    text = request.get_data(as_text=True)
    if json_depth(text) > JSON_MAX_DEPTH:
        abort(400, description=f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep.")
    try:
        data = json.loads(text)
    except ValueError:
        abort(400, description="The request body is not valid JSON.")
    _refuse_characters(_strings(data, "body"))


def check_request() -> None:
    """Refuse a request whose address, form or JSON body is out of bounds (400 or 413)."""
    if forbidden_character(request.path):
        abort(400, description="The address contains a control character. Check the link.")
    _refuse_characters(_form_pairs())
    if request.is_json and request.content_length != 0:
        _checked_json()


def register(app: Flask) -> None:
    """Bound requests for the app; call before blueprints register (for the id converter)."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)
