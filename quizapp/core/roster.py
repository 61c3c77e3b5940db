"""Reading a roster of accounts from CSV: a header row naming email, name, role and cohort
in any order, then one account per row. UTF-8, with or without a byte-order mark.

Plain Python: the caller passes the file's text and the roles the app knows, and gets back
the rows and every problem found, each as ``path:line: what (fix)``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

COLUMNS = ("email", "name", "role", "cohort")
REQUIRED = ("email", "role")
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 120
COHORT_MAX_LENGTH = 120
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass(frozen=True)
class RosterProblem:
    """What is wrong on one line of a roster file and how to fix it."""

    path: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} ({self.fix})"


@dataclass(frozen=True)
class RosterRow:
    """One account to import: email lower-cased, spaces collapsed; cohort may be empty."""

    line: int
    email: str
    name: str
    role: str
    cohort: str


def decode(data: bytes, path: str) -> tuple[str | None, list[RosterProblem]]:
    """The file's text without a BOM, or a problem when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        fix = "save it as UTF-8; spreadsheets call this CSV UTF-8"
        return None, [RosterProblem(path, line, "the file is not UTF-8 text", fix)]


def _header(cells: list[str], path: str) -> tuple[dict[str, int], list[RosterProblem]]:
    names = [cell.strip().lower().lstrip("\ufeff") for cell in cells]
    problems, where = [], {}
    expected = ", ".join(COLUMNS)
    for index, name in enumerate(names):
        if name not in COLUMNS:
            problems.append(
                RosterProblem(
                    path, 1, f"unknown column {cells[index]!r}", f"name columns {expected}"
                )
            )
        elif name in where:
            problems.append(RosterProblem(path, 1, f"column {name} appears twice", "keep one"))
        else:
            where[name] = index
    for name in REQUIRED:
        if name not in where:
            problems.append(
                RosterProblem(path, 1, f"no {name} column", f"add a header row naming {expected}")
            )
    return where, problems


def _row(
    cells: list[str], line: int, where: dict[str, int], roles: Sequence[str], path: str
) -> tuple[RosterRow | None, list[RosterProblem]]:
    def cell(name: str) -> str:
        index = where.get(name)
        return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

    email, name, role, cohort = (cell(column) for column in COLUMNS)
    email, role = email.lower(), role.lower()
    problems = []

    def problem(message: str, fix: str) -> None:
        problems.append(RosterProblem(path, line, message, fix))

    if len(cells) > len(where):
        problem(f"{len(cells)} cells but {len(where)} columns", "quote cells that hold a comma")
    if not email:
        problem("no email", "give each account an email address")
    elif len(email) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(email):
        problem(f"{email!r} is not an email address", "write it as name@example.org")
    if role not in roles:
        shown = repr(role) if role else "no role"
        problem(f"{shown} is not a role", f"use one of {', '.join(roles)}")
    if len(name) > NAME_MAX_LENGTH:
        problem("the name is too long", f"use at most {NAME_MAX_LENGTH} characters")
    if len(cohort) > COHORT_MAX_LENGTH:
        problem("the cohort name is too long", f"use at most {COHORT_MAX_LENGTH} characters")
    if problems:
        return None, problems
    return RosterRow(line, email, name or email.split("@", 1)[0], role, cohort), []


def read_roster(
    text: str, path: str, roles: Sequence[str]
) -> tuple[list[RosterRow], list[RosterProblem]]:
    """Every row of the roster and every problem in it (blank lines are skipped).

    An email given twice is a problem on its second line; rows are returned only when
    there is no problem at all, so a caller cannot import half a file by mistake.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        return [], [
            RosterProblem(path, reader.line_num, f"unreadable CSV: {error}", "check quotes")
        ]
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        fix = f"start with a header row naming {', '.join(COLUMNS)}"
        return [], [RosterProblem(path, 1, "the file is empty", fix)]
    where, problems = _header(records[0][1], path)
    if problems:
        return [], problems
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    for line, cells in records[1:]:
        row, found = _row(cells, line, where, roles, path)
        problems += found
        if row is None:
            continue
        if row.email in first_line:
            problems.append(
                RosterProblem(
                    path,
                    line,
                    f"{row.email} is also on line {first_line[row.email]}",
                    "list each account once",
                )
            )
            continue
        first_line[row.email] = line
        rows.append(row)
    if not rows and not problems:
        problems.append(RosterProblem(path, 2, "no accounts under the header", "add one per row"))
    return (rows if not problems else []), problems
