"""Question templates: YAML files that say which facts a kind of question needs and its wording.

A template file holds one mapping::

    id: where-signed              # unique; part of every question id made from it
    builder: place                # the code that turns facts into a question
    needs: [place]                # fact kinds that must be known; the first is the one asked
    types: [single_choice, short_answer]
    prompt: Where was {subject} {verb}?        # or a mapping: question type -> prompt
    explain: "{Title} was {verb} in {answer}." # opens the explanation; quotes follow
    tags: [place]
    settings: {options: 4}        # optional: options, date tolerance, same_kind: 1

Problems are reported as ``file:line:column`` with a fix, like dataset problems.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.core.builders import BUILDERS
from quizapp.core.dataset import FACT_KINDS
from quizapp.core.problems import Problem
from quizapp.core.qtypes import TYPES
from quizapp.core.yamlpos import Document, parse_yaml

BUNDLED = Path(__file__).resolve().parents[2] / "questions" / "templates"

_REQUIRED = ("id", "builder", "needs", "types", "prompt", "explain")
_OPTIONAL = ("tags", "settings")
# same_kind: 1 compares only documents of the anchor's kind (a treaty with treaties).
_SETTINGS = {"options": (2, 8), "tolerance": (0, 100), "same_kind": (0, 1)}


@dataclass(frozen=True)
class Template:
    """One kind of question, as read from its file."""

    id: str
    builder: str
    needs: tuple[str, ...]
    types: tuple[str, ...]
    prompts: Mapping[str, str]
    explain: str
    tags: tuple[str, ...] = ()
    settings: Mapping[str, int] = field(default_factory=dict)
    file: str = ""

    @property
    def kind(self) -> str:
        """The fact kind the question asks about."""
        return self.needs[0]

    def prompt(self, qtype: str) -> str:
        return self.prompts[qtype]

    def options(self, default: int = 4) -> int:
        """How many options a choice question offers at most."""
        return int(self.settings.get("options", default))


class TemplateError(ValueError):
    """Template files that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def load_templates(paths: str | Path | Iterable[str | Path] = BUNDLED) -> tuple[Template, ...]:
    """Templates from a directory of ``*.yaml`` files, one file, or a list of either."""
    files = _files(paths)
    problems: list[Problem] = []
    templates: list[Template] = []
    for file in files:
        template, found = _load_file(file)
        problems += found
        if template:
            templates.append(template)
    problems += _duplicates(templates)
    if problems:
        raise TemplateError(problems)
    if not templates:
        raise TemplateError([Problem(str(paths), 1, 1, "no template files found", "add *.yaml")])
    return tuple(templates)


def _files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files: list[Path] = []
    for item in map(Path, items):
        files += sorted(item.glob("*.yaml")) if item.is_dir() else [item]
    return files


def _load_file(file: Path) -> tuple[Template | None, list[Problem]]:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        return None, [Problem(str(file), 1, 1, f"cannot read: {err.strerror}", "check the path")]
    doc, problems = parse_yaml(text, str(file))
    if doc is None or problems:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [Problem(str(file), 1, 1, "a template is a mapping", "write 'id: ...' etc.")]
    problems = _Checker(doc, str(file)).problems()
    return (None if problems else _build(doc.data, str(file))), problems


class _Checker:
    """Checks one parsed template file, locating each problem at its line and column."""

    def __init__(self, doc: Document, file: str) -> None:
        self.doc, self.data, self.file = doc, doc.data, file

    def at(self, path: tuple, message: str, fix: str, key: bool = False) -> list[Problem]:
        """One problem at the value (or, with ``key``, the key) found at ``path``."""
        line, column = self.doc.key_position(path) if key else self.doc.position(path)
        return [Problem(self.file, line, column, message, fix)]

    def problems(self) -> list[Problem]:
        fields = _REQUIRED + _OPTIONAL
        found: list[Problem] = []
        for key in _REQUIRED:
            if key not in self.data:
                found += self.at((), f"missing '{key}'", f"add '{key}:'")
        for key in self.data:
            if key not in fields:
                found += self.at((key,), f"unknown field '{key}'", f"use {', '.join(fields)}", True)
        if found:
            return found
        found = self.text("id") + self.builder()
        found += self.names("needs", FACT_KINDS, "fact kind")
        found += self.names("types", TYPES, "question type") + self.names("tags", None, "tag")
        if found:  # the prompts can only be checked against a known builder and types
            return found
        return self.prompts() + self.settings()

    def text(self, key: str) -> list[Problem]:
        value = self.data.get(key)
        if isinstance(value, str) and value.strip():
            return []
        return self.at((key,), f"'{key}' must be non-empty text", "write a value")

    def names(self, key: str, allowed: tuple[str, ...] | None, what: str) -> list[Problem]:
        """A list of names, each one of ``allowed`` (any, when None)."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return self.at((key,), f"'{key}' must be a list of names", f"write {key}: [a, b]")
        if not value and key != "tags":
            return self.at((key,), f"'{key}' is empty", "list at least one")
        wrong = [(n, v) for n, v in enumerate(value) if allowed and v not in allowed]
        fix = f"use one of {', '.join(allowed or ())}"
        return [p for n, v in wrong for p in self.at((key, n), f"unknown {what} {v!r}", fix)]

    def builder(self) -> list[Problem]:
        name = self.data["builder"]
        spec = BUILDERS.get(name)
        if spec is None:
            return self.at(
                ("builder",),
                f"unknown builder {name!r}",
                f"use one of {', '.join(sorted(BUILDERS))}",
            )
        needs, types = self.data["needs"], self.data["types"]
        if isinstance(needs, list) and needs and needs[0] not in spec.kinds:
            message = f"builder '{name}' cannot ask about {needs[0]!r}"
            return self.at(("needs", 0), message, f"ask about one of {', '.join(spec.kinds)}")
        for n, qtype in enumerate(types if isinstance(types, list) else []):
            if qtype in TYPES and qtype not in spec.types:
                message = f"builder '{name}' does not make {qtype} questions"
                return self.at(("types", n), message, f"use {', '.join(spec.types)}")
        return []

    def prompts(self) -> list[Problem]:
        prompt, types = self.data["prompt"], self.data["types"]
        if isinstance(prompt, str):
            texts = [(("prompt",), prompt)]
        elif isinstance(prompt, dict) and set(prompt) == set(types):
            texts = [(("prompt", t), text) for t, text in prompt.items()]
        else:
            fix = "write one prompt, or one per question type listed in 'types'"
            return self.at(("prompt",), "prompt does not match 'types'", fix)
        texts.append((("explain",), self.data["explain"]))
        return [p for path, text in texts for p in self.placeholders(path, text)]

    def placeholders(self, path: tuple, text: Any) -> list[Problem]:
        """Only the placeholders the template's builder fills in."""
        if not isinstance(text, str) or not text.strip():
            return self.at(path, "the text is empty", "write the question's wording")
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as err:
            return self.at(path, f"bad placeholder: {err}", "write {name}; double {{ for a brace")
        allowed = BUILDERS[self.data["builder"]].placeholders
        unknown = sorted(used - allowed)
        if not unknown:
            return []
        return self.at(
            path, f"unknown placeholder {{{unknown[0]}}}", f"use {', '.join(sorted(allowed))}"
        )

    def settings(self) -> list[Problem]:
        settings = self.data.get("settings", {})
        if not isinstance(settings, dict):
            return self.at(
                ("settings",), "settings must be a mapping", "write settings: {options: 4}"
            )
        found = []
        for key, value in settings.items():
            bounds = _SETTINGS.get(key)
            if bounds is None:
                found += self.at(
                    ("settings", key),
                    f"unknown setting '{key}'",
                    f"use {', '.join(_SETTINGS)}",
                    True,
                )
            elif type(value) is not int or not bounds[0] <= value <= bounds[1]:
                fix = f"write a whole number from {bounds[0]} to {bounds[1]}"
                found += self.at(("settings", key), f"bad {key} {value!r}", fix)
        return found


def _duplicates(templates: list[Template]) -> list[Problem]:
    seen: dict[str, Template] = {}
    problems = []
    for template in templates:
        if template.id in seen:
            other = seen[template.id].file
            message = f"template id {template.id!r} is already used in {other}"
            problems.append(Problem(template.file, 1, 1, message, "give each template its own id"))
        seen.setdefault(template.id, template)
    return problems


def _build(data: Mapping[str, Any], file: str) -> Template:
    prompt = data["prompt"]
    prompts = prompt if isinstance(prompt, dict) else {t: prompt for t in data["types"]}
    return Template(
        id=data["id"].strip(),
        builder=data["builder"],
        needs=tuple(data["needs"]),
        types=tuple(data["types"]),
        prompts=dict(prompts),
        explain=data["explain"],
        tags=tuple(data.get("tags", ())),
        settings=dict(data.get("settings", {})),
        file=file,
    )
