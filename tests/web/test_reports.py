"""Reports: confusion per fact, counted in the database, for everyone or one cohort."""

from __future__ import annotations

from quizapp.core import qtypes
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import cohorts, coverage, datasets, reports
from tests.web.factories import finished_attempt, single_choice_questions, wrong_option


def test_confusion_counts_each_wrong_answer_per_fact(loaded_app, signed_in, make_user):
    ana, boris, vera = (make_user(Role.TRAINEE) for _ in range(3))
    with loaded_app.app_context():
        first, second = single_choice_questions(2)
        finished_attempt(ana.id, [False, True], questions=[first, second])
        finished_attempt(boris.id, [False, False], questions=[first, second])
        finished_attempt(vera.id, [True, True], questions=[first, second])
        said = qtypes.of(first).describe(first, wrong_option(first))
        by_fact = {fact.fact_id: fact for fact in reports.confusion_per_fact()}
        confusion = by_fact[first.fact_ids[0]]
        assert confusion.answers == 3
        assert [(w.answer, w.count) for w in confusion.wrong] == [(said, 2)]
        assert confusion.wrong[0].share == 2 / 3
        assert by_fact[second.fact_ids[0]].wrong_share == 1 / 3
        assert list(by_fact)[0] == first.fact_ids[0]  # the most confused fact first

        cohort = cohorts.create("Only Vera")
        cohorts.add_member(cohort, db.session.get(User, vera.id))
        assert reports.confusion_per_fact(cohorts.trainee_ids(cohort)) == []
        cohort_id = cohort.id

    client, _ = signed_in(Role.ADMIN)
    page = client.get("/admin/reports/confusion").text
    assert f"67% answered “{said}” (2)" in page.replace("&#34;", '"')
    assert (
        "No wrong answers yet in Only Vera"
        in client.get("/admin/reports/confusion", query_string={"cohort": cohort_id}).text
    )


def test_confusion_names_each_fact_as_the_coverage_map_does_and_a_blank_in_words(
    loaded_app, signed_in, make_user
):
    ana = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        [question] = single_choice_questions(1)
        finished_attempt(ana.id, [None], questions=[question])
        fact = question.fact_ids[0]
        [(title, label)] = [
            (t, lb) for key, t, lb in coverage._facts(datasets.current()) if key == fact
        ]
    client, _ = signed_in(Role.ADMIN)
    page = client.get("/admin/reports/confusion").text
    assert "100% left it blank (1)" in page and "answered “no answer”" not in page
    assert f'{title}<p class="meta">{label}</p>' in page.replace("&#39;", "'")


def test_confusion_counts_a_wrong_answer_given_at_different_slots(loaded_app, make_user):
    ana, boris = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    with loaded_app.app_context():
        first, second = single_choice_questions(2)
        finished_attempt(ana.id, [True, False], questions=[second, first])
        finished_attempt(boris.id, [False, True], questions=[first, second])
        said = qtypes.of(first).describe(first, wrong_option(first))
        by_fact = {fact.fact_id: fact for fact in reports.confusion_per_fact()}
        confusion = by_fact[first.fact_ids[0]]
        assert confusion.answers == 2
        assert [(w.answer, w.count) for w in confusion.wrong] == [(said, 2)]
        assert second.fact_ids[0] not in by_fact  # answered right both times


def test_gradebook_per_cohort_with_streamed_csv(loaded_app, signed_in, make_user):
    ana = make_user(Role.TRAINEE, name="Ana")
    boris = make_user(Role.TRAINEE, name="Boris")
    outsider = make_user(Role.TRAINEE, name="Outsider")
    with loaded_app.app_context():
        cohort = cohorts.create("Minsk")
        for member in (ana, boris):
            cohorts.add_member(cohort, db.session.get(User, member.id))
        finished_attempt(ana.id, [True, False], minutes=5)
        finished_attempt(ana.id, [True, True], minutes=10)
        finished_attempt(outsider.id, [True, True])
        rows = {row.name: row for row in reports.gradebook(cohort.id)}
        cohort_id = cohort.id
    assert list(rows) == ["Ana", "Boris"]  # the outsider is not in the cohort
    assert (rows["Ana"].attempts, rows["Ana"].best, rows["Ana"].average) == (2, 1.0, 0.75)
    assert round(rows["Ana"].seconds) == 15 * 60
    assert (rows["Boris"].attempts, rows["Boris"].best) == (0, None)

    client, _ = signed_in(Role.ADMIN)
    page = client.get("/admin/reports/gradebook", query_string={"cohort": cohort_id}).text
    assert "2 trainees in Minsk" in page and "75%" in page and "15 min" in page
    response = client.get("/admin/reports/gradebook.csv", query_string={"cohort": cohort_id})
    assert response.is_streamed
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(reports.GRADEBOOK_HEADER)
    assert lines[1].startswith(f"Ana,{ana.email},2,100.0,75.0,15.0,")
    assert lines[2] == f"Boris,{boris.email},0,,,0.0,"
    assert client.get("/admin/reports/gradebook.csv").status_code == 404
