"""Generation on the bundled dataset: golden checks, templates, and the `generate` command."""

from __future__ import annotations

import json
from functools import cache
from itertools import chain
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli_generate import generate_command
from quizapp.core import qtypes
from quizapp.core.dataset import Dataset, PartialDate, Precision
from quizapp.core.distractors import span
from quizapp.core.generate import UnknownAgreement, asked_ids, generate_bank, generate_quiz
from quizapp.core.loader import check, load_dataset
from quizapp.core.qtypes import TYPES
from quizapp.core.questions import Question
from quizapp.core.templates import BUNDLED, TemplateError, load_templates
from quizapp.core.wording import date_phrase, entity_phrase, fold, mentions

ROOT = Path(__file__).resolve().parents[2]
SOCHI = {"special-services-sochi-2021", "border-committee-sochi-2021"}
NO_PLACE = {"svr-kgb-2021", "external-borders-reaction", "union-state-military-doctrine"}


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_dataset(ROOT / "questions" / "agreements.yaml")


@pytest.fixture(scope="module")
def banks(bundled: Dataset) -> list[Question]:
    """Every question the bundled data supports, under a few seeds."""
    return [q for seed in range(6) for q in generate_bank(bundled, seed=seed)]


def correct_texts(question: Question) -> set[str]:
    answer = question.answer if isinstance(question.answer, list) else [question.answer]
    return {question.option_text(i) for i in answer}


# --- quizzes ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_a_quiz_of_twenty_from_the_bundled_data(bundled: Dataset, seed: int) -> None:
    result = generate_quiz(bundled, 20, seed)
    assert len(result.questions) == 20 and result.shortfall_reason is None
    facts = [f for q in result.questions for f in asked_ids(q)]
    assert len(facts) == len(set(facts)), "a fact was asked twice"
    revealed = {f for q in result.questions for f in q.reveals}
    assert not revealed & set(facts), "a prompt gave away a fact another question asks"
    assert len({q.fact for q in result.questions}) >= 5
    assert len({q.agreements[0] for q in result.questions}) >= 5
    assert len({q.type for q in result.questions}) >= 4


def test_same_seed_same_quiz_other_seed_other_quiz(bundled: Dataset) -> None:
    first = [q.to_dict() for q in generate_quiz(bundled, 20, 7).questions]
    again = [q.to_dict() for q in generate_quiz(bundled, 20, 7).questions]
    other = [q.to_dict() for q in generate_quiz(bundled, 20, 8).questions]
    assert first == again
    assert first != other


def test_golden_seed_7(bundled: Dataset) -> None:
    questions = generate_quiz(bundled, 5, 7).questions
    assert [(q.template, q.type, q.agreements[0]) for q in questions] == [
        ("who-signed", "multiple_choice", "union-state-integration-agenda-2021"),
        ("what-preceded", "date", "special-services-sochi-2021"),
        ("true-false-date", "true_false", "svr-kgb-2021"),
        ("chronological-order", "ordering", "interior-ministry-rosgvardiya-2020"),
        ("where-signed", "short_answer", "border-committee-sochi-2021"),
    ]
    assert questions[4].prompt == (
        "Where was the agreement concluded at the College of the Union State Border Committee "
        "signed? Name the place."
    )
    assert questions[4].accepted == (("Sochi",),)


def test_more_than_the_data_allows_says_why(bundled: Dataset) -> None:
    result = generate_quiz(bundled, 60, 1)
    assert 15 < len(result.questions) < 60
    assert result.shortfall_reason.startswith(f"made {len(result.questions)} of 60 questions")


def test_filters(bundled: Dataset) -> None:
    dates = generate_quiz(bundled, 5, 3, types=["date"]).questions
    assert dates and {q.type for q in dates} == {"date"}
    about = generate_quiz(bundled, 4, 3, about="svr-kgb-2021").questions
    assert about and all("svr-kgb-2021" in q.agreements for q in about)
    with pytest.raises(UnknownAgreement):
        generate_quiz(bundled, 4, 3, about="no-such-agreement")
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        generate_quiz(bundled, 4, 3, types=["essay"])
    with pytest.raises(ValueError, match="difficulty"):
        generate_quiz(bundled, 4, 3, difficulty="medium")


@pytest.mark.parametrize(("difficulty", "near", "far"), [("hard", 0, 3), ("easy", 3, 23)])
def test_difficulty_sets_how_far_wrong_dates_are(
    bundled: Dataset, difficulty: str, near: int, far: int
) -> None:
    questions = [
        q
        for seed in range(6)
        for q in generate_bank(bundled, seed=seed, types=["single_choice"], difficulty=difficulty)
        if q.template == "when-signed"
    ]
    assert questions
    for q in questions:
        right = bundled.agreement(q.agreements[0]).date.value
        for option in q.options:
            if option.id != q.answer:
                wrong = _month_of(option.text)
                assert near <= abs(wrong - right.months()) <= far, option.text


def _month_of(label: str) -> int:
    import calendar

    *day, month, year = label.split()
    return int(year) * 12 + list(calendar.month_name).index(month) - 1


# --- what the bundled data can and cannot support -----------------------------------------


def test_no_place_question_about_an_agreement_without_a_place(banks: list[Question]) -> None:
    place_facts = [f for q in banks for f in q.fact_ids if f.endswith(":place")]
    assert place_facts and not {f.split(":")[0] for f in place_facts} & NO_PLACE
    asked = {q.agreements[0] for q in banks if q.template in ("where-signed", "true-false-place")}
    assert asked and not asked & NO_PLACE


def test_signed_in_sochi_is_multiple_answer_with_both_agreements(
    banks: list[Question], bundled: Dataset
) -> None:
    sochi = [q for q in banks if q.params.get("place") == "sochi"]
    assert sochi
    titles = {bundled.agreement(key).title for key in SOCHI}
    for q in sochi:
        assert q.type == "multiple_choice" and q.prompt.endswith("Select all that apply.")
        assert correct_texts(q) == titles


def test_only_the_agenda_has_who_signed(banks: list[Question]) -> None:
    who = [q for q in banks if q.fact == "signatories"]
    assert who and {q.agreements[0] for q in who} == {"union-state-integration-agenda-2021"}


def test_a_short_answer_asking_for_one_of_several_signatories_accepts_each(
    banks: list[Question],
) -> None:
    several = [q for q in banks if q.type == "short_answer" and len(q.accepted) > 1]
    assert several and all(q.prompt.startswith("Name one ") for q in several)
    for question in several:
        module = qtypes.of(question)
        assert "any one" in module.hint(question)
        for group in question.accepted:
            assert module.grade(question, group[0]).fraction == 1.0
            assert group[0] in module.describe_key(question)
        together = " and ".join(group[-1] for group in question.accepted)
        assert module.grade(question, together).fraction == 1.0


def test_a_title_naming_the_parties_is_replaced_by_a_description(banks: list[Question]) -> None:
    parties = [q for q in banks if q.template == "which-parties"]
    rosgvardiya = [q for q in parties if q.agreements[0] == "interior-ministry-rosgvardiya-2020"]
    assert rosgvardiya
    for q in rosgvardiya:
        assert "the agreement of November 2020" in q.prompt
        assert "Rosgvardiya" not in q.prompt
        assert q.reveals == ("interior-ministry-rosgvardiya-2020:date",)


@cache
def _both() -> Dataset:
    return check([ROOT / "questions" / f for f in ("agreements.yaml", "union-state.yaml")]).dataset


def _named_in_statement(dataset: Dataset, q: Question) -> tuple[str, list[str]]:
    """A statement's prompt without the value it states, and the names (or the year) of
    the true value and the altered one: what the rest of the prompt must not name."""
    agreement, kind = dataset.agreement(q.agreements[0]), q.fact
    key = q.params["value"]
    if kind == "date":
        fact = agreement.date.value
        return q.prompt.replace(date_phrase(PartialDate.parse(key)), ""), (
            [str(fact.year), key[:4]] if fact.precision == Precision.YEAR else []
        )
    keys = [getattr(agreement, kind).value] if kind == "place" else getattr(agreement, kind).value
    known = {e.key: e for e in [*dataset.entities.values(), *chain(*dataset.pools.values())]}
    shown = known[key]  # an altered value may come from the pool of wrong answers
    names = [n for k in {*keys, key} for n in known[k].names()]
    return q.prompt.replace(entity_phrase(shown), "").replace(shown.name, ""), names


def test_no_true_or_false_statement_names_its_answer_in_the_title() -> None:
    dataset = _both()
    statements = [
        q
        for seed in range(6)
        for q in generate_bank(dataset, seed=seed, types=["true_false"])
        if q.fact in ("date", "place", "parties", "signatories")
    ]
    assert {q.fact for q in statements} == {"date", "place", "parties", "signatories"}
    for q in statements:
        rest, names = _named_in_statement(dataset, q)
        assert not [n for n in names if mentions(rest, n)], q.prompt


def test_wrong_topics_and_occasions_come_from_the_same_dataset_file_first() -> None:
    """With both files loaded, a 1997 charter gets no wrong option from a 2021 article
    unless its own file has too few (the 2021 article's own file always has enough), and
    a false statement about an occasion never borrows one from another file."""
    both = _both()
    file_of = {a.key: both.sources[a.source].dataset for a in both.agreements}
    owners = {fold(t.value): file_of[a.key] for a in both.agreements for t in a.topics}
    owners |= {fold(a.occasion.value): file_of[a.key] for a in both.agreements if a.occasion}
    wrong = [
        (file_of[q.agreements[0]], owners[fold(text)], q.type == "true_false")
        for seed in range(6)
        for q in generate_bank(both, seed=seed)
        if q.template in ("what-covered", "true-false-occasion")
        for text in ([q.params["value"]] if q.type == "true_false" and not q.answer else [])
        + [o.text for o in q.options if o.text not in correct_texts(q)]
    ]
    assert {home for home, _, _ in wrong} == {"agreements", "union-state"}
    assert all(owner == "agreements" for home, owner, _ in wrong if home == "agreements")
    assert all(home == owner for home, owner, statement in wrong if statement)
    elsewhere = sum(1 for home, owner, _ in wrong if home != owner)
    assert elsewhere <= 0.1 * len(wrong), (elsewhere, len(wrong))


def test_dates_are_asked_at_the_precision_of_the_source(bundled: Dataset) -> None:
    dated = generate_bank(bundled, seed=0, types=["date"])
    by_agreement = {q.agreements[0]: q for q in dated if q.template == "when-signed"}
    assert by_agreement["union-state-integration-agenda-2021"].answer == "2021-11-04"
    assert by_agreement["union-state-integration-agenda-2021"].settings["precision"] == "day"
    assert by_agreement["interior-ministry-rosgvardiya-2020"].answer == "2020-11"
    assert "Give the month and year." in by_agreement["interior-ministry-rosgvardiya-2020"].prompt


def test_chronology_follows_the_dates(banks: list[Question], bundled: Dataset) -> None:
    titles = {a.title: a for a in bundled.agreements}
    orders = [q for q in banks if q.type == "ordering"]
    assert orders
    for q in orders:
        starts = [span(titles[q.option_text(i)].date.value)[0] for i in q.answer]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_explanations_quote_the_source_and_name_it(banks: list[Question], bundled: Dataset) -> None:
    for q in banks:
        assert "“Increasing Russian domination over Belarus”" in q.explanation
        assert q.quotes and all(quote in q.explanation for quote in q.quotes)


def test_the_bundled_templates_cover_every_type() -> None:
    templates = load_templates()
    assert {t for template in templates for t in template.types} == set(TYPES)
    assert len({t.id for t in templates}) == len(templates)


def test_templates_can_be_passed_explicitly(bundled: Dataset) -> None:
    result = generate_quiz(bundled, 3, 1, templates=BUNDLED / "where-signed.yaml")
    assert {q.template for q in result.questions} == {"where-signed"}


# --- template files with problems ---------------------------------------------------------

GOOD = """\
id: where
builder: place
needs: [place]
types: [single_choice]
prompt: Where was {subject} {verb}?
explain: "{Title} was {verb} in {answer}."
"""


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (GOOD.replace("{subject}", "{agreement}"), ":5:", "unknown placeholder {agreement}"),
        (GOOD.replace("builder: place", "builder: guess"), ":2:", "unknown builder 'guess'"),
        (GOOD.replace("needs: [place]", "needs: [colour]"), ":3:", "unknown fact kind 'colour'"),
        (GOOD.replace("needs: [place]", "needs: [date]"), ":3:", "cannot ask about 'date'"),
        (GOOD.replace("[single_choice]", "[ordering]"), ":4:", "does not make ordering"),
        (GOOD.replace("id: where\n", ""), ":1:", "missing 'id'"),
        (GOOD + "colour: blue\n", ":7:", "unknown field 'colour'"),
        (GOOD + "settings: {options: 40}\n", ":7:", "bad options 40"),
        (GOOD.replace("types: [single_choice]", "types: [single_choice"), ":5:", "YAML syntax"),
    ],
)
def test_bad_template_files_name_file_and_line(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(TemplateError) as error:
        load_templates(path)
    assert f"{path}{where}" in str(error.value)
    assert message in str(error.value)


def test_duplicate_template_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(TemplateError, match="'where' is already used in"):
        load_templates(tmp_path)


# --- the command --------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(generate_command, list(args))


def test_command_prints_json_with_the_required_fields() -> None:
    result = run("--count", "20", "--seed", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 20
    for record in records:
        for name in (
            "id",
            "type",
            "prompt",
            "options",
            "answer",
            "agreements",
            "fact",
            "source",
            "explanation",
        ):
            assert name in record
        assert record["source"] and record["source"] in " ".join(record["quotes"])
    assert run("--count", "20", "--seed", "1", "--format", "json").stdout == result.stdout


def test_command_prints_a_readable_quiz_with_a_key() -> None:
    result = run("--count", "6", "--seed", "3")
    assert result.exit_code == 0
    quiz, key = result.stdout.split("Answer key")
    assert "1. " in quiz and "6. " in quiz
    assert "1. " in key and "Increasing Russian domination over Belarus" in key


def test_command_yaml() -> None:
    import yaml

    result = run("--count", "3", "--format", "yaml", "--type", "true_false")
    assert result.exit_code == 0
    assert [r["type"] for r in yaml.safe_load(result.stdout)] == ["true_false"] * 3


def test_command_says_on_stderr_why_it_stopped() -> None:
    result = run("--count", "80", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) < 80
    assert result.stderr.startswith("note: made ")
    assert "Traceback" not in result.output


def test_command_refuses_an_unknown_agreement() -> None:
    result = run("--about", "nowhere-2030")
    assert result.exit_code == 2
    assert "no agreement has the key 'nowhere-2030'" in result.stderr
    assert "svr-kgb-2021" in result.stderr


def test_command_reports_a_bad_dataset(tmp_path: Path) -> None:
    bad = tmp_path / "data.yaml"
    bad.write_text("format: 1\nagreements: [\n")
    result = run("--data", str(bad))
    assert result.exit_code == 1
    assert str(bad) in result.stderr and "Traceback" not in result.output
