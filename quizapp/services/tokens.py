"""API tokens: issued by an admin to a user, shown once, stored hashed, revocable.

A token reads the API as its user, with that user's role and its limits as they are at
each request (a role change or a deactivation applies to the token at once).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import joinedload

from quizapp.extensions import db
from quizapp.models import ApiToken, User, utcnow
from quizapp.services import accounts, audit

PREFIX = "qzt_"  # tells a quizapp token apart in a config file or a secret scanner
NAME_MAX = 80
# Last-used times are written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A stored token and its raw value, which exists only here and is shown once."""

    token: ApiToken
    raw: str


def issue(email: str, name: str, created_by: User | None = None) -> NewToken:
    """Issue a token to the active account with this email, for the purpose `name`."""
    name = " ".join((name or "").split())
    if not name:
        raise accounts.AccountError("name", "Say what the token is for, e.g. “Moodle sync”.")
    if len(name) > NAME_MAX:
        raise accounts.AccountError("name", f"Keep the name to {NAME_MAX} characters or fewer.")
    user = accounts.find_user(email or "")
    if user is None or not user.active:
        raise accounts.AccountError(
            "email", "No active account has this email; check it on the accounts page."
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=accounts.token_hash(raw),
        prefix=raw[: len(PREFIX) + 4],
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record("token.issue", user.email, {"token": token.id, "name": name}, actor=created_by)
    db.session.commit()
    return NewToken(token, raw)


def revoke(token: ApiToken, by: User | None = None, now: datetime | None = None) -> bool:
    """Refuse the token from now on; False when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or utcnow()
    details = {"token": token.id, "name": token.name}
    audit.record("token.revoke", token.user.email, details, actor=by)
    db.session.commit()
    return True


def user_of(raw: str, now: datetime | None = None) -> User | None:
    """The active user an unrevoked token belongs to (noting when it was used), else None."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = db.session.scalars(
        db.select(ApiToken).where(ApiToken.token_hash == accounts.token_hash(raw))
    ).first()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    _touch(token, now or utcnow())
    return token.user


def _touch(token: ApiToken, now: datetime) -> None:
    """Record the use, at most once a TOUCH_EVERY, in its own small transaction."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def listed() -> list[ApiToken]:
    """Every token with its user, the unrevoked first, newest first."""
    query = (
        db.select(ApiToken)
        .options(joinedload(ApiToken.user))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(query))
