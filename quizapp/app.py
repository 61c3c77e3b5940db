"""The application factory: settings, extensions, blueprints, error pages and CLI in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizapp import limits
from quizapp.config import REPO_ROOT, from_environment, secret_key
from quizapp.extensions import (
    CookieSessions,
    csrf,
    db,
    limit_hooks_to_limited_routes,
    limiter,
    login_manager,
    migrate,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error pages, CLI."""
    app = Flask(
        __name__,
        static_folder=str(REPO_ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.update(from_environment(Path(app.instance_path)))
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(Path(app.instance_path))

    app.session_interface = CookieSessions()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    login_manager.init_app(app)
    # The Limiter object is shared by every app in the process and keeps the switch of the
    # last one it was bound to unless each app states its own.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    limits.register(app)  # before the blueprints: it bounds every <int:…> in their routes

    from quizapp import errors, models, security, static_files  # noqa: F401  (models: tables)
    from quizapp.admin.routes import bp as admin_bp
    from quizapp.api.routes import bp as api_bp
    from quizapp.auth.routes import bp as auth_bp
    from quizapp.instructor.routes import bp as instructor_bp
    from quizapp.public import cache as public_pages
    from quizapp.public.routes import bp as public_bp
    from quizapp.trainee.routes import bp as trainee_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(instructor_bp)
    app.register_blueprint(trainee_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # token-authenticated only: no cookie is accepted there
    limit_hooks_to_limited_routes(app)
    errors.register(app)
    public_pages.init_app(app)  # inside the proxy fix of security.register: it sees the real path
    security.register(app)
    static_files.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, use write-ahead logging, sync to disk at checkpoints.

    synchronous=NORMAL in WAL mode does not fsync on each commit: a committed answer survives
    a crash of the app or a killed worker, but a power loss or OS crash may lose the last
    transactions before the next checkpoint (the database stays consistent). FULL would cost
    an fsync per save. README's "Performance" section says so.
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
