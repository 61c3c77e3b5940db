"""The question bank in the browser: sets, writing and editing questions (each edit a new
version), preview and trying an answer, filters, generating after review, upload and download."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from quizapp.core import qtypes
from quizapp.core.questions import Question
from quizapp.extensions import db
from quizapp.models import AuditEvent, BankQuestion, QuestionVersion, Role, Status
from quizapp.services import bank
from tests.web.conftest import bank_rows, post_form

GIFT = b"""// two questions the bank pages import
::Capital of Belarus::What is the capital of Belarus? {=Minsk ~Moscow ~Kyiv}

::Union::The Union State treaty was signed in 1999. {T}
"""
BROKEN_GIFT = b"""::Fine::Is this fine? {T}

::Broken::What is missing? {=A ~B
"""


@pytest.fixture
def instructor(signed_in):
    client, _ = signed_in(Role.INSTRUCTOR)
    return client


def _make_set(app, name: str = "Capitals") -> int:
    with app.app_context():
        made = bank.new_set(name)
        return made.id


def _single_choice(prompt: str, options: list[str], correct: str) -> dict[str, str]:
    data = {"prompt": prompt, "difficulty": "medium", "tags": "capitals, belarus"}
    for n, text in enumerate(options):
        data[f"options-{n}-text"] = text
        if text == correct:
            data[f"options-{n}-correct"] = "y"
    return data


def _write(client, set_id: int, prompt: str = "Capital of Belarus?"):
    data = _single_choice(prompt, ["Minsk", "Moscow", "Kyiv"], "Minsk")
    return post_form(client, f"/instructor/bank/new?set={set_id}&type=single_choice", data)


def _question_id(response) -> int:
    return int(re.search(r"/instructor/bank/(\d+)$", response.headers["Location"]).group(1))


def _stored(app, question_id: int) -> tuple[str, list[str]]:
    """(status, prompts of every version, oldest first) of a bank question."""
    with app.app_context():
        found = db.session.get(BankQuestion, question_id)
        return found.status, [v.prompt for v in found.versions]


# --- sets and the list --------------------------------------------------------------------


def test_an_instructor_makes_a_set_and_sees_it_counted(loaded_app, instructor):
    page = instructor.get("/instructor/bank").text
    assert "The bank is empty" in page and 'aria-label="Instructor pages"' in page
    response = post_form(instructor, "/instructor/bank/sets", {"name": "<b>Capitals</b>"})
    assert response.status_code == 302
    page = instructor.get(response.headers["Location"]).text
    assert "&lt;b&gt;Capitals&lt;/b&gt;" in page and "<b>Capitals" not in page
    assert 'data-label="Questions">0</td>' in page


@pytest.mark.parametrize(
    ("name", "message"),
    [("Capitals", "already exists"), ("   ", "A set needs a name."), ("", "Give the set a name.")],
)
def test_a_refused_set_name_is_explained_at_the_field(loaded_app, instructor, name, message):
    _make_set(loaded_app, "Capitals")
    response = post_form(instructor, "/instructor/bank/sets", {"name": name})
    assert response.status_code == 422
    assert message in response.text.split('id="name-error">')[1].split("</p>")[0]
    assert bank_rows(loaded_app.config["SQLALCHEMY_DATABASE_URI"])[0] == 1


# --- writing, previewing, trying, editing -------------------------------------------------------


def test_a_written_question_is_a_draft_previewed_as_trainees_see_it(loaded_app, instructor):
    set_id = _make_set(loaded_app)
    page = instructor.get(f"/instructor/bank/new?set={set_id}&type=single_choice").text
    assert 'id="options-0-text"' in page and "In the set Capitals" in page
    response = _write(instructor, set_id, "Capital of <i>Belarus</i>?")
    assert response.status_code == 302
    question_id = _question_id(response)
    assert _stored(loaded_app, question_id) == (Status.DRAFT, ["Capital of <i>Belarus</i>?"])
    with loaded_app.app_context():
        assert bank.get(question_id).key == "capital-of-i-belarus-i"  # its title in exports
    page = instructor.get(f"/instructor/bank/{question_id}").text
    assert "<legend>Capital of &lt;i&gt;Belarus&lt;/i&gt;?</legend>" in page
    assert 'type="radio" id="answer-1" name="response"' in page  # the trainee's partial
    assert '<dd id="key">Minsk</dd>' in page and "Draft: quizzes cannot use it" in page


def test_an_invalid_question_is_refused_with_a_message_at_each_field(loaded_app, instructor):
    set_id = _make_set(loaded_app)
    data = _single_choice("", ["Minsk", "Moscow"], "nothing ticked")
    response = post_form(instructor, f"/instructor/bank/new?set={set_id}&type=single_choice", data)
    assert response.status_code == 422
    assert "Write the question." in response.text.split('id="prompt-error">')[1]
    assert "exactly one" in response.text.split('id="options-error">')[1].split("</p>")[0]
    assert 'value="Moscow"' in response.text  # what was typed is kept
    assert bank_rows(loaded_app.config["SQLALCHEMY_DATABASE_URI"])[1] == 0


def test_an_unknown_set_or_type_offers_the_choice_again(loaded_app, instructor):
    set_id = _make_set(loaded_app)
    page = instructor.get(f"/instructor/bank/new?set={set_id}&type=essay").text
    assert "Choose the set it goes in and its type." in page
    assert post_form(instructor, "/instructor/bank/new?set=999&type=date").status_code == 400


def test_trying_an_answer_grades_it_and_records_nothing(loaded_app, instructor):
    question_id = _question_id(_write(instructor, _make_set(loaded_app)))
    with loaded_app.app_context():
        question = bank.question_of(bank.latest(bank.get(question_id)))
    by_text = {o.text: o.id for o in question.options}
    url = f"/instructor/bank/{question_id}/try?version=1"
    right = post_form(instructor, url, {"response": by_text["Minsk"]}).text
    assert '<h3 id="feedback-heading">Correct (100%)</h3>' in right
    wrong = post_form(instructor, url, {"response": by_text["Kyiv"]}).text
    assert "Not correct (0%)" in wrong and "<strong>Your answer:</strong> Kyiv" in wrong
    assert f'value="{by_text["Kyiv"]}" checked' in wrong
    assert _stored(loaded_app, question_id)[1] == ["Capital of Belarus?"]


def test_editing_makes_a_new_version_and_keeps_the_old_one(loaded_app, instructor):
    question_id = _question_id(_write(instructor, _make_set(loaded_app)))
    form = instructor.get(f"/instructor/bank/{question_id}/edit").text
    assert 'value="Minsk"' in form and "Saving makes version 2" in form
    data = _single_choice("What is the capital of Belarus?", ["Minsk", "Moscow", "Kyiv"], "Minsk")
    response = post_form(instructor, f"/instructor/bank/{question_id}/edit", data)
    assert response.status_code == 302
    assert _stored(loaded_app, question_id)[1] == ["Capital of Belarus?", data["prompt"]]
    page = instructor.get(f"/instructor/bank/{question_id}").text
    assert "Saved as version 2" in page and "Version 2 of 2" in page
    assert page.count('<th scope="row"><a href="/instructor/bank/') == 2  # the history
    old = instructor.get(f"/instructor/bank/{question_id}?version=1").text
    assert "<legend>Capital of Belarus?</legend>" in old and "an older one" in old
    assert instructor.get(f"/instructor/bank/{question_id}?version=9").status_code == 404
    same = post_form(instructor, f"/instructor/bank/{question_id}/edit", data)
    assert "Nothing changed" in instructor.get(same.headers["Location"]).text


def test_a_refused_edit_changes_nothing(loaded_app, instructor):
    question_id = _question_id(_write(instructor, _make_set(loaded_app)))
    data = _single_choice("Changed?", ["Minsk"], "Minsk")
    response = post_form(instructor, f"/instructor/bank/{question_id}/edit", data)
    assert response.status_code == 422 and "at least 2" in response.text
    assert _stored(loaded_app, question_id)[1] == ["Capital of Belarus?"]


def test_publish_draft_and_duplicate(loaded_app, instructor):
    question_id = _question_id(_write(instructor, _make_set(loaded_app)))
    post_form(instructor, f"/instructor/bank/{question_id}/status")
    assert _stored(loaded_app, question_id)[0] == Status.PUBLISHED
    page = instructor.get(f"/instructor/bank/{question_id}").text
    assert "The question is now published." in page and "Back to draft" in page
    response = post_form(instructor, f"/instructor/bank/{question_id}/duplicate")
    copy_id = int(response.headers["Location"].split("/")[-2])
    assert copy_id != question_id
    assert _stored(loaded_app, copy_id) == (Status.DRAFT, ["Capital of Belarus?"])
    post_form(instructor, f"/instructor/bank/{question_id}/status")
    assert _stored(loaded_app, question_id)[0] == Status.DRAFT


def test_trainees_cannot_open_the_bank_or_its_keys(loaded_app, signed_in):
    set_id = _make_set(loaded_app)
    with loaded_app.app_context():
        question_id = bank.create(bank.get_set(set_id), _example()).id
    trainee, _ = signed_in(Role.TRAINEE)
    assert trainee.get(f"/instructor/bank/{question_id}").status_code == 403
    admin, _ = signed_in(Role.ADMIN)
    assert admin.get(f"/instructor/bank/{question_id}").status_code == 200


def _example(name: str = "single_choice") -> Question:
    return qtypes.get(name).example()


@pytest.mark.parametrize("name", qtypes.TYPES)
def test_every_type_is_written_previewed_and_edited(loaded_app, instructor, name):
    set_id = _make_set(loaded_app)
    qtype = qtypes.get(name)
    new_page = instructor.get(f"/instructor/bank/new?set={set_id}&type={name}")
    assert f"New {qtype.label.lower()} question" in new_page.text
    with loaded_app.app_context():
        question_id = bank.create(bank.get_set(set_id), _example(name)).id
    page = instructor.get(f"/instructor/bank/{question_id}").text
    assert f"<legend>{escape(_example(name).prompt)}</legend>" in page
    tried = post_form(instructor, f"/instructor/bank/{question_id}/try").text
    assert "Not correct (0%)" in tried and "No answer was given." in tried
    assert instructor.get(f"/instructor/bank/{question_id}/edit").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/instructor/bank/9999999999999999999999", "/instructor/bank/sets/9999999999999999999/export"],
)
def test_an_id_too_large_for_the_database_is_not_found(instructor, path):
    assert instructor.get(path).status_code == 404


# --- filters, flags, pages ----------------------------------------------------------------------


def _fill(app, count: int) -> None:
    from dataclasses import replace

    with app.app_context():
        dates = bank.new_set("Dates")
        for n in range(count):
            bank.add(dates, replace(_example(), id=f"q{n}", prompt=f"Question number {n}"))
        capitals = bank.new_set("Capitals")
        found = bank.add(capitals, replace(_example(), prompt="Where is 100% the capital?"))
        bank.set_status(found, Status.PUBLISHED)


def test_filters_narrow_the_list_and_pages_keep_them(loaded_app, instructor):
    _fill(loaded_app, 30)
    page = instructor.get("/instructor/bank").text
    assert "31 questions, 25 on this page" in page and "Page 1 of 2" in page
    assert 'href="/instructor/bank?page=2"' in page
    found = instructor.get("/instructor/bank?q=100%25").text
    assert "1 question," in found and "Where is 100% the capital?" in found
    published = instructor.get("/instructor/bank?status=published").text
    assert "1 question," in published
    with loaded_app.app_context():
        dates_id = bank.find_set("Dates").id
    in_set = instructor.get(f"/instructor/bank?set={dates_id}&type=single_choice").text
    assert "30 questions, 25 on this page" in in_set
    assert f'href="/instructor/bank?page=2&amp;set={dates_id}&amp;type=single_choice"' in in_set
    none = instructor.get("/instructor/bank?type=date").text
    assert "No question matches these filters." in none


def test_questions_flagged_by_a_changed_fact_are_marked_and_filterable(loaded_app, instructor):
    from dataclasses import replace

    with loaded_app.app_context():
        facts = bank.new_set("Facts")
        flagged = bank.add(facts, replace(_example(), id="f1", fact_ids=("a:date",)))
        bank.add(facts, replace(_example(), id="f2", prompt="Not about that fact"))
        assert bank.flag_changed_facts(["a:date"], "Dataset abc changed a fact it names.") == 1
        db.session.commit()
        flagged_id = flagged.id
    page = instructor.get("/instructor/bank").text
    assert "1 question needs review" in page and "Needs review: Dataset abc" in page
    only = instructor.get("/instructor/bank?review=y").text
    assert "1 question," in only and "Not about that fact" not in only
    on_fact = instructor.get("/instructor/bank?fact=a:date").text
    assert "1 question," in on_fact and "Not about that fact" not in on_fact
    assert "No question matches" in instructor.get("/instructor/bank?fact=a:dat").text
    page = instructor.get(f"/instructor/bank/{flagged_id}").text
    assert 'href="/instructor/bank?fact=a:date"' in page
    post_form(instructor, f"/instructor/bank/{flagged_id}/reviewed")
    assert "needs review" not in instructor.get("/instructor/bank").text


# --- generating into a set ---------------------------------------------------------------------


def _generate(client, set_id: int, **extra):
    data = {"template": bank.generator_templates()[0].id, "agreement": "", "count": "3", **extra}
    return post_form(client, f"/instructor/bank/sets/{set_id}/generate", data)


def test_generated_questions_are_reviewed_before_any_is_added(loaded_app, instructor):
    set_id = _make_set(loaded_app, "Generated")
    assert "How many" in instructor.get(f"/instructor/bank/sets/{set_id}/generate").text
    review = _generate(instructor, set_id)
    assert review.status_code == 200
    ids = re.findall(r'name="chosen" value="([^"]+)"', review.text)
    assert len(ids) == 3 and "Review before adding" in review.text
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    assert bank_rows(url)[1] == 0
    none = _generate(instructor, set_id, add="1")
    assert none.status_code == 422 and "Tick at least one question" in none.text
    added = _generate(instructor, set_id, add="1", chosen=ids[:2])
    assert added.status_code == 302
    assert bank_rows(url)[1] == 2
    again = _generate(instructor, set_id)
    assert again.text.count("already in this set") == 2


def test_generating_refuses_a_bad_count(loaded_app, instructor):
    set_id = _make_set(loaded_app)
    response = _generate(instructor, set_id, count="500")
    assert response.status_code == 422
    assert "Choose between 1 and 20." in response.text.split('id="count-error">')[1]


# --- upload and download ----------------------------------------------------------------------


def _upload(client, data: bytes, name: str, set_name: str = "Imported", check: bool = False):
    form = {"file": (io.BytesIO(data), name), "set_name": set_name, "format": ""}
    form["check" if check else "submit"] = "1"
    return post_form(client, "/instructor/bank/import", form, content_type="multipart/form-data")


def test_a_dry_run_counts_per_type_and_writes_nothing(loaded_app, instructor):
    response = _upload(instructor, GIFT, "two.gift", check=True)
    assert response.status_code == 200
    assert "two.gift is fine" in response.text and "Nothing was written" in response.text
    assert '<th scope="row">Single choice</th><td data-label="Questions">1</td>' in response.text
    assert bank_rows(loaded_app.config["SQLALCHEMY_DATABASE_URI"]) == (0, 0, 0)


def test_a_file_with_an_error_lists_it_by_line_and_changes_nothing(loaded_app, instructor):
    response = _upload(instructor, BROKEN_GIFT, "broken.gift")
    assert response.status_code == 422
    assert "Nothing was imported: 1 problem in broken.gift" in response.text
    assert "broken.gift:3:28: &#39;{&#39; is never closed (close the answers" in response.text
    assert bank_rows(loaded_app.config["SQLALCHEMY_DATABASE_URI"]) == (0, 0, 0)


def test_an_upload_without_a_file_or_set_is_refused(loaded_app, instructor):
    response = post_form(instructor, "/instructor/bank/import", {"set_name": ""})
    assert response.status_code == 422
    assert "Choose a file to import." in response.text
    assert "Name the set to import into." in response.text


def test_an_imported_set_downloads_in_each_format_and_imports_back_unchanged(
    loaded_app, instructor
):
    response = _upload(instructor, GIFT, "two.gift")
    assert response.status_code == 200 and "2 new, 0 changed" in response.text
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    assert bank_rows(url) == (1, 2, 2)
    with loaded_app.app_context():
        set_id = bank.find_set("Imported").id
    yaml_file = instructor.get(f"/instructor/bank/sets/{set_id}/export?format=yaml")
    assert yaml_file.headers["Content-Disposition"] == 'attachment; filename="imported.yaml"'
    assert "Minsk" in yaml_file.text
    gift = instructor.get(f"/instructor/bank/sets/{set_id}/export?format=gift")
    assert "::capital-of-belarus::What is the capital of Belarus?" in gift.text
    with loaded_app.app_context():
        logged = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "questions.import")
        ).all()
        assert [(e.target, e.details["created"]) for e in logged] == [("Imported", 2)]
    again = _upload(instructor, yaml_file.data, "imported.yaml")
    assert "0 new, 0 changed (a new version each), 2 unchanged" in again.text
    assert bank_rows(url) == (1, 2, 2)
    bad = instructor.get(f"/instructor/bank/sets/{set_id}/export?format=pdf")
    assert bad.status_code == 302
    assert "Not exported: unknown format" in instructor.get(bad.headers["Location"]).text


def test_versions_in_attempts_are_untouched_by_edits(loaded_app, instructor):
    question_id = _question_id(_write(instructor, _make_set(loaded_app)))
    with loaded_app.app_context():
        first = bank.latest(bank.get(question_id))
        first_id, first_data = first.id, dict(first.data)
    data = _single_choice("Edited prompt?", ["Minsk", "Moscow", "Kyiv"], "Minsk")
    post_form(instructor, f"/instructor/bank/{question_id}/edit", data)
    with loaded_app.app_context():
        assert db.session.get(QuestionVersion, first_id).data == first_data


# --- whatever a browser sends ------------------------------------------------------------------

FUZZ = st.one_of(
    st.text(max_size=40),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(
        ["", " ", "0", "1e309", "nan", "%", "_", "\\", "²", "<script>", "x" * 300, "9" * 25]
    ),
)
RELAXED = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_FUZZ_CLIENTS: dict[int, object] = {}


def _fuzz_client(app, signed_in):
    """One instructor per app, with a set holding one question (hypothesis reuses fixtures)."""
    if id(app) not in _FUZZ_CLIENTS:
        _FUZZ_CLIENTS.clear()
        client, _ = signed_in(Role.INSTRUCTOR)
        with app.app_context():
            made = bank.new_set("Fuzz")
            set_id, question_id = made.id, bank.create(made, _example()).id
        _FUZZ_CLIENTS[id(app)] = (client, set_id, question_id)
    return _FUZZ_CLIENTS[id(app)]


@RELAXED
@given(
    args=st.fixed_dictionaries(
        {},
        optional={
            k: FUZZ
            for k in (
                "q",
                "set",
                "agreement",
                "fact",
                "type",
                "tag",
                "status",
                "version",
                "review",
                "page",
            )
        },
    )
)
def test_any_filter_is_answered_with_the_list(loaded_app, signed_in, args):
    client, _, _ = _fuzz_client(loaded_app, signed_in)
    response = client.get("/instructor/bank", query_string=args)
    assert response.status_code in (200, 400), response.status_code


@RELAXED
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            k: FUZZ
            for k in (
                "prompt",
                "explanation",
                "difficulty",
                "tags",
                "options-0-text",
                "options-1-text",
                "options-0-correct",
            )
        },
    )
)
def test_any_question_edit_is_answered_and_refusals_change_nothing(loaded_app, signed_in, data):
    client, _, question_id = _fuzz_client(loaded_app, signed_in)
    before = _stored(loaded_app, question_id)[1]
    response = post_form(client, f"/instructor/bank/{question_id}/edit", data)
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code != 302:
        assert _stored(loaded_app, question_id)[1] == before


@RELAXED
@given(name=FUZZ, description=FUZZ)
def test_any_new_set_is_answered(loaded_app, signed_in, name, description):
    client, _, _ = _fuzz_client(loaded_app, signed_in)
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    before = bank_rows(url)[0]
    response = post_form(
        client, "/instructor/bank/sets", {"name": name, "description": description}
    )
    assert response.status_code in (302, 400, 422), response.status_code
    assert bank_rows(url)[0] == before + (response.status_code == 302)


@RELAXED
@given(
    data=st.fixed_dictionaries(
        {}, optional={k: FUZZ for k in ("template", "agreement", "count", "add", "chosen")}
    )
)
def test_any_generate_post_is_answered(loaded_app, signed_in, data):
    client, set_id, _ = _fuzz_client(loaded_app, signed_in)
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    before = bank_rows(url)
    response = post_form(client, f"/instructor/bank/sets/{set_id}/generate", data)
    assert response.status_code in (200, 302, 400, 422), response.status_code
    if response.status_code != 302:
        assert bank_rows(url) == before


@RELAXED
@given(set_name=FUZZ, format=FUZZ, content=st.binary(max_size=200), name=FUZZ)
def test_any_upload_is_answered_and_refusals_change_nothing(
    loaded_app, signed_in, set_name, format, content, name
):
    client, _, _ = _fuzz_client(loaded_app, signed_in)
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    before = bank_rows(url)
    form = {"file": (io.BytesIO(content), name or "x"), "set_name": set_name, "format": format}
    response = post_form(
        client, "/instructor/bank/import", form, content_type="multipart/form-data"
    )
    assert response.status_code in (200, 400, 413, 422), response.status_code
    if response.status_code != 200:
        assert bank_rows(url) == before
