"""Password-reset links: made by an admin (or for imported accounts), one-time, expiring.

Only the sha256 of a link's token is stored; the raw token exists once, in the
NewReset returned when the link is made.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from quizapp.extensions import db
from quizapp.models import PasswordReset, User, utcnow
from quizapp.services import accounts, audit

RESET_HOURS = 24
IMPORT_RESET_HOURS = 7 * 24  # imported people may not read their mail the same day


@dataclass(frozen=True)
class NewReset:
    """A stored reset link with its raw token (shown once) and whom it is for."""

    reset: PasswordReset
    user: User
    token: str


def stage(
    user: User,
    created_by: User | None = None,
    hours: int = RESET_HOURS,
    now: datetime | None = None,
) -> NewReset:
    """Add a reset link for the user to the session (the caller commits)."""
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        token_hash=accounts.token_hash(token),
        user_id=user.id,
        created_by_id=created_by.id if created_by else None,
        expires_at=(now or utcnow()) + timedelta(hours=hours),
    )
    db.session.add(reset)
    audit.record("user.password_reset", user.email, {"hours": hours})
    return NewReset(reset, user, token)


def create(
    user: User,
    created_by: User | None = None,
    hours: int = RESET_HOURS,
    now: datetime | None = None,
) -> NewReset:
    """Make a reset link for the user; earlier links they were given keep working until used."""
    made = stage(user, created_by, hours, now)
    db.session.commit()
    return made


def usable(token: str, now: datetime | None = None) -> PasswordReset:
    """The open reset for this raw token, or InvitationUnusable (404 unknown, 410 spent)."""
    reset = db.session.scalars(
        db.select(PasswordReset).where(PasswordReset.token_hash == accounts.token_hash(token or ""))
    ).first()
    if reset is None:
        raise accounts.InvitationUnusable(404, "This reset link is not valid. Check the address.")
    if reset.used_at is not None:
        raise accounts.InvitationUnusable(
            410, "This reset link has already been used. Ask an administrator for a new one."
        )
    if reset.expires_at <= (now or utcnow()):
        raise accounts.InvitationUnusable(
            410, "This reset link has expired. Ask an administrator for a new one."
        )
    return reset


def use(token: str, password: str, now: datetime | None = None) -> User:
    """Set the new password and spend the link, once, in one transaction.

    Every session the user had ends (the password changed)."""
    moment = now or utcnow()
    reset = usable(token, moment)
    accounts.check_password_rules(password)
    user = db.session.get(User, reset.user_id)
    spent = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=moment)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # another request spent it between our read and this write
        db.session.rollback()
        raise accounts.InvitationUnusable(410, "This reset link has already been used.")
    user.set_password(password)
    audit.record("user.password_set", user.email, actor=user)
    db.session.commit()
    return user
