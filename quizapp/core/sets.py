"""Question sets as files: ``questions/sets/*.yaml``.

A set file names the set and holds hand-written questions (the YAML question format of
``quizapp.core.formats.yaml``) and rules that generate more from the templates::

    name: Union State security agreements
    description: What the article says about the security agreements.
    tags: [security]
    questions:
      - type: true_false
        prompt: ...
        answer: true
        facts: [svr-kgb-2021:date]     # optional: the dataset facts the question tests
    generate:
      - template: when-signed
        agreements: [svr-kgb-2021]      # or topics: [border] (agreements with such a topic)
        count: 2

Every problem comes back as ``path:line:column: what (fix)``. A question that names facts
must name facts the dataset has; its quotes, source and agreements are filled from them,
so its feedback quotes the source sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quizapp.core.dataset import Dataset, fact_id
from quizapp.core.formats.base import Reporter
from quizapp.core.formats.yaml import read_questions
from quizapp.core.generate import generate_bank
from quizapp.core.problems import Problem, Severity
from quizapp.core.questions import Question
from quizapp.core.templates import Template
from quizapp.core.yamlpos import Document, parse_yaml

FIELDS = ("name", "description", "tags", "questions", "generate")
RULE_FIELDS = ("template", "agreements", "topics", "count")


@dataclass(frozen=True)
class Rule:
    """Generate ``count`` questions from ``template`` about the chosen agreements."""

    template: str
    agreements: tuple[str, ...]
    topics: tuple[str, ...]
    count: int
    line: int
    column: int


@dataclass(frozen=True)
class SetFile:
    """A question set as read from its file."""

    path: str
    name: str
    description: str
    tags: tuple[str, ...]
    questions: tuple[Question, ...]
    lines: tuple[int, ...]
    rules: tuple[Rule, ...]
    # Where each named fact was written: (line of its question, fact) -> (line, column).
    fact_positions: Mapping[tuple[int, str], tuple[int, int]] = field(default_factory=dict)


def set_paths(folder: str | Path) -> list[Path]:
    """The set files of a folder, in name order (none when the folder is missing)."""
    folder = Path(folder)
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def read_set(path: str | Path) -> tuple[SetFile | None, list[Problem]]:
    """Read one set file; the set is None when it has an error."""
    path = Path(path)
    reporter = Reporter(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        reporter.error(1, 1, f"cannot read the set file: {err}", "save it as UTF-8 text")
        return None, reporter.finish().problems
    doc, problems = parse_yaml(text, str(path))
    reporter.result.problems.extend(problems)
    if doc is None:
        return None, reporter.finish().problems
    if not isinstance(doc.data, Mapping):
        reporter.error(1, 1, "a set file is a mapping", "start with 'name:' and 'questions:'")
        return None, reporter.finish().problems
    reader = _SetReader(doc, reporter)
    found = reader.read()
    result = reporter.finish()
    if result.errors:
        return None, result.problems
    return found, result.problems


class _SetReader:
    def __init__(self, doc: Document, reporter: Reporter) -> None:
        self.doc, self.rep, self.data = doc, reporter, doc.data

    def error(self, path: tuple, what: str, fix: str) -> None:
        self.rep.error(*self.doc.position(path), what, fix)

    def read(self) -> SetFile | None:
        for key in self.data:
            if key not in FIELDS:
                self.rep.error(
                    *self.doc.key_position((key,)),
                    f"unknown field '{key}'",
                    f"a set file has: {', '.join(FIELDS)}",
                )
        name = self.data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.error(("name",), "the set has no name", "add 'name: …' at the top")
            name = ""
        description = self.data.get("description") or ""
        if not isinstance(description, str):
            self.error(("description",), "'description' must be text", "write it in quotes")
            description = ""
        tags = self.data.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.error(("tags",), "'tags' must be a list of words", "write tags: [one, two]")
            tags = []
        if "questions" in self.data:
            read_questions(self.doc, ("questions",), self.rep)
        rules = self.rules()
        result = self.rep.result
        if not result.questions and not rules and not result.errors:
            self.error((), "the set has no questions", "add 'questions:' or 'generate:'")
        return SetFile(
            path=self.rep.file,
            name=" ".join(name.split()),
            description=description.strip(),
            tags=tuple(tags),
            questions=tuple(result.questions),
            lines=tuple(result.lines),
            rules=tuple(rules),
            fact_positions=self.fact_positions(),
        )

    def fact_positions(self) -> dict[tuple[int, str], tuple[int, int]]:
        entries = self.data.get("questions")
        found: dict[tuple[int, str], tuple[int, int]] = {}
        for n, entry in enumerate(entries if isinstance(entries, list) else ()):
            named = entry.get("facts") if isinstance(entry, Mapping) else None
            line = self.doc.position(("questions", n))[0]
            for k, fact in enumerate(named if isinstance(named, list) else ()):
                found[(line, str(fact))] = self.doc.position(("questions", n, "facts", k))
        return found

    def rules(self) -> list[Rule]:
        raw = self.data.get("generate")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.error(("generate",), "'generate' must be a list", "start each rule with '- '")
            return []
        return [r for n, item in enumerate(raw) if (r := self.rule(n, item)) is not None]

    def rule(self, n: int, item: Any) -> Rule | None:
        path = ("generate", n)
        if not isinstance(item, Mapping):
            self.error(path, "a rule must be a mapping", "write 'template:' and 'count:'")
            return None
        for key in item:
            if key not in RULE_FIELDS:
                self.rep.error(
                    *self.doc.key_position((*path, key)),
                    f"unknown field '{key}'",
                    f"a rule has: {', '.join(RULE_FIELDS)}",
                )
        template, count = item.get("template"), item.get("count", 1)
        lists = {k: item.get(k) or [] for k in ("agreements", "topics")}
        ok = True
        if not isinstance(template, str):
            self.error(path, "the rule names no template", "add 'template: <template id>'")
            ok = False
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            self.error((*path, "count"), "'count' must be a whole number 1..100", "count: 5")
            ok = False
        for key, value in lists.items():
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.error((*path, key), f"'{key}' must be a list", f"{key}: [first, second]")
                ok = False
        if not ok:
            return None
        line, column = self.doc.position(path)
        return Rule(
            template, tuple(lists["agreements"]), tuple(lists["topics"]), count, line, column
        )


def check_sets(
    paths: Sequence[str | Path], dataset: Dataset, templates: Iterable[Template]
) -> tuple[list[SetFile], list[Problem]]:
    """Read every set file and check it against the dataset and the templates: the facts
    questions name, the templates and agreements rules name, and set names used twice.
    Questions that name facts get their quotes, source and agreements filled in."""
    found: list[SetFile] = []
    problems: list[Problem] = []
    template_ids = {t.id for t in templates}
    names: dict[str, str] = {}
    for path in paths:
        set_file, read_problems = read_set(path)
        problems += read_problems
        if set_file is None:
            continue
        more, set_file = _cross_check(set_file, dataset, template_ids)
        if set_file.name in names:
            more.append(
                Problem(
                    set_file.path,
                    1,
                    1,
                    f"the set name '{set_file.name}' is also used by {names[set_file.name]}",
                    "give each set its own name",
                )
            )
        names.setdefault(set_file.name, set_file.path)
        problems += more
        found.append(set_file)
    errors = [p for p in problems if p.severity == Severity.ERROR]
    return ([] if errors else found), problems


def _cross_check(
    set_file: SetFile, dataset: Dataset, template_ids: set[str]
) -> tuple[list[Problem], SetFile]:
    questions, problems = cite_facts(
        set_file.path, set_file.questions, set_file.lines, dataset, set_file.fact_positions
    )
    agreements = {a.key for a in dataset.agreements}
    for rule in set_file.rules:
        where = (set_file.path, rule.line, rule.column)
        if rule.template not in template_ids:
            problems.append(
                Problem(*where, f"no template '{rule.template}'", "use a file name in templates/")
            )
        for key in rule.agreements:
            if key not in agreements:
                problems.append(
                    Problem(*where, f"no agreement '{key}'", "use a key from agreements.yaml")
                )
        if rule.topics and not _about_topics(dataset, rule.topics):
            problems.append(
                Problem(*where, "no agreement has these topics", "use words from topics")
            )
    return problems, replace(set_file, questions=tuple(questions))


def cite_facts(
    path: str,
    questions: Sequence[Question],
    lines: Sequence[int],
    dataset: Dataset,
    positions: Mapping[tuple[int, str], tuple[int, int]] | None = None,
) -> tuple[list[Question], list[Problem]]:
    """Check the facts each question names against the dataset and fill in their quotes,
    source and agreements; a fact the dataset lacks is a problem where it was written."""
    facts = {fact_id(a.key, kind, fact): (a, fact) for a, kind, fact in dataset.facts()}
    problems: list[Problem] = []
    cited = []
    for question, line in zip(questions, lines, strict=True):
        ids = []
        for named in question.fact_ids:
            if named not in facts:
                where = (positions or {}).get((line, named), (line, 1))
                problems.append(_fact_problem(path, where, named, facts))
                continue
            ids.append(named)
        cited.append(_cited(question, ids, facts) if ids else question)
    return cited, problems


def _fact_problem(
    path: str, where: tuple[int, int], named: str, facts: Mapping[str, Any]
) -> Problem:
    agreement = named.split(":", 1)[0]
    known = sorted(f for f in facts if f.startswith(f"{agreement}:"))
    fix = f"use one of: {', '.join(known)}" if known else "use agreement-key:kind from the dataset"
    return Problem(path, *where, f"the dataset has no fact '{named}'", fix)


def _cited(question: Question, ids: list[str], facts: Mapping[str, Any]) -> Question:
    """The question with the quotes, source and agreements of the facts it names."""
    found = [facts[i] for i in ids]
    return replace(
        question,
        fact_ids=tuple(ids),
        quotes=question.quotes or tuple(dict.fromkeys(q for _, f in found for q in f.quotes)),
        source=question.source or found[0][1].source,
        agreements=question.agreements or tuple(dict.fromkeys(a.key for a, _ in found)),
    )


def _about_topics(dataset: Dataset, topics: Sequence[str]) -> list[str]:
    """Agreements with a topic containing any of ``topics`` (case ignored)."""
    words = [t.casefold() for t in topics]
    return [
        a.key
        for a in dataset.agreements
        if any(w in fact.value.casefold() for fact in a.topics for w in words)
    ]


def expand(set_file: SetFile, dataset: Dataset, templates: Iterable[Template]) -> list[Question]:
    """The set's questions: the hand-written ones, then those its rules generate (the same
    every time for the same data)."""
    by_id = {t.id: t for t in templates}
    questions = list(set_file.questions)
    for rule in set_file.rules:
        about = list(rule.agreements) + _about_topics(dataset, rule.topics)
        made: list[Question] = []
        for key in dict.fromkeys(about) or [None]:
            made += generate_bank(
                dataset, (by_id[rule.template],), seed=set_file.name, about=key, count=rule.count
            )
        questions += _round_robin(made, rule.count)
    seen: dict[str, Question] = {}
    for question in questions:
        seen.setdefault(question.id, question)
    return list(seen.values())


def _round_robin(questions: list[Question], count: int) -> list[Question]:
    """Up to ``count`` questions, taking agreements in turn so each gets its share."""
    by_agreement: dict[str, list[Question]] = {}
    for question in questions:
        by_agreement.setdefault(question.agreements[0] if question.agreements else "", []).append(
            question
        )
    picked: list[Question] = []
    while len(picked) < count and any(by_agreement.values()):
        for group in by_agreement.values():
            if group and len(picked) < count:
                picked.append(group.pop(0))
    return picked
