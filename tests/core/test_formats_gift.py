"""GIFT: a hand-written corpus in Moodle's documented syntax, every error by line, round trips."""

from __future__ import annotations

import pytest

from quizapp.core import formats
from quizapp.core.formats import ExportError, gift
from quizapp.core.problems import Severity
from tests.core.formats_helpers import DATA, as_kept, generated


@pytest.fixture(scope="module")
def sample():
    return formats.read_file(DATA / "sample.gift")


def by_id(result, qid):
    return next(q for q in result.questions if q.id == qid)


def test_the_corpus_reads_every_supported_question_with_its_line(sample) -> None:
    found = {q.id: (q.type, line) for q, line in zip(sample.questions, sample.lines, strict=True)}
    assert found == {
        "capital": ("single_choice", 4),
        "rivers": ("multiple_choice", 11),
        "freezes": ("true_false", 17),
        "vilnius": ("short_answer", 19),
        "pairs": ("matching", 21),
        "e14912dcba39": ("single_choice", 28),
        "escapes": ("single_choice", 30),
        "multi line": ("true_false", 32),
        "formats": ("single_choice", 42),
        "newline": ("true_false", 44),
        "commented": ("single_choice", 53),
        "blank-tf": ("true_false", 57),
    }


def test_single_choice_keeps_the_key_and_the_general_feedback(sample) -> None:
    question = by_id(sample, "capital")
    assert question.option_text(question.answer) == "Minsk"
    assert sorted(o.text for o in question.options) == ["Kyiv", "Minsk", "Moscow"]
    assert question.explanation == "Minsk is the capital of Belarus."
    assert question.fact_ids == ()


def test_weighted_answers_make_a_multiple_choice_question(sample) -> None:
    question = by_id(sample, "rivers")
    assert sorted(question.option_text(i) for i in question.answer) == ["Dnieper", "Svislach"]


def test_true_false_short_answer_and_matching(sample) -> None:
    assert by_id(sample, "freezes").answer is False
    vilnius = by_id(sample, "vilnius")
    assert vilnius.prompt == "Which country's capital is Vilnius?"
    assert vilnius.accepted == (("Lithuania", "Republic of Lithuania"),)
    pairs = by_id(sample, "pairs")
    named = {pairs.option_text(i): pairs.option_text(o) for i, o in pairs.answer.items()}
    assert named == {"Minsk": "Belarus", "Kyiv": "Ukraine", "Vilnius": "Lithuania"}
    assert "Poland" in {o.text for o in pairs.options}


def test_missing_word_escapes_and_multiple_lines(sample) -> None:
    blank = by_id(sample, "e14912dcba39")
    assert blank.prompt == "Minsk lies on the river _____ in the middle of Belarus."
    escapes = by_id(sample, "escapes")
    assert escapes.prompt == "What does 1 = 1 mean in the notation a:b {c}?"
    assert escapes.option_text(escapes.answer) == "equality # identity"
    assert by_id(sample, "multi line").prompt == "This question\nspans several lines."
    assert by_id(sample, "newline").prompt == "First line\nsecond line."
    assert by_id(sample, "commented").prompt == "Which city\nis the capital of Ukraine?"
    assert by_id(sample, "blank-tf").prompt == "The Svislach _____ flows through Minsk."


def test_markdown_and_plain_markers_leave_the_text_as_written(sample) -> None:
    question = by_id(sample, "formats")
    assert question.prompt == "Which *river* flows through Minsk?"
    assert question.option_text(question.answer) == "Svislach"


def test_what_has_no_counterpart_is_an_error_on_its_line(sample) -> None:
    errors = {(p.line, p.message.split(" (")[0]) for p in sample.errors}
    assert errors == {
        (36, "a numerical question"),
        (38, "an essay question"),
        (40, "a description"),
        (46, "a numerical question"),
        (48, "a numerical question"),
    }
    assert not sample.ok


def test_what_is_not_kept_is_a_warning_on_its_line(sample) -> None:
    warnings = {(p.line, p.message.split(" ")[0]) for p in sample.warnings}
    assert warnings == {
        (2, "the"),
        (4, "per-answer"),
        (11, "the"),
        (17, "true/false"),
        (19, "HTML"),
    }
    assert all(p.severity == Severity.WARNING for p in sample.warnings)
    assert str(sample.warnings[0]).startswith(f"{DATA / 'sample.gift'}:2:1: warning: the $CATEGORY")


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("Q one{=a ~b}\n\n::t::Q two{=a ~b", 3, "'{' is never closed"),
        ("Q}{=a ~b}", 1, "'}' without an opening '{'"),
        ("::t Q{=a ~b}", 1, "the title is not closed"),
        ("Q{=a =b ~c}", 1, "more than one answer is marked right"),
        ("Q{~a ~b}", 1, "no answer has a positive weight"),
        ("Q{=%50%a}", 1, "no answer gets full credit"),
        ("Q{=a -> 1}", 1, "the pairs of this matching question"),
        ("Q{=a -> 1 =a -> 2}", 1, "an item appears twice"),
        ("Q{=a ~a}", 1, "the options of this single choice"),
        ("Q{=a}\n\nQ{=a}", 3, "the question id"),
        ("Q {1:MC:=a} and {=b ~c}", 1, "a second answer block"),
        ("{=a ~b}", 1, "the prompt of this single choice"),
        ("Q{~%150%a ~b}", 1, "the weight 150% is outside"),
        ("Q{x =a ~b}", 1, "text before the first answer"),
    ],
)
def test_each_error_names_its_line(text: str, line: int, what: str) -> None:
    result = gift.read(text, "bad.gift")
    assert [(p.line, p.message[: len(what)]) for p in result.errors] == [(line, what)]


def test_a_byte_order_mark_and_windows_line_ends_are_read() -> None:
    data = "\ufeff::a::Q?{=yes ~no}\r\n\r\n::b::R?{T}\r\n".encode()
    result = formats.read_bytes(data, "upload.gift")
    assert [q.id for q in result.questions] == ["a", "b"] and result.ok


def test_a_file_that_is_not_utf8_is_one_error() -> None:
    result = formats.read_bytes(b"::a::Q?{=caf\xe9 ~no}", "latin.gift")
    assert [(p.line, p.column, p.message) for p in result.errors] == [
        (1, 13, "the file is not UTF-8 text")
    ]


def test_read_write_read_gives_equal_questions(sample) -> None:
    again = gift.read(gift.write(sample.questions))
    assert again.problems == [] and again.questions == sample.questions


def test_generated_questions_round_trip_in_what_gift_keeps() -> None:
    questions = [q for q in generated() if q.type not in ("date", "ordering")]
    assert len(questions) == 5
    again = gift.read(gift.write(questions))
    assert again.problems == []
    kept = ("id", "type", "prompt", "answer", "items", "explanation")
    assert [as_kept(q, kept) for q in again.questions] == [as_kept(q, kept) for q in questions]


def test_export_refuses_what_gift_cannot_express_and_names_each() -> None:
    questions = generated()
    with pytest.raises(ExportError) as caught:
        formats.write(questions, "gift")
    reasons = caught.value.reasons
    assert len(reasons) == 2
    assert any("(date): GIFT has no date question" in r for r in reasons)
    assert any("(ordering): GIFT has no ordering question" in r for r in reasons)
