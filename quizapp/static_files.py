"""Static files under content-hashed URLs, kept by browsers for a year.

`url_for("static", filename=...)` adds `?v=<hash of the file's bytes>`; a request carrying
the current hash is answered with `Cache-Control: public, max-age=31536000, immutable`.
A changed file gets a new URL, so a browser never keeps an old stylesheet or script.
Hashes are computed once per file and recomputed when its size or mtime changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


class StaticHashes:
    """The content hash of each file in a static folder, computed when first asked."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.known: dict[str, tuple[int, int, str]] = {}

    def __call__(self, filename: str) -> str | None:
        path = self.folder / filename
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        mark = (info.st_mtime_ns, info.st_size)
        cached = self.known.get(filename)
        if cached is None or cached[:2] != mark:
            cached = (*mark, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self.known[filename] = cached
        return cached[2]


def init_app(app: Flask) -> None:
    """Hash the static URLs this app builds and let browsers keep what they fetch by hash."""
    if not app.static_folder:
        return
    hashes = StaticHashes(app.static_folder)

    @app.url_defaults
    def _add_hash(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        if digest := hashes(values["filename"]):
            values["v"] = digest

    @app.after_request
    def _cache_hashed(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == hashes(filename):
                response.cache_control.no_cache = None  # send_file's default when no max-age
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
        return response
