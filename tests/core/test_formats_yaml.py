"""The project's YAML question format: everything kept, problems at line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core import formats
from quizapp.core.formats import yaml as yaml_format
from tests.core.formats_helpers import DATA, ROOT, generated


def test_generated_questions_of_every_type_round_trip_exactly() -> None:
    questions = generated()
    assert len(questions) == 7
    again = yaml_format.read(yaml_format.write(questions))
    assert again.problems == [] and again.questions == questions


@pytest.mark.parametrize("sample", ["sample.gift", "sample.xml"])
def test_imported_questions_round_trip_exactly(sample: str) -> None:
    questions = formats.read_file(DATA / sample).questions
    again = formats.read_bytes(formats.write(questions, "yaml").encode(), "set.yaml")
    assert again.problems == [] and again.questions == questions


HAND_WRITTEN = """\
questions:
  - type: single_choice
    prompt: Where was it signed?
    options: [Minsk, Moscow]
    answer: Minsk
  - id: order
    type: ordering
    prompt: Earliest first.
    answer: [A, B, C]
  - type: date
    prompt: When?
    answer: "1991-12"
    settings: {tolerance: 1}
  - type: short_answer
    prompt: Which city?
    answer: Minsk
    accepted: [[Minsk, Mensk], Misk]
  - type: matching
    prompt: Match.
    pairs: {Minsk: Belarus, Kyiv: Ukraine}
    options: [Ukraine, Belarus, Poland]
"""


def test_hand_written_questions_read_with_defaults() -> None:
    result = yaml_format.read(HAND_WRITTEN, "set.yaml")
    assert result.problems == []
    single, order, date, short, matching = result.questions
    assert single.option_text(single.answer) == "Minsk" and len(single.id) == 12
    assert [order.option_text(i) for i in order.answer] == ["A", "B", "C"]
    assert [o.id for o in order.options] != order.answer
    assert date.settings == {"precision": "month", "tolerance": 1}
    assert short.accepted == (("Minsk", "Mensk"), ("Misk",))
    assert [o.text for o in matching.options] == ["Ukraine", "Belarus", "Poland"]
    assert result.lines == [2, 6, 10, 14, 18]


@pytest.mark.parametrize(
    ("entry", "line", "column", "what"),
    [
        (
            "type: single_choice\n    prompt: Q\n    options: [a, b]\n    answer: c",
            5,
            13,
            "'c' is not",
        ),
        ("type: essay\n    prompt: Q", 2, 11, "unknown question type 'essay'"),
        ("type: true_false\n    prompt: Q\n    answer: maybe", 4, 13, "the answer must be true"),
        (
            "type: true_false\n    prompt: Q\n    answer: true\n    tgas: [a]",
            5,
            5,
            "unknown field 'tgas'",
        ),
        ("type: date\n    prompt: Q\n    answer: 1991-13", 4, 13, "the answer is not a date"),
        ("type: short_answer\n    prompt: Q", 2, 5, "the question has no 'answer'"),
        (
            "type: single_choice\n    options: [a, b]\n    answer: a",
            2,
            5,
            "the question has no 'prompt'",
        ),
        (
            "type: true_false\n    prompt: Q\n    answer: true\n    difficulty: hardest",
            5,
            17,
            "unknown difficulty",
        ),
    ],
)
def test_each_problem_names_line_and_column(entry: str, line: int, column: int, what: str) -> None:
    result = yaml_format.read(f"questions:\n  - {entry}\n", "set.yaml")
    found = [(p.line, p.column, p.message[: len(what)]) for p in result.errors]
    assert found == [(line, column, what)]


def test_a_yaml_syntax_error_is_one_problem() -> None:
    result = yaml_format.read("questions:\n  - type: [unclosed\n", "set.yaml")
    assert len(result.errors) == 1 and result.errors[0].line >= 2


def test_format_chosen_from_the_extension_or_named(tmp_path: Path) -> None:
    assert formats.format_for("a.GIFT").NAME == "gift"
    assert formats.format_for("a.yml").NAME == "yaml"
    assert formats.format_for("a.txt", "xml").NAME == "xml"
    with pytest.raises(ValueError, match="cannot tell the format of 'a.doc'"):
        formats.format_for("a.doc")
    with pytest.raises(ValueError, match="unknown format 'csv'"):
        formats.get("csv")


def test_a_set_file_imports_its_questions_and_says_rules_are_not_imported() -> None:
    text = (ROOT / "questions" / "sets" / "example.yaml").read_text(encoding="utf-8")
    result = yaml_format.read(text, "example.yaml")
    assert len(result.questions) == 8 and result.errors == []
    assert [p.message.split(",")[0] for p in result.warnings] == [
        "the generate rules are not imported"
    ]
    assert yaml_format.read("colour: red\nquestions: []\n").errors[0].message == (
        "unknown field 'colour'"
    )
