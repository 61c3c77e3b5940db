"""Coverage map: facts by cohort from answers and FSRS cards, sortable, scoped per viewer."""

from __future__ import annotations

from datetime import timedelta

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import cohorts, coverage
from tests.web.factories import START, finished_attempt, single_choice_questions


def _cohort(name: str, *people) -> int:
    cohort = cohorts.create(name)
    for person in people:
        cohorts.add_member(cohort, db.session.get(User, person.id))
    return cohort.id


def _setup(loaded_app, make_user):
    """Minsk (Ana right, Boris wrong on the first fact) and Brest (Vera right on both)."""
    ana, boris, vera = (make_user(Role.TRAINEE) for _ in range(3))
    with loaded_app.app_context():
        first, second = single_choice_questions(2)
        finished_attempt(ana.id, [True, None], questions=[first, second])
        finished_attempt(boris.id, [False, None], questions=[first, second])
        finished_attempt(vera.id, [True, True], questions=[first, second])
        minsk, brest = _cohort("Minsk", ana, boris), _cohort("Brest", vera)
        return minsk, brest, first.fact_ids[0], second.fact_ids[0]


def test_each_cohort_and_fact_from_answers_and_cards(loaded_app, make_user):
    minsk, brest, fact, other = _setup(loaded_app, make_user)
    with loaded_app.app_context():
        found = coverage.map([minsk, brest], now=START)
        assert [c.name for c in found.cohorts] == ["Brest", "Minsk"]
        rows = {row.fact_id: row for row in found.rows}
        brest_cell, minsk_cell = rows[fact].cells
        assert (minsk_cell.answers, minsk_cell.right, minsk_cell.answered_by) == (2, 50.0, 2)
        assert (minsk_cell.trainees, minsk_cell.level) == (2, "2")
        assert (brest_cell.right, brest_cell.level, brest_cell.remembered) == (100.0, "4", 1)
        assert rows[other].cells[1].right is None and rows[other].cells[1].level == "none"
        later = coverage.map([minsk, brest], now=START + timedelta(days=3650))
        assert {row.fact_id: row for row in later.rows}[fact].cells[0].remembered == 0
        weakest = coverage.sorted_rows(found, 1, descending=False)
        assert weakest[0].fact_id == fact  # Minsk's only answered fact first, unanswered after
        assert all(row.cells[1].right is None for row in weakest[1:])
        assert coverage.sorted_rows(found, None, True)[0] == found.rows[-1]


def test_the_page_sorts_reads_aloud_and_hides_other_cohorts(loaded_app, make_user, signed_in):
    minsk, brest, _, _ = _setup(loaded_app, make_user)
    admin, _ = signed_in(Role.ADMIN)
    page = admin.get("/admin/reports/coverage").text
    assert '<caption id="coverage-caption">' in page and 'scope="row"' in page
    assert "Brest" in page and "Minsk" in page and "50% right" in page
    assert "2 answers by 2 of 2" in page and 'class="level-2"' in page
    sorted_page = admin.get("/admin/reports/coverage", query_string={"sort": minsk}).text
    assert (
        "sorted by Minsk, weakest first" in sorted_page and 'aria-sort="ascending"' in sorted_page
    )

    teacher, teacher_user = signed_in(Role.INSTRUCTOR)
    with loaded_app.app_context():
        cohorts.add_member(
            db.session.get(cohorts.Cohort, minsk), db.session.get(User, teacher_user.id)
        )
    mine = teacher.get("/admin/reports/coverage").text
    assert "Minsk" in mine and "Brest" not in mine
    asked = teacher.get("/admin/reports/coverage", query_string={"cohort": brest})
    assert asked.status_code == 404
    assert "Coverage map" in teacher.get("/instructor/").text
