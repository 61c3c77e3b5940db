"""Cohorts: create and rename them, add and remove members, and ask who teaches whom.

Admins manage every cohort. An instructor manages the cohorts they teach, and becomes an
instructor of each cohort they create. Trainees join cohorts as trainees, instructors as
instructors; admins are never members (roles do not nest).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Cohort, CohortMember, CohortRole, Role, User
from quizapp.services import audit
from quizapp.services.accounts import AccountError

NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 2000


class CohortError(AccountError):
    """A request about a cohort that cannot be done; `field` names the form field at fault."""


@dataclass(frozen=True)
class CohortRow:
    """A cohort as listed: how many trainees it has and who teaches it."""

    cohort: Cohort
    trainees: int
    instructors: list[str]


@dataclass(frozen=True)
class Member:
    """A member of a cohort with their role in it."""

    user: User
    role: str


def clean_name(name: str) -> str:
    """The cohort name with its spaces collapsed, or CohortError when empty or too long."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise CohortError("name", "Enter a name for the cohort.")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise CohortError("name", f"Use a name of at most {NAME_MAX_LENGTH} characters.")
    return cleaned


def _clean_description(description: str | None) -> str:
    cleaned = (description or "").strip()
    if len(cleaned) > DESCRIPTION_MAX_LENGTH:
        raise CohortError(
            "description", f"Use a description of at most {DESCRIPTION_MAX_LENGTH} characters."
        )
    return cleaned


def find(name: str) -> Cohort | None:
    """The cohort with this name (any letter case, spaces collapsed), or None."""
    cleaned = " ".join((name or "").split()).lower()
    return db.session.scalars(db.select(Cohort).where(func.lower(Cohort.name) == cleaned)).first()


def _check_name_free(name: str, cohort: Cohort | None = None) -> None:
    other = find(name)
    if other is not None and other is not cohort:
        raise CohortError(
            "name", f"A cohort named {other.name} already exists; choose another name."
        )


def _flush_named(cohort: Cohort) -> None:
    """Write the cohort now, turning a concurrent duplicate name into the same CohortError."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise CohortError(
            "name", f"A cohort named {cohort.name} already exists; choose another name."
        ) from None


def new_cohort(name: str, description: str = "", created_by: User | None = None) -> Cohort:
    """Add a validated cohort to the session without committing (for imports).

    An instructor who creates a cohort teaches it.
    """
    cleaned = clean_name(name)
    _check_name_free(cleaned)
    cohort = Cohort(
        name=cleaned,
        description=_clean_description(description),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(cohort)
    if created_by is not None and created_by.role == Role.INSTRUCTOR:
        cohort.members.append(CohortMember(user_id=created_by.id, role=CohortRole.INSTRUCTOR))
    _flush_named(cohort)
    audit.record("cohort.create", cohort.name, {"cohort": cohort.id})
    return cohort


def create(name: str, description: str = "", created_by: User | None = None) -> Cohort:
    """Create a cohort; CohortError names the field when something is wrong."""
    cohort = new_cohort(name, description, created_by)
    db.session.commit()
    return cohort


def rename(cohort: Cohort, name: str, description: str | None = None) -> Cohort:
    """Give the cohort a new name (and description, when given)."""
    cleaned = clean_name(name)
    _check_name_free(cleaned, cohort)
    if cohort.name != cleaned:
        audit.record("cohort.rename", cleaned, {"cohort": cohort.id, "from": cohort.name})
    cohort.name = cleaned
    if description is not None:
        cohort.description = _clean_description(description)
    _flush_named(cohort)
    db.session.commit()
    return cohort


def delete(cohort: Cohort) -> None:
    """Delete the cohort and its memberships (the accounts stay)."""
    audit.record("cohort.delete", cohort.name, {"cohort": cohort.id})
    db.session.delete(cohort)
    db.session.commit()


def role_for(user: User) -> CohortRole:
    """The role a user has in any cohort: the one their account has, or CohortError."""
    if user.role == Role.TRAINEE:
        return CohortRole.TRAINEE
    if user.role == Role.INSTRUCTOR:
        return CohortRole.INSTRUCTOR
    raise CohortError(
        "email", f"{user.email} is an admin; only trainees and instructors join cohorts."
    )


def _membership(cohort: Cohort, user: User) -> CohortMember | None:
    return db.session.scalars(
        db.select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id
        )
    ).first()


def stage_member(cohort: Cohort, user: User) -> bool:
    """Add the user to the cohort without committing; False when already a member."""
    role = role_for(user)
    member = _membership(cohort, user) if cohort.id is not None else None
    if member is not None:
        member.role = role.value
        return False
    cohort.members.append(CohortMember(user_id=user.id, role=role.value))
    audit.record("cohort.member.add", user.email, {"cohort": cohort.name, "role": role.value})
    return True


def add_member(cohort: Cohort, user: User) -> bool:
    """Add the user to the cohort in their account's role; False when already a member."""
    added = stage_member(cohort, user)
    try:
        db.session.commit()
    except IntegrityError:  # added at the same moment by another request
        db.session.rollback()
        return False
    return added


def remove_member(cohort: Cohort, user: User) -> bool:
    """Take the user out of the cohort; False when they were not a member."""
    member = _membership(cohort, user)
    if member is None:
        return False
    db.session.delete(member)
    audit.record("cohort.member.remove", user.email, {"cohort": cohort.name})
    db.session.commit()
    return True


def members(cohort: Cohort) -> list[Member]:
    """The cohort's instructors, then its trainees, each by name."""
    rows = db.session.execute(
        db.select(User, CohortMember.role)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(CohortMember.role, User.name, User.id)
    )
    return [Member(user, role) for user, role in rows]


def _cohort_ids(user_id: int, role: CohortRole) -> Select:
    return db.select(CohortMember.cohort_id).where(
        CohortMember.user_id == user_id, CohortMember.role == role.value
    )


def teaches(instructor: User, cohort: Cohort) -> bool:
    """Whether the user is an instructor of this cohort."""
    member = _membership(cohort, instructor)
    return member is not None and member.role == CohortRole.INSTRUCTOR


def taught_by(instructor: User) -> list[Cohort]:
    """The cohorts this instructor teaches, by name."""
    query = db.select(Cohort).where(
        Cohort.id.in_(_cohort_ids(instructor.id, CohortRole.INSTRUCTOR))
    )
    return list(db.session.scalars(query.order_by(Cohort.name)))


def trainee_ids_taught_by(instructor_id: int) -> Select:
    """A SELECT of the ids of trainees in the cohorts this instructor teaches (for subqueries)."""
    return (
        db.select(CohortMember.user_id)
        .where(
            CohortMember.role == CohortRole.TRAINEE.value,
            CohortMember.cohort_id.in_(_cohort_ids(instructor_id, CohortRole.INSTRUCTOR)),
        )
        .distinct()
    )


def trainees_taught_by(instructor: User) -> set[int]:
    """The ids of the trainees in any cohort this instructor teaches."""
    return set(db.session.scalars(trainee_ids_taught_by(instructor.id)))


def teaches_trainee(instructor: User, trainee_id: int) -> bool:
    """Whether the trainee is in a cohort this instructor teaches."""
    query = trainee_ids_taught_by(instructor.id).where(CohortMember.user_id == trainee_id)
    return db.session.scalars(query).first() is not None


def cohorts_of(trainee: User) -> list[Cohort]:
    """The cohorts this user is a trainee in, by name."""
    query = db.select(Cohort).where(Cohort.id.in_(_cohort_ids(trainee.id, CohortRole.TRAINEE)))
    return list(db.session.scalars(query.order_by(Cohort.name)))


def trainee_ids(cohort: Cohort) -> Select:
    """A SELECT of the ids of the cohort's trainees (for subqueries)."""
    return db.select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.role == CohortRole.TRAINEE.value
    )


def manageable_by(user: User) -> list[Cohort]:
    """Every cohort for an admin; the cohorts they teach for an instructor; none otherwise."""
    if user.role == Role.ADMIN:
        return list(db.session.scalars(db.select(Cohort).order_by(Cohort.name)))
    if user.role == Role.INSTRUCTOR:
        return taught_by(user)
    return []


def can_manage(user: User, cohort: Cohort) -> bool:
    """Admins manage every cohort; instructors the cohorts they teach."""
    return user.role == Role.ADMIN or (user.role == Role.INSTRUCTOR and teaches(user, cohort))


def rows(cohorts: list[Cohort]) -> list[CohortRow]:
    """The cohorts with their trainee counts and instructor names, in two queries."""
    ids = [cohort.id for cohort in cohorts]
    counts = dict(
        db.session.execute(
            db.select(CohortMember.cohort_id, func.count())
            .where(CohortMember.cohort_id.in_(ids), CohortMember.role == CohortRole.TRAINEE.value)
            .group_by(CohortMember.cohort_id)
        ).all()
    )
    teachers: dict[int, list[str]] = {}
    for cohort_id, name in db.session.execute(
        db.select(CohortMember.cohort_id, User.name)
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id.in_(ids), CohortMember.role == CohortRole.INSTRUCTOR.value)
        .order_by(User.name)
    ):
        teachers.setdefault(cohort_id, []).append(name)
    return [CohortRow(c, counts.get(c.id, 0), teachers.get(c.id, [])) for c in cohorts]
