"""Checking a dataset file: every problem is told as file:line:column with a fix.

Each test writes a small dataset into a temporary folder, breaks one thing and
asserts exactly what the writer is told and where.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.dataset import Precision
from quizapp.core.loader import DatasetError, check, load_dataset
from quizapp.core.problems import Problem
from quizapp.core.yamlpos import parse_yaml

BUNDLED = Path(__file__).resolve().parents[2] / "questions" / "agreements.yaml"

SOURCE = """Talks in Sochi

In March 2021, Russia and Belarus signed a „border agreement” in Sochi. Vladimir Putin
signed it. The agreement covers joint patrols. It was the first of its kind.
"""

SIGNED = "In March 2021, Russia and Belarus signed a „border agreement” in Sochi."

VALID = f"""\
format: 1
sources:
  - key: article
    file: article.txt
    title: Talks in Sochi
countries:
  - {{key: russia, name: Russia, aliases: [Russian Federation]}}
  - {{key: belarus, name: Belarus}}
persons:
  - {{key: putin, name: Vladimir Putin, country: russia}}
places:
  - {{key: sochi, name: Sochi, country: russia, lat: 43.585, lon: 39.723}}
distractors:
  places:
    - {{key: minsk, name: Minsk, country: belarus, aliases: [Mensk]}}
agreements:
  - key: border-2021
    title: Border agreement
    source: article
    date:
      value: 2021-03
      quote: {SIGNED}
    place:
      value: sochi
      quote: {SIGNED}
    parties:
      value: [russia, belarus]
      quote: {SIGNED}
    signatories:
      value: [putin]
      quote: Vladimir Putin signed it.
    topics:
      - value: joint patrols
        quote: The agreement covers joint patrols.
    occasion: unknown
"""

# A second dataset file: full on its own, with keys of its own.
MORE = """\
format: 1
sources:
  - {key: notes, file: article.txt, title: Notes on the talks}
agreements:
  - key: patrols-2021
    title: Patrol agreement
    source: notes
    topics:
      - value: joint patrols
        quote: The agreement covers joint patrols.
"""

DATE_FIX = "write the date the source gives as YYYY, YYYY-MM or YYYY-MM-DD"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a fresh folder, so problems name the file as a writer would type it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def written(text: str, name: str = "agreements.yaml") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def told(text: str) -> list[str]:
    """Write the dataset and return what checking it tells the writer."""
    return [str(problem) for problem in check([written(text)]).problems]


def at(text: str, needle: str, occurrence: int = 1, name: str = "agreements.yaml") -> str:
    """``file:line:column`` of the ``occurrence``-th ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - text.rfind("\n", 0, index)
    return f"{name}:{line}:{column}"


def line_and_column(text: str, needle: str) -> str:
    """``line L, column C`` of the first ``needle``, as a message names an earlier place."""
    line, column = at(text, needle).split(":")[1:]
    return f"line {line}, column {column}"


def edit(old: str, new: str, count: int = 1) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, count)


# --- data that is right ---------------------------------------------------------------


def test_the_bundled_dataset_has_no_problems():
    dataset, problems = check([BUNDLED])
    assert problems == []
    assert dataset is not None
    assert dataset.counts()["agreements"] == 7
    assert load_dataset(BUNDLED).version == dataset.version


def test_a_small_valid_file_loads_with_its_facts():
    assert told(VALID) == []
    dataset = load_dataset("agreements.yaml")
    agreement = dataset.agreement("border-2021")
    assert agreement.date.value.label() == "March 2021"
    assert agreement.place.value == "sochi"
    assert agreement.occasion is None
    assert [entity.key for entity in dataset.pools["place"]] == ["minsk"]


def test_dates_stay_as_written_at_the_precision_given():
    document, problems = parse_yaml("a: 2021-11-04\nb: 2021-11\nc: 2021\n", "x.yaml")
    assert problems == []
    assert document.data == {"a": "2021-11-04", "b": "2021-11", "c": 2021}
    assert told(edit("value: 2021-03", "value: 2021")) == []
    agreement = load_dataset("agreements.yaml").agreement("border-2021")
    assert agreement.date.value.precision is Precision.YEAR


def test_a_quote_may_wrap_differently_from_the_source():
    text = edit(
        "quote: Vladimir Putin signed it.",
        "quote: >-\n        Vladimir Putin   signed\n        it.",
    )
    assert told(text) == []


# --- dates ----------------------------------------------------------------------------


def test_a_day_the_month_does_not_have_is_reported_where_it_is_written():
    text = edit("value: 2021-03", "value: 2021-02-30")
    assert told(text) == [
        f"{at(text, '2021-02-30')}: date '2021-02-30' is not a real date: "
        f"February 2021 has no day 30 ({DATE_FIX})"
    ]


def test_a_month_13_is_reported():
    text = edit("value: 2021-03", "value: 2021-13")
    assert told(text) == [
        f"{at(text, '2021-13')}: date '2021-13' is not a real date: a year has no month 13 "
        f"({DATE_FIX})"
    ]


def test_a_date_in_words_is_reported():
    text = edit("value: 2021-03", "value: March 2021")
    assert told(text) == [
        f"{at(text, 'March 2021')}: date 'March 2021' is not written as YYYY, YYYY-MM or "
        f"YYYY-MM-DD ({DATE_FIX})"
    ]


# --- keys -----------------------------------------------------------------------------


def test_a_key_used_twice_is_reported_at_the_second_use_naming_the_first():
    text = edit("key: minsk", "key: sochi")
    assert told(text) == [
        f"{at(text, 'sochi, name', 2)}: key 'sochi' is already used by the place "
        f"at {line_and_column(text, 'sochi, name')} "
        "(give each of the entities and distractors its own key)"
    ]


def test_a_field_written_twice_in_one_item_is_reported_at_the_second():
    text = edit("    title: Border agreement\n", "    title: Border agreement\n    title: Pact\n")
    assert told(text) == [
        f"{at(text, 'title: Pact')}: duplicate key 'title': already set at "
        f"{line_and_column(text, 'title: Border')} (keep a single 'title:' in this mapping)"
    ]


# --- references -----------------------------------------------------------------------


def test_a_place_that_is_not_defined_suggests_the_nearest_key():
    text = edit("value: sochi", "value: sochy")
    assert told(text) == [
        f"{at(text, 'sochy')}: no place has the key 'sochy' (did you mean 'sochi'?)"
    ]


def test_a_country_cannot_sign_an_agreement():
    text = edit("value: [putin]", "value: [russia]")
    assert told(text) == [
        f"{at(text, 'russia]')}: 'russia' is a country, not a person (use one of: putin)"
    ]


def test_a_distractor_cannot_be_a_fact():
    text = edit("value: sochi", "value: minsk")
    assert told(text) == [
        f"{at(text, 'minsk', 2)}: 'minsk' is a distractor, and a distractor is never a fact "
        "(move 'minsk' from distractors: to places: if the source names it)"
    ]


def test_a_fact_with_the_value_unknown_is_written_as_unknown_instead():
    text = edit("value: sochi", "value: unknown")
    assert told(text) == [
        f"{at(text, 'unknown')}: place has the value 'unknown' "
        "(write 'place: unknown' in place of the value and quote)"
    ]


def test_an_agreement_must_name_a_defined_source():
    text = edit("    source: article\n", "    source: articel\n")
    assert told(text) == [
        f"{at(text, 'articel')}: no source has the key 'articel' (did you mean 'article'?)"
    ]


def test_an_entity_must_belong_to_a_defined_country():
    text = edit("country: belarus, aliases", "country: belarussia, aliases")
    assert told(text) == [
        f"{at(text, 'belarussia')}: no country has the key 'belarussia' (did you mean 'belarus'?)"
    ]


def test_a_distractor_must_not_be_called_like_a_real_entity():
    text = edit("aliases: [Mensk]", "aliases: [Mensk, sochi]")
    assert told(text) == [
        f"{at(text, 'sochi]')}: distractor 'minsk' is called 'sochi', like the place 'sochi' "
        "(remove the name, or the distractor: it must never be right)"
    ]


# --- quotes ---------------------------------------------------------------------------


def test_a_quote_not_in_the_source_points_to_the_closest_sentence():
    text = edit("quote: The agreement covers joint patrols.", "quote: The pact covers patrols.")
    assert told(text) == [
        f"{at(text, 'The pact')}: quote not found in source 'article': "
        "'The pact covers patrols.' (copy the sentence word for word from the source; "
        "the closest sentence is 'The agreement covers joint patrols.')"
    ]


def test_straight_quotes_where_the_source_has_typographic_ones_are_not_found():
    straight = SIGNED.replace("„", '"').replace("”", '"')
    text = edit(f"value: sochi\n      quote: {SIGNED}", f"value: sochi\n      quote: '{straight}'")
    assert told(text) == [
        f"{at(text, chr(39) + 'In March')}: quote not found in source 'article': "
        "'In March 2021, Russia and Belarus signed a \"border agreement\" in Soch…' "
        "(copy the sentence word for word from the source: "
        "its quotation marks or apostrophes differ)"
    ]


def test_a_missing_source_file_is_reported_at_its_file_line():
    text = edit("file: article.txt", "file: sources/lost.txt")
    assert told(text) == [
        f"{at(text, 'sources/lost.txt')}: file 'sources/lost.txt' does not exist "
        "(save the source text there or correct the path, relative to ./)"
    ]


def test_a_source_file_outside_the_dataset_folder_is_refused():
    text = edit("file: article.txt", "file: ../article.txt")
    assert told(text) == [
        f"{at(text, '../article.txt')}: source file '../article.txt' is outside the folder "
        "of agreements.yaml (keep source texts beside the dataset and write a relative path)"
    ]


# --- shape ----------------------------------------------------------------------------


def test_aliases_must_be_a_list():
    text = edit("aliases: [Russian Federation]", "aliases: 5")
    assert told(text) == [
        f"{at(text, '5}')}: aliases should be a list, not 5 (write [a, b] or one '- item' per line)"
    ]


def test_a_misspelt_field_is_reported_at_the_field_with_the_right_spelling():
    text = edit("    occasion: unknown", "    ocasion: unknown")
    assert told(text) == [
        f"{at(text, 'ocasion')}: unknown field 'ocasion' (did you mean 'occasion'?)"
    ]


def test_a_fact_the_source_does_not_give_is_written_unknown():
    text = edit("    occasion: unknown", "    occasion: n/a")
    assert told(text) == [
        f"{at(text, 'n/a')}: occasion should be 'unknown' or value: and quote: lines, "
        "not 'n/a' (write 'unknown' if the source does not give it, else value: and quote:)"
    ]


def test_a_place_needs_both_coordinates():
    text = edit(", lon: 39.723}", "}")
    assert told(text) == [
        f"{at(text, '{key: sochi')}: a place needs both lat and lon, or neither "
        "(add the missing one)"
    ]


def test_a_missing_required_field_is_reported_at_its_item():
    text = edit("    title: Border agreement\n", "")
    assert told(text) == [
        f"{at(text, 'key: border-2021')}: this agreement has no 'title' (add 'title:')"
    ]


def test_a_file_of_another_format_is_refused():
    text = edit("format: 1", "format: 2")
    assert told(text) == [f"{at(text, '2')}: format 2 is not supported (write 'format: 1')"]


# --- files that cannot be read as YAML -----------------------------------------------


def test_a_yaml_syntax_error_is_a_problem_at_the_mark_not_a_traceback():
    text = edit("title: Border agreement", "title: Border agreement: Sochi")
    assert told(text) == [
        "agreements.yaml:18:28: YAML syntax error: mapping values are not allowed here "
        "(put text that contains ': ' in quotes)"
    ]


def test_an_empty_file_is_a_problem():
    assert told("") == [
        "agreements.yaml:1:1: the file is empty "
        "(start it with 'format: 1', then sources:, the entities and agreements:)"
    ]


def test_a_dataset_file_that_does_not_exist_is_a_problem():
    assert [str(p) for p in check([Path("nowhere.yaml")]).problems] == [
        "nowhere.yaml:1:1: file 'nowhere.yaml' does not exist (create it or correct the path)"
    ]


# --- reporting ------------------------------------------------------------------------


def test_several_problems_are_reported_together_in_file_order():
    text = (
        edit("value: 2021-03", "value: 2021-02-30")
        .replace("value: sochi", "value: sochy")
        .replace("    occasion: unknown", "    ocasion: unknown")
        .replace("quote: Vladimir Putin signed it.", "quote: Putin signed it twice.")
    )
    problems = told(text)
    assert [problem.split(": ")[0] for problem in problems] == [
        at(text, "2021-02-30"),
        at(text, "sochy"),
        at(text, "Putin signed it twice."),
        at(text, "ocasion"),
    ]


def test_load_dataset_raises_with_every_problem():
    written(edit("value: sochi", "value: sochy"))
    with pytest.raises(DatasetError) as raised:
        load_dataset("agreements.yaml")
    assert [problem.message for problem in raised.value.problems] == [
        "no place has the key 'sochy'"
    ]
    assert str(raised.value).startswith("agreements.yaml:")


def test_a_problem_reads_as_file_line_column_message_and_fix():
    problem = Problem("questions/agreements.yaml", 97, 14, "date is wrong", "write it right")
    assert str(problem) == "questions/agreements.yaml:97:14: date is wrong (write it right)"


# --- several files --------------------------------------------------------------------


def test_several_files_merge_into_one_dataset():
    written(VALID)
    written(MORE, "more.yaml")
    dataset, problems = check([Path("agreements.yaml"), Path("more.yaml")])
    assert problems == []
    assert [agreement.key for agreement in dataset.agreements] == ["border-2021", "patrols-2021"]
    assert sorted(dataset.sources) == ["article", "notes"]


def test_a_key_defined_in_two_files_is_reported_in_the_second():
    written(VALID)
    written(VALID, "more.yaml")
    problems = [str(p) for p in check([Path("agreements.yaml"), Path("more.yaml")]).problems]
    assert problems[0] == (
        f"{at(VALID, 'article', name='more.yaml')}: key 'article' is already used by the "
        f"source at {at(VALID, 'article')} (give each of the sources its own key)"
    )
    # Sources and agreements are unique across files; the entities are shared.
    assert len(problems) == 2 and "border-2021" in problems[1]


SHARED = """\
format: 1
sources:
  - {key: notes, file: article.txt, title: Notes on the talks}
countries:
  - {key: russia, name: Russia, aliases: [RF]}
places:
  - {key: sochi, name: Sochi, country: russia, lat: 43.585, lon: 39.723}
agreements:
  - key: patrols-2021
    title: Patrol agreement
    source: notes
    place:
      value: sochi
      quote: The agreement covers joint patrols.
    parties:
      value: [russia, belarus]
      quote: The agreement covers joint patrols.
"""


def test_files_share_one_entity_registry():
    """Russia and Sochi defined again, Belarus only in the first file: one entity each."""
    written(VALID)
    written(SHARED, "more.yaml")
    dataset, problems = check([Path("agreements.yaml"), Path("more.yaml")])
    assert problems == []
    assert dataset.entities["russia"].aliases == ("Russian Federation", "RF")
    assert dataset.agreement("patrols-2021").parties.value == ("russia", "belarus")
    assert [e.key for e in dataset.entities.values()].count("sochi") == 1


def test_an_entity_defined_differently_in_two_files_is_reported():
    written(VALID)
    written(SHARED.replace("name: Sochi,", "name: Sochi City,"), "more.yaml")
    problems = [str(p) for p in check([Path("agreements.yaml"), Path("more.yaml")]).problems]
    assert len(problems) == 1
    assert problems[0].startswith("more.yaml:")
    assert "entity 'sochi' differs from the one at agreements.yaml:" in problems[0]
    assert "name 'Sochi City' here, 'Sochi' there" in problems[0]


def test_a_reference_to_another_file_needs_that_file():
    written(SHARED, "more.yaml")
    problems = [str(p) for p in check([Path("more.yaml")]).problems]
    assert any("no organisation or country has the key 'belarus'" in p for p in problems)


# --- never a traceback ----------------------------------------------------------------


@pytest.mark.parametrize("line", range(VALID.count("\n")))
def test_deleting_any_line_gives_problems_or_a_dataset_never_a_crash(line):
    lines = VALID.splitlines(keepends=True)
    dataset, problems = check([written("".join(lines[:line] + lines[line + 1 :]))])
    assert (dataset is None) == bool(problems)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=st.text(alphabet=":-[]{}'\"\n #&*!|>?,\t ab1", max_size=40), offset=st.integers(0))
def test_any_text_typed_into_the_file_gives_located_problems(junk, offset):
    offset %= len(VALID)
    dataset, problems = check([written(VALID[:offset] + junk + VALID[offset:])])
    assert (dataset is None) == bool(problems)
    assert all(problem.line >= 1 and problem.column >= 1 for problem in problems)
