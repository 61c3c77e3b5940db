"""Accounts at scale: CSV import (CLI and upload), one-time reset links, finding accounts."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.extensions import db
from quizapp.models import AuditEvent, Cohort, PasswordReset, Role, User, utcnow
from quizapp.services import accounts, cohorts, resets
from tests.web.conftest import PASSWORD, csrf_from, login, post_form, run_quizapp

ROSTER = (
    "\ufeffcohort,role,email,name\n"
    "Minsk,trainee,ana@example.org,Ana\n"
    "Minsk,trainee,boris@example.org,Boris\n"
    "Grodno,trainee,vera@example.org,Vera\n"
    ",instructor,ian@example.org,Ian\n"
)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_dry_run_counts_and_writes_nothing(loaded_app, tmp_path):
    result = run_quizapp(loaded_app, "users", "import", str(_write(tmp_path, ROSTER)), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would create 4 accounts and 2 cohorts" in result.stdout
    assert _count(loaded_app, User) == 0 and _count(loaded_app, Cohort) == 0


def test_cli_import_creates_accounts_cohorts_and_prints_reset_links(loaded_app, tmp_path):
    path = _write(tmp_path, ROSTER)
    result = run_quizapp(
        loaded_app, "users", "import", str(path), "--base-url", "https://q.example"
    )
    assert result.returncode == 0, result.stderr
    assert "created 4 accounts and 2 cohorts" in result.stdout
    links = [line.split() for line in result.stdout.splitlines() if "/reset/" in line]
    assert [email for email, _ in links] == [
        "ana@example.org",
        "boris@example.org",
        "vera@example.org",
        "ian@example.org",
    ]
    assert all(link.startswith("https://q.example/reset/") for _, link in links)
    with loaded_app.app_context():
        minsk = cohorts.find("Minsk")
        assert [m.user.email for m in cohorts.members(minsk)] == [
            "ana@example.org",
            "boris@example.org",
        ]
        stored = db.session.scalars(db.select(PasswordReset.token_hash)).all()
        assert links[0][1].rsplit("/", 1)[1] not in stored  # only hashes are kept
        [event] = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "users.import")
        ).all()
        assert event.details["accounts"] == 4
    # Again: the accounts exist with the same roles, so nothing new is created.
    again = run_quizapp(loaded_app, "users", "import", str(path))
    assert again.returncode == 0 and "created 0 accounts and 0 cohorts" in again.stdout


def test_cli_import_with_bad_rows_prints_each_and_changes_nothing(loaded_app, make_user, tmp_path):
    make_user(Role.TRAINEE, email="tess@example.org")
    text = ROSTER + "Minsk,trainee,broken,X\nMinsk,admin,tess@example.org,Tess\n"
    path = _write(tmp_path, text)
    result = run_quizapp(loaded_app, "users", "import", str(path))
    assert result.returncode == 1
    assert f"{path}:6: 'broken' is not an email address" in result.stderr
    assert _count(loaded_app, Cohort) == 0
    # Rows that parse but clash with the database are reported too, by line.
    result = run_quizapp(
        loaded_app, "users", "import", str(_write(tmp_path, ROSTER.replace("ian@", "tess@")))
    )
    assert result.returncode == 1
    assert ":5: tess@example.org already has an account as trainee" in result.stderr
    assert _count(loaded_app, User) == 1


def test_reset_link_works_once_and_ends_old_sessions(loaded_app, make_user):
    user = make_user(Role.TRAINEE)
    old_session = loaded_app.test_client()
    assert login(old_session, user.email).status_code == 302
    with loaded_app.app_context():
        token = resets.create(db.session.get(User, user.id)).token
    client = loaded_app.test_client()
    page = client.get(f"/reset/{token}")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    short = {"csrf_token": csrf_from(page.text), "password": "short", "confirm": "short"}
    assert "at least 10 characters" in client.post(f"/reset/{token}", data=short).text
    new = "a brand new passphrase"
    data = {"csrf_token": csrf_from(page.text), "password": new, "confirm": new}
    assert client.post(f"/reset/{token}", data=data).status_code == 302
    assert login(loaded_app.test_client(), user.email, new).status_code == 302
    assert login(loaded_app.test_client(), user.email, PASSWORD).status_code == 200
    assert old_session.get("/dashboard").status_code == 302  # logged out everywhere
    assert loaded_app.test_client().get(f"/reset/{token}").status_code == 410
    assert loaded_app.test_client().get("/reset/nonsense").status_code == 404


def test_an_expired_reset_link_is_refused(loaded_app, make_user):
    user = make_user(Role.TRAINEE)
    with loaded_app.app_context():
        made = resets.create(db.session.get(User, user.id), now=utcnow() - timedelta(hours=25))
        with pytest.raises(accounts.InvitationUnusable, match="expired"):
            resets.use(made.token, "long enough password")
    assert loaded_app.test_client().get(f"/reset/{made.token}").status_code == 410


def test_admin_makes_a_reset_link_shown_once(loaded_app, signed_in, make_user):
    client, _ = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE)
    response = post_form(client, f"/admin/users/{trainee.id}/reset")
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    link = response.text.split('id="reset-link" value="')[1].split('"')[0]
    assert link.startswith("http://localhost/reset/")
    assert link.rsplit("/", 1)[1] not in client.get("/admin/").text


def test_admin_uploads_a_roster(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    token = csrf_from(client.get("/admin/users/import").text)

    def upload(text: str, **extra):
        data = {"csrf_token": token, "roster": (io.BytesIO(text.encode()), "people.csv"), **extra}
        return client.post("/admin/users/import", data=data, content_type="multipart/form-data")

    bad = upload("email,role\nnope,trainee\n")
    assert bad.status_code == 422 and "people.csv:2: &#39;nope&#39; is not an email" in bad.text
    checked = upload(ROSTER, dry_run="y")
    assert checked.status_code == 200 and "would create 4 accounts and 2 cohorts" in checked.text
    assert _count(loaded_app, Cohort) == 0
    done = upload(ROSTER)
    assert done.status_code == 201 and done.headers["Cache-Control"] == "no-store"
    assert done.text.count("http://localhost/reset/") == 4


def test_admin_finds_accounts_by_text_role_state_and_cohort(loaded_app, signed_in, make_user):
    client, _ = signed_in(Role.ADMIN, name="Ada")
    ana = make_user(Role.TRAINEE, name="Ana Petrova")
    make_user(Role.TRAINEE, name="Boris", active=False)
    make_user(Role.INSTRUCTOR, name="Ian")
    with loaded_app.app_context():
        cohort = cohorts.create("Minsk")
        cohorts.add_member(cohort, db.session.get(User, ana.id))
        cohort_id = cohort.id

    def names(**query) -> str:
        return client.get("/admin/", query_string=query).text.split('id="accounts"')[1]

    assert "Ana Petrova" in names(q="petro") and "Boris" not in names(q="petro")
    assert "Ian" in names(role="instructor") and "Ana Petrova" not in names(role="instructor")
    assert "Boris" in names(state="deactivated") and "Ana" not in names(state="deactivated")
    by_cohort = names(cohort=str(cohort_id))
    assert "Ana Petrova" in by_cohort and "Ian" not in by_cohort
    assert "No account matches" in names(q="zzz")


def test_accounts_list_has_pages(loaded_app, signed_in):
    client, _ = signed_in(Role.ADMIN)
    with loaded_app.app_context():
        for number in range(60):
            db.session.add(
                User(email=f"u{number:02}@example.org", name=f"U{number:02}", password_hash="x")
            )
        db.session.commit()
    first = client.get("/admin/?role=trainee").text
    assert "60 accounts found" in first and "Page 1 of 2" in first and "U49" in first
    second = client.get("/admin/?role=trainee&page=2").text
    assert "U50" in second and "U49" not in second
