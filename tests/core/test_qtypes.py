"""Question types: reading odd responses, grading them, and never raising."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import qtypes
from quizapp.core.questions import Option, Question

single_choice = qtypes.get("single_choice")
multiple_choice = qtypes.get("multiple_choice")
true_false = qtypes.get("true_false")
short_answer = qtypes.get("short_answer")
date = qtypes.get("date")
ordering = qtypes.get("ordering")
matching = qtypes.get("matching")

OPTIONS = tuple(
    Option(i, text)
    for i, text in [("o1", "Moscow"), ("o2", "Minsk"), ("o3", "Sochi"), ("o4", "Brest")]
)


def question(qtype: str, answer: object, **fields: object) -> Question:
    return Question(id="q", type=qtype, prompt="?", answer=answer, **fields)


SINGLE = question("single_choice", "o1", options=OPTIONS)
MULTIPLE = question("multiple_choice", ["o1", "o3"], options=OPTIONS)
TRUE = question("true_false", True)
SHORT = question("short_answer", "Moscow", accepted=(("Moscow", "Moskva"),))
PEOPLE = question(
    "short_answer",
    "Vladimir Putin",
    accepted=(("Vladimir Putin", "Putin"), ("Alexander Lukashenko", "Lukashenka")),
)
MONTH = question("date", "2021-09", settings={"precision": "month", "tolerance": 0})
DAY = question("date", "2021-11-04", settings={"precision": "day"})
YEAR = question("date", "2020", settings={"precision": "year"})
ORDER = question("ordering", ["o1", "o2", "o3", "o4"], options=OPTIONS)
ITEMS = tuple(Option(i, f"Agreement {i}") for i in ("i1", "i2", "i3"))
MATCH = question("matching", {"i1": "o1", "i2": "o3", "i3": "o1"}, options=OPTIONS[:3], items=ITEMS)
GARBAGE = [
    None,
    "",
    "   ",
    0,
    1.5,
    -3,
    [],
    [None],
    [[["o1"]]],
    {"o1": True},
    {1: 2},
    b"o1",
    object(),
]


def test_registry_lists_seven_types() -> None:
    assert qtypes.TYPES == (
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "date",
        "ordering",
        "matching",
    )
    assert qtypes.get("date") is date and date.name == "date" and date.label == "Date"
    assert [t.name for t in qtypes.all()] == list(qtypes.TYPES)
    with pytest.raises(KeyError, match="known: single_choice"):
        qtypes.get("essay")


# --- single choice ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        ("o1", 1.0),
        (" o1 ", 1.0),
        (["o1"], 1.0),
        ("o2", 0.0),
        ("O1", 0.0),
        ("Moscow", 0.0),
        ({"o1": "o1"}, 0.0),
        (["o1", "o2"], 0.0),
    ],
)
def test_single_choice(raw: object, fraction: float) -> None:
    assert single_choice.grade(SINGLE, raw).fraction == fraction


def test_single_choice_feedback_names_the_answer() -> None:
    assert "Moscow" in single_choice.grade(SINGLE, "o2").feedback
    assert single_choice.grade(SINGLE, "o2").feedback == (
        "You chose “Minsk”; the right one is “Moscow”."
    )
    assert single_choice.grade(SINGLE, None).feedback.startswith("No answer")
    assert single_choice.describe(SINGLE, "o3") == "Sochi"


# --- multiple choice ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        (["o1", "o3"], 1.0),
        (["o3", "o1"], 1.0),
        (["o1"], 0.5),
        ("o1", 0.5),
        (["o1", "o1"], 0.5),
        (["o1", "o3", "o2"], 0.5),
        (["o1", "o2"], 0.0),
        (["o2", "o4"], 0.0),
        (OPTIONS[0].id, 0.5),
        (["o1", "nope"], 0.5),
        ([], 0.0),
        ([1, 2], 0.0),
        ({"o1": "on"}, 0.0),
    ],
)
def test_multiple_choice_partial_credit(raw: object, fraction: float) -> None:
    assert multiple_choice.grade(MULTIPLE, raw).fraction == fraction


def test_multiple_choice_says_what_was_chosen_and_what_is_right_in_words() -> None:
    feedback = multiple_choice.grade(MULTIPLE, ["o1", "o2"]).feedback
    assert feedback.startswith(
        "You chose “Moscow” and “Minsk”; the right ones are “Moscow” and “Sochi”."
    )
    assert "Each right choice earns 1/2 of the mark" in feedback
    assert "picked" not in feedback and "one(s)" not in feedback
    assert multiple_choice.grade(MULTIPLE, ["o3", "o1"]).feedback == (
        "Correct: you chose “Moscow” and “Sochi”, and only those."
    )
    assert multiple_choice.grade(MULTIPLE, []).feedback == (
        "No answer was given. The right ones are “Moscow” and “Sochi”."
    )
    assert multiple_choice.normalize(MULTIPLE, ["o3", " o1", "zz"]) == ["o1", "o3"]


# --- true or false ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        (True, 1.0),
        ("true", 1.0),
        (" TRUE ", 1.0),
        ("yes", 1.0),
        (1, 1.0),
        ([True], 1.0),
        (False, 0.0),
        ("false", 0.0),
        ("no", 0.0),
        (0, 0.0),
        ("maybe", 0.0),
        (2, 0.0),
        ({"answer": True}, 0.0),
    ],
)
def test_true_false(raw: object, fraction: float) -> None:
    assert true_false.grade(TRUE, raw).fraction == fraction


def test_true_false_unreadable_is_no_answer() -> None:
    assert true_false.normalize(TRUE, "maybe") is None
    assert true_false.grade(TRUE, "maybe").feedback.startswith("No answer")


def test_true_and_false_are_capitalised_in_answers_and_feedback() -> None:
    assert true_false.describe(TRUE, "false") == "False"
    assert true_false.describe(TRUE, True) == "True"
    assert true_false.to_text(TRUE, "yes") == "True"
    assert true_false.grade(TRUE, "no").feedback == "Not correct: the statement is True."


# --- short answer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Moscow",
        "moscow",
        "  MOSCOW  ",
        "Moscow!",
        "the Moscow",
        "The  moscow.",
        "Mosców",
        "Moskva",
        "MOSKVA",
        ["Moscow"],
    ],
)
def test_short_answer_accepts_forms_and_aliases(raw: object) -> None:
    assert short_answer.grade(SHORT, raw).fraction == 1.0


@pytest.mark.parametrize("raw", ["Minsk", "Mosco", "a", "the", "Moscow Moscow", 5, {"x": "Moscow"}])
def test_short_answer_rejects(raw: object) -> None:
    assert short_answer.grade(SHORT, raw).fraction == 0.0


def test_short_answer_says_which_form_was_accepted() -> None:
    assert "accepted as Moskva, a name for Moscow" in short_answer.grade(SHORT, "moskva").feedback
    assert "accepted as Moscow" in short_answer.grade(SHORT, "MOSCOW").feedback
    assert "a name for Alexander Lukashenko" in short_answer.grade(PEOPLE, "lukashenka").feedback
    assert short_answer.grade(PEOPLE, "putin").fraction == 1.0
    wrong = short_answer.grade(PEOPLE, "Lavrov").feedback
    assert "Vladimir Putin or Alexander Lukashenko" in wrong and "Lukashenka" in wrong


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        ("Lukashenka", 1.0),
        ("Putin and Lukashenka", 1.0),
        ("putin, Alexander Lukashenko", 1.0),
        ("Putin & Lukashenka", 1.0),
        ("Putin and Lavrov", 0.0),
        ("Putin, Vladimir Putin", 0.0),
        ("Lavrov and", 0.0),
    ],
)
def test_short_answer_asking_for_one_of_several_accepts_any_and_only_right_ones(
    raw: str, fraction: float
) -> None:
    assert short_answer.grade(PEOPLE, raw).fraction == fraction


def test_short_answer_with_several_right_ones_says_any_one_counts() -> None:
    assert "any one of the right ones counts" in short_answer.hint(PEOPLE)
    assert "any one" not in short_answer.hint(SHORT)
    assert short_answer.describe_key(PEOPLE) == (
        "Vladimir Putin or Alexander Lukashenko (either is right)"
    )
    assert short_answer.describe_key(SHORT) == "Moscow"
    both = short_answer.grade(PEOPLE, "Putin and Lukashenka").feedback
    assert (
        both == "Correct: Vladimir Putin and Alexander Lukashenko are both right; one was enough."
    )
    wrong = short_answer.grade(PEOPLE, "Putin and Lavrov").feedback
    assert wrong.startswith("Not correct: “Lavrov” is not one of the right answers.")


@pytest.mark.parametrize("raw", ["", "   ", None, "?!", []])
def test_short_answer_empty_is_no_answer(raw: object) -> None:
    assert short_answer.normalize(SHORT, raw) is None
    assert short_answer.grade(SHORT, raw).feedback.startswith("No answer")


# --- date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        ("2021-09", 1.0),
        ("2021-9", 1.0),
        ("September 2021", 1.0),
        ("sept. 2021", 1.0),
        ("Sep 2021", 1.0),
        ("09/2021", 1.0),
        ("2021-09-15", 1.0),
        ({"year": "2021", "month": "9"}, 1.0),
        ({"year": 2021, "month": 9, "day": ""}, 1.0),
        ("2021-08", 0.0),
        ("October 2021", 0.0),
        ("2021", 0.0),
        ("2021-13", 0.0),
        ("Smarch 2021", 0.0),
        ({"year": []}, 0.0),
        ("", 0.0),
    ],
)
def test_date_at_month_precision(raw: object, fraction: float) -> None:
    assert date.grade(MONTH, raw).fraction == fraction


def test_date_less_precise_than_asked_is_incomplete() -> None:
    assert date.normalize(MONTH, "2021") is None
    assert "Give the month and year" in date.grade(MONTH, "2021").feedback


@pytest.mark.parametrize("raw", ["2021-11-04", "4 November 2021", "November 4, 2021", "4 Nov 2021"])
def test_date_at_day_precision(raw: str) -> None:
    assert date.grade(DAY, raw).fraction == 1.0
    assert date.grade(DAY, "2021-11-05").fraction == 0.0


def test_date_at_year_precision_accepts_a_number() -> None:
    assert date.grade(YEAR, 2020).fraction == 1.0
    assert date.grade(YEAR, "2020").fraction == 1.0
    assert date.grade(YEAR, True).fraction == 0.0


def test_date_tolerance_in_units_of_the_precision() -> None:
    lenient = question("date", "2021-09", settings={"precision": "month", "tolerance": 1})
    assert date.grade(lenient, "2021-08").fraction == 1.0
    assert "within 1 month" in date.grade(lenient, "2021-10").feedback
    assert date.grade(lenient, "2021-07").fraction == 0.0
    assert date.describe(lenient, "2021-07") == "July 2021"


# --- ordering -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        (["o1", "o2", "o3", "o4"], 1.0),
        ("o1, o2, o3, o4", 1.0),
        ({"o1": "1", "o2": 2, "o3": "3", "o4": 4}, 1.0),
        (["o2", "o1", "o3", "o4"], 2 / 3),
        (["o1", "o2", "o4", "o3"], 2 / 3),
        (["o4", "o3", "o2", "o1"], 0.0),
        (["o1", "o2", "o3"], 0.0),
        (["o1", "o1", "o2", "o3"], 0.0),
        ({"o1": "first"}, 0.0),
        ({"o1": True, "o2": 2, "o3": 3, "o4": 4}, 0.0),
    ],
)
def test_ordering_by_neighbouring_pairs(raw: object, fraction: float) -> None:
    assert ordering.grade(ORDER, raw).fraction == pytest.approx(fraction)


def test_ordering_states_its_rule() -> None:
    feedback = ordering.grade(ORDER, ["o2", "o1", "o3", "o4"]).feedback
    assert "2 of 3 neighbouring pairs" in feedback
    assert feedback.endswith("Out of order: “Moscow” is earlier than “Minsk”.")
    assert ordering.grade(ORDER, ["o1", "o2", "o3", "o4"]).feedback == (
        "Correct: all 4 items are in order."
    )


# --- matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        ({"i1": "o1", "i2": "o3", "i3": "o1"}, 1.0),
        ([["i1", "o1"], ["i2", "o3"], ["i3", "o1"]], 1.0),
        ({"i1": "o1", "i2": "o3", "i3": "o2"}, 2 / 3),
        ({"i1": "o1"}, 1 / 3),
        ({"i1": "o1", "i2": "o3", "i3": "o1", "zz": "o1"}, 1.0),
        ({"i1": 1, "i2": "o3"}, 1 / 3),
        ({}, 0.0),
        ("i1=o1", 0.0),
        ([["i1"]], 0.0),
    ],
)
def test_matching_by_share_of_items(raw: object, fraction: float) -> None:
    assert matching.grade(MATCH, raw).fraction == pytest.approx(fraction)


def test_matching_describes_pairs() -> None:
    assert matching.describe(MATCH, {"i2": "o3"}) == "Agreement i2 → Sochi"
    feedback = matching.grade(MATCH, {"i1": "o1", "i2": "o1"}).feedback
    assert feedback.startswith("1 of 3 items matched right")
    assert "“Agreement i2” goes with “Sochi”, not “Moscow”." in feedback
    assert "“Agreement i3” was left unmatched: it goes with “Moscow”." in feedback
    # each item named once: the right pairs are not listed again
    assert feedback.count("Agreement i2") == 1 and "Agreement i1" not in feedback


# --- anything a browser could send --------------------------------------------------------

ALL = [SINGLE, MULTIPLE, TRUE, SHORT, PEOPLE, MONTH, DAY, YEAR, ORDER, MATCH]
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["o1", "o2", "i1", "2021-09", "Moscow", "true", "o1,o2,o3,o4"]),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.text(max_size=4) | st.sampled_from(["i1", "year", "month"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("raw", GARBAGE)
@pytest.mark.parametrize("q", ALL, ids=lambda q: f"{q.type}-{q.answer}")
def test_garbage_never_raises(q: Question, raw: object) -> None:
    module = qtypes.get(q.type)
    result = module.grade(q, raw)
    assert 0.0 <= result.fraction <= 1.0 and result.feedback
    assert isinstance(module.describe(q, raw), str)


@settings(max_examples=150, deadline=None)
@given(raw=JSONISH, index=st.integers(0, len(ALL) - 1))
def test_any_json_value_grades_between_0_and_1(raw: object, index: int) -> None:
    q = ALL[index]
    module = qtypes.get(q.type)
    result = module.grade(q, raw)
    assert 0.0 <= result.fraction <= 1.0
    canonical = module.normalize(q, raw)
    if canonical is not None:
        assert module.normalize(q, canonical) == canonical
        assert module.grade(q, canonical) == result


@pytest.mark.parametrize("q", ALL, ids=lambda q: f"{q.type}-{q.answer}")
def test_the_answer_grades_full_marks(q: Question) -> None:
    result = qtypes.grade(q, q.answer)
    assert result.fraction == 1.0 and result.correct
