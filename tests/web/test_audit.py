"""The audit log: what gets recorded, the admin page and its CSV, and that no route or
query can change or delete a record."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import AuditEvent, Role
from quizapp.services import audit
from tests.web.conftest import login, post_form
from tests.web.test_roles import IGNORED_METHODS, _url


def _events(app, action: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = db.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        events = list(db.session.scalars(query))
        db.session.expunge_all()
        return events


def test_logins_and_failed_logins_are_recorded_with_the_address(loaded_app, make_user):
    trainee = make_user(Role.TRAINEE)
    client = loaded_app.test_client()
    login(client, trainee.email, "wrong password!")
    login(client, "Nobody@Example.org", "whatever123")
    login(client, trainee.email)
    failed = _events(loaded_app, "login.failed")
    assert [(e.target, e.actor, e.address) for e in failed] == [
        (trainee.email, "anonymous", "127.0.0.1"),
        ("nobody@example.org", "anonymous", "127.0.0.1"),
    ]
    [success] = _events(loaded_app, "login")
    assert (success.actor, success.actor_id, success.target) == (
        trainee.email,
        trainee.id,
        trainee.email,
    )


def test_role_and_account_changes_name_the_admin_who_made_them(loaded_app, signed_in, make_user):
    client, admin = signed_in(Role.ADMIN)
    trainee = make_user(Role.TRAINEE)
    post_form(client, f"/admin/users/{trainee.id}/role", {f"user-{trainee.id}-role": "instructor"})
    post_form(client, f"/admin/users/{trainee.id}/active", {"enabled": "off"})
    [role] = _events(loaded_app, "user.role")
    assert (role.actor, role.target, role.details) == (
        admin.email,
        trainee.email,
        {"from": "trainee", "to": "instructor"},
    )
    [off] = _events(loaded_app, "user.deactivate")
    assert off.actor == admin.email


def test_data_loads_and_accounts_made_outside_a_request_name_the_command_line(loaded_app):
    [load] = _events(loaded_app, "data.load")
    assert load.actor == "command line" and load.address is None
    assert load.details["counts"]


def test_a_refused_change_leaves_no_record(loaded_app, signed_in):
    client, admin = signed_in(Role.ADMIN)
    post_form(client, f"/admin/users/{admin.id}/role", {f"user-{admin.id}-role": "trainee"})
    assert _events(loaded_app, "user.role") == []


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_or_delete_records(loaded_app, statement):
    with loaded_app.app_context():
        audit.record("login", "someone@example.org", commit=True)
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(sa.text(statement))
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) >= 1


def test_no_route_changes_or_deletes_a_record(loaded_app, signed_in):
    """Every route that changes something, posted by an admin: old records stay exactly."""
    client, _ = signed_in(Role.ADMIN)
    from tests.web.conftest import csrf_token

    token = csrf_token(client, "/admin/")
    before = [(e.id, e.at, e.actor, e.action, e.target, e.details) for e in _events(loaded_app)]
    assert before
    for rule in loaded_app.url_map.iter_rules():
        for method in sorted(rule.methods - IGNORED_METHODS - {"GET"}):
            if rule.endpoint == "auth.logout":
                continue
            client.open(
                _url(loaded_app, rule, method),
                method=method,
                data={"csrf_token": token, "id": before[0][0]},
            )
    after = [(e.id, e.at, e.actor, e.action, e.target, e.details) for e in _events(loaded_app)]
    assert after[: len(before)] == before


def test_admin_filters_the_audit_log_and_pages_through_it(loaded_app, signed_in, make_user):
    client, admin = signed_in(Role.ADMIN)
    with loaded_app.app_context():
        for number in range(55):
            audit.record("login.failed", f"guess{number}@example.org")
        db.session.commit()
    page = client.get("/admin/audit", query_string={"action": "login.failed"}).text
    assert "55 records, newest first." in page
    assert "guess54@example.org" in page and "guess4@example.org" not in page
    assert "Page 1 of 2" in page and "page=2" in page
    second = client.get("/admin/audit?action=login.failed&page=2").text
    assert "guess4@example.org" in second and "guess54@example.org" not in second
    mine = client.get("/admin/audit", query_string={"actor": admin.email.upper()}).text
    assert "Logged in" in mine and "guess" not in mine
    none = client.get("/admin/audit", query_string={"since": "2999-01-01"}).text
    assert "No record matches these filters." in none


def test_audit_csv_export_is_streamed_with_the_filters(loaded_app, signed_in):
    client, admin = signed_in(Role.ADMIN)
    with loaded_app.app_context():
        audit.record("login.failed", '=HYPERLINK("x")', {"reason": "ünïcode"}, commit=True)
    response = client.get("/admin/audit.csv?action=login.failed")
    assert response.is_streamed and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == audit.CSV_HEADER
    assert len(rows) == 2
    assert rows[1][5] == '\'=HYPERLINK("x")'  # never a live formula in a spreadsheet
    assert rows[1][7] == '{"reason": "ünïcode"}'


def test_a_detail_left_empty_is_not_listed(loaded_app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    assert admin.get("/admin/exports/scores.csv").status_code == 200
    page = admin.get("/admin/audit", query_string={"action": "export.scores"}).text
    assert "scores CSV" in page and "since:" not in page
