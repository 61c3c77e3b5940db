"""Hostile YAML is refused quickly, in little memory, as path:line:column problems."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from quizapp.core import yamlpos
from quizapp.core.loader import check
from quizapp.core.yamlpos import MAX_DEPTH, MAX_YAML_BYTES, parse_yaml

# The classic "billion laughs": 336 bytes whose aliases expand to 10**9 strings.
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def _refused_quickly(text: str) -> list:
    """Problems of a refused text; parsing took under a second and under 50 MB."""
    started = time.process_time()  # CPU time: the other processes of a busy machine don't count
    document, problems = parse_yaml(text, "bad.yaml")
    seconds = time.process_time() - started
    assert document is None and problems
    assert seconds < 1.0, f"took {seconds:.2f} s"
    tracemalloc.start()
    try:
        parse_yaml(text, "bad.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"used {peak / 2**20:.0f} MB"
    return problems


def test_billion_laughs_is_refused_at_the_alias_that_explodes():
    assert len(LAUGHS.encode()) < 400
    problems = _refused_quickly(LAUGHS)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == "bad.yaml" and problem.line > 1
    assert "aliases" in problem.message and "write" in problem.fix


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_without_a_recursion_error(style):
    depth = 20_000
    text = (
        "[" * depth + "]" * depth
        if style == "flow"
        else "- " * depth + "x\n"  # nested block sequences on one line
    )
    problems = _refused_quickly(text)
    assert len(problems) == 1
    assert f"more than {MAX_DEPTH} levels" in problems[0].message


def test_aliases_nesting_one_another_cannot_go_deeper_than_the_limit():
    lines = ["a0: &a0 " + "[" * 40 + "x" + "]" * 40]
    lines += [f"a{i}: &a{i} " + "[" * 40 + f"*a{i - 1}" + "]" * 40 for i in range(1, 30)]
    problems = _refused_quickly("\n".join(lines) + "\n")
    assert problems and f"more than {MAX_DEPTH} levels" in problems[0].message


def test_a_few_aliases_are_still_fine():
    document, problems = parse_yaml("a: &x [1, 2]\nb: *x\nc: *x\n", "ok.yaml")
    assert problems == [] and document.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch):
    path = tmp_path / "huge.yaml"
    path.write_text("a: 1\n" + "#" * MAX_YAML_BYTES)
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("the file was read"))
    result = check([path])
    assert result.dataset is None and len(result.problems) == 1
    assert str(result.problems[0]).startswith(f"{path}:1:1: the file is larger than")


def test_text_over_the_size_limit_is_refused():
    problems = _refused_quickly("#" * (yamlpos.MAX_YAML_BYTES + 1))
    assert "larger than" in problems[0].message
