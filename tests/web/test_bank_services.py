"""The question bank service on both databases: versions, search, pools, review flags."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from quizapp.core.generate import generate_bank
from quizapp.core.loader import load_dataset
from quizapp.core.questions import Option, Question
from quizapp.extensions import db
from quizapp.models import BankQuestion, QuestionVersion, Status
from quizapp.services import bank, datasets


def hand_written(prompt: str = "Which city hosts the Union State's Supreme State Council?"):
    return Question(
        id="",
        type="single_choice",
        prompt=prompt,
        answer="a",
        options=(Option("a", "Moscow"), Option("b", "Minsk"), Option("c", "Sochi")),
        tags=("capitals",),
    )


@pytest.fixture
def ctx(loaded_app):
    with loaded_app.app_context():
        yield loaded_app


@pytest.fixture
def generated(bundled_dataset):
    return generate_bank(bundled_dataset, seed=3, count=12)


def test_a_stored_question_comes_back_equal_with_its_bank_id(ctx):
    question_set = bank.create_set("Capitals")
    [stored] = bank.add_all(question_set, [hand_written()])
    current = bank.latest(stored)
    back = bank.question_of(current)
    assert back.id == f"bank:{stored.id}:1"
    assert bank.parse_ref(back.id) == (stored.id, 1)
    assert replace(back, id="") == hand_written()
    assert stored.key == "which-city-hosts-the-union-state-s-supreme-state-council"


def test_editing_adds_a_version_and_keeps_the_old_one(ctx):
    [stored] = bank.add_all(bank.create_set("Capitals"), [hand_written()])
    assert bank.edit(stored, hand_written()) is None, "an unchanged save makes no version"
    new = bank.edit(stored, hand_written("Where does the council sit?"), note="clearer")
    assert (new.number, stored.latest, new.note) == (2, 2, "clearer")
    assert bank.version(stored, 1).prompt.startswith("Which city")
    assert bank.question_of(bank.latest(stored)).prompt == "Where does the council sit?"


def test_adding_many_is_all_or_nothing(ctx):
    question_set = bank.create_set("Capitals")
    db.session.commit()
    broken = replace(hand_written(), answer=object())  # cannot be stored as JSON
    with pytest.raises((TypeError, sa.exc.StatementError)):  # the driver decides which
        bank.add_all(question_set, [hand_written(), broken])
    assert db.session.scalar(db.select(db.func.count()).select_from(BankQuestion)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(QuestionVersion)) == 0


def test_set_names_are_unique(ctx):
    bank.create_set("Dates")
    with pytest.raises(bank.BankError, match="already exists"):
        bank.create_set("  Dates ")


def test_search_filters_and_pages(ctx, generated):
    question_set = bank.create_set("Generated")
    other = bank.create_set("Mine")
    bank.add_all(question_set, generated, status=Status.PUBLISHED)
    [mine] = bank.add_all(other, [hand_written()])
    bank.edit(mine, hand_written("Which capital hosts the council?"))

    everything = bank.search(bank.Filters(), size=5)
    assert (everything.total, everything.pages, len(everything.rows)) == (13, 3, 5)
    assert bank.search(bank.Filters(), page=3, size=5).rows[-1][0].set_id == question_set.id
    assert bank.search(bank.Filters(text="CAPITAL HOSTS")).total == 1
    assert bank.search(bank.Filters(text="100%")).total == 0
    assert bank.search(bank.Filters(tag="capitals")).total == 1
    assert bank.search(bank.Filters(edited=True)).rows[0][0].id == mine.id
    assert bank.search(bank.Filters(status=Status.DRAFT)).total == 1
    assert bank.search(bank.Filters(set_id=question_set.id)).total == 12

    kind = generated[0].type
    by_type = bank.search(bank.Filters(type=kind), size=100)
    assert by_type.total == sum(q.type == kind for q in generated)
    agreement = generated[0].asked_agreements()[0]
    by_agreement = bank.search(bank.Filters(agreement=agreement), size=100)
    assert by_agreement.total == sum(agreement in q.asked_agreements() for q in generated)
    assert by_agreement.total >= 1


def test_a_pool_holds_only_published_latest_versions(ctx, generated):
    question_set = bank.create_set("Generated")
    stored = bank.add_all(question_set, generated[:4])
    bank.set_status(stored[0], Status.PUBLISHED)
    bank.set_status(stored[2], Status.PUBLISHED)
    pool = bank.pool(question_set.id)
    assert [v.question_id for v in pool] == [stored[0].id, stored[2].id]
    assert len(bank.pool(question_set.id, published_only=False)) == 4
    assert bank.pool(question_set.id, type="no_such_type") == []


def test_a_duplicate_is_a_draft_with_a_history_of_its_own(ctx):
    [stored] = bank.add_all(bank.create_set("Capitals"), [hand_written()], status="published")
    bank.edit(stored, hand_written("Second wording?"))
    copy = bank.duplicate(stored)
    assert (copy.status, copy.latest, copy.set_id) == (Status.DRAFT, 1, stored.set_id)
    assert copy.key == f"{stored.key}-copy"
    assert bank.latest(copy).prompt == "Second wording?"
    assert bank.duplicate(stored).key == f"{stored.key}-copy-2"


def test_a_changed_fact_flags_the_questions_that_name_it(ctx, generated, tmp_path):
    from quizapp.config import DEFAULT_DATA

    question_set = bank.create_set("Generated")
    stored = bank.add_all(question_set, generated)
    dated = [
        b
        for b, q in zip(stored, generated, strict=True)
        if "interior-ministry-rosgvardiya-2020:date" in q.fact_ids
    ]
    assert dated, "the seed should generate a question about that date"

    edited = tmp_path / "agreements.yaml"
    (tmp_path / "sources").symlink_to(DEFAULT_DATA.parent / "sources")
    edited.write_text(
        DEFAULT_DATA.read_text(encoding="utf-8").replace("value: 2020-11\n", "value: 2020\n", 1),
        encoding="utf-8",
    )
    datasets.load(load_dataset(edited))
    flagged = {b.id for b in stored if b.needs_review}
    assert flagged == {b.id for b in dated}
    assert "changed a fact" in dated[0].review_note
    assert bank.search(bank.Filters(needs_review=True)).total == len(dated)
