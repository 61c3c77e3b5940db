"""Questions say exactly what the source says: no False for what the source is silent
on, no wrong option that paraphrases a right one or comes from the same paragraph, dates
inside the source's own years, and wording true to the data (verb, number, capitals)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.builders.context import index_for
from quizapp.core.dataset import Agreement, Dataset, Entity, Event, Fact, PartialDate, Source
from quizapp.core.distractors import SIMILAR, span
from quizapp.core.generate import generate_bank, generate_quiz
from quizapp.core.loader import check, load_dataset
from quizapp.core.questions import Question
from quizapp.core.wording import fold, overlap, subject
from tests.core.synthetic import synthetic_dataset

ROOT = Path(__file__).resolve().parents[2]
CLOSED_KINDS = {"date", "place", "parties", "signatories", "occasion"}
PHRASE_TEMPLATES = {"what-covered", "match-topics"}


@cache
def bundled() -> Dataset:
    return load_dataset(ROOT / "questions" / "agreements.yaml")


@cache
def synthetic(size: int, seed: int) -> Dataset:
    return synthetic_dataset(size, seed=seed, unknown=0.25, sources=2)


def _texts(q: Question) -> dict[str, str]:
    return {o.id: o.text for o in q.options}


def _right(q: Question) -> set[str]:
    texts = _texts(q)
    if q.type == "matching":
        return set()
    answer = q.answer if isinstance(q.answer, list) else [q.answer]
    return {texts[a] for a in answer if a in texts}


def _owners(dataset: Dataset, topic: str) -> list[Agreement]:
    return [a for a in dataset.agreements if fold(topic) in {fold(t.value) for t in a.topics}]


def _label_date(label: str) -> PartialDate:
    import calendar

    parts = label.removeprefix("on ").removeprefix("in ").split()
    if len(parts) == 1:
        return PartialDate(int(parts[0]))
    month = list(calendar.month_name).index(parts[-2])
    return PartialDate(int(parts[-1]), month, int(parts[0]) if len(parts) == 3 else None)


def check_faithful(dataset: Dataset, q: Question) -> None:
    """The checks a careful teacher makes, re-derived from the dataset."""
    index = index_for(dataset)
    subject_agreement = dataset.agreement(q.agreements[0])
    # Only facts the source gives whole make true/false statements.
    if q.type == "true_false":
        assert q.fact in CLOSED_KINDS, q.prompt
    # A wrong option never paraphrases a right one; topics come from agreements the
    # source describes apart from this one.
    if q.template == "what-covered":
        truths = [t.value for t in subject_agreement.topics]
        for text in set(_texts(q).values()) - _right(q):
            assert all(overlap(text, t) < SIMILAR for t in truths), (q.prompt, text)
            for owner in _owners(dataset, text):
                assert not index.paragraphs(owner) & index.paragraphs(subject_agreement)
    if q.template == "match-topics":
        items = [next(a for a in dataset.agreements if a.title == i.text) for i in q.items]
        for first in items:
            for second in items:
                if first is not second:
                    assert not index.paragraphs(first) & index.paragraphs(second), q.prompt
    # Dates stay inside the years of the source.
    bounds = index.spans.get(q.source)
    dates = []
    if q.template in ("when-signed", "what-preceded", "match-dates") and q.type != "date":
        dates = [_label_date(t) for t in _texts(q).values()]
    if q.template == "true-false-date":
        dates = [PartialDate.parse(q.params["value"])]
    for date in dates:
        assert bounds[0] <= span(date)[0] and span(date)[1] <= bounds[1], (q.prompt, date)
    # Wording: the data's verb, said once; no "they" for one event.
    verb = subject_agreement.verb
    if len(q.agreements) == 1 and q.fact in ("date", "place"):
        assert q.prompt.count(f" {verb}") == 1, q.prompt
    assert " they take place" not in q.prompt


datasets = st.one_of(
    st.just(None), st.tuples(st.integers(3, 40), st.integers(0, 50)).map(lambda t: t)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    choice=datasets,
    seed=st.integers(0, 10**6),
    difficulty=st.sampled_from([None, "easy", "hard"]),
)
def test_no_generated_question_asserts_what_the_source_does_not_say(choice, seed, difficulty):
    dataset = bundled() if choice is None else synthetic(*choice)
    for q in generate_quiz(dataset, 20, seed, difficulty=difficulty).questions:
        check_faithful(dataset, q)


def test_every_bank_question_of_the_bundled_data_is_faithful() -> None:
    dataset = bundled()
    for seed in range(20):
        for q in generate_bank(dataset, seed=seed):
            check_faithful(dataset, q)


# --- the findings, one by one -------------------------------------------------------------


@pytest.fixture(scope="module")
def bank() -> list[Question]:
    return [q for seed in range(20) for q in generate_bank(bundled(), seed=seed)]


def test_no_true_false_about_topics_or_preceding_events(bank: list[Question]) -> None:
    statements = [q for q in bank if q.type == "true_false"]
    assert statements
    assert not [q for q in statements if q.fact in ("topics", "preceded_by", "significance")]
    assert {q.answer for q in statements} == {True, False}


def test_open_lists_are_worded_as_what_the_source_names(bank: list[Question]) -> None:
    topics = [q for q in bank if q.fact == "topics"]
    assert topics
    for q in topics:
        assert "the source name" in q.prompt and "cover" not in q.prompt, q.prompt


def test_the_doctrine_gets_no_anti_western_paraphrase_as_a_wrong_option(
    bank: list[Question],
) -> None:
    doctrine = [
        q
        for q in bank
        if q.template == "what-covered" and q.agreements[0] == "union-state-military-doctrine"
    ]
    assert doctrine
    for q in doctrine:
        wrong = set(_texts(q).values()) - _right(q)
        assert not any("West" in text or "US" in text for text in wrong), wrong


def test_what_the_same_paragraph_says_is_never_a_wrong_option(bank: list[Question]) -> None:
    """The agenda and the doctrine share a paragraph: neither lends the other a topic."""
    agenda, doctrine = "union-state-integration-agenda-2021", "union-state-military-doctrine"
    topics = {key: {t.value for t in bundled().agreement(key).topics} for key in (agenda, doctrine)}
    for q in bank:
        if q.template == "what-covered" and q.agreements[0] in topics:
            other = doctrine if q.agreements[0] == agenda else agenda
            assert not set(_texts(q).values()) & topics[other], q.prompt


def test_talks_held_for_several_months_make_no_month_of_them_wrong(
    bank: list[Question],
) -> None:
    preceded = [q for q in bank if q.template == "what-preceded" and q.type == "single_choice"]
    assert preceded
    months = [f"{m} 2021" for m in ("April", "May", "June", "July", "August", "September")]
    for q in preceded:
        assert q.option_text(q.answer) == "March 2021"
        assert not set(_texts(q).values()) & set(months), _texts(q)


def test_wrong_dates_stay_in_the_years_the_source_covers(bank: list[Question]) -> None:
    dated = [q for q in bank if q.template in ("when-signed", "match-dates", "true-false-date")]
    assert dated
    for q in dated:
        texts = " ".join([*_texts(q).values(), q.params.get("value", "")])
        for year in range(1990, 2100):
            if year not in (2020, 2021):
                assert str(year) not in texts, q.prompt


def test_a_period_must_end_after_it_starts(tmp_path: Path) -> None:
    text = (ROOT / "questions" / "agreements.yaml").read_text(encoding="utf-8")
    (tmp_path / "sources").mkdir()
    source = ROOT / "questions" / "sources" / "increasing-russian-domination.txt"
    (tmp_path / "sources" / source.name).write_text(source.read_text(encoding="utf-8"))
    bad = tmp_path / "agreements.yaml"
    bad.write_text(text.replace("date: 2021-03/2021-09", "date: 2021-09/2021-03"))
    problems = check([bad]).problems
    assert len(problems) == 1 and "does not end after it starts" in problems[0].message


# --- wording ------------------------------------------------------------------------------

_SOURCE_TEXT = """A second source

On 8 December 1991 the Belavezha Accords were signed at Viskuli.
The Treaty on the Creation of a Union State was signed in Moscow on 8 December 1999.
A protocol on border posts was agreed in Minsk in March 2001.
The new security concept was adopted in Minsk in June 2003.
"""


def _fact(value, sentence: str) -> Fact:
    assert sentence in _SOURCE_TEXT
    return Fact(value, (sentence,), "second")


def _agreement(key, title, kind, verb, date, place, sentence) -> Agreement:
    return Agreement(
        key=key,
        title=title,
        kind=kind,
        source="second",
        date=_fact(PartialDate.parse(date), sentence),
        place=_fact(place, sentence),
        verb=verb,
    )


@cache
def second() -> Dataset:
    lines = _SOURCE_TEXT.splitlines()
    places = {
        "viskuli": Entity("viskuli", "place", "Viskuli"),
        "moscow": Entity("moscow", "place", "Moscow"),
        "minsk": Entity("minsk", "place", "Minsk"),
    }
    pool = tuple(Entity(k, "place", k.title()) for k in ("brest", "grodno", "smolensk"))
    agreements = (
        _agreement(
            "belavezha", "Belavezha Accords", "accords", "signed", "1991-12-08", "viskuli", lines[2]
        ),
        _agreement(
            "union-treaty",
            "Treaty on the Creation of a Union State",
            "treaty",
            "signed",
            "1999-12-08",
            "moscow",
            lines[3],
        ),
        _agreement(
            "border-protocol",
            "Protocol on border posts",
            "protocol",
            "agreed",
            "2001-03",
            "minsk",
            lines[4],
        ),
        _agreement(
            "security-concept",
            "New security concept",
            "concept",
            "adopted",
            "2003-06",
            "minsk",
            lines[5],
        ),
    )
    return Dataset(
        sources={"second": Source("second", "A second source", _SOURCE_TEXT)},
        entities=places,
        agreements=agreements,
        pools={"place": pool},
    )


def _prompts(dataset: Dataset, template: str, key: str) -> list[str]:
    return [
        q.prompt
        for seed in range(12)
        for q in generate_bank(dataset, seed=seed)
        if q.template == template and q.agreements[0] == key
    ]


def test_a_plural_title_takes_were() -> None:
    prompts = _prompts(second(), "when-signed", "belavezha")
    assert prompts and all(p.startswith("When were the Belavezha Accords signed?") for p in prompts)


def test_a_proper_name_keeps_its_capitals() -> None:
    dataset = second()
    treaty = dataset.agreement("union-treaty")
    assert subject(treaty, dataset.name_words) == "the Treaty on the Creation of a Union State"
    interior = bundled().agreement("svr-kgb-2021")
    assert subject(interior, bundled().name_words).startswith("the agreement between the Russian")


def test_questions_use_the_verb_of_the_data() -> None:
    assert all(" agreed" in p for p in _prompts(second(), "where-signed", "border-protocol"))
    prompts = _prompts(second(), "when-signed", "security-concept")
    assert prompts and all(" adopted" in p and " signed" not in p for p in prompts)


def test_documents_of_different_kinds_are_compared() -> None:
    questions = [q for seed in range(6) for q in generate_bank(second(), seed=seed)]
    ordering = [q for q in questions if q.template == "chronological-order"]
    assert ordering
    mixed = [q for q in ordering if "documents" in q.prompt]
    assert mixed
    for q in mixed:
        verbs = sorted({second().agreement(key).verb for key in q.agreements})
        assert f"{', '.join(verbs[:-1])} or {verbs[-1]}" in q.prompt, q.prompt


def test_a_description_never_repeats_the_verb() -> None:
    prompts = [
        q.prompt
        for seed in range(6)
        for q in generate_bank(bundled(), seed=seed)
        if q.template in ("where-signed", "when-signed", "true-false-place", "true-false-date")
    ]
    assert prompts
    assert not [p for p in prompts if p.count(" signed") > 1]


def test_events_of_a_period_print_both_ends() -> None:
    event = Event("talks", PartialDate(2021, 3), PartialDate(2021, 9))
    assert event.when() == "March 2021 to September 2021"
    assert event.iso() == "2021-03/2021-09"


def test_a_name_typed_with_a_caron_or_without_is_accepted() -> None:
    from quizapp.core import qtypes

    question = next(
        q
        for seed in range(20)
        for q in generate_bank(bundled(), seed=seed, types=["short_answer"])
        if q.template == "who-signed"
    )
    grade = qtypes.get("short_answer").grade
    for typed in ("Lukašenka", "Lukasenka", "LUKASHENKO", "Alyaksandr Lukašenka", "Putin"):
        assert grade(question, typed).fraction == 1.0, typed
    assert grade(question, "Lavrov").fraction == 0.0
