"""YAML into plain Python data that remembers the line and column of every value.

Validation reports problems as ``file:line:column``, so each value is recorded by its
path, e.g. ``("agreements", 2, "date", "value")``. Scalars resolve as with
``yaml.safe_load`` except timestamps, which stay text: a date such as ``2021-11`` or
``2021-11-04`` is parsed later, at the precision its source gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.reader import ReaderError

from quizapp.core.problems import Problem

NodePath = tuple[str | int, ...]
Position = tuple[int, int]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


# Bounds on what one file may ask of the parser: hostile files are refused, not obeyed.
MAX_YAML_BYTES = 2 * 1024 * 1024  # the bundled dataset is 16 KB
MAX_DEPTH = 50  # levels of nesting, counting what aliases stand for
ALIAS_EXPANSION_MAX = 100_000  # values that aliases may add to a file's own


class _Limit(yaml.YAMLError):
    """A file that asks too much of the parser, at the place where it does."""

    def __init__(self, mark: yaml.Mark, message: str, fix: str) -> None:
        super().__init__(message)
        self.mark, self.message, self.fix = mark, message, fix


_TOO_DEEP = f"the data is nested more than {MAX_DEPTH} levels deep"
_FLATTEN = "flatten the structure: no dataset needs this many levels"


class _Loader(yaml.SafeLoader):
    """The safe loader without the timestamp resolver (dates stay text), depth-bounded."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        """Compose as PyYAML does, refusing nesting deeper than MAX_DEPTH (no RecursionError)."""
        if self._depth >= MAX_DEPTH:
            raise _Limit(self.peek_event().start_mark, _TOO_DEEP, _FLATTEN)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# Substrings of PyYAML's messages and what a writer usually has to do about them.
_SYNTAX_FIXES = (
    ("mapping values are not allowed", "put text that contains ': ' in quotes"),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("could not find expected ':'", "write each field as 'name: value' and close every quote"),
    ("found another document", "remove the '---' line: a dataset file holds one document"),
    ("found undefined alias", "define the &anchor before using *alias, or write the value out"),
    ("expected <block end>", "line this up with the other entries at the same level"),
    ("expected ',' or ']'", "close the list with ']' or put the text in quotes"),
    ("expected ',' or '}'", "close the mapping with '}' or put the text in quotes"),
)
_DEFAULT_SYNTAX_FIX = "check the indentation and the quotes on this line and the line before"


@dataclass(frozen=True)
class Document:
    """Parsed data plus where each value and each mapping key was written."""

    data: Any
    values: Mapping[NodePath, Position]
    keys: Mapping[NodePath, Position]

    def position(self, path: NodePath) -> Position:
        """Where the value at ``path`` was written, else where its nearest parent was."""
        for end in range(len(path), -1, -1):
            found = self.values.get(tuple(path[:end]))
            if found is not None:
                return found
        return (1, 1)

    def key_position(self, path: NodePath) -> Position:
        """Where the key leading to ``path`` was written, for problems with the key itself."""
        return self.keys.get(tuple(path)) or self.position(path)


def parse_yaml(text: str, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; syntax errors come back as problems, never as exceptions."""
    if len(text) > MAX_YAML_BYTES:
        return None, [too_large(file)]
    try:
        loader = _Loader(text)
    except ReaderError as err:
        return None, [_reader_problem(err, text, file)]
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node)
        builder = _Builder(loader, file)
        data = None if node is None else builder.build(node, ())
    except _Limit as err:
        return None, [Problem(file, *_position(err.mark), err.message, err.fix)]
    except yaml.YAMLError as err:
        return None, [_syntax_problem(err, file)]
    finally:
        loader.dispose()
    return Document(data, builder.values, builder.keys), builder.problems


def too_large(file: str) -> Problem:
    """The problem of a file over MAX_YAML_BYTES (checked before reading it, where possible)."""
    message = f"the file is larger than {MAX_YAML_BYTES // 2**20} MB, the most read at once"
    return Problem(file, 1, 1, message, "split it into several smaller files")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Raise _Limit when aliases would expand the document too far or nest it too deeply.

    Sizes and depths are counted over the node graph, each node once (a billion laughs
    has a few dozen), without recursion; a node that contains itself counts as one.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    stack = [root]
    while stack:
        node = stack[-1]
        if id(node) not in nodes:
            nodes[id(node)] = node
            stack.extend(kid for kid in _children(node) if id(kid) not in nodes)
            continue
        stack.pop()
        if id(node) not in size:
            kids = _children(node)
            size[id(node)] = 1 + sum(size.get(id(kid), 1) for kid in kids)
            depth[id(node)] = 1 + max((depth.get(id(kid), 1) for kid in kids), default=0)
    if size[id(root)] - len(nodes) > ALIAS_EXPANSION_MAX:
        culprit = min(
            (n for i, n in nodes.items() if size[i] > ALIAS_EXPANSION_MAX), key=_size_of(size)
        )
        message = f"the aliases here expand to more than {ALIAS_EXPANSION_MAX:,} values"
        raise _Limit(culprit.start_mark, message, "write the values out, or use fewer aliases")
    if depth[id(root)] > MAX_DEPTH:
        culprit = min((n for i, n in nodes.items() if depth[i] > MAX_DEPTH), key=_size_of(depth))
        raise _Limit(culprit.start_mark, f"{_TOO_DEEP} (counting what aliases stand for)", _FLATTEN)


def _size_of(measure: dict[int, int]):
    return lambda node: measure[id(node)]


def _position(mark: yaml.Mark) -> Position:
    return (mark.line + 1, mark.column + 1)


def _syntax_problem(err: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line, column = _position(mark) if mark else (1, 1)
    problem = getattr(err, "problem", None) or str(err)
    if problem.startswith("but ") and getattr(err, "context", None):
        problem = f"{err.context} {problem}"
    fix = next((fix for text, fix in _SYNTAX_FIXES if text in problem), _DEFAULT_SYNTAX_FIX)
    return Problem(file, line, column, f"YAML syntax error: {problem}", fix)


def _reader_problem(err: ReaderError, text: str, file: str) -> Problem:
    line = text.count("\n", 0, err.position) + 1
    column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
    code = err.character if isinstance(err.character, int) else ord(err.character)
    message = f"the file contains the control character U+{code:04X}"
    return Problem(file, line, column, message, "delete it; YAML allows only printable text")


class _Builder:
    """Turns composed nodes into plain data, recording positions and structural problems."""

    def __init__(self, loader: _Loader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.values: dict[NodePath, Position] = {}
        self.keys: dict[NodePath, Position] = {}
        self.problems: list[Problem] = []
        self._open: set[int] = set()

    def build(self, node: yaml.Node, path: NodePath) -> Any:
        """The plain value of ``node``; its position is recorded under ``path``."""
        self.values[path] = _position(node.start_mark)
        if id(node) in self._open:
            self._report(node, "this alias contains itself", "write the value out instead")
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._scalar(node)
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: NodePath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._report(key_node, "a key must be plain text", "write the key as 'name:'")
                continue
            key = key_node.value
            if (*path, key) in self.keys:
                line, column = self.keys[(*path, key)]
                message = f"duplicate key '{key}': already set at line {line}, column {column}"
                self._report(key_node, message, f"keep a single '{key}:' in this mapping")
                continue
            self.keys[(*path, key)] = _position(key_node.start_mark)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            problem = getattr(err, "problem", None) or str(err)
            self._report(node, f"cannot read this value: {problem}", "remove the '!' tag")
            return None

    def _report(self, node: yaml.Node, message: str, fix: str) -> None:
        self.problems.append(Problem(self.file, *_position(node.start_mark), message, fix))
