"""Flask extensions, created once here and bound to an app in create_app()."""

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that migrations can alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)


def limit_hooks_to_limited_routes(app: Flask) -> None:
    """Run Flask-Limiter's request hooks only on routes whose view carries a limit.

    With no default limits they find nothing to count anywhere else, yet cost more per
    request than a small view. A limited view checks its own limit when called; the hooks
    count its `deduct_when` tries and clear its state afterwards. Call after the blueprints.
    """
    marked = "__wrapper-limiter-instance"  # set by Flask-Limiter on the views it wraps
    limited = {endpoint for endpoint, view in app.view_functions.items() if hasattr(view, marked)}

    def guarded(hook: Callable) -> Callable:
        @wraps(hook)
        def run(*args: Any) -> Any:
            if request.endpoint in limited:
                return hook(*args)
            return args[0] if args else None  # an after_request hook hands the response on

        return run

    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        funcs = hooks.get(None, [])
        funcs[:] = [guarded(hook) if _of_limiter(hook) else hook for hook in funcs]


def _of_limiter(hook: Callable) -> bool:
    owner = getattr(hook, "__self__", None)
    if isinstance(hook, partial) and hook.args:
        owner = hook.args[0]
    return owner is limiter


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building a signer for a visitor with no cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:  # no cookie to write or to delete
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)
