"""Reading dataset files from disk: report every problem, then build the Dataset.

This is the one place in ``core`` that reads files: the YAML and the source texts it
names. Several files load together with one entity registry: an entity (Russia,
Moscow) may be defined in more than one file if it is the same, and a file may refer to
entities another file defines; agreement and source keys are unique across files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from quizapp.core.dataset import SECTIONS, Dataset, from_dict
from quizapp.core.problems import Problem
from quizapp.core.schema import schema_problems
from quizapp.core.validate import duplicate_keys, keyed_items, semantic_problems
from quizapp.core.yamlpos import MAX_YAML_BYTES, Document, parse_yaml, too_large

__all__ = ["CheckResult", "DatasetError", "Problem", "check", "dataset_files", "load_dataset"]


class CheckResult(NamedTuple):
    """The dataset when the files have no problem, else None and every problem found."""

    dataset: Dataset | None
    problems: list[Problem]


class DatasetError(Exception):
    """A dataset that cannot be loaded; ``problems`` says where and how to fix it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class _File:
    name: str
    document: Document | None = None
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def check(paths: Sequence[str | Path]) -> CheckResult:
    """Check each dataset file; build one Dataset from them only if none has a problem."""
    if isinstance(paths, str | PurePath):
        paths = [paths]
    if not paths:
        raise ValueError("check() needs at least one dataset file")
    unique: dict[Path, Path] = {}
    for path in map(Path, paths):
        unique.setdefault(path.resolve(), path)  # the same file twice is checked once
    files = [_check_file(path) for path in unique.values()]
    entities = {
        file.name: [i for i in keyed_items(file.document.data) if i.group == "entity"]
        for file in files
        if file.document is not None
    }
    for file in files:
        if file.document is not None:
            shared = [i for name, items in entities.items() if name != file.name for i in items]
            file.problems += semantic_problems(file.document, file.name, file.texts, shared)
    problems = [problem for file in files for problem in file.problems]
    if len(files) > 1:
        documents = [(file.name, file.document) for file in files if file.document is not None]
        problems += duplicate_keys(documents, across_files=True)
    if problems:
        order = {file.name: index for index, file in enumerate(files)}
        problems.sort(key=lambda p: (order[p.path], p.line, p.column))
        return CheckResult(None, problems)
    return CheckResult(_merge(files), [])


def dataset_files(spec: str | Path) -> list[Path]:
    """The dataset files ``QUIZAPP_DATA`` or ``--data`` names: a file, a folder (its
    ``*.yaml`` files, not those in sub-folders such as templates/ and sets/), or several
    of these separated by the path separator (``:`` on Linux)."""
    found: list[Path] = []
    for part in str(spec).split(os.pathsep):
        if not part.strip():
            continue
        path = Path(part.strip())
        found += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return found


def load_dataset(path: str | Path) -> Dataset:
    """Read one dataset file and its sources; raise DatasetError listing every problem."""
    result = check([path])
    if result.dataset is None:
        raise DatasetError(result.problems)
    return result.dataset


def _check_file(path: Path) -> _File:
    file = _File(str(path))
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            file.problems.append(too_large(file.name))
            return file
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        file.problems.append(Problem(file.name, 1, 1, *_unreadable(file.name, err)))
        return file
    file.document, file.problems = parse_yaml(text, file.name)
    if file.document is not None:
        file.texts, missing = _read_sources(file.document, path)
        file.problems += schema_problems(file.document, file.name) + missing
    return file


def _unreadable(target: str, err: Exception) -> tuple[str, str]:
    """Why a file cannot be read, and what to do about it."""
    if isinstance(err, FileNotFoundError):
        message, fix = f"file '{target}' does not exist", "create it or correct the path"
    elif isinstance(err, UnicodeDecodeError):
        message, fix = f"file '{target}' is not UTF-8 text", "save it with UTF-8 encoding"
    else:
        message = f"file '{target}' cannot be read: {getattr(err, 'strerror', None) or err}"
        fix = "check the path and its permissions"
    return message, fix


def _read_sources(document: Document, path: Path) -> tuple[dict[str, str], list[Problem]]:
    """The text of each source the file names, by key; a missing file is a problem."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    sources = document.data.get("sources") if isinstance(document.data, dict) else None
    for index, item in enumerate(sources if isinstance(sources, list) else ()):
        key, name = (item.get("key"), item.get("file")) if isinstance(item, dict) else (0, 0)
        if not isinstance(key, str) or not isinstance(name, str):
            continue  # the schema reports it
        line, column = document.position(("sources", index, "file"))
        if PurePath(name).is_absolute() or ".." in PurePath(name).parts:
            message = f"source file '{name}' is outside the folder of {path.name}"
            fix = "keep source texts beside the dataset and write a relative path"
            problems.append(Problem(str(path), line, column, message, fix))
            continue
        try:
            texts[key] = (path.parent / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            message, fix = _unreadable(name, err)
            if isinstance(err, FileNotFoundError):
                fix = f"save the source text there or correct the path, relative to {path.parent}/"
            problems.append(Problem(str(path), line, column, message, fix))
    return texts, problems


def _merge(files: Sequence[_File]) -> Dataset:
    """One Dataset from several dataset files, in the order given. An entity several files
    define is one entity, with the aliases of all of them."""
    raw: dict[str, Any] = {"format": 1, "distractors": {}}
    datas = [file.document.data for file in files if file.document is not None]
    raw["agreements"] = [item for data in datas for item in data.get("agreements") or ()]
    raw["sources"] = [
        {**item, "dataset": Path(file.name).stem}
        for file in files
        if file.document is not None
        for item in file.document.data.get("sources") or ()
    ]
    for section in SECTIONS:
        raw[section] = _union(item for data in datas for item in data.get(section) or ())
        pools = [(data.get("distractors") or {}).get(section) or () for data in datas]
        raw["distractors"][section] = _union(item for pool in pools for item in pool)
    texts = {key: text for file in files for key, text in file.texts.items()}
    return from_dict(raw, texts)


def _union(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entities by key, first definition first, aliases of every definition kept."""
    merged: dict[str, dict[str, Any]] = {}
    for item in items:
        known = merged.setdefault(item["key"], {**item, "aliases": []})
        aliases = [*known["aliases"], *(item.get("aliases") or ())]
        known["aliases"] = list(dict.fromkeys(aliases))
    return list(merged.values())
