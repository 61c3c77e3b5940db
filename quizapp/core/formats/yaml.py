"""The project's own question format: YAML that keeps everything about a question.

A document is a list of questions, or a mapping with a ``questions:`` list (a question set
file, see ``quizapp.core.sets``). Answers are written as option texts, not ids::

    - id: where-signed              # optional: made from the text when left out
      type: single_choice           # single_choice multiple_choice true_false short_answer
      prompt: Where was it signed?  #   date ordering matching
      options: [Minsk, Moscow, Kyiv]
      answer: Minsk                 # multiple_choice: a list; true_false: true or false
      explanation: What every trainee reads after answering.
      facts: [belovezha-accords:place]   # the dataset facts the question tests (optional)

short_answer: ``answer`` plus optional ``accepted`` (a list of names; a nested list is one
answer's names, full name first). date: ``answer: "1991-12"`` and optional ``settings:
{tolerance: 1}``. ordering: ``answer`` lists the texts earliest first; ``options`` the order
shown (optional). matching: ``pairs`` maps each item to its answer; ``options`` lists every
answer, unmatched ones included (optional).

Writing then reading gives back equal questions: every field is kept.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import yaml as pyyaml

from quizapp.core import qtypes
from quizapp.core.dataset import PartialDate
from quizapp.core.formats import base
from quizapp.core.formats.base import ReadResult, Reporter
from quizapp.core.questions import Option, Question
from quizapp.core.yamlpos import Document, NodePath, parse_yaml

NAME = "yaml"
LABEL = "YAML"
EXTENSIONS = (".yaml", ".yml")
MIMETYPE = "application/yaml"

_LISTS = ("quotes", "agreements", "reveals", "tags")
_TEXTS = ("explanation", "source", "fact", "template")
FIELDS = (
    "id",
    "type",
    "prompt",
    "options",
    "answer",
    "accepted",
    "pairs",
    "explanation",
    "facts",
    *_LISTS,
    "source",
    "fact",
    "template",
    "params",
    "difficulty",
    "settings",
)
DIFFICULTIES = ("easy", "medium", "hard")


def read(text: str, file: str = "<yaml>") -> ReadResult:
    """Every question of a YAML document, and every problem, with its line and column."""
    reporter = Reporter(file)
    doc, problems = parse_yaml(text, file)
    reporter.result.problems.extend(problems)
    if doc is None:
        return reporter.finish()
    if isinstance(doc.data, Mapping) and "questions" in doc.data:
        _set_fields(doc, reporter)
        read_questions(doc, ("questions",), reporter)
    elif isinstance(doc.data, list):
        read_questions(doc, (), reporter)
    else:
        reporter.error(
            *doc.position(()),
            "the file holds no list of questions",
            "write 'questions:' followed by one '- type: …' entry per question",
        )
    return reporter.finish()


_SET_FIELDS = ("name", "description", "tags", "questions")


def _set_fields(doc: Document, reporter: Reporter) -> None:
    """A set file's other fields: rules are not imported (say so), others are unknown."""
    for key in doc.data:
        where = doc.key_position((key,))
        if key == "generate":
            reporter.warning(
                *where,
                "the generate rules are not imported, only the written questions",
                "put the file in questions/sets/ for 'quizapp data load' to run its rules",
            )
        elif key not in _SET_FIELDS:
            reporter.error(*where, f"unknown field '{key}'", f"use: {', '.join(_SET_FIELDS)}")


def read_questions(doc: Document, path: NodePath, reporter: Reporter) -> None:
    """Read the list of questions at ``path`` of ``doc`` into ``reporter``."""
    entries = _at(doc.data, path)
    if not isinstance(entries, list):
        reporter.error(*doc.position(path), "'questions' must be a list", "start each with '- '")
        return
    for n, entry in enumerate(entries):
        question = _Entry(doc, (*path, n), reporter).read(entry)
        if question is not None:
            reporter.add(question, *doc.position((*path, n)))


def _at(data: Any, path: NodePath) -> Any:
    for step in path:
        data = data[step]
    return data


class _Entry:
    """One question entry: reads it field by field, reporting at each field's position."""

    def __init__(self, doc: Document, path: NodePath, reporter: Reporter) -> None:
        self.doc, self.path, self.rep = doc, path, reporter
        self.failed = False

    def error(self, key: str | tuple, what: str, fix: str) -> None:
        keys = key if isinstance(key, tuple) else (key,)
        self.rep.error(*self.doc.position((*self.path, *keys)), what, fix)
        self.failed = True

    def read(self, entry: Any) -> Question | None:
        if not isinstance(entry, Mapping):
            self.error((), "a question must be a mapping", "write 'type:', 'prompt:' and so on")
            return None
        self.data = entry
        for key in entry:
            if key not in FIELDS:
                close = difflib.get_close_matches(key, FIELDS, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use: {', '.join(FIELDS)}"
                self.rep.error(
                    *self.doc.key_position((*self.path, key)), f"unknown field '{key}'", hint
                )
                self.failed = True
        kind, prompt = self.text("type", required=True), self.text("prompt", required=True)
        if kind is not None and kind not in qtypes.TYPES:
            self.error("type", f"unknown question type '{kind}'", f"use {', '.join(qtypes.TYPES)}")
            return None
        if kind is None or prompt is None:
            return None
        qid = self.text("id") or base.question_id("", kind, prompt)
        built = getattr(self, f"_{kind}")(qid, kind, prompt)
        common = self.common()
        if built is None or self.failed:
            return None
        return Question(id=qid, type=kind, prompt=prompt, **built, **common)

    def common(self) -> dict[str, Any]:
        fields: dict[str, Any] = {name: tuple(self.texts(name) or ()) for name in _LISTS}
        fields |= {name: self.text(name) or "" for name in _TEXTS}
        fields["fact_ids"] = tuple(self.texts("facts") or ())
        params = self.data.get("params", {})
        if not isinstance(params, Mapping):
            self.error("params", "'params' must be a mapping", "write name: value lines")
            params = {}
        fields["params"] = {str(k): str(v) for k, v in params.items()}
        difficulty = self.text("difficulty") or "medium"
        if difficulty not in DIFFICULTIES:
            self.error(
                "difficulty", f"unknown difficulty '{difficulty}'", "use easy, medium or hard"
            )
        fields["difficulty"] = difficulty
        return fields

    def text(self, key: str | tuple, value: Any = None, required: bool = False) -> str | None:
        """The text at ``key`` (numbers are read as text); an error for anything else."""
        keys = key if isinstance(key, tuple) else (key,)
        if value is None:
            value = self.data.get(keys[0]) if len(keys) == 1 else None
        if value is None:
            if required:
                self.error((), f"the question has no '{keys[0]}'", f"add '{keys[0]}:'")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"'{keys[0]}' must be text", "write it as text, in quotes if need be")
            return None
        return base.tidy(str(value))

    def texts(self, key: str, required: bool = False) -> list[str] | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error((), f"the question has no '{key}'", f"add '{key}:' with a list")
            return None
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list", f"write {key}: [first, second]")
            return None
        found = [self.text((key, n), item) for n, item in enumerate(value)]
        return [t for t in found if t is not None]

    def settings(self) -> dict[str, Any]:
        value = self.data.get("settings", {})
        if not isinstance(value, Mapping):
            self.error("settings", "'settings' must be a mapping", "write name: value lines")
            return {}
        return dict(value)

    def pick(self, key: str | tuple, wanted: str, choices: tuple[Option, ...]) -> str | None:
        for option in choices:
            if option.text == wanted:
                return option.id
        self.error(key, f"'{wanted}' is not one of the options", "write it exactly as in options")
        return None

    def _single_choice(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        opts = base.options(qid, self.texts("options", required=True) or ())
        wanted = self.text("answer", required=True)
        if wanted is None:
            return None
        return {"options": opts, "answer": self.pick("answer", wanted, opts)}

    def _multiple_choice(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        opts = base.options(qid, self.texts("options", required=True) or ())
        wanted = self.texts("answer", required=True) or []
        picked = [self.pick(("answer", n), w, opts) for n, w in enumerate(wanted)]
        return {"options": opts, "answer": sorted(p for p in picked if p)}

    def _true_false(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        value = self.data.get("answer")
        if not isinstance(value, bool):
            self.error("answer", "the answer must be true or false", "write answer: true or false")
            return None
        return {"answer": value}

    def _short_answer(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        answer = self.text("answer", required=True)
        value = self.data.get("accepted")
        if answer is None:
            return None
        if value is None:
            return {"answer": answer, "accepted": ((answer,),)}
        if not isinstance(value, list) or not value:
            self.error("accepted", "'accepted' must be a list of names", "write [name, other]")
            return None
        groups = []
        for n, group in enumerate(value):
            names = group if isinstance(group, list) else [group]
            found = [self.text(("accepted", n), name) for name in names]
            groups.append(tuple(name for name in found if name))
        if not groups[0] or groups[0][0] != answer:
            self.error(
                "accepted", "the answer must come first in 'accepted'", f"start with {answer}"
            )
        return {"answer": answer, "accepted": tuple(g for g in groups if g)}

    def _date(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        answer = self.text("answer", required=True)
        if answer is None:
            return None
        try:
            date = PartialDate.parse(answer)
        except ValueError as err:
            self.error(
                "answer", f"the answer is not a date: {err}", "write YYYY, YYYY-MM or YYYY-MM-DD"
            )
            return None
        settings = {"precision": date.precision.name.lower()} | self.settings()
        return {"answer": date.iso(), "settings": settings}

    def _ordering(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        order = base.options(qid, self.texts("answer", required=True) or ())
        answer = [o.id for o in order]
        shown = self.data.get("options")
        if shown is None:
            return {"options": base.mixed(order, answer), "answer": answer}
        opts = base.options(qid, self.texts("options") or ())
        if sorted(o.text for o in opts) != sorted(o.text for o in order):
            self.error("options", "'options' must hold the same texts as 'answer'", "fix one")
            return None
        return {"options": opts, "answer": answer}

    def _matching(self, qid: str, kind: str, prompt: str) -> dict[str, Any] | None:
        pairs = self.data.get("pairs")
        if not isinstance(pairs, Mapping) or len(pairs) < 2:
            self.error("pairs", "'pairs' must map two or more items to answers", "item: answer")
            return None
        rights = {k: self.text(("pairs", k), v) for k, v in pairs.items()}
        listed = self.texts("options")
        opts = base.options(qid, dict.fromkeys(listed or [r for r in rights.values() if r]))
        shown = base.items(qid, [" ".join(k.split()) for k in pairs])
        answer = {}
        for item, (key, right) in zip(shown, rights.items(), strict=True):
            if right is not None:
                answer[item.id] = self.pick(("pairs", key), right, opts)
        return {"options": opts, "items": shown, "answer": answer}


# ---- writing ---------------------------------------------------------------------------


def write(questions: list[Question], header: Mapping[str, Any] | None = None) -> str:
    """The questions as YAML (after the set's ``header`` fields, if given)."""
    data = dict(header or {}) | {"questions": [entry(q) for q in questions]}
    return pyyaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def entry(question: Question) -> dict[str, Any]:
    """One question as the plain data its YAML entry holds; empty fields left out."""
    data: dict[str, Any] = {"id": question.id, "type": question.type, "prompt": question.prompt}
    data |= _answer(question)
    data["explanation"] = question.explanation
    data["facts"] = list(question.fact_ids)
    for name in (*_LISTS, "source", "fact", "template"):
        value = getattr(question, name)
        data[name] = list(value) if isinstance(value, tuple) else value
    data["params"] = dict(question.params)
    if question.difficulty != "medium":
        data["difficulty"] = question.difficulty
    data["settings"] = dict(question.settings)
    if question.type == "date" and data["settings"].get("precision") == _precision(question):
        del data["settings"]["precision"]
    return {k: v for k, v in data.items() if v not in ("", [], {}, None)}


def _precision(question: Question) -> str:
    return PartialDate.parse(str(question.answer)).precision.name.lower()


def _answer(question: Question) -> dict[str, Any]:
    texts = [o.text for o in question.options]
    name = question.option_text
    match question.type:
        case "single_choice":
            return {"options": texts, "answer": name(question.answer)}
        case "multiple_choice":
            return {"options": texts, "answer": [name(i) for i in question.answer]}
        case "ordering":
            return {"options": texts, "answer": [name(i) for i in question.answer]}
        case "matching":
            pairs = {i.text: name(question.answer[i.id]) for i in question.items}
            return {"options": texts, "pairs": pairs}
        case "short_answer":
            accepted = question.accepted
            if accepted in ((), ((question.answer,),)):
                return {"answer": question.answer}
            return {"answer": question.answer, "accepted": [list(g) for g in accepted]}
    return {"answer": question.answer}
