"""The common-password list shipped with the app: a password on it is refused.

``data/common-passwords.txt.gz`` holds the 20,000 most common passwords (Royce
Williams' list, as shipped by Django under the BSD 3-clause license), most common first.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

_LIST = files("quizapp") / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """Every password on the list, lower-cased (read once per process)."""
    with _LIST.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def is_common(password: str) -> bool:
    """Whether the password, trimmed and in any letter case, is on the list."""
    return password.strip().lower() in common_passwords()
