"""Public pages rendered once per site state and served from memory to anonymous visitors.

A public page depends only on the dataset version, on whether sign-up is open (the
navigation links to it) and on the app's own code. Each worker reads the first two in one
small query and trusts what it read for QUIZAPP_RECHECK_SECONDS (1 s by default), or until
this process commits a change; so a `data load` run anywhere is seen by every worker within
that time, and most requests make no query at all. The same state gives the page's `ETag`
and `Last-Modified`, so a browser revalidating gets a bodiless 304.

A plain anonymous GET (no cookie, no query string, no body, not conditional) of a page
already served is answered by `AnonymousPages` in front of Flask: the stored status,
headers (security headers included, as the app's hooks set them) and body, replayed.
Anything else goes through Flask. Visitors carrying a cookie of ours (signed in, or with a
message waiting) get the layout rendered for them, since their navigation and flashed
messages are theirs alone, around the page's content kept for the same site state.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, make_response, render_template, request
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from quizapp.extensions import db
from quizapp.models import DatasetVersion, Setting
from quizapp.services.accounts import SELF_SIGNUP

PACKAGE = Path(__file__).resolve().parents[1]
EXTENSION = "quizapp.public_pages"
# Set in the WSGI environ by a view that served the shared copy of a page.
SHARED = "quizapp.shared_page"


@dataclass(frozen=True)
class SiteState:
    """What an anonymous public page shows besides its URL."""

    version: str | None
    loaded_at: datetime | None
    signup: bool


def site_state() -> SiteState:
    """The dataset version, its load time and the sign-up switch, in one statement."""
    signup = db.select(Setting.value).where(Setting.key == SELF_SIGNUP).scalar_subquery()
    row = db.session.execute(
        db.select(DatasetVersion.version, DatasetVersion.loaded_at, signup)
        .order_by(DatasetVersion.loaded_at.desc(), DatasetVersion.id.desc())
        .limit(1)
    ).first()
    if row is None:  # nothing loaded yet: the page says so; ask for the switch alone
        value = db.session.scalar(db.select(Setting.value).where(Setting.key == SELF_SIGNUP))
        return SiteState(None, None, value is True)
    return SiteState(row[0], row[1], row[2] is True)


class _Commits:
    """How many transactions this process has committed: any of them may change the state."""

    count = 0
    lock = threading.Lock()


@event.listens_for(Session, "after_commit")
def _count_commit(_session: Session) -> None:
    with _Commits.lock:
        _Commits.count += 1


def code_digest(app: Flask) -> str:
    """A hash of the templates and static files: a new release changes every ETag."""
    digest = hashlib.sha256()
    for folder in (PACKAGE / "templates", Path(app.static_folder or PACKAGE)):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class _Page:
    body: bytes
    mimetype: str


@dataclass(frozen=True)
class Reply:
    """A whole response to an anonymous GET, as the app sent it, and the state it shows."""

    state: SiteState
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class PageStore:
    """The pages rendered for one site state; a new state empties the store."""

    def __init__(self, app: Flask) -> None:
        self.code = code_digest(app)
        self.recheck = float(app.config.get("QUIZAPP_RECHECK_SECONDS", 1.0))
        self.state: SiteState | None = None
        self.read_at = -math.inf  # time.monotonic() when the state was last asked for
        self.read_commits = -1  # _Commits.count then
        self.pages: dict[tuple[Any, ...], Any] = {}  # whole pages and their contents
        self.replies: dict[str, Reply] = {}
        self.lock = threading.Lock()

    def trusted_state(self) -> SiteState | None:
        """The state last read, unless it is older than `recheck` or a commit came since."""
        if self.read_commits != _Commits.count or time.monotonic() - self.read_at >= self.recheck:
            return None
        return self.state

    def current_state(self) -> SiteState:
        """The trusted state, else read afresh (a new state empties the store)."""
        state = self.trusted_state()
        if state is None:
            commits, started = _Commits.count, time.monotonic()
            state = site_state()
            with self.lock:
                if state != self.state:
                    self.state, self.pages, self.replies = state, {}, {}
                self.read_at, self.read_commits = started, commits
        return state

    def get(self, state: SiteState, key: tuple[Any, ...]) -> Any:
        return self.pages.get(key) if state == self.state else None

    def put(self, state: SiteState, key: tuple[Any, ...], page: Any) -> None:
        with self.lock:
            if state == self.state:
                self.pages[key] = page

    def keep(self, path: str, reply: Reply) -> None:
        with self.lock:
            if reply.state == self.state:
                self.replies[path] = reply

    def replay(self, path: str) -> Reply | None:
        """The stored reply for `path` if it shows the trusted state."""
        reply = self.replies.get(path)
        if reply is None or reply.state != self.trusted_state():
            return None
        return reply

    def etag(self, state: SiteState) -> str:
        blob = f"{self.code}|{state.version}|{state.signup}".encode()
        return hashlib.sha256(blob).hexdigest()[:20]


def _store() -> PageStore:
    return current_app.extensions[EXTENSION]


def anonymous() -> bool:
    """No cookie of ours came with the request: nothing on the page can be personal."""
    names = (
        current_app.config["SESSION_COOKIE_NAME"],
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
    )
    return not any(name in request.cookies for name in names)


def _page_key(arguments: dict[str, Any]) -> tuple[Any, ...]:
    """What tells one public page from another: its view and the view's arguments."""
    return (request.endpoint, tuple(sorted(arguments.items())))


def public_page(template: str, title: str, **context: Any) -> str:
    """A public page: its content (``template``) rendered once per site state and kept, in
    the layout rendered for this visitor, whose navigation may name them."""
    if current_app.debug:
        return _in_layout(title, _content(template, context))
    store = _store()
    state = store.current_state()
    key = ("content", *_page_key(request.view_args or {}))
    content = store.get(state, key)
    if content is None:
        content = _content(template, context)
        store.put(state, key, content)
    return _in_layout(title, content)


def _content(template: str, context: dict[str, Any]) -> Markup:
    # The template escaped every value as it rendered: its output is HTML, to insert as is.
    return Markup(render_template(template, **context))  # noqa: S704  # nosec B704


def _in_layout(title: str, content: Markup) -> str:
    return render_template("public/_page.html", title=title, content=content)


def cached_public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve `view`'s page from memory to anonymous visitors, with ETag, Last-Modified and 304."""

    @wraps(view)
    def serve(**kwargs: Any) -> Response:
        if current_app.debug or not anonymous():
            response = make_response(view(**kwargs))
            response.cache_control.private = True
            response.cache_control.no_cache = True
            response.vary.add("Cookie")
            return response
        store = _store()
        state = store.current_state()
        key = _page_key(kwargs)
        page = store.get(state, key)
        if page is None:
            rendered = make_response(view(**kwargs))
            if rendered.status_code != 200:
                return rendered
            page = _Page(rendered.get_data(), rendered.mimetype)
            store.put(state, key, page)
        response = Response(page.body, mimetype=page.mimetype)
        response.set_etag(store.etag(state))
        response.last_modified = state.loaded_at
        response.cache_control.public = True
        response.cache_control.no_cache = True  # stored, but revalidated: a load shows soon
        response.vary.add("Cookie")
        request.environ[SHARED] = state
        if _conditional(request.environ):
            response = response.make_conditional(request)
            del response.headers["Date"]  # the server sends one; a second would be stale
        return response

    return serve


def _plain_get(environ: dict[str, Any]) -> bool:
    """A GET with no cookie, query, body or condition: the shared copy answers it whole."""
    return (
        environ.get("REQUEST_METHOD") == "GET"
        and not environ.get("QUERY_STRING")
        and environ.get("CONTENT_LENGTH") in (None, "", "0")
        and not any(name in environ for name in _NOT_PLAIN)
    )


_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)
_NOT_PLAIN = ("HTTP_COOKIE", "HTTP_TRANSFER_ENCODING", *_CONDITIONS)


def _conditional(environ: dict[str, Any]) -> bool:
    return any(name in environ for name in _CONDITIONS)


class AnonymousPages:
    """WSGI middleware: a plain anonymous GET of a public page already served, from memory."""

    def __init__(self, wsgi_app: Callable, store: PageStore) -> None:
        self.wsgi_app = wsgi_app
        self.store = store

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if not _plain_get(environ):
            return self.wsgi_app(environ, start_response)
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        reply = self.store.replay(path)
        if reply is not None:
            start_response(reply.status, list(reply.headers))
            return [reply.body]
        return self._remember(environ, start_response, path)

    def _remember(self, environ: dict[str, Any], start_response: Callable, path: str):
        """Pass the request to Flask; keep the answer if it was a shared page's 200."""
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def watch(status: str, headers: list[tuple[str, str]], exc_info=None):
            started.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, watch)
        state = environ.get(SHARED)
        if state is None or not started or not started[0][0].startswith("200 "):
            return body
        status, headers = started[0]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self.store.keep(path, Reply(state, status, list(headers), data))
        return [data]


def init_app(app: Flask) -> None:
    """Give the app its page store and put the shared pages in front of it."""
    store = app.extensions[EXTENSION] = PageStore(app)
    app.wsgi_app = AnonymousPages(app.wsgi_app, store)
