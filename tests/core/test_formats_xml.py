"""Moodle XML: a hand-written file in Moodle's documented syntax, safety, round trips."""

from __future__ import annotations

import pytest

from quizapp.core import formats
from quizapp.core.formats import ExportError, moodle_xml
from tests.core.formats_helpers import DATA, as_kept, generated


@pytest.fixture(scope="module")
def sample():
    return formats.read_file(DATA / "sample.xml")


def test_the_sample_reads_each_shared_type_with_its_line(sample) -> None:
    found = {q.id: (q.type, line) for q, line in zip(sample.questions, sample.lines, strict=True)}
    assert found == {
        "capital": ("single_choice", 7),
        "rivers": ("multiple_choice", 22),
        "freezes": ("true_false", 31),
        "vilnius": ("short_answer", 37),
        "pairs": ("matching", 45),
        "founded": ("ordering", 54),
    }


def test_the_same_questions_as_gift_give_the_same_questions(sample) -> None:
    from_gift = {q.id: q for q in formats.read_file(DATA / "sample.gift").questions}
    capital = next(q for q in sample.questions if q.id == "capital")
    assert capital == from_gift["capital"].__class__(
        **{**from_gift["capital"].__dict__, "tags": ("capitals",)}
    )
    for qid in ("freezes", "vilnius", "pairs"):
        assert next(q for q in sample.questions if q.id == qid) == from_gift[qid]


def test_html_is_read_as_text_and_file_order_kept_when_not_shuffled(sample) -> None:
    capital, rivers = sample.questions[0], sample.questions[1]
    assert capital.prompt == "Which city is the capital of Belarus?"
    assert capital.explanation == "Minsk is the capital of Belarus."
    assert [o.text for o in rivers.options] == ["Dnieper", "Svislach", "Volga"]


def test_ordering_keeps_the_order_and_never_starts_solved(sample) -> None:
    founded = sample.questions[5]
    assert [founded.option_text(i) for i in founded.answer] == ["Kyiv", "Minsk", "Vilnius"]
    assert [o.id for o in founded.options] != founded.answer


def test_unsupported_types_are_errors_and_lost_parts_warnings_by_line(sample) -> None:
    assert [(p.line, p.message.split(" questions")[0]) for p in sample.errors] == [
        (65, "Moodle's numerical"),
        (70, "Moodle's essay"),
        (74, "Moodle's description"),
        (78, "Moodle's cloze"),
    ]
    assert [p.line for p in sample.warnings] == [4, 17, 37, 39]


@pytest.mark.parametrize(
    ("data", "line", "what"),
    [
        (b"<quiz>\n<question type='truefalse'>\n</quiz>", 3, "the XML is not well formed"),
        (b'<!DOCTYPE quiz [<!ENTITY a "b">]><quiz>&a;</quiz>', 1, "the XML is refused"),
        (b"<questions/>", 1, "the root element is <questions>"),
        (
            b"<quiz>\n<question type='multichoice'><questiontext><text>Q</text></questiontext>"
            b"<answer fraction='100'><text>a</text></answer>"
            b"<answer fraction='100'><text>b</text></answer></question></quiz>",
            2,
            "2 answers have fraction 100",
        ),
    ],
)
def test_each_error_names_its_line(data: bytes, line: int, what: str) -> None:
    result = formats.read_bytes(data, "bad.xml")
    assert [(p.line, p.message[: len(what)]) for p in result.errors] == [(line, what)]


def test_read_write_read_gives_equal_questions(sample) -> None:
    again = moodle_xml.read(moodle_xml.write(sample.questions))
    assert again.problems == [] and again.questions == sample.questions


def test_generated_questions_round_trip_in_what_moodle_keeps() -> None:
    questions = [q for q in generated() if q.type != "date"]
    assert len(questions) == 6
    again = moodle_xml.read(moodle_xml.write(questions))
    assert again.problems == []
    kept = ("id", "type", "prompt", "answer", "items", "explanation", "tags")
    assert [as_kept(q, kept) for q in again.questions] == [as_kept(q, kept) for q in questions]


def test_export_refuses_dates_by_name() -> None:
    with pytest.raises(ExportError) as caught:
        formats.write(generated(), "xml")
    assert len(caught.value.reasons) == 1
    assert "(date): Moodle has no date question" in caught.value.reasons[0]
