"""Cohorts: the service's rules and who teaches whom, and the admin and instructor pages."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Cohort, CohortMember, Role, User
from quizapp.services import cohorts
from tests.web.conftest import post_form


def _user(app, made) -> User:
    return db.session.get(User, made.id)


# --- the service ------------------------------------------------------------------------


def test_instructor_who_creates_a_cohort_teaches_it(loaded_app, make_user):
    teacher = make_user(Role.INSTRUCTOR)
    with loaded_app.app_context():
        cohort = cohorts.create("  Minsk   spring ", "Border guards", _user(loaded_app, teacher))
        assert cohort.name == "Minsk spring"
        assert [c.name for c in cohorts.taught_by(_user(loaded_app, teacher))] == ["Minsk spring"]


def test_cohort_names_are_unique_whatever_the_letter_case(loaded_app):
    with loaded_app.app_context():
        cohorts.create("Alpha")
        with pytest.raises(cohorts.CohortError, match="already exists"):
            cohorts.create("ALPHA")
        beta = cohorts.create("Beta")
        with pytest.raises(cohorts.CohortError, match="already exists"):
            cohorts.rename(beta, "alpha")
        db.session.rollback()
        cohorts.rename(beta, "Gamma", "renamed")
        assert sorted(c.name for c in db.session.scalars(db.select(Cohort))) == ["Alpha", "Gamma"]
        with pytest.raises(cohorts.CohortError, match="Enter a name"):
            cohorts.create("   ")


def test_members_join_in_their_account_role_once(loaded_app, make_user):
    trainee, teacher, admin = (make_user(r) for r in (Role.TRAINEE, Role.INSTRUCTOR, Role.ADMIN))
    with loaded_app.app_context():
        cohort = cohorts.create("Alpha")
        assert cohorts.add_member(cohort, _user(loaded_app, trainee)) is True
        assert cohorts.add_member(cohort, _user(loaded_app, trainee)) is False
        assert cohorts.add_member(cohort, _user(loaded_app, teacher)) is True
        with pytest.raises(cohorts.CohortError, match="admin"):
            cohorts.add_member(cohort, _user(loaded_app, admin))
        assert [(m.user.id, m.role) for m in cohorts.members(cohort)] == [
            (teacher.id, "instructor"),
            (trainee.id, "trainee"),
        ]
        assert db.session.scalar(db.select(db.func.count()).select_from(CohortMember)) == 2


def test_who_teaches_whom(loaded_app, make_user):
    t1, t2, t3 = (make_user(Role.TRAINEE) for _ in range(3))
    teacher, other = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    with loaded_app.app_context():
        get = lambda made: _user(loaded_app, made)  # noqa: E731
        x = cohorts.create("X", created_by=get(teacher))
        y = cohorts.create("Y", created_by=get(other))
        for member in (t1, t2):
            cohorts.add_member(x, get(member))
        for member in (t2, t3):
            cohorts.add_member(y, get(member))
        assert cohorts.trainees_taught_by(get(teacher)) == {t1.id, t2.id}
        assert cohorts.trainees_taught_by(get(other)) == {t2.id, t3.id}
        assert cohorts.teaches_trainee(get(teacher), t1.id)
        assert not cohorts.teaches_trainee(get(teacher), t3.id)
        assert [c.name for c in cohorts.cohorts_of(get(t2))] == ["X", "Y"]
        assert cohorts.cohorts_of(get(teacher)) == []  # instructors are not trainees of it
        assert cohorts.remove_member(x, get(t2)) is True
        assert cohorts.remove_member(x, get(t2)) is False
        assert cohorts.trainees_taught_by(get(teacher)) == {t1.id}
        assert not cohorts.can_manage(get(teacher), y)


def test_deleting_a_cohort_keeps_the_accounts(loaded_app, make_user):
    trainee = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        cohort = cohorts.create("Gone")
        cohorts.add_member(cohort, _user(loaded_app, trainee))
        cohorts.delete(cohort)
        assert db.session.scalars(db.select(CohortMember)).all() == []
        assert _user(loaded_app, trainee) is not None


# --- the pages --------------------------------------------------------------------------


def _cohort_id(app, name: str) -> int:
    with app.app_context():
        return cohorts.find(name).id


def test_admin_creates_a_cohort_and_adds_members(loaded_app, signed_in, make_user):
    client, _ = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE, name="Tanya <b>")
    assert "No cohorts yet." in client.get("/admin/cohorts").text
    response = post_form(client, "/admin/cohorts", {"name": "Alpha", "description": "First"})
    assert response.status_code == 302
    cohort_id = _cohort_id(loaded_app, "Alpha")
    assert response.headers["Location"] == f"/admin/cohorts/{cohort_id}"
    post_form(client, f"/admin/cohorts/{cohort_id}/members", {"email": trainee.email.upper()})
    page = client.get(f"/admin/cohorts/{cohort_id}").text
    assert "Tanya &lt;b&gt; is added to Alpha." in page
    assert 'aria-label="Remove Tanya &lt;b&gt; from Alpha"' in page
    listing = client.get("/admin/cohorts").text
    assert "<td>1</td>" in listing and "None yet" in listing


def test_cohort_form_errors_stay_on_their_fields(loaded_app, signed_in, make_user):
    client, _ = signed_in(Role.ADMIN)
    admin2 = make_user(Role.ADMIN)
    post_form(client, "/admin/cohorts", {"name": "Alpha"})
    page = post_form(client, "/admin/cohorts", {"name": "alpha"}).text
    assert "already exists" in page.split('id="name-error">')[1]
    cohort_id = _cohort_id(loaded_app, "Alpha")
    page = post_form(client, f"/admin/cohorts/{cohort_id}/members", {"email": "no@example.org"})
    assert "No account has the email no@example.org" in page.text.split('id="email-error">')[1]
    page = post_form(client, f"/admin/cohorts/{cohort_id}/members", {"email": admin2.email})
    assert "only trainees and instructors" in page.text


def test_instructor_sees_and_manages_only_cohorts_they_teach(loaded_app, signed_in, make_user):
    client, teacher = signed_in(Role.INSTRUCTOR)
    trainee = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        other = cohorts.create("Not mine").id
    post_form(client, "/instructor/cohorts", {"name": "Mine"})
    mine = _cohort_id(loaded_app, "Mine")
    listing = client.get("/instructor/cohorts").text
    assert "Mine" in listing and "Not mine" not in listing
    assert client.get(f"/instructor/cohorts/{other}").status_code == 404
    refused = post_form(client, f"/instructor/cohorts/{other}/members", {"email": trainee.email})
    assert refused.status_code == 404
    post_form(client, f"/instructor/cohorts/{mine}/members", {"email": trainee.email})
    post_form(client, f"/instructor/cohorts/{mine}/rename", {"cohort-name": "Mine too"})
    page = client.get(f"/instructor/cohorts/{mine}").text
    assert "<h1>Mine too</h1>" in page and trainee.email in page and "Delete" not in page
    assert client.post(f"/instructor/cohorts/{mine}/delete").status_code == 404
    post_form(client, f"/instructor/cohorts/{mine}/members/{trainee.id}/remove")
    with loaded_app.app_context():
        assert cohorts.trainees_taught_by(db.session.get(User, teacher.id)) == set()


def test_admin_deletes_a_cohort(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    post_form(client, "/admin/cohorts", {"name": "Short lived"})
    cohort_id = _cohort_id(loaded_app, "Short lived")
    response = post_form(client, f"/admin/cohorts/{cohort_id}/delete")
    assert response.headers["Location"] == "/admin/cohorts"
    assert client.get(f"/admin/cohorts/{cohort_id}").status_code == 404


def test_cohort_changes_need_the_csrf_token(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    assert client.post("/admin/cohorts", data={"name": "Sneaky"}).status_code == 400
    with loaded_app.app_context():
        assert cohorts.find("Sneaky") is None
