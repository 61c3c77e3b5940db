"""The second bundled dataset (the Union State, 1995-1999) loads beside the first, shares
its entities and words every template naturally (its default mix: tests/core/test_mix.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from quizapp.core.dataset import Dataset, UnknownDataset, only
from quizapp.core.generate import generate_bank, generate_quiz
from quizapp.core.loader import check, load_dataset
from quizapp.core.templates import load_templates
from tests.core.test_faithful import check_faithful

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
FILES = {"agreements": QUESTIONS / "agreements.yaml", "union-state": QUESTIONS / "union-state.yaml"}


@cache
def dataset(name: str) -> Dataset:
    return load_dataset(FILES[name])


def test_both_files_load_together_sharing_one_registry() -> None:
    result = check([FILES["agreements"], FILES["union-state"]])
    assert result.problems == []
    both = result.dataset
    assert len(both.agreements) == len(dataset("agreements").agreements) + len(
        dataset("union-state").agreements
    )
    for key in ("russia", "belarus", "moscow", "alexander-lukashenko"):
        assert both.entity(key).name == dataset("union-state").entity(key).name
    lukashenko = both.entity("alexander-lukashenko")
    union_state = both.agreement("union-state-creation-treaty-1999")
    agenda = both.agreement("union-state-integration-agenda-2021")
    assert (
        lukashenko.key in union_state.signatories.value
        and lukashenko.key in agenda.signatories.value
    )
    assert both.agreement("union-of-belarus-and-russia-treaty-1997").place.value == "moscow"


def test_every_fact_quotes_its_own_source_word_for_word() -> None:
    second = dataset("union-state")
    for agreement, _kind, fact in second.facts():
        text = " ".join(second.sources[fact.source].text.split())
        for quote in fact.quotes:
            assert " ".join(quote.split()) in text, (agreement.key, quote)
    headers = [s.text.splitlines()[:6] for s in second.sources.values()]
    assert all(any(line.startswith("Address: http") for line in h) for h in headers)
    assert all(any(line.startswith("Retrieved: ") for line in h) for h in headers)


# One question per template, the first of the seed-0 bank: how each reads, word for word.
GOLDEN = {
    "union-state": {
        "chronological-order": "Put these documents in the order in which they were signed, "
        "earliest first.",
        "match-dates": "Match each document to the date when it was approved or signed.",
        "match-places": "Match each document to the place where it was signed.",
        "signed-in-month": "Which of these documents were approved or signed in April 1996? "
        "Select all that apply.",
        "signed-in-place": "Which of these documents was signed in Saint Petersburg?",
        "true-false-date": "True or false? The Declaration on the Further Unification of "
        "Belarus and Russia was signed on 25 December 1996.",
        "true-false-place": "True or false? The Treaty on the Creation of a Union State was "
        "signed in Moscow.",
        "true-false-signatories": "True or false? According to the source, Vladimir Makei "
        "signed or accepted the Treaty on the Creation of a Union State.",
        "what-covered": "Which of these does the source name in connection with the Treaty on "
        "the Formation of a Community of Russia and Belarus? Select all that apply.",
        "when-signed": "When was the Charter of the Union of Belarus and Russia signed?",
        "where-signed": "Where was the Treaty on the Creation of a Union State signed? "
        "Name the place.",
        "which-first": "Which of these treaties was signed first?",
        "which-parties": "Name one party to the treaty of 2 April 1997.",
        "who-signed": "Name one person who signed or accepted the Treaty on the Creation of a "
        "Union State.",
    },
    "agreements": {
        "chronological-order": "Put these agreements in the order in which they were signed, "
        "earliest first.",
        "match-dates": "Match each agreement to the date when it was signed.",
        "match-places": "Match each agreement to the place where it was signed.",
        "match-topics": "Match each document to what the source names in connection with it.",
        "signed-in-month": "Which of these agreements was signed in November 2020?",
        "signed-in-place": "Which of these agreements were signed in Moscow? "
        "Select all that apply.",
        "true-false-date": "True or false? The agreement concluded at the College of the Union "
        "State Border Committee was signed in September 2021.",
        "true-false-parties": "True or false? According to the source, the Belarusian State "
        "Security Committee was a party to the agreement of June 2021.",
        "true-false-place": "True or false? The agreement concluded at the College of the Union "
        "State Border Committee was signed in Sochi.",
        "true-false-signatories": "True or false? According to the source, Alexander Lukashenko "
        "signed or accepted the agenda of deepening Belarusian-Russian integration within the "
        "Union State for 2021-2023.",
        "what-covered": "Which of these does the source name in connection with the cooperation "
        "agreement between the Belarusian Interior Ministry and Rosgvardiya? "
        "Select all that apply.",
        "what-preceded": "The agreement that concluded the talks of the Russian and Belarusian "
        "special services was preceded by talks between Russian and Belarusian special services "
        "focused on cooperation in the format of the Union State. When did this take place? "
        "Give the month and year.",
        "when-signed": "When was the agenda of deepening Belarusian-Russian integration within "
        "the Union State for 2021-2023 signed? Give the day, month and year.",
        "where-signed": "Where was the agreement concluded at the College of the Union State "
        "Border Committee signed? Name the place.",
        "which-covered-topic": "In connection with which of these agreements does the source "
        "name “cooperation as regards public order”?",
        "which-first": "Which of these agreements was signed first?",
        "which-parties": "Which of these was a party to the agreement of November 2020?",
        "who-signed": "Which of these people signed or accepted the agenda of deepening "
        "Belarusian-Russian integration within the Union State for 2021-2023?",
    },
}
# What each dataset's facts cannot support, and why.
UNSUPPORTED = {
    # Two agreements name parties, both Russia and Belarus: no false party, no match; one
    # occasion; no preceding events; topics of one source too few to compare across.
    "union-state": {
        "match-parties",
        "true-false-parties",
        "true-false-occasion",
        "what-preceded",
        "which-covered-topic",
        "match-topics",
    },
    "agreements": {"match-parties", "true-false-occasion"},
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_golden_wording_of_every_template(name: str) -> None:
    first: dict[str, str] = {}
    for question in generate_bank(dataset(name), seed=0):
        first.setdefault(question.template, question.prompt)
    assert first == GOLDEN[name]
    assert {t.id for t in load_templates()} == set(first) | UNSUPPORTED[name]


def test_every_question_of_the_second_dataset_is_faithful() -> None:
    second = dataset("union-state")
    for seed in range(10):
        for question in generate_bank(second, seed=seed):
            check_faithful(second, question)


def test_plural_titles_and_kinds_read_as_plurals() -> None:
    prompts = [
        q.prompt for seed in range(4) for q in generate_bank(dataset("union-state"), seed=seed)
    ]
    regulations = [p for p in prompts if p.startswith("When were the Regulations")]
    assert regulations and not [
        p for p in prompts if "the Regulations of the Parliamentary Assembly was" in p
    ]
    assert any("these treaties" in p for p in prompts)
    assert not [p for p in prompts if "treatys" in p]


def quizapp_command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The installed `quizapp` script, run as a user types it."""
    script = Path(sys.executable).parent / "quizapp"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )


# --- one dataset of several -----------------------------------------------------------------


def test_a_dataset_file_can_be_taken_alone_from_those_loaded() -> None:
    both = check([FILES["agreements"], FILES["union-state"]]).dataset
    assert both.dataset_names() == ("agreements", "union-state")
    assert both.dataset_title("union-state") == (
        "History of Formation and Development of the Union State"
    )
    union = only(both, "union-state")
    assert {a.key for a in union.agreements} == {a.key for a in dataset("union-state").agreements}
    assert union.entity("sochi").name == "Sochi"  # what other files define still resolves
    for seed in range(5):
        for question in generate_quiz(union, 20, seed).questions:
            assert set(question.agreements) <= {a.key for a in union.agreements}
    with pytest.raises(UnknownDataset):
        only(both, "nothing")


def test_generate_takes_one_dataset_by_name() -> None:
    result = quizapp_command(
        "generate",
        "--count",
        "12",
        "--dataset",
        "union-state",
        "--format",
        "json",
        env={"QUIZAPP_DATA": ""},
    )
    assert result.returncode == 0, result.stderr
    keys = {key for q in json.loads(result.stdout) for key in q["agreements"]}
    assert keys and keys <= {a.key for a in dataset("union-state").agreements}
    wrong = quizapp_command("generate", "--dataset", "nothing", env={"QUIZAPP_DATA": ""})
    assert wrong.returncode == 2
    assert "no dataset file is called 'nothing'; loaded: agreements, union-state" in wrong.stderr


def test_a_title_keeps_its_capitals_when_another_file_names_the_union_state() -> None:
    """The first file defines the "Union State": the "Union" of the Charter's title is
    still a word of a proper name, not an entity's name, so the title keeps its capitals."""
    both = check([FILES["agreements"], FILES["union-state"]]).dataset
    prompts = [
        q.prompt
        for seed in range(6)
        for q in generate_bank(only(both, "union-state"), seed=seed)
        if "Union of Belarus and Russia" in q.prompt
    ]
    assert prompts
    assert not [p for p in prompts if "the charter of" in p or "the treaty on" in p]
    assert any("the Charter of the Union of Belarus and Russia" in p for p in prompts)
