"""Public pages rendered once per dataset version and served from memory to anonymous visitors.

A public page depends only on the dataset version, on whether sign-up is open (the
navigation links to it) and on the app's own code. One small query reads the first two on
every request, so a `data load` or an admin's change is seen by the next request in every
worker; the rendered page comes from this process's memory. The same state gives the
page's `ETag` and `Last-Modified`, so a browser revalidating gets a bodiless 304.

Visitors carrying a cookie of ours (signed in, or with a message waiting) get the page
rendered for them, since their navigation and flashed messages are theirs alone.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, make_response, request

from quizapp.extensions import db
from quizapp.models import DatasetVersion, Setting
from quizapp.services.accounts import SELF_SIGNUP

PACKAGE = Path(__file__).resolve().parents[1]
EXTENSION = "quizapp.public_pages"


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


class PageStore:
    """The pages rendered for one site state; a new state empties the store."""

    def __init__(self, app: Flask) -> None:
        self.code = code_digest(app)
        self.state: SiteState | None = None
        self.pages: dict[tuple[Any, ...], _Page] = {}
        self.lock = threading.Lock()

    def get(self, state: SiteState, key: tuple[Any, ...]) -> _Page | None:
        return self.pages.get(key) if state == self.state else None

    def put(self, state: SiteState, key: tuple[Any, ...], page: _Page) -> None:
        with self.lock:
            if state != self.state:
                self.state, self.pages = state, {}
            self.pages[key] = page

    def etag(self, state: SiteState) -> str:
        blob = f"{self.code}|{state.version}|{state.signup}".encode()
        return hashlib.sha256(blob).hexdigest()[:20]


def _store() -> PageStore:
    store = current_app.extensions.get(EXTENSION)
    if store is None:
        store = current_app.extensions[EXTENSION] = PageStore(current_app)
    return store


def anonymous() -> bool:
    """No cookie of ours came with the request: nothing on the page can be personal."""
    names = (
        current_app.config["SESSION_COOKIE_NAME"],
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
    )
    return not any(name in request.cookies for name in names)


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
        store, state = _store(), site_state()
        key = (request.endpoint, tuple(sorted(kwargs.items())))
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
        response.cache_control.no_cache = True  # stored, but revalidated: a load shows at once
        response.vary.add("Cookie")
        return response.make_conditional(request)

    return serve
