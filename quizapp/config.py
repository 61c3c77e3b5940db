"""Settings from environment variables, with safe defaults for a local install."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT / "questions" / "agreements.yaml"
# Every dataset file shipped (questions/*.yaml): what `data load` loads by default.
DATA_DIR = REPO_ROOT / "questions"


def secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, or one generated once into instance/ (mode 0600)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        _write_once(path, secrets.token_hex(32))
    return path.read_text().strip()


def _write_once(path: Path, text: str) -> None:
    """Create `path` holding `text`, whole, unless it exists: workers starting together each
    try, the first one's key stands and no one reads a half-written file."""
    fd, draft = tempfile.mkstemp(dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, or an SQLite file under instance/."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):  # the form some hosts hand out
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{instance_path / 'quizapp.sqlite3'}"


def rate_limit_storage() -> str:
    """Where login rate limits are counted: RATELIMIT_STORAGE_URI, else Redis at REDIS_URL.

    Without either it is memory://, counted in each worker process on its own, so several
    workers or servers let through that many times the limit.
    """
    return os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"


def from_environment(instance_path: Path) -> dict[str, object]:
    """The app's settings but SECRET_KEY; anything passed to create_app(config) overrides these."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "QUIZAPP_DATA": os.environ.get("QUIZAPP_DATA", str(DATA_DIR)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # How many reverse proxies in front of the app set X-Forwarded-* headers (0: none).
        "QUIZAPP_TRUSTED_PROXIES": int(os.environ.get("QUIZAPP_TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": rate_limit_storage(),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "quizapp"),
        # While Redis is unreachable, count in each process rather than failing requests.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Seconds a worker trusts the dataset version and sign-up switch it last read.
        "QUIZAPP_RECHECK_SECONDS": float(os.environ.get("QUIZAPP_RECHECK_SECONDS", "1")),
        # Seconds a timed attempt still accepts answers after its deadline (network delays).
        "QUIZAPP_GRACE_SECONDS": int(os.environ.get("QUIZAPP_GRACE_SECONDS", "30")),
        # The site's address for links made outside a request and for xAPI IRIs.
        "QUIZAPP_BASE_URL": os.environ.get("QUIZAPP_BASE_URL", ""),
        # How xAPI statements name a trainee: "account" (user id on this site) or "email".
        "QUIZAPP_XAPI_ACTOR": os.environ.get("QUIZAPP_XAPI_ACTOR", "account"),
    }
