"""The last active admin cannot be removed, even by two admins acting at the same moment."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import accounts

TRIALS = 10
CHANGES = {
    "demote": lambda user: accounts.set_role(user, Role.TRAINEE),
    "deactivate": lambda user: accounts.set_active(user, False),
}


def _race(app, victims: list[int], changes: list[str]) -> list[str]:
    """Each thread, on its own connection, changes one admin at the same moment."""
    start = threading.Barrier(len(victims))
    outcomes: list[str] = []

    def act(victim: int, change: str) -> None:
        with app.app_context():
            user = db.session.get(User, victim)
            start.wait(timeout=30)
            try:
                CHANGES[change](user)
                outcomes.append("done")
            except accounts.AccountError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=act, args=args) for args in zip(victims, changes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _active_admins(app) -> int:
    with app.app_context():
        query = sa.select(sa.func.count()).where(User.role == "admin", User.active.is_(True))
        return db.session.scalar(query)


def test_two_admins_removing_each_other_at_once_leave_one(loaded_app, make_user):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    ids = [first.id, second.id]
    failures = 0
    for trial in range(TRIALS):
        with loaded_app.app_context():
            db.session.execute(
                sa.update(User).where(User.id.in_(ids)).values(role="admin", active=True)
            )
            db.session.commit()
        changes = [list(CHANGES)[trial % 2], list(CHANGES)[(trial // 2) % 2]]
        outcomes = _race(loaded_app, ids[:: 1 if trial % 3 else -1], changes)
        assert sorted(outcomes) == ["done", "refused"] or _active_admins(loaded_app) == 0
        failures += _active_admins(loaded_app) != 1
    assert failures == 0, f"{failures} of {TRIALS} trials left no active admin"
