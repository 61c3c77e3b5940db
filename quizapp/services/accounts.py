"""Accounts: creating users, checking passwords, roles, invitations and self sign-up."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models import CohortMember, Invitation, Role, Setting, User, utcnow
from quizapp.passwords import is_common
from quizapp.services import audit

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 256
NAME_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254
PASSWORD_TOO_LONG = f"Use a password of at most {PASSWORD_MAX_LENGTH} characters."
SELF_SIGNUP = "self_signup"
INVITATION_DAYS = 7
INVITATION_MAX_DAYS = 30
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# Compared against when the email is unknown, so a wrong email costs as long as a wrong password.
_UNKNOWN_USER_HASH = generate_password_hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about an account that cannot be done; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvitationUnusable(Exception):
    """An invitation link that is unknown (404), or used or expired (410)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class NewInvitation:
    """A stored invitation with its raw token, which exists only in this object."""

    invitation: Invitation
    token: str


def normalize_email(email: str) -> str:
    """Trimmed, lower-cased email, or AccountError when it does not look like one."""
    cleaned = (email or "").strip().lower()
    if len(cleaned) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(cleaned):
        raise AccountError("email", "Enter an email address such as name@example.org.")
    return cleaned


def check_password_rules(password: str) -> None:
    """Raise AccountError when the password is blank, too short, too long or too common."""
    password = password or ""
    if not password.strip():
        raise AccountError("password", "Choose a password that is not only spaces.")
    if len(password.strip()) < PASSWORD_MIN_LENGTH:
        raise AccountError(
            "password", f"Use a password of at least {PASSWORD_MIN_LENGTH} characters."
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError("password", PASSWORD_TOO_LONG)
    if is_common(password):
        raise AccountError(
            "password",
            "This password is one of the most common ones, the first that attackers try. "
            "Choose another, e.g. a few unrelated words.",
        )


def parse_role(value: str) -> Role:
    """The Role named by value, or AccountError listing the valid ones."""
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise AccountError("role", f"Choose one of these roles: {names}.") from None


def _clean_name(name: str | None, email: str) -> str:
    cleaned = " ".join((name or "").split()) or email.split("@", 1)[0]
    if len(cleaned) > NAME_MAX_LENGTH:
        raise AccountError("name", f"Use a name of at most {NAME_MAX_LENGTH} characters.")
    return cleaned


def find_user(email: str) -> User | None:
    """The user with this email (any letter case), or None."""
    cleaned = (email or "").strip().lower()
    return db.session.scalars(db.select(User).where(func.lower(User.email) == cleaned)).first()


def _new_user(email: str, password: str, role: Role | str, name: str | None) -> User:
    """Add a validated user to the session without committing."""
    address = normalize_email(email)
    check_password_rules(password)
    user = User(email=address, name=_clean_name(name, address), role=parse_role(role).value)
    if find_user(address) is not None:
        raise AccountError("email", f"An account with the email {address} already exists.")
    user.set_password(password)
    db.session.add(user)
    return user


def create_user(email: str, password: str, role: Role | str, name: str | None = None) -> User:
    """Create an active account; AccountError names the field when something is wrong."""
    user = _new_user(email, password, role, name)
    _flush_new_account(user)
    audit.record("user.create", user.email, {"role": user.role})
    db.session.commit()
    return user


def _flush_new_account(user: User) -> None:
    """Insert the user now, turning a concurrent duplicate email into the same AccountError."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(
            "email", f"An account with the email {user.email} already exists."
        ) from None


def authenticate(email: str, password: str) -> User:
    """The active user these credentials belong to, or AccountError saying why not."""
    user = find_user(email)
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password or "")
        raise AccountError("password", "The email or the password is not right.")
    if not user.check_password(password or ""):
        raise AccountError("password", "The email or the password is not right.")
    if not user.active:
        raise AccountError(
            "email", "This account is deactivated. Ask an administrator to reactivate it."
        )
    return user


def list_users() -> list[User]:
    """Every account, admins first, then by name."""
    order = {Role.ADMIN.value: 0, Role.INSTRUCTOR.value: 1, Role.TRAINEE.value: 2}
    users = db.session.scalars(db.select(User).order_by(User.name, User.id)).all()
    return sorted(users, key=lambda user: order.get(user.role, 3))


LAST_ADMIN = "This is the last active admin: make another admin first."


def _active_admin_ids(lock: bool = False) -> list[int]:
    query = db.select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
    if lock:  # PostgreSQL: other changes to admins wait for this transaction; SQLite ignores it
        query = query.order_by(User.id).with_for_update()
    return list(db.session.scalars(query))


def _keeping_an_admin(user: User, change: Callable[[User], None], field: str) -> User:
    """Apply `change` to the user and commit, unless that leaves no active admin.

    One transaction: the active admins' rows are locked first (SELECT ... FOR UPDATE on
    PostgreSQL), so two admins demoting each other at once are served one after the other
    and the second sees the first's change. SQLite has one writer at a time: after the
    flush this transaction holds the write lock, so the count below is current.
    """
    admins_before = _active_admin_ids(lock=True)
    change(user)
    db.session.flush()
    if user.id in admins_before and not _active_admin_ids():
        db.session.rollback()
        raise AccountError(field, LAST_ADMIN)
    db.session.commit()
    return user


def set_role(user: User, role: Role | str) -> User:
    """Change the user's role; the last active admin keeps theirs."""
    new_role = parse_role(role)

    def change(target: User) -> None:
        if target.role != new_role.value:
            audit.record("user.role", target.email, {"from": target.role, "to": new_role.value})
        target.role = new_role.value

    return _keeping_an_admin(user, change, "role")


def set_active(user: User, active: bool) -> User:
    """Deactivate or reactivate the user; the last active admin stays active."""

    def change(target: User) -> None:
        if target.active != active:
            audit.record("user.activate" if active else "user.deactivate", target.email)
        target.active = active
        if not active:
            target.end_sessions()

    return _keeping_an_admin(user, change, "active")


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session cookie issued so far is refused."""
    user.end_sessions()
    db.session.commit()


def self_signup_enabled() -> bool:
    """Whether trainees may create their own accounts (off unless an admin turns it on)."""
    setting = db.session.get(Setting, SELF_SIGNUP)
    return bool(setting and setting.value is True)


def set_self_signup(enabled: bool) -> None:
    """Turn trainee self sign-up on or off."""
    setting = db.session.get(Setting, SELF_SIGNUP) or Setting(key=SELF_SIGNUP)
    setting.value = bool(enabled)
    db.session.add(setting)
    audit.record("settings.self_signup", "self sign-up", {"enabled": bool(enabled)})
    db.session.commit()


def sign_up(email: str, password: str, name: str) -> User:
    """Create a trainee account, when self sign-up is on."""
    if not self_signup_enabled():
        raise AccountError("email", "Self sign-up is turned off; ask for an invitation.")
    return create_user(email, password, Role.TRAINEE, name)


def invitable_roles(creator: User) -> list[Role]:
    """Admins may invite anyone; instructors only trainees; trainees nobody."""
    if creator.role == Role.ADMIN:
        return list(Role)
    if creator.role == Role.INSTRUCTOR:
        return [Role.TRAINEE]
    return []


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_invitation(
    creator: User,
    role: Role | str = Role.TRAINEE,
    email: str | None = None,
    days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> NewInvitation:
    """Store an invitation (only the token's sha256) and return the raw token once."""
    wanted = parse_role(role)
    if wanted not in invitable_roles(creator):
        raise AccountError("role", f"You may not invite someone as {wanted.value}.")
    if not 1 <= days <= INVITATION_MAX_DAYS:
        raise AccountError("days", f"Choose between 1 and {INVITATION_MAX_DAYS} days.")
    address = normalize_email(email) if email and email.strip() else None
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=address,
        role=wanted.value,
        created_by_id=creator.id,
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    db.session.add(invitation)
    audit.record(
        "invitation.create", address or "anyone with the link", {"role": wanted.value, "days": days}
    )
    db.session.commit()
    return NewInvitation(invitation, token)


def invitation_state(invitation: Invitation, now: datetime | None = None) -> str:
    """'used', 'expired' or 'open'."""
    if invitation.used_at is not None:
        return "used"
    return "expired" if invitation.expires_at <= (now or utcnow()) else "open"


def usable_invitation(token: str, now: datetime | None = None) -> Invitation:
    """The open invitation for this raw token, or InvitationUnusable saying why not."""
    invitation = db.session.scalars(
        db.select(Invitation).where(Invitation.token_hash == token_hash(token or ""))
    ).first()
    if invitation is None:
        raise InvitationUnusable(404, "This invitation link is not valid. Check the address.")
    state = invitation_state(invitation, now)
    if state == "used":
        raise InvitationUnusable(
            410, "This invitation has already been used. Ask whoever invited you for a new link."
        )
    if state == "expired":
        raise InvitationUnusable(
            410, "This invitation has expired. Ask whoever invited you for a new link."
        )
    return invitation


def accept_invitation(
    token: str, email: str, name: str, password: str, now: datetime | None = None
) -> User:
    """Create the invited account and spend the invitation, once, in one transaction."""
    moment = now or utcnow()
    invitation = usable_invitation(token, moment)
    if invitation.email and normalize_email(email) != invitation.email:
        raise AccountError("email", "This invitation was made for a different email address.")
    user = _new_user(email, password, invitation.role, name)
    _flush_new_account(user)
    spent = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=moment, used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # another request spent it between our read and this write
        db.session.rollback()
        raise InvitationUnusable(410, "This invitation has already been used.")
    audit.record(
        "user.create", user.email, {"role": user.role, "invitation": invitation.id}, actor=user
    )
    db.session.commit()
    return user


def invitations_by(creator: User | None = None) -> list[Invitation]:
    """Invitations, newest first; only those `creator` made when given."""
    query = db.select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    if creator is not None:
        query = query.where(Invitation.created_by_id == creator.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class InvitationRow:
    """An invitation as listed to the people who manage them."""

    invitation: Invitation
    state: str
    made_by: str | None
    used_by: str | None


def invitation_rows(
    creator: User | None = None, now: datetime | None = None
) -> list[InvitationRow]:
    """Invitations with their state and the names of who made and who used them."""
    invitations = invitations_by(creator)
    ids = {i.created_by_id for i in invitations} | {i.used_by_id for i in invitations}
    rows = db.session.execute(db.select(User.id, User.name).where(User.id.in_(ids)))
    names = {user_id: name for user_id, name in rows}
    return [
        InvitationRow(
            invitation,
            invitation_state(invitation, now),
            names.get(invitation.created_by_id),
            names.get(invitation.used_by_id),
        )
        for invitation in invitations
    ]


def search_users(
    text: str = "", role: str = "", active: bool | None = None, cohort_id: int | None = None
):
    """A SELECT of the accounts matching every filter given: `text` in the email or name
    (any letter case), a role, active or not, a cohort's members. Admins first, then by name.
    """
    query = db.select(User)
    words = (text or "").strip().lower()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            func.lower(User.email).like(pattern, escape="\\")
            | func.lower(User.name).like(pattern, escape="\\")
        )
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    if cohort_id is not None:
        members = db.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
        query = query.where(User.id.in_(members))
    rank = case(
        (User.role == Role.ADMIN.value, 0), (User.role == Role.INSTRUCTOR.value, 1), else_=2
    )
    return query.order_by(rank, User.name, User.id)
