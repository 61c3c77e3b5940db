"""Importing accounts from a CSV roster, all or nothing: the CLI and the upload page share it.

New accounts get an unguessable password nobody knows and a one-time reset link to choose
their own. An account already there with the same role is only added to its cohort; with
another role it is a problem (change roles on the admin page, not by import). Cohorts that
do not exist yet are created.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from werkzeug.security import generate_password_hash

from quizapp.core.roster import RosterProblem, RosterRow, decode, read_roster
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.services import accounts, audit, cohorts, resets


@dataclass
class ImportReport:
    """What an import did, or would do on a dry run, or why it did nothing."""

    problems: list[str] = field(default_factory=list)
    new_accounts: int = 0
    existing_accounts: int = 0
    new_cohorts: list[str] = field(default_factory=list)
    memberships: int = 0
    links: list[resets.NewReset] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One sentence: what was (or would be) created."""
        verb = "would create" if self.dry_run else "created"
        cohort_count = len(self.new_cohorts)
        text = (
            f"{verb} {self.new_accounts} account{'s' * (self.new_accounts != 1)} and "
            f"{cohort_count} cohort{'s' * (cohort_count != 1)}"
        )
        if self.existing_accounts:
            text += f"; {self.existing_accounts} account(s) already existed"
        return text


def _check_against_database(rows: list[RosterRow], path: str) -> list[str]:
    """Rows that clash with accounts already stored."""
    problems = []
    for row in rows:
        user = accounts.find_user(row.email)
        if user is not None and user.role != row.role:
            problems.append(
                str(
                    RosterProblem(
                        path,
                        row.line,
                        f"{row.email} already has an account as {user.role}",
                        f"write role {user.role}, or change the role on the admin page first",
                    )
                )
            )
        if row.cohort and row.role == Role.ADMIN:
            fix = "leave the cohort empty for admins"
            problems.append(str(RosterProblem(path, row.line, "admins join no cohort", fix)))
    return problems


def _apply(rows: list[RosterRow], report: ImportReport, admin: User | None) -> None:
    """Stage the accounts, cohorts, memberships and reset links (no commit)."""
    by_name: dict[str, object] = {}
    # One hash of a password nobody knows, computed once: hashing per account is slow.
    unknown_password = generate_password_hash(secrets.token_urlsafe(32))
    for row in rows:
        user = accounts.find_user(row.email)
        if user is None:
            user = User(
                email=row.email, name=row.name, role=row.role, password_hash=unknown_password
            )
            db.session.add(user)
            db.session.flush()
            report.new_accounts += 1
            report.links.append(resets.stage(user, admin, resets.IMPORT_RESET_HOURS))
        else:
            report.existing_accounts += 1
        if not row.cohort:
            continue
        key = row.cohort.lower()
        cohort = by_name.get(key) or cohorts.find(row.cohort)
        if cohort is None:
            cohort = cohorts.new_cohort(row.cohort, created_by=admin)
            report.new_cohorts.append(cohort.name)
        by_name[key] = cohort
        if cohorts.stage_member(cohort, user):
            report.memberships += 1


def import_roster(
    data: bytes, path: str, dry_run: bool = False, admin: User | None = None
) -> ImportReport:
    """Import the roster in `data` (the file's bytes, named `path` in messages).

    Any problem and nothing is written; a dry run reports the counts and writes nothing.
    """
    report = ImportReport(dry_run=dry_run)
    text, problems = decode(data, path)
    if text is None:
        report.problems = [str(p) for p in problems]
        return report
    rows, found = read_roster(text, path, [role.value for role in Role])
    report.problems = [str(p) for p in found] or _check_against_database(rows, path)
    if not report.ok:
        return report
    try:
        _apply(rows, report, admin)
    except cohorts.CohortError as error:  # e.g. a cohort created meanwhile
        db.session.rollback()
        report.problems = [f"{path}: {error.message}"]
        return report
    if dry_run:
        db.session.rollback()
        report.links = []
        return report
    audit.record(
        "users.import",
        path,
        {
            "accounts": report.new_accounts,
            "existing": report.existing_accounts,
            "cohorts": report.new_cohorts,
            "memberships": report.memberships,
        },
        actor=admin,
    )
    db.session.commit()
    return report
